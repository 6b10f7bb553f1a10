package content

import (
	"context"
	"time"

	"github.com/folio-cms/folio/pkg/store"
)

// Cond is a condition a public list's entries must meet, for filters that
// combine with "and", "or" and "not" (the Ghost Content API's): all (with
// Any, any) of Kids, or, without Kids, one comparison.
type Cond struct {
	Any  bool
	Kids []Cond
	Not  bool // the comparison negated: none of Values

	Field  string   // one of CondFields
	Op     string   // "=" (any of Values); for published_at also ">", ">=", "<", "<="
	Values []string // tag and author slugs, entry slugs, ids in decimal, "true"/"false", types
	Time   time.Time
}

// CondFields are the fields a Cond compares: tags (any, or the first),
// the author, slug, id, featured, the entry type, and the publication time.
var CondFields = []string{"tag", "primary_tag", "author", "slug", "id", "featured", "type", "published_at"}

func (c Cond) store() store.Cond {
	out := store.Cond{Any: c.Any, Not: c.Not, Field: c.Field, Op: c.Op, Values: c.Values, Time: c.Time}
	for _, k := range c.Kids {
		out.Kids = append(out.Kids, k.store())
	}
	return out
}

// ListPublishedAny is ListPublished over several types at once (the Ghost
// API's posts are Folio's posts and, asked for by tag, its case studies),
// with their bodies when q.Full. ListPublished is this with one type: the
// public lists have one definition of what they show.
func (s *Service) ListPublishedAny(ctx context.Context, types []Type, q Query, preview bool) (Page[Entry], error) {
	q.Statuses, q.Q, q.AuthorID, q.Unpublished = nil, "", nil, false
	f := q.filter(types...)
	if !preview {
		now := s.now()
		f.VisibleAt = &now
	}
	return s.list(ctx, f, q)
}
