package httpapi

import (
	"time"

	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/paging"
)

// The JSON types shared by every resource: images, SEO, tags, authors, list
// envelopes. Each resource keeps its own in <resource>_json.go. Only these
// types are serialised: a database or domain field can never leak, and a
// client can never set a field that is not declared in a request type
// (decoding is strict).

// imageJSON is an image as an editor sets it: an item of the media library
// (media_id) or an external url, with alt text.
type imageJSON struct {
	URL     string `json:"url,omitempty"`
	Alt     string `json:"alt"`
	MediaID int64  `json:"media_id,omitempty"`
	Width   int    `json:"width,omitempty"`  // an external image's, as given
	Height  int    `json:"height,omitempty"` // an external image's, as given
}

// pictureJSON is an image as a frontend shows it: its URL, the alt text
// that applies and, for a media item, its size and smaller copies for srcset.
type pictureJSON struct {
	URL      string        `json:"url"`
	Alt      *string       `json:"alt"` // null: none (an image without it can't be published)
	Width    *int          `json:"width"`
	Height   *int          `json:"height"`
	Variants []variantJSON `json:"variants"`
	MediaID  *int64        `json:"media_id"`
}

type variantJSON struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	URL    string `json:"url"`
}

func pictureOut(p *content.Picture) *pictureJSON {
	if p == nil {
		return nil
	}
	out := &pictureJSON{URL: p.URL, Alt: optional(p.Alt), Variants: variantsOut(p.Variants)}
	if p.Width > 0 {
		out.Width, out.Height = &p.Width, &p.Height
	}
	if p.MediaID != 0 {
		out.MediaID = &p.MediaID
	}
	return out
}

func variantsOut(vs []library.Variant) []variantJSON {
	out := make([]variantJSON, len(vs))
	for i, v := range vs {
		out[i] = variantJSON(v)
	}
	return out
}

// seoJSON is an entry's SEO fields; each is null when not set (and may be
// sent as null, or "", to clear it).
type seoJSON struct {
	MetaTitle       *string `json:"meta_title" nullable:"true"`
	MetaDescription *string `json:"meta_description" nullable:"true"`
	CanonicalURL    *string `json:"canonical_url" nullable:"true"`
	OGImage         *string `json:"og_image" nullable:"true"`
}

func seoOut(s content.SEO) seoJSON {
	return seoJSON{MetaTitle: optional(s.MetaTitle), MetaDescription: optional(s.MetaDescription),
		CanonicalURL: optional(s.CanonicalURL), OGImage: optional(s.OGImage)}
}

// optional is an optional text as JSON shows it: null when empty, never "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// text is an optional text as a request sends it: null (or left out) is "".
func text(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type tagJSON struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type authorJSON struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// adminAuthorJSON adds what editors need to know about an author.
type adminAuthorJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Slug  string `json:"slug"`
	Email string `json:"email"`
}

type metaJSON struct {
	Page       int   `json:"page"`
	PerPage    int   `json:"per_page"`
	Total      int64 `json:"total"`
	TotalPages int   `json:"total_pages"`
	Next       *int  `json:"next"` // the next page's number, or null on the last
	Prev       *int  `json:"prev"` // the previous page's number, or null on the first
}

type listJSON struct {
	Data any      `json:"data"`
	Meta metaJSON `json:"meta"`
}

type itemJSON struct {
	Data any `json:"data"`
}

func pageMeta[T any](p paging.Page[T]) metaJSON {
	m := metaJSON{Page: p.Page, PerPage: p.PerPage, Total: p.Total, TotalPages: p.TotalPages()}
	if p.Page < m.TotalPages {
		n := p.Page + 1
		m.Next = &n
	}
	if p.Page > 1 {
		n := min(p.Page-1, max(m.TotalPages, 1))
		m.Prev = &n
	}
	return m
}

func imageIn(i *imageJSON) *content.Image {
	if i == nil {
		return nil
	}
	return &content.Image{URL: i.URL, Alt: i.Alt, MediaID: i.MediaID, Width: i.Width, Height: i.Height}
}

func seoIn(s *seoJSON) content.SEO {
	if s == nil {
		return content.SEO{}
	}
	return content.SEO{MetaTitle: text(s.MetaTitle), MetaDescription: text(s.MetaDescription), CanonicalURL: text(s.CanonicalURL), OGImage: text(s.OGImage)}
}

func imageOut(i *content.Image) *imageJSON {
	if i == nil {
		return nil
	}
	return &imageJSON{URL: i.URL, Alt: i.Alt, MediaID: i.MediaID, Width: i.Width, Height: i.Height}
}

func tagsOut(tags []content.Tag) []tagJSON {
	out := make([]tagJSON, len(tags))
	for i, t := range tags {
		out[i] = tagJSON{Slug: t.Slug, Name: t.Name}
	}
	return out
}

func authorOut(a *content.Author) *authorJSON {
	if a == nil {
		return nil
	}
	return &authorJSON{Name: a.Name, Slug: a.Slug}
}

func adminAuthorOut(a *content.Author) *adminAuthorJSON {
	if a == nil {
		return nil
	}
	return &adminAuthorJSON{ID: a.ID, Name: a.Name, Slug: a.Slug, Email: a.Email}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type tagCountJSON struct {
	Slug        string  `json:"slug"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	PostCount   int     `json:"post_count"`
}

func tagCountOut(t content.TagCount) tagCountJSON {
	return tagCountJSON{Slug: t.Slug, Name: t.Name, Description: nonEmpty(t.Description), PostCount: t.PostCount}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
