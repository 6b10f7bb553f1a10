// Package content is Folio's editorial domain for every entry type alike:
// one shared workflow (status, slugs, versions, revisions, publishing,
// trash) and one spec file per type (post.go, casestudy.go, page.go) that declares
// its fields and rules. The workflow knows a type only through its spec.
package content

import (
	"slices"
	"time"

	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/markdown"
	"github.com/folio-cms/folio/pkg/paging"
)

// Type is the kind of an entry.
type Type string

// Types lists every entry type; each is declared by its spec file.
var Types = []Type{Post, CaseStudy, SitePage}

// Status is where an entry is in its workflow.
type Status string

// The statuses.
const (
	Draft     Status = "draft"
	InReview  Status = "in_review"
	Scheduled Status = "scheduled" // PublishedAt is when it goes live
	Published Status = "published"
	Archived  Status = "archived" // was published; no longer public
)

// Image is a picture an entry uses, as the editor set it: an item of the
// media library (MediaID) or an external URL, with alternative text (for a
// media item, empty means the item's own alt text).
type Image struct {
	URL     string `json:"url,omitempty"`
	Alt     string `json:"alt"`
	MediaID int64  `json:"media_id,omitempty"`
	// Width and Height are an external image's size in pixels as the
	// editor gives it (both or neither), so that pages don't shift as it
	// loads; a media item has its own.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// Picture is an Image resolved for display: its URL, the alt text that
// applies, and for media items their size and responsive variants.
type Picture struct {
	MediaID  int64
	URL      string
	Alt      string
	Width    int // 0 when unknown (an external image given without its size)
	Height   int
	Variants []library.Variant
}

// SEO holds what search engines and social previews use.
type SEO struct {
	MetaTitle       string `json:"meta_title"`
	MetaDescription string `json:"meta_description"`
	CanonicalURL    string `json:"canonical_url"`
	OGImage         string `json:"og_image"`
}

// IsZero reports whether no SEO field is set.
func (s SEO) IsZero() bool { return s == SEO{} }

// Tag is a topic posts are filed under.
type Tag struct {
	ID   int64
	Slug string
	Name string
}

// TagCount is a tag with the number of published posts that carry it.
type TagCount struct {
	Tag
	Description string // what the tag is about, for its page on the site; may be empty
	PostCount   int
}

// Author is the public face of a user who writes.
type Author struct {
	ID    int64
	Name  string
	Slug  string
	Email string // admin views only; never serialised publicly
}

// Fields are the editable fields of an entry: what an editor sends and what
// a revision snapshots. The shared ones come first; each type's own are in
// its fields struct (declared in its spec file), empty for the other types.
// The JSON tags define the snapshot format.
type Fields struct {
	Slug       string `json:"slug"`
	Title      string `json:"title"`
	Featured   bool   `json:"featured"`
	CoverImage *Image `json:"cover_image"`
	SEO        SEO    `json:"seo"`

	Prose           // posts and pages
	PostFields      // posts
	CaseStudyFields // case studies
	PageFields      // pages
}

// Derived is what rendering the Markdown fields produces. It is computed on
// save and stored; reads never render.
type Derived struct {
	HTML        string // posts: Body
	TOC         []markdown.Heading
	AutoExcerpt string // posts: the first paragraph of Body, used when Excerpt is empty
	WordCount   int    // posts: Body; case studies: Challenge, Solution and Results together
	ReadingTime int    // minutes

	ChallengeHTML string
	SolutionHTML  string
	ResultsHTML   string

	PlainText string // the visible text of the Markdown fields, for search
}

// Entry is a post or a case study.
type Entry struct {
	ID          int64
	Type        Type
	Status      Status
	PublishedAt *time.Time // when it went (or, scheduled, goes) live
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	UpdatedBy   *Author    // who saved the current version; nil for folio itself
	TrashedAt   *time.Time // in the trash since
	// FirstPublishedAt is when the entry first went live; set once, kept
	// through unpublishing (its old slugs keep redirecting from then on).
	FirstPublishedAt *time.Time
	// LiveVersion is the version the public sees (nil: none, it is not
	// live), and HasUnpublishedChanges whether the entry (read for the
	// admin, or a preview) is a working copy that differs from it.
	LiveVersion           *int
	HasUnpublishedChanges bool
	Author                *Author // nil when the user was deleted
	Fields                Fields
	Derived               Derived
	Tags                  []Tag // Fields.Tags resolved to slugs and names, in order
	// Cover and Logo are Fields.CoverImage and Fields.Logo resolved.
	Cover *Picture
	Logo  *Picture
	// Path is a page's address from its parents' slugs and its own
	// (/services/backend), and ParentSlug its parent's slug; for a public
	// read, parents the public can't see are left out of both.
	Path       string
	ParentSlug string
	// URL is the entry's address on the public site (Links.URL), as the
	// sitemap and feeds give it.
	URL string
}

// Excerpt returns the short text shown in lists, as the entry's type makes
// it (a post's own excerpt or its first paragraph, a case study's summary).
func (e Entry) Excerpt() string {
	if k := specs[e.Type]; k != nil {
		return k.excerpt(e)
	}
	return ""
}

// HTML is the entry's whole text as one HTML document (a case study's
// sections under their headings), for feeds.
func (e Entry) HTML() string {
	if k := specs[e.Type]; k != nil && k.html != nil {
		return k.html(e)
	}
	return e.Derived.HTML
}

// Page is one page of a list.
type Page[T any] = paging.Page[T]

// statuses lists every status, in workflow order.
var statuses = []Status{Draft, InReview, Scheduled, Published, Archived}

// ValidStatus reports whether s is a status.
func ValidStatus(s Status) bool { return slices.Contains(statuses, s) }

// StatusNames lists the statuses as strings.
func StatusNames() []string {
	out := make([]string, len(statuses))
	for i, s := range statuses {
		out[i] = string(s)
	}
	return out
}
