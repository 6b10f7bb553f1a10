package contentfs

import (
	"time"

	"github.com/folio-cms/folio/pkg/content"
)

// A page's file: its front matter (its parent by slug), and its body as
// the Markdown below it.
type pageFront struct {
	Title       string     `yaml:"title"`
	Slug        string     `yaml:"slug"`
	Status      string     `yaml:"status"`
	PublishedAt *time.Time `yaml:"published_at,omitempty"`
	Parent      string     `yaml:"parent,omitempty"`
	MenuOrder   int        `yaml:"menu_order,omitempty"`
	Excerpt     string     `yaml:"excerpt,omitempty"`
	CoverImage  *image     `yaml:"cover_image,omitempty"`
	SEO         *seo       `yaml:"seo,omitempty"`
}

func init() {
	codecs[content.SitePage] = codec{
		parse: func(front []byte, body string, f *File) error {
			var fm pageFront
			if err := decodeStrict(front, &fm); err != nil {
				return err
			}
			f.Status, f.PublishedAt, f.Parent = content.Status(fm.Status), fm.PublishedAt, fm.Parent
			f.Fields = content.Fields{
				Title: fm.Title, Slug: fm.Slug, CoverImage: imageIn(fm.CoverImage), SEO: seoIn(fm.SEO),
				Prose:      content.Prose{Excerpt: fm.Excerpt, Body: body},
				PageFields: content.PageFields{MenuOrder: fm.MenuOrder},
			}
			return nil
		},
		format: func(f File, published *time.Time) (any, string) {
			x := f.Fields
			return pageFront{
				Title: x.Title, Slug: x.Slug, Status: string(f.Status), PublishedAt: published, Parent: f.Parent,
				MenuOrder: x.MenuOrder, Excerpt: x.Excerpt, CoverImage: imageOut(x.CoverImage), SEO: seoOut(x.SEO),
			}, x.Body
		},
	}
}
