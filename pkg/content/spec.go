package content

import (
	"fmt"
	"strings"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// Spec declares one entry type: everything the shared workflow needs to
// know about it. Each type's spec lives in its own file (post.go,
// casestudy.go); the workflow reaches a type only through its spec, never
// by comparing types.
type Spec struct {
	Type Type
	// Noun names the type for people ("case study").
	Noun string
	// Plural names several ("case studies").
	Plural string
	// SlugBase is the slug of an entry whose title makes none.
	SlugBase string
	// ReservedSlugs are slugs no entry of the type may take: the public API
	// answers other things at those addresses (/api/v1/case-studies/facets).
	ReservedSlugs []string
	// Dir is the folder of the type's content files (contentfs).
	Dir string
	// Perms are the permissions each step of the workflow needs.
	Perms Perms
	// HasAuthor: entries of the type have an author that editors may set
	// and content files name.
	HasAuthor bool

	// keep returns f with only the fields the type has: the shared ones
	// and its own (every other type's are cleared).
	keep func(f Fields) Fields
	// normalize trims the type's own fields.
	normalize func(f *Fields)
	// validate checks the type's own (normalized) fields.
	validate func(v *errs.Fields, f Fields)
	// derive renders the type's Markdown fields: HTML, word count, reading
	// time and the plain text the search index holds.
	derive func(f Fields) (Derived, error)
	// markdown lists the type's Markdown fields by name (the media they
	// link to is tracked).
	markdown func(f Fields) map[string]string
	// images lists the type's own pictures besides the cover.
	images func(f *Fields) []picture
	// excerpt is the short text lists show.
	excerpt func(e Entry) string
	// html is the entry's whole text as one HTML document, for feeds (nil:
	// the rendered body, Derived.HTML).
	html func(e Entry) string
	// loaded completes an entry read from its row (nil: nothing to do).
	loaded func(e *Entry)
	// data and setData are the type's own fields kept in the row's JSON
	// object (store.EntryRow.TypeData), the ones no query looks into: data
	// returns them as a value to encode, setData decodes them into f.
	// nil: the type keeps none there.
	data    func(f Fields) any
	setData func(raw []byte, f *Fields) error
	// check runs in the write transaction of a save of entry id (0: a new
	// one) with its normalized fields, for rules that read other entries
	// (a page's parent). nil: none.
	check func(tx *store.Tx, id int64, f Fields) error
	// attach completes entries read for the admin (at nil) or for the
	// public at time at, from other records (a page's path). nil: none.
	attach func(r store.Reader, entries []*Entry, at *time.Time) error
	// pathOf is the path of the entry in row that its address pattern's
	// {path} takes, as the admin (at nil) or the public at time at sees it
	// (nil: the type's addresses use {slug} only).
	pathOf func(r store.Reader, row store.EntryRow, at *time.Time) (string, error)
	// linkPattern is the type's public address pattern in Links.
	linkPattern func(l Links) string
}

// specs holds the spec of every type, registered by its file.
var specs = map[Type]*Spec{}

func register(s *Spec) *Spec {
	specs[s.Type] = s
	return s
}

// SpecOf returns the spec of type t; nil for an unknown type.
func SpecOf(t Type) *Spec { return specs[t] }

// TypeNames lists the entry types as strings.
func TypeNames() []string {
	out := make([]string, len(Types))
	for i, t := range Types {
		out[i] = string(t)
	}
	return out
}

// specOf returns the spec of t, or an error for an unknown type.
func specOf(t Type) (*Spec, error) {
	k, ok := specs[t]
	if !ok {
		return nil, fmt.Errorf("content: unknown type %q", t)
	}
	return k, nil
}

// nounOf names type t for people; an unknown type is named as it is.
func nounOf(t Type) string {
	if k, ok := specs[t]; ok {
		return k.Noun
	}
	return strings.ReplaceAll(string(t), "_", " ")
}

// shared returns the fields every type has, with no type's own.
func (f Fields) shared() Fields {
	return Fields{Slug: f.Slug, Title: f.Title, Featured: f.Featured, CoverImage: f.CoverImage, SEO: f.SEO}
}

// picture is one image field of an entry: its name in errors and media
// uses, the field, and where its resolved picture goes.
type picture struct {
	field string
	img   **Image
	shown func(e *Entry) **Picture
}

func cover(e *Entry) **Picture { return &e.Cover }

// pictures lists an entry's images: the cover, then the type's own.
func (k *Spec) pictures(f *Fields) []picture {
	out := []picture{{"cover_image", &f.CoverImage, cover}}
	if k.images != nil {
		out = append(out, k.images(f)...)
	}
	return out
}

// checkIn runs the type's check, if it has one.
func (k *Spec) checkIn(tx *store.Tx, id int64, f Fields) error {
	if k.check == nil {
		return nil
	}
	return k.check(tx, id, f)
}

// attachAll runs each type's attach on its entries among entries.
func attachAll(r store.Reader, entries []Entry, at *time.Time) error {
	byType := map[Type][]*Entry{}
	for i := range entries {
		byType[entries[i].Type] = append(byType[entries[i].Type], &entries[i])
	}
	for _, t := range Types {
		if k := specs[t]; k.attach != nil && len(byType[t]) > 0 {
			if err := k.attach(r, byType[t], at); err != nil {
				return err
			}
		}
	}
	return nil
}

// Perms are the permissions each step of the workflow needs for one type.
type Perms struct {
	Read, Create, Update, Delete, Submit, Publish auth.Permission
}

// PermsOf returns the permissions of type t, for the route table.
func PermsOf(t Type) Perms { return specs[t].Perms }
