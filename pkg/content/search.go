package content

import (
	"context"
	"time"

	"github.com/folio-cms/folio/pkg/store"
)

// Hit is one search result.
type Hit struct {
	Type        Type
	ID          int64
	Slug        string
	Title       string
	Excerpt     string
	PublishedAt *time.Time
	Snippet     string // HTML: escaped text with <mark> around matches
}

// Search finds published entries (of the given types; none means all)
// matching what a reader typed, best first.
func (s *Service) Search(ctx context.Context, text string, types []Type, page, perPage int) (Page[Hit], error) {
	q := store.SearchQuery{Text: text, At: s.now(), Offset: (page - 1) * perPage, Limit: perPage}
	for _, t := range types {
		q.Types = append(q.Types, string(t))
	}
	rows, total, err := s.Store.Read(ctx).Search(q)
	if err != nil {
		return Page[Hit]{}, err
	}
	hits := make([]Hit, len(rows))
	for i, r := range rows {
		hits[i] = Hit{Type: Type(r.Type), ID: r.ID, Slug: r.Slug, Title: r.Title, Excerpt: r.Excerpt, PublishedAt: r.PublishedAt, Snippet: r.Snippet}
	}
	return Page[Hit]{Items: hits, Total: total, Page: page, PerPage: perPage}, nil
}
