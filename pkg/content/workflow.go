package content

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// Action is a step of the workflow, e.g. publish.
type Action string

// The actions.
const (
	ActionSubmit     Action = "submit"
	ActionPublish    Action = "publish"
	ActionSchedule   Action = "schedule"
	ActionUnschedule Action = "unschedule"
	ActionUnpublish  Action = "unpublish"
	ActionArchive    Action = "archive"
)

// transition is one row of THE transition table, shared by posts and case
// studies: from which statuses an action may start, where it leads, and
// which of the type's permissions it needs.
type transition struct {
	from []Status
	to   Status
	perm func(Perms) auth.Permission
}

func submitPerm(p Perms) auth.Permission  { return p.Submit }
func publishPerm(p Perms) auth.Permission { return p.Publish }

var transitions = map[Action]transition{
	ActionSubmit:     {from: []Status{Draft}, to: InReview, perm: submitPerm},
	ActionPublish:    {from: []Status{Draft, InReview, Scheduled}, to: Published, perm: publishPerm},
	ActionSchedule:   {from: []Status{Draft, InReview}, to: Scheduled, perm: publishPerm},
	ActionUnschedule: {from: []Status{Scheduled}, to: Draft, perm: publishPerm},
	ActionUnpublish:  {from: []Status{Published, Archived}, to: Draft, perm: publishPerm},
	ActionArchive:    {from: []Status{Published}, to: Archived, perm: publishPerm},
}

// ActionPerm returns the permission action a needs on entries of type t.
func ActionPerm(t Type, a Action) auth.Permission {
	return transitions[a].perm(specs[t].Perms)
}

// Actions lists every action.
var Actions = []Action{ActionSubmit, ActionPublish, ActionSchedule, ActionUnschedule, ActionUnpublish, ActionArchive}

// ActionOptions carries what some actions take.
type ActionOptions struct {
	// PublishedAt backdates a publication (publish); nil means now.
	PublishedAt *time.Time
	// PublishAt is when a scheduled entry goes live (schedule; required).
	PublishAt *time.Time
}

// Apply performs a workflow action on an entry and returns it updated: one
// more version, a revision and an audit entry.
func (s *Service) Apply(ctx context.Context, actor auth.Principal, t Type, id int64, a Action, opt ActionOptions) (Entry, error) {
	k, err := specOf(t)
	if err != nil {
		return Entry{}, err
	}
	tr, ok := transitions[a]
	if !ok {
		return Entry{}, fmt.Errorf("content: unknown action %q", a)
	}
	now := s.now()
	switch {
	case opt.PublishedAt != nil && opt.PublishedAt.After(now):
		return Entry{}, errs.Validationf("published_at", "must not be in the future: schedule the %s instead", k.Noun)
	case a == ActionSchedule && opt.PublishAt == nil:
		return Entry{}, errs.Validationf("publish_at", "is required: when should the %s go live?", k.Noun)
	case a == ActionSchedule && !opt.PublishAt.Truncate(time.Second).After(now):
		return Entry{}, errs.Validationf("publish_at", "must be in the future")
	}
	details := map[string]any{}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := entryFor(tx, actor, tr.perm(k.Perms), t, id)
		if err != nil {
			return err
		}
		if row.TrashedAt != nil {
			return errInTrash(k)
		}
		if a == ActionPublish && liveRow(row, now) {
			// Its unpublished changes, if any: without, nothing happens
			// (a 200, though allowed_actions lists publish only with changes).
			return s.publishChanges(tx, actor, k, row)
		}
		if !slices.Contains(tr.from, Status(row.Status)) {
			return errs.Newf(errs.Conflict, "invalid_transition", "Cannot %s a %s whose status is %s.", a, k.Noun, row.Status).
				With("status", row.Status)
		}
		if public(tr.to) {
			cur, err := fromRow(row)
			if err != nil {
				return err
			}
			if err := requireAlt(tx, k, cur.Fields); err != nil {
				return err
			}
		}
		details["from"] = row.Status
		before := row
		if !public(tr.to) {
			// Leaving the public: the working copy becomes the entry, so
			// nothing written is lost.
			if row, err = s.foldWorking(tx, k, row); err != nil {
				return err
			}
		}
		row.Status = string(tr.to)
		switch tr.to {
		case Published:
			at := now.Truncate(time.Second)
			if opt.PublishedAt != nil {
				at = opt.PublishedAt.UTC().Truncate(time.Second)
			}
			row.PublishedAt = &at
			if row.FirstPublishedAt == nil {
				row.FirstPublishedAt = &at
			}
		case Scheduled:
			at := opt.PublishAt.UTC().Truncate(time.Second)
			row.PublishedAt = &at
			details["publish_at"] = at
		case Draft, InReview:
			row.PublishedAt = nil
		}
		if public(tr.to) {
			v := row.Version + 1
			row.LiveVersion = &v
		} else {
			row.LiveVersion = nil
		}
		row.UpdatedBy = actorID(actor)
		if err := tx.UpdateEntry(&row, row.Version); err != nil {
			return err
		}
		if err := s.record(tx, actor, &before, row, string(a), details); err != nil {
			return err
		}
		if tr.to == Published {
			return markWentLive(tx, row.ID, tx.Now())
		}
		return nil
	})
	if err != nil {
		return Entry{}, err
	}
	if tr.to == Scheduled {
		s.wakeJobs()
	}
	return s.load(ctx, t, id)
}

// Trash moves an entry to the trash: hidden from the public and from the
// default admin lists, its slug still reserved, restorable with its status.
func (s *Service) Trash(ctx context.Context, actor auth.Principal, t Type, id int64) (Entry, error) {
	return s.trash(ctx, actor, t, id, true)
}

// Untrash brings an entry back from the trash with the status it had.
func (s *Service) Untrash(ctx context.Context, actor auth.Principal, t Type, id int64) (Entry, error) {
	return s.trash(ctx, actor, t, id, false)
}

func (s *Service) trash(ctx context.Context, actor auth.Principal, t Type, id int64, into bool) (Entry, error) {
	k, err := specOf(t)
	if err != nil {
		return Entry{}, err
	}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := entryFor(tx, actor, k.Perms.Delete, t, id)
		if err != nil {
			return err
		}
		if (row.TrashedAt != nil) == into {
			if into {
				return errInTrash(k)
			}
			return errs.Newf(errs.Conflict, "not_in_trash", "This %s is not in the trash.", k.Noun).With("status", row.Status)
		}
		kind, before := "untrash", row
		row.TrashedAt = nil
		if into {
			now := tx.Now()
			row.TrashedAt, kind = &now, "trash"
		}
		row.UpdatedBy = actorID(actor)
		if err := tx.UpdateEntry(&row, row.Version); err != nil {
			return err
		}
		return s.record(tx, actor, &before, row, kind, map[string]any{"slug": row.Slug})
	})
	if err != nil {
		return Entry{}, err
	}
	if !into {
		s.wakeJobs() // it may be a scheduled entry again
	}
	return s.load(ctx, t, id)
}

// Purge deletes an entry for good, with its revisions and old slugs
// (admins only).
func (s *Service) Purge(ctx context.Context, actor auth.Principal, t Type, id int64) error {
	k, err := specOf(t)
	if err != nil {
		return err
	}
	if !auth.Allowed(actor, auth.PermContentPurge, auth.Record{}) {
		return errs.New(errs.Forbidden, "forbidden", "Only admins can delete permanently; move it to the trash instead.")
	}
	return s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.Entry(string(t), id)
		if store.IsNotFound(err) {
			return errNotFound(t)
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteEntry(string(t), id); err != nil {
			return err
		}
		if err := s.announcePurge(tx, row); err != nil {
			return err
		}
		return audit(tx, actor, t, "purge", id, map[string]any{"slug": row.Slug, "title": row.Title, "noun": k.Noun})
	})
}

// PublishDue turns every scheduled entry whose time has come into a
// published one, recording the scheduled and the actual time. Reads already
// show such entries from their time on; this makes the status say so (and
// is where events fire). It is safe to run in several processes at once:
// each entry is flipped by a conditional UPDATE, so exactly one succeeds.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	due, err := s.Store.Read(ctx).DueScheduled(s.now())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range due {
		err := s.Store.Write(ctx, func(tx *store.Tx) error {
			ok, err := tx.PublishDue(d.ID)
			if err != nil || !ok {
				return err
			}
			n++
			row, err := tx.Entry(d.Type, d.ID)
			if err != nil {
				return err
			}
			before := row
			before.Status = string(Scheduled)
			err = s.record(tx, auth.System, &before, row, "publish", map[string]any{
				"from": "scheduled", "scheduled_for": d.PublishedAt, "published_at": tx.Now(), "by": "schedule",
			})
			if err != nil {
				return err
			}
			return markWentLive(tx, row.ID, *d.PublishedAt) // the read path showed it from then on
		})
		if err != nil {
			return n, fmt.Errorf("publish scheduled %s %d: %w", d.Type, d.ID, err)
		}
	}
	return n, nil
}

// PurgeTrash deletes the entries that have been in the trash longer than
// keep, recording each in the audit log.
func (s *Service) PurgeTrash(ctx context.Context, keep time.Duration) (int, error) {
	old, err := s.Store.Read(ctx).TrashedBefore(s.now().Add(-keep))
	if err != nil {
		return 0, err
	}
	for i, row := range old {
		err := s.Store.Write(ctx, func(tx *store.Tx) error {
			if err := tx.DeleteEntry(row.Type, row.ID); err != nil {
				if store.IsNotFound(err) {
					return nil // another process purged it
				}
				return err
			}
			return audit(tx, auth.System, Type(row.Type), "purge", row.ID, map[string]any{"slug": row.Slug, "trashed_at": row.TrashedAt, "by": "trash retention"})
		})
		if err != nil {
			return i, err
		}
	}
	return len(old), nil
}

// PruneRevisions deletes revisions older than keepDays days, but never an
// entry's newest keepLatest revisions, and says how many went.
func (s *Service) PruneRevisions(ctx context.Context, keepDays, keepLatest int) (int64, error) {
	var n int64
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.PruneRevisions(tx.Now().AddDate(0, 0, -keepDays), keepLatest)
		if err != nil || n == 0 {
			return err
		}
		return auth.Audit(tx, auth.System, "revision.prune", "revision", 0, map[string]any{
			"deleted": n, "older_than_days": keepDays, "kept_latest": keepLatest,
		})
	})
	return n, err
}
