package httpapi

import (
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/markdown"
)

// The JSON types of pages.

// pageWriteJSON is the body of POST and PUT for pages.
type pageWriteJSON struct {
	Slug       string     `json:"slug"`
	Title      string     `json:"title"`
	Excerpt    string     `json:"excerpt"`
	Body       string     `json:"body"`
	ParentID   *int64     `json:"parent_id" nullable:"true"`
	MenuOrder  int        `json:"menu_order"`
	CoverImage *imageJSON `json:"cover_image" nullable:"true"`
	SEO        *seoJSON   `json:"seo" nullable:"true"`
	Version    *int       `json:"version,omitempty"`
}

func (p pageWriteJSON) input() content.Input {
	return content.Input{Fields: content.Fields{
		Slug: p.Slug, Title: p.Title, CoverImage: imageIn(p.CoverImage), SEO: seoIn(p.SEO),
		Prose:      content.Prose{Excerpt: p.Excerpt, Body: p.Body},
		PageFields: content.PageFields{ParentID: p.ParentID, MenuOrder: p.MenuOrder},
	}}
}

// pageFieldsOut shows a page's editable fields in the shape of its write body.
func pageFieldsOut(f content.Fields) pageWriteJSON {
	seo := seoOut(f.SEO)
	return pageWriteJSON{
		Slug: f.Slug, Title: f.Title, Excerpt: f.Excerpt, Body: f.Body, ParentID: f.ParentID, MenuOrder: f.MenuOrder,
		CoverImage: imageOut(f.CoverImage), SEO: &seo,
	}
}

// pageItemJSON is a page in a public list.
type pageItemJSON struct {
	ID                 int64        `json:"id"`
	Slug               string       `json:"slug"`
	URL                string       `json:"url"`
	Title              string       `json:"title"`
	Excerpt            string       `json:"excerpt"`
	Path               string       `json:"path"`
	Parent             *string      `json:"parent"`
	MenuOrder          int          `json:"menu_order"`
	CoverImage         *pictureJSON `json:"cover_image"`
	ReadingTimeMinutes int          `json:"reading_time_minutes"`
	PublishedAt        *time.Time   `json:"published_at"`
}

// pageJSON is one published page.
type pageJSON struct {
	pageItemJSON
	proseJSON
}

func pageItemOut(e content.Entry) pageItemJSON {
	var parent *string
	if e.ParentSlug != "" {
		parent = &e.ParentSlug
	}
	return pageItemJSON{
		ID: e.ID, Slug: e.Fields.Slug, URL: e.URL, Title: e.Fields.Title, Excerpt: e.Excerpt(), Path: e.Path, Parent: parent,
		MenuOrder: e.Fields.MenuOrder, CoverImage: pictureOut(e.Cover), ReadingTimeMinutes: e.Derived.ReadingTime,
		PublishedAt: utc(e.PublishedAt),
	}
}

func pageOut(e content.Entry) pageJSON {
	return pageJSON{
		pageItemJSON: pageItemOut(e), proseJSON: proseOut(e),
	}
}

// adminPageItemJSON is a page in an admin list: any status.
type adminPageItemJSON struct {
	ID                 int64        `json:"id"`
	Slug               string       `json:"slug"`
	URL                string       `json:"url"` // where the site shows it once published (an SEO preview's address)
	Title              string       `json:"title"`
	Excerpt            string       `json:"excerpt"`
	Path               string       `json:"path"`
	ParentID           *int64       `json:"parent_id"`
	MenuOrder          int          `json:"menu_order"`
	CoverImage         *pictureJSON `json:"cover_image"`
	ReadingTimeMinutes int          `json:"reading_time_minutes"`
	PublishedAt        *time.Time   `json:"published_at"`
	adminMetaJSON
}

// adminPageJSON is one page as the editor sees it: the Markdown source and
// every derived field.
type adminPageJSON struct {
	adminPageItemJSON
	Body        string             `json:"body"`
	AutoExcerpt string             `json:"auto_excerpt"`
	HTML        string             `json:"html"`
	TOC         []markdown.Heading `json:"toc"`
	WordCount   int                `json:"word_count"`
	SEO         seoJSON            `json:"seo"`
}

func adminPageItemOut(e content.Entry, viewer auth.Principal) adminPageItemJSON {
	return adminPageItemJSON{
		ID: e.ID, Slug: e.Fields.Slug, URL: e.URL, Title: e.Fields.Title, Excerpt: e.Excerpt(), Path: e.Path,
		ParentID: e.Fields.ParentID, MenuOrder: e.Fields.MenuOrder, CoverImage: pictureOut(e.Cover),
		ReadingTimeMinutes: e.Derived.ReadingTime, PublishedAt: utc(e.PublishedAt), adminMetaJSON: adminMetaOut(e, viewer),
	}
}

func adminPageOut(e content.Entry, viewer auth.Principal) adminPageJSON {
	item := adminPageItemOut(e, viewer)
	item.Excerpt = e.Fields.Excerpt // the editable value; auto_excerpt shows the fallback
	return adminPageJSON{
		adminPageItemJSON: item, Body: e.Fields.Body, AutoExcerpt: e.Derived.AutoExcerpt, HTML: e.Derived.HTML,
		TOC: e.Derived.TOC, WordCount: e.Derived.WordCount, SEO: seoOut(e.Fields.SEO),
	}
}
