package httpapi

import (
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/markdown"
)

// The JSON types of posts.

// postWriteJSON is the body of POST and PUT for posts: the editable fields,
// and the version a PUT is based on (refused by POST).
type postWriteJSON struct {
	Slug       string     `json:"slug"`
	Title      string     `json:"title"`
	Excerpt    string     `json:"excerpt"`
	Body       string     `json:"body"`
	Tags       []string   `json:"tags"`
	CoverImage *imageJSON `json:"cover_image" nullable:"true"`
	SEO        *seoJSON   `json:"seo" nullable:"true"`
	Featured   bool       `json:"featured"`
	AuthorID   *int64     `json:"author_id" nullable:"true"`
	Version    *int       `json:"version,omitempty"`
}

func (p postWriteJSON) input() content.Input {
	return content.Input{AuthorID: p.AuthorID, Fields: content.Fields{
		Slug: p.Slug, Title: p.Title, CoverImage: imageIn(p.CoverImage), SEO: seoIn(p.SEO), Featured: p.Featured,
		Prose: content.Prose{Excerpt: p.Excerpt, Body: p.Body}, PostFields: content.PostFields{Tags: p.Tags},
	}}
}

// postFieldsOut shows a post's editable fields in the shape of its write body.
func postFieldsOut(f content.Fields, authorID *int64) postWriteJSON {
	seo := seoOut(f.SEO)
	return postWriteJSON{
		Slug: f.Slug, Title: f.Title, Excerpt: f.Excerpt, Body: f.Body, Tags: nonNil(f.Tags),
		CoverImage: imageOut(f.CoverImage), SEO: &seo, Featured: f.Featured, AuthorID: authorID,
	}
}

// postItemJSON is a post in a public list.
type postItemJSON struct {
	ID                 int64        `json:"id"`
	Slug               string       `json:"slug"`
	URL                string       `json:"url"`
	Title              string       `json:"title"`
	Excerpt            string       `json:"excerpt"`
	CoverImage         *pictureJSON `json:"cover_image"`
	Tags               []tagJSON    `json:"tags"`
	Author             *authorJSON  `json:"author"`
	ReadingTimeMinutes int          `json:"reading_time_minutes"`
	PublishedAt        *time.Time   `json:"published_at"`
	Featured           bool         `json:"featured"`
}

// postJSON is one published post.
type postJSON struct {
	postItemJSON
	proseJSON
}

func postItemOut(e content.Entry) postItemJSON {
	return postItemJSON{
		ID: e.ID, Slug: e.Fields.Slug, URL: e.URL, Title: e.Fields.Title, Excerpt: e.Excerpt(), CoverImage: pictureOut(e.Cover),
		Tags: tagsOut(e.Tags), Author: authorOut(e.Author), ReadingTimeMinutes: e.Derived.ReadingTime,
		PublishedAt: utc(e.PublishedAt), Featured: e.Fields.Featured,
	}
}

func postOut(e content.Entry) postJSON {
	return postJSON{
		postItemJSON: postItemOut(e), proseJSON: proseOut(e),
	}
}

// adminPostItemJSON is a post in an admin list: any status.
type adminPostItemJSON struct {
	ID                 int64        `json:"id"`
	Slug               string       `json:"slug"`
	URL                string       `json:"url"` // where the site shows it once published (an SEO preview's address)
	Title              string       `json:"title"`
	Excerpt            string       `json:"excerpt"`
	CoverImage         *pictureJSON `json:"cover_image"`
	Tags               []tagJSON    `json:"tags"`
	Featured           bool         `json:"featured"`
	ReadingTimeMinutes int          `json:"reading_time_minutes"`
	PublishedAt        *time.Time   `json:"published_at"`
	adminMetaJSON
}

// adminPostJSON is one post as the editor sees it: the Markdown source and
// every derived field.
type adminPostJSON struct {
	adminPostItemJSON
	Body        string             `json:"body"`
	AutoExcerpt string             `json:"auto_excerpt"`
	HTML        string             `json:"html"`
	TOC         []markdown.Heading `json:"toc"`
	WordCount   int                `json:"word_count"`
	SEO         seoJSON            `json:"seo"`
}

func adminPostItemOut(e content.Entry, viewer auth.Principal) adminPostItemJSON {
	return adminPostItemJSON{
		ID: e.ID, Slug: e.Fields.Slug, URL: e.URL, Title: e.Fields.Title, Excerpt: e.Excerpt(),
		CoverImage: pictureOut(e.Cover), Tags: tagsOut(e.Tags),
		Featured: e.Fields.Featured, ReadingTimeMinutes: e.Derived.ReadingTime, PublishedAt: utc(e.PublishedAt),
		adminMetaJSON: adminMetaOut(e, viewer),
	}
}

func adminPostOut(e content.Entry, viewer auth.Principal) adminPostJSON {
	item := adminPostItemOut(e, viewer)
	item.Excerpt = e.Fields.Excerpt // the editable value; auto_excerpt shows the fallback
	return adminPostJSON{
		adminPostItemJSON: item, Body: e.Fields.Body, AutoExcerpt: e.Derived.AutoExcerpt, HTML: e.Derived.HTML,
		TOC: e.Derived.TOC, WordCount: e.Derived.WordCount, SEO: seoOut(e.Fields.SEO),
	}
}
