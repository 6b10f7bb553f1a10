package content

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/slug"
)

// Limits on editable fields.
const (
	MaxTitle     = 200
	MaxMarkdown  = 512 << 10 // bytes of Markdown per field
	MaxExcerpt   = 500
	MaxTags      = 20
	MaxTagName   = 50
	MaxListItems = 30
	MaxListItem  = 100
	MaxMetrics   = 20
	MaxURL       = 2048
)

// normalize keeps only the fields of type t (clearing every other type's)
// and trims what should be trimmed, so that equal content compares equal.
func normalize(k *Spec, f *Fields) {
	*f = k.keep(*f)
	f.Title = strings.TrimSpace(stripControl(f.Title))
	f.CoverImage = trimImage(f.CoverImage)
	f.SEO = SEO{
		MetaTitle:       strings.TrimSpace(f.SEO.MetaTitle),
		MetaDescription: strings.TrimSpace(f.SEO.MetaDescription),
		CanonicalURL:    strings.TrimSpace(f.SEO.CanonicalURL),
		OGImage:         strings.TrimSpace(f.SEO.OGImage),
	}
	k.normalize(f)
}

// stripControl removes control characters (but tabs and newlines), which
// have no place in text and could confuse what reads it later.
func stripControl(s string) string {
	if !strings.ContainsFunc(s, isStrayControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isStrayControl(r) {
			return -1
		}
		return r
	}, s)
}

func isStrayControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f
}

// trimMarkdown drops trailing whitespace and leading blank lines, which
// never change what Markdown renders, and unifies line endings: CommonMark
// ends a line at \r\n, \n or a lone \r alike.
func trimMarkdown(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.TrimRight(s, " \t\r\n")
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			return s
		}
		s = rest
	}
}

func trimImage(img *Image) *Image {
	if img == nil {
		return nil
	}
	c := Image{URL: strings.TrimSpace(img.URL), Alt: strings.TrimSpace(img.Alt), MediaID: img.MediaID, Width: img.Width, Height: img.Height}
	if c == (Image{}) {
		return nil
	}
	return &c
}

func trimList(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// validate checks normalized fields of an entry of the type k declares. A
// given slug must already be valid; an empty one is derived from the title
// later.
func validate(k *Spec, f Fields) error {
	var v errs.Fields
	switch n := utf8.RuneCountInString(f.Title); {
	case n == 0:
		v.Add("title", "must not be empty")
	case n > MaxTitle:
		v.Addf("title", "must be at most %d characters", MaxTitle)
	}
	if f.Slug != "" && !slug.Valid(f.Slug) {
		v.Addf("slug", "must be lowercase letters, digits and single hyphens (like \"my-first-post\"), at most %d characters", slug.MaxLen)
	}
	checkImage(&v, "cover_image", f.CoverImage)
	maxLen(&v, "seo.meta_title", f.SEO.MetaTitle, 200)
	maxLen(&v, "seo.meta_description", f.SEO.MetaDescription, 500)
	checkURL(&v, "seo.canonical_url", f.SEO.CanonicalURL)
	checkURL(&v, "seo.og_image", f.SEO.OGImage)

	k.validate(&v, f)
	return v.Err()
}

func required(v *errs.Fields, field, s string, limit int) {
	if s == "" {
		v.Add(field, "must not be empty")
		return
	}
	maxLen(v, field, s, limit)
}

func maxLen(v *errs.Fields, field, s string, limit int) {
	if utf8.RuneCountInString(s) > limit {
		v.Addf(field, "must be at most %d characters", limit)
	}
}

func maxBytes(v *errs.Fields, field, s string) {
	if len(s) > MaxMarkdown {
		v.Addf(field, "must be at most %d bytes", MaxMarkdown)
	}
}

func checkList(v *errs.Fields, field string, items []string) {
	if len(items) > MaxListItems {
		v.Addf(field, "must have at most %d items", MaxListItems)
	}
	for i, s := range items {
		required(v, fmt.Sprintf("%s[%d]", field, i), s, MaxListItem)
	}
}

// MaxImageSide is the largest width or height an external image may be
// given with.
const MaxImageSide = 100_000

// checkImage checks an image's form; that a media item exists is checked
// when the entry is stored.
func checkImage(v *errs.Fields, field string, img *Image) {
	if img == nil {
		return
	}
	switch {
	case img.MediaID != 0 && img.URL != "":
		v.Add(field, "must have either media_id (a media library item) or url (an external image), not both")
	case img.MediaID < 0:
		v.Add(field+".media_id", "must be the id of a media library item")
	case img.MediaID == 0 && img.URL == "":
		v.Add(field+".url", "must not be empty (or give media_id)")
	case img.MediaID == 0:
		checkURL(v, field+".url", img.URL)
	}
	switch {
	case img.MediaID != 0 && (img.Width != 0 || img.Height != 0):
		v.Add(field, "width and height are for an external image: a media library item has its own size")
	case (img.Width == 0) != (img.Height == 0):
		v.Add(field, "must have both width and height, or neither")
	}
	for name, n := range map[string]int{"width": img.Width, "height": img.Height} {
		if n < 0 || n > MaxImageSide {
			v.Add(field+"."+name, fmt.Sprintf("must be between 1 and %d pixels", MaxImageSide))
		}
	}
	maxLen(v, field+".alt", img.Alt, 500)
}

// checkURL accepts an empty string or an absolute http(s) URL with a host.
func checkURL(v *errs.Fields, field, s string) {
	if s == "" {
		return
	}
	if !ValidURL(s) {
		v.Add(field, "must be an absolute http:// or https:// URL")
	}
}

// ValidURL reports whether s is an absolute http(s) URL with a host, no
// credentials and no whitespace or control characters.
func ValidURL(s string) bool {
	if len(s) > MaxURL || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}
