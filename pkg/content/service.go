package content

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/slug"
	"github.com/folio-cms/folio/pkg/store"
)

// Service runs the editorial workflow for posts and case studies. Every
// change is one short write transaction; Markdown is rendered before it.
type Service struct {
	Store *store.Store
	Now   func() time.Time // the clock; tests inject their own
}

// New returns a Service on st using the real clock.
func New(st *store.Store) *Service {
	return &Service{Store: st, Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC() }

// kind holds what differs between the entry types in the shared workflow:
// the permissions each step needs.
type kind struct {
	read, create, update, delete, submit, publish auth.Permission
	noun                                          string
}

var kinds = map[Type]kind{
	Post: {auth.PermPostRead, auth.PermPostCreate, auth.PermPostUpdate, auth.PermPostDelete,
		auth.PermPostSubmit, auth.PermPostPublish, "post"},
	CaseStudy: {auth.PermCaseStudyRead, auth.PermCaseStudyCreate, auth.PermCaseStudyUpdate, auth.PermCaseStudyDelete,
		auth.PermCaseStudySubmit, auth.PermCaseStudyPublish, "case study"},
}

func kindOf(t Type) (kind, error) {
	k, ok := kinds[t]
	if !ok {
		return kind{}, fmt.Errorf("content: unknown type %q", t)
	}
	return k, nil
}

// Input is what an editor sends to create or replace an entry.
type Input struct {
	Fields Fields
	// AuthorID sets a post's author (editors and admins only); nil keeps the
	// current author, or makes the creator the author of a new entry.
	AuthorID *int64
}

var errForbidden = errs.New(errs.Forbidden, "forbidden", "You are not allowed to do this.")

// authorize checks that actor may use perm on the entry in row (nil for a
// new entry). Scope "own" covers entries the actor wrote that are not yet
// published or scheduled: authors edit their drafts, not live content.
func authorize(actor auth.Principal, perm auth.Permission, row *store.EntryRow) error {
	switch actor.Scope(perm) {
	case auth.ScopeAny:
		return nil
	case auth.ScopeOwn:
		if row == nil {
			return nil
		}
		own := row.AuthorID != nil && *row.AuthorID == actor.ID
		if own && slices.Contains(authorEditable, Status(row.Status)) {
			return nil
		}
	}
	return errForbidden
}

// authorEditable are the statuses in which an author may still change their own entry.
var authorEditable = []Status{Draft}

// Create validates, renders and stores a new draft.
func (s *Service) Create(ctx context.Context, actor auth.Principal, t Type, in Input) (Entry, error) {
	k, err := kindOf(t)
	if err != nil {
		return Entry{}, err
	}
	if err := authorize(actor, k.create, nil); err != nil {
		return Entry{}, err
	}
	f, d, err := prepare(t, in.Fields)
	if err != nil {
		return Entry{}, err
	}
	row := store.EntryRow{Status: string(Draft)}
	if actor.ID != 0 {
		row.AuthorID = &actor.ID
	}
	var id int64
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		if err := s.setAuthor(tx, actor, k, &row, in.AuthorID); err != nil {
			return err
		}
		if err := s.claimSlug(ctx, tx, t, &f, 0); err != nil {
			return err
		}
		if err := toRow(&row, t, f, d); err != nil {
			return err
		}
		if err := tx.InsertEntry(&row); err != nil {
			return err
		}
		id = row.ID
		if err := tx.SetEntryTags(row.ID, tagRows(f.Tags)); err != nil {
			return err
		}
		return audit(tx, actor, t, "create", row.ID, map[string]any{"slug": row.Slug, "version": row.Version})
	})
	if err != nil {
		return Entry{}, err
	}
	return s.load(ctx, t, id)
}

// audit records an action on an entry, in the transaction that did it.
func audit(tx *store.Tx, actor auth.Principal, t Type, verb string, id int64, details any) error {
	return tx.AddAudit(actor.Audit(string(t)+"."+verb, string(t), id, details))
}

// Update replaces the editable fields of an entry, if base is still its
// version; otherwise it fails with a Conflict that names the current version.
func (s *Service) Update(ctx context.Context, actor auth.Principal, t Type, id int64, base int, in Input) (Entry, error) {
	k, err := kindOf(t)
	if err != nil {
		return Entry{}, err
	}
	f, d, err := prepare(t, in.Fields)
	if err != nil {
		return Entry{}, err
	}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.Entry(string(t), id)
		if err != nil {
			return err
		}
		if err := authorize(actor, k.update, &row); err != nil {
			return err
		}
		if row.Version != base {
			return staleVersion(row)
		}
		if err := s.setAuthor(tx, actor, k, &row, in.AuthorID); err != nil {
			return err
		}
		if f.Slug == "" {
			f.Slug = row.Slug // a PUT without a slug keeps the current one
		}
		if err := s.claimSlug(ctx, tx, t, &f, id); err != nil {
			return err
		}
		if err := toRow(&row, t, f, d); err != nil {
			return err
		}
		if err := tx.UpdateEntry(&row, base); err != nil {
			return err
		}
		if err := tx.SetEntryTags(id, tagRows(f.Tags)); err != nil {
			return err
		}
		return audit(tx, actor, t, "update", id, map[string]any{"version": row.Version})
	})
	if err != nil {
		return Entry{}, err
	}
	return s.load(ctx, t, id)
}

// staleVersion is the Conflict for a write based on an old version.
func staleVersion(row store.EntryRow) error {
	return (&errs.Error{
		Kind: errs.Conflict, Code: "conflict",
		Message: fmt.Sprintf("Someone else saved this in the meantime: the current version is %d. Reload it and apply your changes again.", row.Version),
		Details: []errs.Detail{{Field: "version", Message: fmt.Sprintf("the current version is %d", row.Version)}},
	}).With("current_version", row.Version).With("updated_at", row.UpdatedAt)
}

// Delete removes an entry.
func (s *Service) Delete(ctx context.Context, actor auth.Principal, t Type, id int64) error {
	k, err := kindOf(t)
	if err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.Entry(string(t), id)
		if err != nil {
			return err
		}
		if err := authorize(actor, k.delete, &row); err != nil {
			return err
		}
		if err := tx.DeleteEntry(string(t), id); err != nil {
			return err
		}
		return audit(tx, actor, t, "delete", id, map[string]any{"slug": row.Slug})
	})
}

// Check reports whether fields are valid for an entry of type t, without
// storing anything (an import checks every file before writing any).
func Check(t Type, fields Fields) error {
	if _, err := kindOf(t); err != nil {
		return err
	}
	normalize(t, &fields)
	return validate(t, fields)
}

// prepare normalizes, validates and renders the fields of an entry.
func prepare(t Type, in Fields) (Fields, Derived, error) {
	f := in
	normalize(t, &f)
	if err := validate(t, f); err != nil {
		return Fields{}, Derived{}, err
	}
	d, err := derive(t, f)
	return f, d, err
}

// setAuthor applies a requested author change: only for callers who may
// edit every entry of the type, and only to an existing user.
func (s *Service) setAuthor(tx *store.Tx, actor auth.Principal, k kind, row *store.EntryRow, authorID *int64) error {
	if authorID == nil || (row.AuthorID != nil && *row.AuthorID == *authorID) {
		return nil
	}
	if actor.Scope(k.update) != auth.ScopeAny {
		return errs.New(errs.Forbidden, "forbidden", "You are not allowed to change the author.")
	}
	if _, err := tx.User(*authorID); store.IsNotFound(err) {
		return errs.Validationf("author_id", "no user has id %d", *authorID)
	} else if err != nil {
		return err
	}
	row.AuthorID = authorID
	return nil
}

// claimSlug checks a given slug is free for type t, or derives a free one
// from the title (adding -2, -3, … on a clash).
func (s *Service) claimSlug(ctx context.Context, tx *store.Tx, t Type, f *Fields, id int64) error {
	taken := func(_ context.Context, candidate string) (bool, error) {
		return tx.SlugTaken(string(t), candidate, id)
	}
	if f.Slug != "" {
		used, err := taken(ctx, f.Slug)
		if err != nil {
			return err
		}
		if used {
			return errs.Validationf("slug", "is already used by another %s", kinds[t].noun)
		}
		return nil
	}
	base := slug.Make(f.Title)
	if base == "" {
		base = string(t)
		if t == CaseStudy {
			base = "case-study"
		}
	}
	var err error
	f.Slug, err = slug.Unique(ctx, base, taken)
	return err
}

func tagRows(names []string) []store.TagRow {
	rows := make([]store.TagRow, 0, len(names))
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		s := slug.Make(n)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		rows = append(rows, store.TagRow{Slug: s, Name: n})
	}
	return rows
}
