package content

import (
	"context"
	"reflect"
	"strings"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// Record is an entry as a content file describes it: its fields plus the
// workflow state the file sets directly.
type Record struct {
	Fields      Fields
	Status      Status
	PublishedAt *time.Time
	AuthorID    *int64
}

// Outcome says what Upsert did.
type Outcome string

// Upsert outcomes.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
)

// Upsert stores a record from a content file, matched by slug: a new slug
// creates an entry, a known one is updated only if something differs (so
// importing the same files twice changes nothing). It is for trusted
// callers (the import command), not for the HTTP API: it sets status and
// publication time directly.
func (s *Service) Upsert(ctx context.Context, actor auth.Principal, t Type, rec Record) (Outcome, Entry, error) {
	k, err := specOf(t)
	if err != nil {
		return "", Entry{}, err
	}
	// It writes any entry of the type, status included.
	for _, p := range []auth.Permission{k.Perms.Update, k.Perms.Publish} {
		if err := auth.Check(actor, p, auth.Record{}); err != nil {
			return "", Entry{}, err
		}
	}
	if !ValidStatus(rec.Status) {
		return "", Entry{}, errs.Validationf("status", "must be one of %s", strings.Join(StatusNames(), ", "))
	}
	f, d, err := prepare(k, rec.Fields)
	if err != nil {
		return "", Entry{}, err
	}
	if f.Slug == "" {
		return "", Entry{}, errs.Validationf("slug", "must not be empty in a content file")
	}
	if rec.PublishedAt != nil {
		at := rec.PublishedAt.UTC().Truncate(time.Second)
		rec.PublishedAt = &at
	}
	if rec.Status == Draft || rec.Status == InReview {
		rec.PublishedAt = nil
	} else if rec.PublishedAt == nil {
		at := s.now().Truncate(time.Second)
		rec.PublishedAt = &at
	}
	var outcome Outcome
	var id int64
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.EntryBySlug(string(t), f.Slug)
		var before *store.EntryRow
		switch {
		case store.IsNotFound(err):
			row = store.EntryRow{}
			outcome = Created
		case err != nil:
			return err
		default:
			cur, err := hydrate(tx.Reader, []store.EntryRow{row}, false)
			if err != nil {
				return err
			}
			if sameRecord(cur[0], f, rec) {
				outcome, id = Unchanged, row.ID
				return nil
			}
			outcome = Updated
			prev := row
			before = &prev
		}
		row.Status = string(rec.Status)
		row.PublishedAt = rec.PublishedAt
		if rec.Status == Published && row.FirstPublishedAt == nil {
			row.FirstPublishedAt = rec.PublishedAt
		}
		row.AuthorID = rec.AuthorID
		row.UpdatedBy = actorID(actor)
		if err := k.checkIn(tx, row.ID, f); err != nil {
			return err
		}
		if err := toRow(&row, t, f, d); err != nil {
			return err
		}
		row.LiveVersion = nil
		if public(rec.Status) {
			v := row.Version + 1 // InsertEntry makes a new row version 1
			if outcome == Created {
				v = 1
			}
			row.LiveVersion = &v
		}
		if outcome == Created {
			err = tx.InsertEntry(&row)
		} else {
			err = tx.UpdateEntry(&row, row.Version)
		}
		if err != nil {
			return err
		}
		id = row.ID
		if err := tx.SetEntryTags(row.ID, tagRows(f.Tags)); err != nil {
			return err
		}
		if err := trackMedia(tx, k, row.ID, f); err != nil {
			return err
		}
		return s.record(tx, actor, before, row, "import", map[string]any{"outcome": outcome})
	})
	if err != nil {
		return "", Entry{}, err
	}
	e, err := s.load(ctx, t, id)
	return outcome, e, err
}

// sameRecord reports whether the stored entry already holds rec.
func sameRecord(cur Entry, f Fields, rec Record) bool {
	var curAuthor *int64
	if cur.Author != nil {
		curAuthor = &cur.Author.ID
	}
	return cur.Status == rec.Status && equalTime(cur.PublishedAt, rec.PublishedAt) &&
		equalID(curAuthor, rec.AuthorID) && reflect.DeepEqual(canonical(cur.Fields), canonical(f))
}

// canonical makes empty and nil slices equal, as the database does.
func canonical(f Fields) Fields {
	if len(f.Tags) == 0 {
		f.Tags = nil
	}
	if len(f.Services) == 0 {
		f.Services = nil
	}
	if len(f.Technologies) == 0 {
		f.Technologies = nil
	}
	if len(f.Metrics) == 0 {
		f.Metrics = nil
	}
	return f
}

func equalTime(a, b *time.Time) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b))
}

func equalID(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// All returns every entry of type t with all its fields, by id, for export:
// a live entry as its live version (its working copy is Working's), so that
// importing the export never publishes unpublished changes.
func (s *Service) All(ctx context.Context, t Type) ([]Entry, error) {
	r := s.Store.Read(ctx)
	rows, err := r.AllEntries(string(t))
	if err != nil {
		return nil, err
	}
	entries, err := hydrate(r, rows, false)
	if err != nil {
		return nil, err
	}
	if err := attachAll(r, entries, nil); err != nil {
		return nil, err
	}
	return entries, s.resolvePictures(r, entries)
}

// Working returns the working copies of the live entries of type t that
// have unpublished changes, by id, for export (All has their live
// versions).
func (s *Service) Working(ctx context.Context, t Type) ([]Entry, error) {
	r := s.Store.Read(ctx)
	rows, err := r.AllEntries(string(t))
	if err != nil {
		return nil, err
	}
	entries, err := s.hydrate(r, rows)
	if err != nil {
		return nil, err
	}
	out := entries[:0]
	for _, e := range entries {
		if e.HasUnpublishedChanges {
			out = append(out, e)
		}
	}
	return out, nil
}

// ImportWorkingCopy stores fields (and author) as the working copy of the
// live entry id, as a save would (an import of an export's working copy):
// equal to the live version, it leaves none. An entry that is not live has
// no working copy apart from itself: a validation error.
func (s *Service) ImportWorkingCopy(ctx context.Context, actor auth.Principal, t Type, id int64, fields Fields, authorID *int64) (Entry, error) {
	k, err := specOf(t)
	if err != nil {
		return Entry{}, err
	}
	if err := authorize(actor, k.Perms.Update, nil); err != nil {
		return Entry{}, err
	}
	cur, err := s.load(ctx, t, id)
	if err != nil {
		return Entry{}, err
	}
	if !cur.liveAt(s.now()) {
		return Entry{}, errs.Validationf("working_copy_of", "the %s is not live: a working copy is only kept beside a live version", k.Noun)
	}
	return s.save(ctx, actor, t, id, nil, Input{Fields: fields, AuthorID: authorID}, "import", map[string]any{"working_copy": true})
}
