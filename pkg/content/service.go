package content

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/slug"
	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/webhook"
)

// Service runs the editorial workflow for every entry type. Every
// change is one short write transaction that also records a revision and an
// audit entry; Markdown is rendered before it.
type Service struct {
	Store     *store.Store
	Now       func() time.Time // the clock; tests inject their own
	MediaURLs library.URLs     // where the media library's files are served, for pictures
	Links     Links            // public addresses, for webhook payloads
	// Events queues webhook events in the transaction of each change; nil
	// queues them too, without waking a dispatcher.
	Events *webhook.Outbox
	// SearchLimits bound the cost of full-text searches.
	SearchLimits SearchLimits

	searchOnce sync.Once
	searchWork chan searchJob
	searchBusy chan struct{} // one token per search in flight, Slots of them

	wakeOnce sync.Once
	wake     chan struct{} // wakes Jobs.Run when the schedule changes
}

// New returns a Service on st using the real clock.
func New(st *store.Store) *Service {
	return &Service{Store: st, Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC() }

// Input is what an editor sends to create or change an entry.
type Input struct {
	Fields Fields
	// AuthorID sets a post's author (editors and admins only); nil keeps the
	// current author, or makes the creator the author of a new entry.
	AuthorID *int64
	// Autosave marks a save the editor made on its own while the user typed:
	// the same user's autosaves within AutosaveWindow fold into one revision.
	Autosave bool
}

// authorize checks, with auth's one check, that actor may use perm on the
// entry in row (nil: no entry in particular, such as a new one or a list).
// Scope "own" covers entries the actor wrote that are still being written
// or reviewed: authors edit their drafts, not live content.
func authorize(actor auth.Principal, perm auth.Permission, row *store.EntryRow) error {
	return auth.Check(actor, perm, entryRecord(row))
}

// entryRecord is what the permission check knows of an entry: its author,
// and whether the author may still change it alone.
func entryRecord(row *store.EntryRow) auth.Record {
	if row == nil {
		return auth.NoRecord
	}
	return auth.Record{Owner: row.AuthorID, Closed: !slices.Contains(authorEditable, Status(row.Status))}
}

// entryFor reads the entry a change is about, in the change's transaction,
// and checks that actor may use perm on it.
func entryFor(tx *store.Tx, actor auth.Principal, perm auth.Permission, t Type, id int64) (store.EntryRow, error) {
	row, err := tx.Entry(string(t), id)
	if store.IsNotFound(err) {
		return row, errNotFound(t)
	}
	if err != nil {
		return row, err
	}
	return row, authorize(actor, perm, &row)
}

// authorEditable are the statuses in which an author may still change their own entry.
var authorEditable = []Status{Draft, InReview}

// Create validates, renders and stores a new draft.
func (s *Service) Create(ctx context.Context, actor auth.Principal, t Type, in Input) (Entry, error) {
	k, err := specOf(t)
	if err != nil {
		return Entry{}, err
	}
	if err := authorize(actor, k.Perms.Create, nil); err != nil {
		return Entry{}, err
	}
	f, d, err := prepare(k, in.Fields)
	if err != nil {
		return Entry{}, err
	}
	row := store.EntryRow{Status: string(Draft), UpdatedBy: actorID(actor)}
	row.AuthorID = actorID(actor)
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		if err := setAuthor(tx, actor, k, &row, in.AuthorID); err != nil {
			return err
		}
		if err := claimSlug(ctx, tx, t, &f, 0); err != nil {
			return err
		}
		if err := k.checkIn(tx, 0, f); err != nil {
			return err
		}
		if err := checkMediaRefs(tx, k, f); err != nil {
			return err
		}
		if err := toRow(&row, t, f, d); err != nil {
			return err
		}
		if err := tx.InsertEntry(&row); err != nil {
			return err
		}
		if err := tx.SetEntryTags(row.ID, tagRows(f.Tags)); err != nil {
			return err
		}
		if err := trackMedia(tx, k, row.ID, f); err != nil {
			return err
		}
		return s.record(tx, actor, nil, row, "create", map[string]any{"slug": row.Slug})
	})
	if err != nil {
		return Entry{}, err
	}
	return s.load(ctx, t, row.ID)
}

// Update replaces the editable fields of an entry if base is still its
// version; otherwise it fails with a Conflict naming the current version,
// who saved it and when. The version goes up by one and a revision is
// stored (an autosave may fold into the user's last autosave revision).
func (s *Service) Update(ctx context.Context, actor auth.Principal, t Type, id int64, base int, in Input) (Entry, error) {
	kind := "save"
	if in.Autosave {
		kind = "autosave"
	}
	return s.save(ctx, actor, t, id, &base, in, kind, nil)
}

// save is the one path every change of editable fields takes: PUT, PATCH
// and restoring a revision. base nil means "whatever is current".
func (s *Service) save(ctx context.Context, actor auth.Principal, t Type, id int64, base *int, in Input, kind string, details map[string]any) (Entry, error) {
	k, err := specOf(t)
	if err != nil {
		return Entry{}, err
	}
	f, d, err := prepare(k, in.Fields)
	if err != nil {
		return Entry{}, err
	}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := entryFor(tx, actor, k.Perms.Update, t, id)
		if err != nil {
			return err
		}
		if base != nil && row.Version != *base {
			return staleVersion(tx, row)
		}
		if row.TrashedAt != nil {
			return errInTrash(k)
		}
		before := row
		if err := setAuthor(tx, actor, k, &row, in.AuthorID); err != nil {
			return err
		}
		if f.Slug == "" {
			f.Slug = row.Slug // a save without a slug keeps the current one
		}
		// A save that changes nothing (Save pressed twice, a restore of the
		// current text) stores nothing: no version, no revision, no event.
		if same, err := unchanged(tx, before, row.AuthorID, f); err != nil || same {
			return err
		}
		if err := claimSlug(ctx, tx, t, &f, id); err != nil {
			return err
		}
		if err := k.checkIn(tx, id, f); err != nil {
			return err
		}
		if err := keepOldSlug(tx, row, f.Slug); err != nil {
			return err
		}
		if err := checkMediaRefs(tx, k, f); err != nil {
			return err
		}
		if public(Status(row.Status)) {
			if err := requireAlt(tx, k, f); err != nil {
				return err
			}
		}
		if err := toRow(&row, t, f, d); err != nil {
			return err
		}
		row.UpdatedBy = actorID(actor)
		if err := tx.UpdateEntry(&row, row.Version); err != nil {
			return err
		}
		if err := tx.SetEntryTags(id, tagRows(f.Tags)); err != nil {
			return err
		}
		if err := trackMedia(tx, k, id, f); err != nil {
			return err
		}
		return s.record(tx, actor, &before, row, kind, details)
	})
	if err != nil {
		return Entry{}, err
	}
	return s.load(ctx, t, id)
}

// unchanged reports whether saving fields f with author authorID would
// store exactly what row holds: the same snapshot a revision would take.
func unchanged(tx *store.Tx, row store.EntryRow, authorID *int64, f Fields) (bool, error) {
	cur, err := hydrate(tx.Reader, []store.EntryRow{row})
	if err != nil {
		return false, err
	}
	prev := snapshotOf(cur[0])
	next := prev
	next.Fields, next.AuthorID = f, authorID
	return len(diff(prev, next)) == 0, nil
}

// public reports whether entries of status s are (or will be, at their
// time) shown to the public, and so must meet publishing's rules.
func public(s Status) bool { return s == Published || s == Scheduled }

// keepOldSlug keeps the old slug of an entry that was ever published
// working as an alias, and drops an alias the entry takes back.
func keepOldSlug(tx *store.Tx, row store.EntryRow, newSlug string) error {
	if newSlug == row.Slug {
		return nil
	}
	if err := tx.RemoveSlugAlias(row.Type, newSlug, row.ID); err != nil {
		return err
	}
	if row.FirstPublishedAt == nil {
		return nil
	}
	return tx.AddSlugAlias(row.Type, row.Slug, row.ID)
}

// staleVersion is the Conflict for a write based on an old version: it says
// which version is current, who saved it and when.
func staleVersion(tx *store.Tx, row store.EntryRow) error {
	by := "someone"
	var byJSON map[string]any
	if row.UpdatedBy != nil {
		if u, err := tx.User(*row.UpdatedBy); err == nil {
			by = u.Name
			byJSON = map[string]any{"id": u.ID, "name": u.Name}
		}
	}
	at := row.UpdatedAt.UTC()
	msg := fmt.Sprintf("the current version is %d, saved by %s at %s", row.Version, by, at.Format(time.RFC3339))
	return (&errs.Error{
		Kind: errs.Conflict, Code: "conflict",
		Message: "Someone else saved this in the meantime: " + msg + ". Nothing was overwritten; reload it and apply your changes again.",
		Details: []errs.Detail{{Field: "version", Message: msg}},
	}).With("current_version", row.Version).With("updated_at", at).With("updated_by", byJSON)
}

func errInTrash(k *Spec) error {
	return errs.Newf(errs.Conflict, "in_trash", "This %s is in the trash: restore it first.", k.Noun).With("status", "trashed")
}

// record stores the revision, the audit entry and the webhook event of a
// change of an entry from before (nil for a new one) to row, in the
// transaction that made it.
func (s *Service) record(tx *store.Tx, actor auth.Principal, before *store.EntryRow, row store.EntryRow, kind string, details map[string]any) error {
	if err := addRevision(tx, actor, row, kind); err != nil {
		return err
	}
	if err := s.announce(tx, before, row); err != nil {
		return err
	}
	if details == nil {
		details = map[string]any{}
	}
	details["version"] = row.Version
	verb := kind
	if kind == "save" || kind == "autosave" {
		verb = "update"
	}
	return audit(tx, actor, Type(row.Type), verb, row.ID, details)
}

// audit records an action on an entry, in the transaction that did it.
func audit(tx *store.Tx, actor auth.Principal, t Type, verb string, id int64, details any) error {
	return auth.Audit(tx, actor, string(t)+"."+verb, string(t), id, details)
}

func actorID(actor auth.Principal) *int64 {
	if actor.ID == 0 {
		return nil
	}
	id := actor.ID
	return &id
}

// Check reports whether fields are valid for an entry of type t, without
// storing anything (an import checks every file before writing any).
func Check(t Type, fields Fields) error {
	k, err := specOf(t)
	if err != nil {
		return err
	}
	normalize(k, &fields)
	return validate(k, fields)
}

// prepare normalizes, validates and renders the fields of an entry.
func prepare(k *Spec, in Fields) (Fields, Derived, error) {
	f := in
	normalize(k, &f)
	if err := validate(k, f); err != nil {
		return Fields{}, Derived{}, err
	}
	d, err := derive(k, f)
	return f, d, err
}

// setAuthor applies a requested author change: only for callers who may
// edit every entry of the type, and only to an existing user.
func setAuthor(tx *store.Tx, actor auth.Principal, k *Spec, row *store.EntryRow, authorID *int64) error {
	if authorID == nil || (row.AuthorID != nil && *row.AuthorID == *authorID) {
		return nil
	}
	if !auth.Allowed(actor, k.Perms.Update, auth.Record{}) { // every entry's, not only their own
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

// claimSlug checks a given slug is free for type t (not another entry's
// slug or old slug), or derives a free one from the title (adding -2, -3, …
// on a clash).
func claimSlug(ctx context.Context, tx *store.Tx, t Type, f *Fields, id int64) error {
	reserved := specs[t].ReservedSlugs
	taken := func(_ context.Context, candidate string) (bool, error) {
		if slices.Contains(reserved, candidate) {
			return true, nil
		}
		return tx.SlugTaken(string(t), candidate, id)
	}
	if slices.Contains(reserved, f.Slug) {
		return errs.Validationf("slug", "is reserved: the API answers something else at this address")
	}
	if f.Slug != "" {
		used, err := taken(ctx, f.Slug)
		if err != nil {
			return err
		}
		if used {
			return errs.Validationf("slug", "is already used by another %s (now or as an earlier address)", nounOf(t))
		}
		return nil
	}
	base := slug.Make(f.Title)
	if base == "" {
		base = specs[t].SlugBase
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
