package library

import (
	"encoding/json"

	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// storedVariant is how a row keeps an item's variants (MediaRow.Variants,
// a JSON list).
type storedVariant struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Ext    string `json:"ext"`
}

func storedVariants(row store.MediaRow) []storedVariant {
	var vs []storedVariant
	_ = json.Unmarshal([]byte(row.Variants), &vs)
	return vs
}

// Keys returns the storage keys of an item's files: its original, then its
// variants. Keys the row cannot make (a damaged row) are left out. Backups
// and `folio doctor` use it to know which files belong to which item.
func Keys(row store.MediaRow) []string {
	var keys []string
	if k := media.OriginalKey(row.SHA256, row.Ext); k != "" {
		keys = append(keys, k)
	}
	for _, v := range storedVariants(row) {
		if k := media.VariantKey(row.SHA256, v.Width, v.Ext); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// URLs makes the public addresses of the library's files: Base, then the
// file's storage key. Base is absolute, e.g. https://cms.example.com/media
// (or a CDN or bucket in front of the same keys).
type URLs struct {
	Base string
}

// Original returns the URL of an item's original file.
func (u URLs) Original(row store.MediaRow) string {
	return u.Base + "/" + media.OriginalKey(row.SHA256, row.Ext)
}

// Item returns the item a row holds, with its URLs.
func (u URLs) Item(r store.MediaRow) Item {
	it := Item{ID: r.ID, SHA256: r.SHA256, Filename: r.Filename, MIME: r.MIME, Type: r.Type, Size: r.Size,
		Width: r.Width, Height: r.Height, Alt: r.Alt, Caption: r.Caption, UploadedBy: r.UploadedBy,
		URL: u.Original(r), Variants: []Variant{}, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, v := range storedVariants(r) {
		it.Variants = append(it.Variants, Variant{Width: v.Width, Height: v.Height, URL: u.Base + "/" + media.VariantKey(r.SHA256, v.Width, v.Ext)})
	}
	return it
}
