package content

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/markdown"
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

// normalize trims what should be trimmed and clears the other type's fields,
// so that equal content compares equal.
func normalize(t Type, f *Fields) {
	for _, s := range []*string{&f.Title, &f.Excerpt, &f.Summary, &f.Client, &f.Industry} {
		*s = stripControl(*s)
	}
	f.Title = strings.TrimSpace(f.Title)
	f.Body = trimMarkdown(f.Body)
	f.Challenge = trimMarkdown(f.Challenge)
	f.Solution = trimMarkdown(f.Solution)
	f.Results = trimMarkdown(f.Results)
	f.Excerpt = strings.TrimSpace(f.Excerpt)
	f.Summary = strings.TrimSpace(f.Summary)
	f.Client = strings.TrimSpace(f.Client)
	f.Industry = strings.TrimSpace(f.Industry)
	f.CoverImage = trimImage(f.CoverImage)
	f.Logo = trimImage(f.Logo)
	f.SEO = SEO{
		MetaTitle:       strings.TrimSpace(f.SEO.MetaTitle),
		MetaDescription: strings.TrimSpace(f.SEO.MetaDescription),
		CanonicalURL:    strings.TrimSpace(f.SEO.CanonicalURL),
		OGImage:         strings.TrimSpace(f.SEO.OGImage),
	}
	f.Tags = trimList(f.Tags)
	f.Services = trimList(f.Services)
	f.Technologies = trimList(f.Technologies)
	for i := range f.Metrics {
		f.Metrics[i].Label = strings.TrimSpace(f.Metrics[i].Label)
		f.Metrics[i].Value = strings.TrimSpace(f.Metrics[i].Value)
	}
	if f.Testimonial != nil {
		t := *f.Testimonial
		t.Quote, t.Author, t.Role = strings.TrimSpace(t.Quote), strings.TrimSpace(t.Author), strings.TrimSpace(t.Role)
		f.Testimonial = &t
		if t == (Testimonial{}) {
			f.Testimonial = nil
		}
	}
	switch t {
	case Post:
		f.Client, f.Industry, f.Summary, f.Challenge, f.Solution, f.Results = "", "", "", "", "", ""
		f.Services, f.Technologies, f.Metrics, f.Testimonial, f.Logo = nil, nil, nil, nil, nil
	case CaseStudy:
		f.Excerpt, f.Body, f.Tags = "", "", nil
	}
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
	c := Image{URL: strings.TrimSpace(img.URL), Alt: strings.TrimSpace(img.Alt), MediaID: img.MediaID}
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

// validate checks normalized fields of an entry of type t. A given slug must
// already be valid; an empty one is derived from the title later.
func validate(t Type, f Fields) error {
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

	switch t {
	case Post:
		maxLen(&v, "excerpt", f.Excerpt, MaxExcerpt)
		maxBytes(&v, "body", f.Body)
		if len(f.Tags) > MaxTags {
			v.Addf("tags", "must have at most %d tags", MaxTags)
		}
		for i, name := range f.Tags {
			field := fmt.Sprintf("tags[%d]", i)
			switch {
			case name == "":
				v.Add(field, "must not be empty")
			case utf8.RuneCountInString(name) > MaxTagName:
				v.Addf(field, "must be at most %d characters", MaxTagName)
			case slug.Make(name) == "":
				v.Add(field, "must contain letters or digits")
			}
		}
	case CaseStudy:
		maxLen(&v, "client", f.Client, 200)
		maxLen(&v, "industry", f.Industry, 100)
		maxLen(&v, "summary", f.Summary, 1000)
		checkList(&v, "services", f.Services)
		checkList(&v, "technologies", f.Technologies)
		maxBytes(&v, "challenge", f.Challenge)
		maxBytes(&v, "solution", f.Solution)
		maxBytes(&v, "results", f.Results)
		checkSection(&v, "challenge", f.Challenge)
		checkSection(&v, "solution", f.Solution)
		checkSection(&v, "results", f.Results)
		if len(f.Metrics) > MaxMetrics {
			v.Addf("metrics", "must have at most %d metrics", MaxMetrics)
		}
		for i, m := range f.Metrics {
			required(&v, fmt.Sprintf("metrics[%d].label", i), m.Label, 100)
			required(&v, fmt.Sprintf("metrics[%d].value", i), m.Value, 50)
		}
		if tm := f.Testimonial; tm != nil {
			required(&v, "testimonial.quote", tm.Quote, 2000)
			required(&v, "testimonial.author", tm.Author, 200)
			maxLen(&v, "testimonial.role", tm.Role, 200)
		}
		checkImage(&v, "logo", f.Logo)
	}
	return v.Err()
}

// checkSection refuses what a case study's section can't hold and still
// come back whole from its content file, where the sections are the level-2
// headings ## Challenge, ## Solution and ## Results: a level-2 heading of
// its own, and a code fence left open (it would swallow the next
// sections). Both are read as the file format reads them (markdown.Level2,
// markdown.Fence).
func checkSection(v *errs.Fields, field, text string) {
	var fence markdown.Fence
	for n, line := range strings.Split(text, "\n") {
		if code := fence.Code(line); code {
			continue
		}
		if _, ok := markdown.Level2(line); ok {
			v.Addf(field, "line %d: %q is a level-2 heading, which a case study keeps for its sections (Challenge, Solution, Results); use ### for headings inside a section", n+1, line)
			return
		}
	}
	if fence.Open() {
		v.Add(field, "has a code block (``` or ~~~) that is never closed; close it on a line of its own")
	}
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
