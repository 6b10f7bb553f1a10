package content

import (
	"context"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// An entry's working copy is what the admin reads and writes; once the
// entry is live, the public sees its live version instead, which changes
// only when the working copy is published (or discarded, or the entry is
// unpublished). The entries row is the live version; a live entry's
// unpublished changes are kept beside it (store.WorkingCopy) and read in
// its place by the admin and previews (hydrate with working).

// liveAt reports whether the public sees the entry at time now: published,
// or scheduled with its time come, and not in the trash. The same rule as
// the store's visible condition.
func (e Entry) liveAt(now time.Time) bool {
	return rowLiveAt(e.Status, e.PublishedAt, e.TrashedAt, now)
}

func rowLiveAt(st Status, publishedAt, trashedAt *time.Time, now time.Time) bool {
	return trashedAt == nil && publishedAt != nil && !publishedAt.After(now) && (st == Published || st == Scheduled)
}

// liveRow is rowLiveAt for a row.
func liveRow(row store.EntryRow, now time.Time) bool {
	return rowLiveAt(Status(row.Status), row.PublishedAt, row.TrashedAt, now)
}

// withWorking is the live row with the content of its working copy w: the
// workflow columns (status, times, versions) stay the row's.
func withWorking(live store.EntryRow, w store.WorkingCopy) store.EntryRow {
	out := w.Row
	out.ID, out.Type, out.EntryID = live.ID, live.Type, live.ID
	out.Status, out.PublishedAt, out.TrashedAt = live.Status, live.PublishedAt, live.TrashedAt
	out.Version, out.LiveVersion = live.Version, live.LiveVersion
	out.CreatedAt, out.FirstPublishedAt = live.CreatedAt, live.FirstPublishedAt
	out.UpdatedAt, out.UpdatedBy = w.UpdatedAt, w.UpdatedBy
	return out
}

// entryTags are a working copy's tags as the store lists an entry's.
func entryTags(id int64, tags []store.TagRow) []store.EntryTag {
	out := make([]store.EntryTag, len(tags))
	for i, t := range tags {
		out[i] = store.EntryTag{EntryID: id, Slug: t.Slug, Name: t.Name}
	}
	return out
}

// publishChanges makes the working copy of the live entry live live: the
// same checks as a first publication, a new version that is the live one,
// the old slug kept as an alias, one updated event (with the previous
// address when it moved). Without unpublished changes it does nothing.
func (s *Service) publishChanges(tx *store.Tx, actor auth.Principal, k *Spec, live store.EntryRow) error {
	w, ok, err := tx.WorkingCopy(live.ID)
	if err != nil || !ok {
		return err
	}
	row := withWorking(live, w)
	cur, err := hydrate(tx.Reader, []store.EntryRow{row}, true)
	if err != nil {
		return err
	}
	f := cur[0].Fields
	if err := checkMediaRefs(tx, k, f); err != nil { // an item may have been deleted since the save
		return err
	}
	if err := requireAlt(tx, k, f); err != nil {
		return err
	}
	if err := keepOldSlug(tx, live, row.Slug); err != nil {
		return err
	}
	if row.Status == string(Scheduled) { // its time has come: the job has not flipped it yet
		row.Status = string(Published)
	}
	if row.FirstPublishedAt == nil {
		row.FirstPublishedAt = row.PublishedAt
	}
	v := live.Version + 1
	row.LiveVersion = &v
	row.UpdatedBy = actorID(actor)
	if err := tx.DeleteWorkingCopy(live.ID); err != nil {
		return err
	}
	if err := tx.UpdateEntry(&row, live.Version); err != nil {
		return err
	}
	if err := tx.SetEntryTags(live.ID, w.Tags); err != nil {
		return err
	}
	if err := trackMedia(tx, k, live.ID, f); err != nil {
		return err
	}
	details := map[string]any{"from": live.Status, "changes": true, "live_version": live.LiveVersion, "slug": row.Slug}
	if live.Slug != row.Slug {
		details["previous_slug"] = live.Slug
	}
	if err := s.record(tx, actor, &live, row, string(ActionPublish), details); err != nil {
		return err
	}
	return markWentLive(tx, row.ID, tx.Now())
}

// markWentLive records on the newest revision of entry id, the one its
// change just stored, that its state went live at.
func markWentLive(tx *store.Tx, id int64, at time.Time) error {
	rev, err := tx.LatestRevision(id)
	if err != nil {
		return err
	}
	return tx.MarkWentLive(rev.ID, at)
}

// foldWorking makes the working copy of the entry in row (if it has one)
// the entry itself, as the entry leaves the public (unpublish, archive):
// its content, tags and media, and the old slug kept as an alias. It
// returns the row to write.
func (s *Service) foldWorking(tx *store.Tx, k *Spec, row store.EntryRow) (store.EntryRow, error) {
	w, ok, err := tx.WorkingCopy(row.ID)
	if err != nil || !ok {
		return row, err
	}
	next := withWorking(row, w)
	cur, err := hydrate(tx.Reader, []store.EntryRow{next}, true)
	if err != nil {
		return row, err
	}
	if err := keepOldSlug(tx, row, next.Slug); err != nil {
		return row, err
	}
	if err := tx.DeleteWorkingCopy(row.ID); err != nil {
		return row, err
	}
	if err := tx.SetEntryTags(row.ID, w.Tags); err != nil {
		return row, err
	}
	return next, trackMedia(tx, k, row.ID, cur[0].Fields)
}

// Discard drops the unpublished changes of a live entry: its working copy
// becomes its live version again, as a new version with a revision saying
// so; the public sees no change. An entry that is not live, or has no
// unpublished changes, has nothing to go back to: invalid_transition.
func (s *Service) Discard(ctx context.Context, actor auth.Principal, t Type, id int64) (Entry, error) {
	k, err := specOf(t)
	if err != nil {
		return Entry{}, err
	}
	now := s.now()
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		live, err := entryFor(tx, actor, k.Perms.Publish, t, id)
		if err != nil {
			return err
		}
		if live.TrashedAt != nil {
			return errInTrash(k)
		}
		if !liveRow(live, now) {
			return errs.Newf(errs.Conflict, "invalid_transition", "Cannot discard the changes of a %s that is not live: there is no live version to go back to.", k.Noun).
				With("status", live.Status)
		}
		_, ok, err := tx.WorkingCopy(id)
		if err != nil {
			return err
		}
		if !ok {
			return errs.Newf(errs.Conflict, "invalid_transition", "This %s has no unpublished changes to discard.", k.Noun).
				With("status", live.Status)
		}
		if err := tx.DeleteWorkingCopy(id); err != nil {
			return err
		}
		if err := tx.BumpVersion(live.Type, id, live.Version); err != nil {
			return err
		}
		f, err := fieldsOf(tx.Reader, live)
		if err != nil {
			return err
		}
		if err := trackMedia(tx, k, id, f); err != nil {
			return err
		}
		row := live
		row.Version++
		if err := addRevision(tx, actor, row, "discard"); err != nil {
			return err
		}
		return audit(tx, actor, t, "discard", id, map[string]any{"version": row.Version, "live_version": live.LiveVersion})
	})
	if err != nil {
		return Entry{}, err
	}
	return s.load(ctx, t, id)
}
