package content

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/slug"
)

// Post is a blog post: a Markdown body, an excerpt and tags, by an author.
const Post Type = "post"

// Prose is a Markdown body with its excerpt, as posts (and pages) have.
type Prose struct {
	Excerpt string `json:"excerpt,omitempty"` // empty: the first paragraph of Body is used
	Body    string `json:"body,omitempty"`
}

// PostFields are a post's own fields besides its Prose.
type PostFields struct {
	Tags []string `json:"tags,omitempty"` // tag names
}

var postSpec = register(&Spec{
	Type: Post, Noun: "post", Plural: "posts", SlugBase: "post", Dir: "posts", HasAuthor: true,
	Perms: Perms{auth.PermPostRead, auth.PermPostCreate, auth.PermPostUpdate, auth.PermPostDelete,
		auth.PermPostSubmit, auth.PermPostPublish},
	keep: func(f Fields) Fields {
		out := f.shared()
		out.Prose, out.PostFields = f.Prose, f.PostFields
		return out
	},
	normalize: func(f *Fields) {
		normalizeProse(&f.Prose)
		f.Tags = trimList(f.Tags)
	},
	validate: func(v *errs.Fields, f Fields) {
		validateProse(v, f.Prose)
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
	},
	derive:      func(f Fields) (Derived, error) { return deriveProse(f.Prose) },
	markdown:    func(f Fields) map[string]string { return map[string]string{"body": f.Body} },
	excerpt:     proseExcerpt,
	linkPattern: func(l Links) string { return l.PostPath },
})

// The Prose of posts (and pages): its rules, rendering and storage.

func normalizeProse(p *Prose) {
	p.Excerpt = strings.TrimSpace(stripControl(p.Excerpt))
	p.Body = trimMarkdown(p.Body)
}

func validateProse(v *errs.Fields, p Prose) {
	maxLen(v, "excerpt", p.Excerpt, MaxExcerpt)
	maxBytes(v, "body", p.Body)
}

func deriveProse(p Prose) (Derived, error) {
	var d Derived
	r, err := render("body", p.Body)
	if err != nil {
		return d, err
	}
	d.HTML, d.TOC, d.AutoExcerpt, d.WordCount, d.ReadingTime = r.HTML, r.TOC, r.Excerpt, r.WordCount, r.ReadingTime
	d.PlainText = r.Text
	return d, nil
}

// proseExcerpt is the entry's own excerpt, or its first paragraph.
func proseExcerpt(e Entry) string {
	if e.Fields.Excerpt != "" {
		return e.Fields.Excerpt
	}
	return e.Derived.AutoExcerpt
}
