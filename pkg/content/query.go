package content

import (
	"context"
	"slices"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// Query selects a page of entries. The HTTP layer has validated its values;
// Sort must be a key of store.SortKeys.
type Query struct {
	Statuses   []Status // admin only
	Q          string   // admin only: title contains
	Tags       []string // tag slugs, any of
	Author     string   // author slug
	Featured   *bool
	Industry   string
	Technology string
	After      *time.Time
	Before     *time.Time
	Sort       string
	Page       int
	PerPage    int
}

func (q Query) filter(t Type) store.EntryFilter {
	f := store.EntryFilter{
		Type: string(t), TitleLike: q.Q, TagSlugs: q.Tags, AuthorSlug: q.Author, Featured: q.Featured,
		Industry: q.Industry, Technology: q.Technology, After: q.After, Before: q.Before, Sort: q.Sort,
		Offset: (q.Page - 1) * q.PerPage, Limit: q.PerPage,
	}
	for _, st := range q.Statuses {
		f.Statuses = append(f.Statuses, string(st))
	}
	return f
}

// Get returns one entry for the admin.
func (s *Service) Get(ctx context.Context, actor auth.Principal, t Type, id int64) (Entry, error) {
	k, err := kindOf(t)
	if err != nil {
		return Entry{}, err
	}
	if !auth.Can(actor.Role, k.read) {
		return Entry{}, errForbidden
	}
	return s.load(ctx, t, id)
}

// List returns a page of entries of any status for the admin.
func (s *Service) List(ctx context.Context, actor auth.Principal, t Type, q Query) (Page[Entry], error) {
	k, err := kindOf(t)
	if err != nil {
		return Page[Entry]{}, err
	}
	if !auth.Can(actor.Role, k.read) {
		return Page[Entry]{}, errForbidden
	}
	if q.Sort == "" {
		q.Sort = "-updated_at"
	}
	return s.list(ctx, q.filter(t), q)
}

// Published returns the entry of type t with the given slug if the public
// may see it now; otherwise NotFound, whether it is a draft or absent. With
// preview (a preview token asked for it) any status is shown.
func (s *Service) Published(ctx context.Context, t Type, slug string, preview bool) (Entry, error) {
	r := s.Store.Read(ctx)
	var row store.EntryRow
	var err error
	if preview {
		row, err = r.EntryBySlug(string(t), slug)
	} else {
		row, err = r.VisibleEntryBySlug(string(t), slug, s.now())
	}
	if store.IsNotFound(err) {
		return Entry{}, errNotFound(t)
	}
	if err != nil {
		return Entry{}, err
	}
	entries, err := hydrate(r, []store.EntryRow{row})
	if err != nil {
		return Entry{}, err
	}
	return entries[0], nil
}

// ListPublished returns a page of the entries of type t the public may see
// now; with preview, of every entry of the type.
func (s *Service) ListPublished(ctx context.Context, t Type, q Query, preview bool) (Page[Entry], error) {
	q.Statuses, q.Q = nil, ""
	f := q.filter(t)
	if !preview {
		now := s.now()
		f.VisibleAt = &now
	}
	return s.list(ctx, f, q)
}

func (s *Service) list(ctx context.Context, f store.EntryFilter, q Query) (Page[Entry], error) {
	r := s.Store.Read(ctx)
	rows, total, err := r.Entries(f)
	if err != nil {
		return Page[Entry]{}, err
	}
	items, err := hydrate(r, rows)
	if err != nil {
		return Page[Entry]{}, err
	}
	return Page[Entry]{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// Tags returns every tag with its number of published posts.
func (s *Service) Tags(ctx context.Context) ([]TagCount, error) {
	rows, err := s.Store.Read(ctx).TagCounts(s.now())
	if err != nil {
		return nil, err
	}
	out := make([]TagCount, len(rows))
	for i, r := range rows {
		out[i] = TagCount{Tag: Tag{Slug: r.Slug, Name: r.Name}, PostCount: r.PostCount}
	}
	return out, nil
}

// load reads one entry with its tags and author from the read pool.
func (s *Service) load(ctx context.Context, t Type, id int64) (Entry, error) {
	r := s.Store.Read(ctx)
	row, err := r.Entry(string(t), id)
	if store.IsNotFound(err) {
		return Entry{}, errNotFound(t)
	}
	if err != nil {
		return Entry{}, err
	}
	entries, err := hydrate(r, []store.EntryRow{row})
	if err != nil {
		return Entry{}, err
	}
	return entries[0], nil
}

// hydrate converts rows and attaches their tags and authors, with one query
// for each, however many rows there are.
func hydrate(r store.Reader, rows []store.EntryRow) ([]Entry, error) {
	ids := make([]int64, 0, len(rows))
	var authorIDs []int64
	for _, row := range rows {
		ids = append(ids, row.ID)
		if row.AuthorID != nil && !slices.Contains(authorIDs, *row.AuthorID) {
			authorIDs = append(authorIDs, *row.AuthorID)
		}
	}
	tags, err := r.EntryTags(ids)
	if err != nil {
		return nil, err
	}
	users, err := r.UsersByID(authorIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(rows))
	for i, row := range rows {
		e, err := fromRow(row)
		if err != nil {
			return nil, err
		}
		e.Tags = make([]Tag, 0, len(tags[row.ID]))
		for _, t := range tags[row.ID] {
			e.Tags = append(e.Tags, Tag{Slug: t.Slug, Name: t.Name})
			e.Fields.Tags = append(e.Fields.Tags, t.Name)
		}
		if row.AuthorID != nil {
			if u, ok := users[*row.AuthorID]; ok {
				e.Author = &Author{ID: u.ID, Name: u.Name, Slug: u.Slug, Email: u.Email}
			}
		}
		out[i] = e
	}
	return out, nil
}

func errNotFound(t Type) error {
	return errs.NotFoundf("No %s with that id or slug.", kinds[t].noun)
}
