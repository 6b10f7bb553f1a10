package httpapi

import (
	"time"

	"github.com/folio-cms/folio/pkg/library"
)

// The JSON types of the media library.

// mediaJSON is an item of the media library.
type mediaJSON struct {
	ID        int64         `json:"id"`
	URL       string        `json:"url"`
	Filename  string        `json:"filename"`
	MIME      string        `json:"mime"`
	Type      string        `json:"type"` // image or document
	Size      int64         `json:"size"`
	Width     *int          `json:"width"`
	Height    *int          `json:"height"`
	Alt       *string       `json:"alt"`     // null: none yet
	Caption   *string       `json:"caption"` // null: none
	SHA256    string        `json:"sha256"`
	Variants  []variantJSON `json:"variants"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

type mediaUseJSON struct {
	Type  string `json:"type"`
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Field string `json:"field"`
}

// mediaDetailJSON is one item with the places that use it.
type mediaDetailJSON struct {
	mediaJSON
	UsedBy []mediaUseJSON `json:"used_by"`
}

func mediaOut(m library.Item) mediaJSON {
	out := mediaJSON{ID: m.ID, URL: m.URL, Filename: m.Filename, MIME: m.MIME, Type: m.Type, Size: m.Size, Alt: optional(m.Alt),
		Caption: optional(m.Caption), SHA256: m.SHA256, Variants: variantsOut(m.Variants), CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
	if m.Width > 0 {
		out.Width, out.Height = &m.Width, &m.Height
	}
	return out
}

type mediaPatchJSON struct {
	Alt     *string `json:"alt"`
	Caption *string `json:"caption"`
}
