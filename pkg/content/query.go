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
	Statuses     []Status // admin only
	Q            string   // admin only: full-text search (short text: title contains)
	Tags         []string // tag slugs, any of
	Author       string   // author slug
	AuthorID     *int64   // admin only: entries by this user
	Featured     *bool
	Industry     string
	Technology   string
	Parent       string // pages: the slug of their parent
	After        *time.Time
	Before       *time.Time
	ChangedAfter *time.Time // updated_after: entries saved after this time
	Unpublished  bool       // admin only: only live entries with unpublished changes
	Where        *Cond      // a condition tree (the Ghost Content API's filter)
	Sort         string
	Page         int
	PerPage      int
	// Full reads each entry's rendered text (html, toc, …) too, which lists
	// leave out unless a caller asks for it (fields=html): one more indexed
	// query for the page, never a render.
	Full bool
}

func (q Query) filter(types ...Type) store.EntryFilter {
	f := store.EntryFilter{
		Search: q.Q, TagSlugs: q.Tags, AuthorSlug: q.Author, AuthorID: q.AuthorID, Featured: q.Featured,
		Industry: q.Industry, Technology: q.Technology, ParentSlug: q.Parent, After: q.After, Before: q.Before, UpdatedAfter: q.ChangedAfter, Unpublished: q.Unpublished, Sort: q.Sort,
		Offset: (q.Page - 1) * q.PerPage, Limit: q.PerPage, Full: q.Full,
	}
	if q.Where != nil {
		w := q.Where.store()
		f.Where = &w
	}
	for _, st := range q.Statuses {
		f.Statuses = append(f.Statuses, string(st))
	}
	for _, t := range types {
		f.Types = append(f.Types, string(t))
	}
	return f
}

// Get returns one entry for the admin.
func (s *Service) Get(ctx context.Context, actor auth.Principal, t Type, id int64) (Entry, error) {
	k, err := specOf(t)
	if err != nil {
		return Entry{}, err
	}
	if err := authorize(actor, k.Perms.Read, nil); err != nil {
		return Entry{}, err
	}
	return s.load(ctx, t, id)
}

// List returns a page of entries of any status for the admin.
func (s *Service) List(ctx context.Context, actor auth.Principal, t Type, q Query) (Page[Entry], error) {
	k, err := specOf(t)
	if err != nil {
		return Page[Entry]{}, err
	}
	if err := authorize(actor, k.Perms.Read, nil); err != nil {
		return Page[Entry]{}, err
	}
	if q.Sort == "" {
		q.Sort = "-updated_at"
	}
	if q.Q != "" {
		// A search: within the same limits as the public one.
		var page Page[Entry]
		err := s.runSearch(ctx, func(ctx context.Context) (err error) {
			page, err = s.list(ctx, q.filter(t), q)
			return err
		})
		return page, err
	}
	return s.list(ctx, q.filter(t), q)
}

// readable returns the types whose entries actor may read in the admin.
func readable(actor auth.Principal) []Type {
	var out []Type
	for _, t := range Types {
		if auth.Allowed(actor, specs[t].Perms.Read, auth.NoRecord) {
			out = append(out, t)
		}
	}
	return out
}

// Scheduled returns what is coming, soonest first: the scheduled entries of
// every type actor may read.
func (s *Service) Scheduled(ctx context.Context, actor auth.Principal, page, perPage int) (Page[Entry], error) {
	if err := authorize(actor, auth.PermSignedIn, nil); err != nil {
		return Page[Entry]{}, err
	}
	q := Query{Statuses: []Status{Scheduled}, Sort: "published_at", Page: page, PerPage: perPage}
	return s.list(ctx, q.filter(readable(actor)...), q)
}

// Trashed returns the entries in the trash of every type actor may read,
// most recently trashed first.
func (s *Service) Trashed(ctx context.Context, actor auth.Principal, page, perPage int) (Page[Entry], error) {
	if err := authorize(actor, auth.PermSignedIn, nil); err != nil {
		return Page[Entry]{}, err
	}
	q := Query{Sort: "-trashed_at", Page: page, PerPage: perPage}
	f := q.filter(readable(actor)...)
	f.Trashed = true
	return s.list(ctx, f, q)
}

// Stats counts the entries of every type actor may read, by status (not in
// the trash) plus "trashed".
func (s *Service) Stats(ctx context.Context, actor auth.Principal) (map[Type]map[string]int, error) {
	if err := authorize(actor, auth.PermSignedIn, nil); err != nil {
		return nil, err
	}
	counts, err := s.Store.Read(ctx).StatusCounts()
	if err != nil {
		return nil, err
	}
	out := map[Type]map[string]int{}
	for _, t := range readable(actor) {
		m := map[string]int{"trashed": 0}
		for _, st := range statuses {
			m[string(st)] = 0
		}
		for k, v := range counts[string(t)] {
			m[k] = v
		}
		out[t] = m
	}
	return out, nil
}

// Moved is returned for a public slug that an entry used to have: the
// entry now lives at Slug.
type Moved struct{ Slug string }

func (m *Moved) Error() string { return "moved to " + m.Slug }

// Published returns the entry of type t with the given slug if the public
// may see it now; otherwise NotFound, whether it is a draft, in the trash
// or absent. With preview (a preview token asked for it) any status but the
// trash is shown. A slug the entry used to have answers *Moved.
func (s *Service) Published(ctx context.Context, t Type, slug string, preview bool) (Entry, error) {
	r := s.Store.Read(ctx)
	row, err := s.visible(r, t, slug, preview)
	if store.IsNotFound(err) {
		return Entry{}, s.movedOrMissing(r, t, slug, preview)
	}
	if err != nil {
		return Entry{}, err
	}
	var at *time.Time
	if !preview {
		now := s.now()
		at = &now
	}
	entries, err := s.hydrateAt(r, []store.EntryRow{row}, at)
	if err != nil {
		return Entry{}, err
	}
	return entries[0], nil
}

// movedOrMissing is the answer for a slug that no entry of type t the
// caller may see has: *Moved when it is an old slug of one they may see,
// otherwise NotFound.
func (s *Service) movedOrMissing(r store.Reader, t Type, slug string, preview bool) error {
	id, err := r.AliasTarget(string(t), slug)
	if err != nil {
		return err
	}
	if id != 0 {
		if target, err := r.Entry(string(t), id); err == nil {
			if _, err := s.visible(r, t, target.Slug, preview); err == nil {
				return &Moved{Slug: target.Slug}
			}
		}
	}
	return errNotFound(t)
}

func (s *Service) visible(r store.Reader, t Type, slug string, preview bool) (store.EntryRow, error) {
	if !preview {
		return r.VisibleEntryBySlug(string(t), slug, s.now())
	}
	row, err := r.EntryBySlug(string(t), slug)
	if store.IsNotFound(err) {
		row, err = r.EntryByWorkingSlug(string(t), slug) // a live entry's new slug, not live yet
	}
	if err == nil && row.TrashedAt != nil {
		return store.EntryRow{}, errNotFound(t)
	}
	return row, err
}

// ListPublished returns a page of the entries of type t the public may see
// now; with preview, of every entry of the type.
func (s *Service) ListPublished(ctx context.Context, t Type, q Query, preview bool) (Page[Entry], error) {
	return s.ListPublishedAny(ctx, []Type{t}, q, preview)
}

func (s *Service) list(ctx context.Context, f store.EntryFilter, q Query) (Page[Entry], error) {
	r := s.Store.Read(ctx)
	rows, total, err := r.Entries(f)
	if err != nil {
		return Page[Entry]{}, err
	}
	items, err := s.hydrateAt(r, rows, f.VisibleAt)
	if err != nil {
		return Page[Entry]{}, err
	}
	return Page[Entry]{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// Related returns up to limit published posts sharing the most tags with
// the published post at slug, then the newest. An old slug of a published
// post answers *Moved, as the post itself does. With preview, the post and
// its related posts may have any status but the trash.
func (s *Service) Related(ctx context.Context, slug string, limit int, preview bool) ([]Entry, error) {
	r := s.Store.Read(ctx)
	post, err := s.visible(r, Post, slug, preview)
	if store.IsNotFound(err) {
		return nil, s.movedOrMissing(r, Post, slug, preview)
	}
	if err != nil {
		return nil, err
	}
	var at *time.Time
	if !preview {
		now := s.now()
		at = &now
	}
	rows, err := r.Related(post.ID, at, limit)
	if err != nil {
		return nil, err
	}
	return s.hydrateAt(r, rows, at)
}

// Latest returns the n newest published posts with their bodies, for feeds.
func (s *Service) Latest(ctx context.Context, t Type, n int) ([]Entry, error) {
	q := Query{Sort: "-published_at", Page: 1, PerPage: n}
	f := q.filter(t)
	now := s.now()
	f.VisibleAt, f.Full = &now, true
	page, err := s.list(ctx, f, q)
	return page.Items, err
}

// SitemapEntry is one public address of the site.
type SitemapEntry struct {
	Type        Type
	Slug        string
	Path        string // pages: /services/backend
	PublishedAt time.Time
	UpdatedAt   time.Time
}

// Sitemap returns every published entry of every type, newest first.
func (s *Service) Sitemap(ctx context.Context) ([]SitemapEntry, error) {
	rd, now := s.Store.Read(ctx), s.now()
	rows, err := rd.Sitemap(now)
	if err != nil {
		return nil, err
	}
	out := make([]SitemapEntry, len(rows))
	for i, r := range rows {
		out[i] = SitemapEntry{Type: Type(r.Type), Slug: r.Slug, PublishedAt: r.PublishedAt, UpdatedAt: r.UpdatedAt}
		if k := specs[Type(r.Type)]; k != nil && k.pathOf != nil {
			if out[i].Path, err = k.pathOf(rd, store.EntryRow{ID: r.ID, Slug: r.Slug, ParentID: r.ParentID}, &now); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Tags returns every tag on a published post, with the number of them;
// with preview, every tag with its posts of any status not in the trash.
func (s *Service) Tags(ctx context.Context, preview bool) ([]TagCount, error) {
	if preview {
		return s.tags(ctx, nil)
	}
	now := s.now()
	return s.tags(ctx, &now)
}

// AllTags returns every tag with its number of posts of any status not in
// the trash, for the admin.
func (s *Service) AllTags(ctx context.Context, actor auth.Principal) ([]TagCount, error) {
	if err := authorize(actor, postSpec.Perms.Read, nil); err != nil {
		return nil, err
	}
	return s.tags(ctx, nil)
}

// tags counts each tag's posts visible at at (nil: of any status).
func (s *Service) tags(ctx context.Context, at *time.Time) ([]TagCount, error) {
	rows, err := s.Store.Read(ctx).TagCounts(at)
	if err != nil {
		return nil, err
	}
	out := make([]TagCount, len(rows))
	for i, r := range rows {
		out[i] = tagCountOf(r)
	}
	return out, nil
}

func tagCountOf(r store.TagCount) TagCount {
	return TagCount{Tag: Tag{ID: r.ID, Slug: r.Slug, Name: r.Name}, Description: r.Description, PostCount: r.PostCount}
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
	entries, err := s.hydrate(r, []store.EntryRow{row})
	if err != nil {
		return Entry{}, err
	}
	return entries[0], nil
}

// hydrate is the package hydrate plus resolved cover images and logos, for
// entries that leave the package.
func (s *Service) hydrate(r store.Reader, rows []store.EntryRow) ([]Entry, error) {
	return s.hydrateAt(r, rows, nil)
}

// hydrateAt is hydrate for what the public sees at time at (nil: the
// admin's view, or a preview): what a type adds from other records is made
// from those the public may see then. The public sees live versions; the
// admin and previews see working copies.
func (s *Service) hydrateAt(r store.Reader, rows []store.EntryRow, at *time.Time) ([]Entry, error) {
	entries, err := hydrate(r, rows, at == nil)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for i := range entries {
		if !entries[i].liveAt(now) {
			entries[i].LiveVersion = nil
		}
	}
	if err := attachAll(r, entries, at); err != nil {
		return nil, err
	}
	for i, e := range entries {
		entries[i].URL = s.Links.URL(e.Type, e.Fields.Slug, e.Path)
	}
	return entries, s.resolvePictures(r, entries)
}

// hydrate converts rows and attaches their tags and authors, with one query
// for each, however many rows there are. With working, an entry that has
// a working copy is read as its working copy (the admin's view); without,
// as the rows hold it (the live version, the public's view).
func hydrate(r store.Reader, rows []store.EntryRow, working bool) ([]Entry, error) {
	ids := make([]int64, 0, len(rows))
	for _, row := range rows {
		ids = append(ids, row.ID)
	}
	tags, err := r.EntryTags(ids)
	if err != nil {
		return nil, err
	}
	var work map[int64]store.WorkingCopy
	if working {
		if work, err = r.WorkingCopies(ids); err != nil {
			return nil, err
		}
		rows = slices.Clone(rows)
		for i, row := range rows {
			if w, ok := work[row.ID]; ok {
				rows[i] = withWorking(row, w)
				tags[row.ID] = entryTags(row.ID, w.Tags)
			}
		}
	}
	var userIDs []int64
	for _, row := range rows {
		for _, u := range []*int64{row.AuthorID, row.UpdatedBy} {
			if u != nil && !slices.Contains(userIDs, *u) {
				userIDs = append(userIDs, *u)
			}
		}
	}
	users, err := r.UsersByID(userIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(rows))
	for i, row := range rows {
		e, err := fromRow(row)
		if err != nil {
			return nil, err
		}
		_, e.HasUnpublishedChanges = work[row.ID]
		e.Tags = make([]Tag, 0, len(tags[row.ID]))
		for _, t := range tags[row.ID] {
			e.Tags = append(e.Tags, Tag{ID: t.TagID, Slug: t.Slug, Name: t.Name})
			e.Fields.Tags = append(e.Fields.Tags, t.Name)
		}
		e.Author, e.UpdatedBy = authorOf(users, row.AuthorID), authorOf(users, row.UpdatedBy)
		out[i] = e
	}
	return out, nil
}

func authorOf(users map[int64]store.UserRow, id *int64) *Author {
	if id == nil {
		return nil
	}
	u, ok := users[*id]
	if !ok {
		return nil
	}
	return &Author{ID: u.ID, Name: u.Name, Slug: u.Slug, Email: u.Email}
}

func errNotFound(t Type) error {
	return errs.NotFoundf("No %s with that id or slug.", nounOf(t))
}

// Redirect is an old address of a visible entry on the public site, and
// where the entry is now.
type Redirect struct {
	Type     Type
	From, To string // site paths, e.g. /blog/old-slug and /blog/new-slug
}

// Redirects lists an old address for every retired slug of an entry the
// public may see now, so a static site can answer them with a 301. Slugs
// of drafts, the trash and unpublished entries are not listed: they would
// tell what is not public.
func (s *Service) Redirects(ctx context.Context) ([]Redirect, error) {
	rd, now := s.Store.Read(ctx), s.now()
	rows, err := rd.Redirects(now)
	if err != nil {
		return nil, err
	}
	out := make([]Redirect, 0, len(rows))
	for _, r := range rows {
		var fromPath, toPath string
		if k := specs[Type(r.Type)]; k != nil && k.pathOf != nil {
			if fromPath, err = k.pathOf(rd, store.EntryRow{ID: r.ID, Slug: r.OldSlug, ParentID: r.ParentID}, &now); err != nil {
				return nil, err
			}
			if toPath, err = k.pathOf(rd, store.EntryRow{ID: r.ID, Slug: r.Slug, ParentID: r.ParentID}, &now); err != nil {
				return nil, err
			}
		}
		from, to := s.Links.Path(Type(r.Type), r.OldSlug, fromPath), s.Links.Path(Type(r.Type), r.Slug, toPath)
		if from == "" || to == "" || from == to {
			continue
		}
		out = append(out, Redirect{Type: Type(r.Type), From: from, To: to})
	}
	return out, nil
}

// Facet is one value of a filter and how many visible entries have it.
type Facet struct {
	Name  string
	Count int64
}

// CaseStudyFacets are the values the case-study filters can take, over
// the case studies the public sees now.
type CaseStudyFacets struct {
	Industries, Technologies, Services []Facet
}

// Facets counts the industries, technologies and services of the visible
// case studies, for a site's filter pages.
func (s *Service) Facets(ctx context.Context) (CaseStudyFacets, error) {
	ind, tech, svc, err := s.Store.Read(ctx).CaseStudyFacets(s.now())
	if err != nil {
		return CaseStudyFacets{}, err
	}
	conv := func(rows []store.FacetCount) []Facet {
		out := make([]Facet, len(rows))
		for i, r := range rows {
			out[i] = Facet{Name: r.Name, Count: r.Count}
		}
		return out
	}
	return CaseStudyFacets{Industries: conv(ind), Technologies: conv(tech), Services: conv(svc)}, nil
}
