package contentfs

import (
	"time"

	"github.com/folio-cms/folio/pkg/content"
)

// A post's file: its front matter, and its body as the Markdown below it.
type postFront struct {
	Title       string     `yaml:"title"`
	Slug        string     `yaml:"slug"`
	Status      string     `yaml:"status"`
	PublishedAt *time.Time `yaml:"published_at,omitempty"`
	Author      string     `yaml:"author,omitempty"`
	Excerpt     string     `yaml:"excerpt,omitempty"`
	Tags        []string   `yaml:"tags,omitempty"`
	Featured    bool       `yaml:"featured,omitempty"`
	CoverImage  *image     `yaml:"cover_image,omitempty"`
	SEO         *seo       `yaml:"seo,omitempty"`
}

func init() {
	codecs[content.Post] = codec{
		parse: func(front []byte, body string, f *File) error {
			var fm postFront
			if err := decodeStrict(front, &fm); err != nil {
				return err
			}
			f.Status, f.PublishedAt, f.Author = content.Status(fm.Status), fm.PublishedAt, fm.Author
			f.Fields = content.Fields{
				Title: fm.Title, Slug: fm.Slug, Featured: fm.Featured, CoverImage: imageIn(fm.CoverImage), SEO: seoIn(fm.SEO),
				Prose:      content.Prose{Excerpt: fm.Excerpt, Body: body},
				PostFields: content.PostFields{Tags: fm.Tags},
			}
			return nil
		},
		format: func(f File, published *time.Time) (any, string) {
			x := f.Fields
			return postFront{
				Title: x.Title, Slug: x.Slug, Status: string(f.Status), PublishedAt: published, Author: f.Author,
				Excerpt: x.Excerpt, Tags: x.Tags, Featured: x.Featured, CoverImage: imageOut(x.CoverImage), SEO: seoOut(x.SEO),
			}, x.Body
		},
	}
}
