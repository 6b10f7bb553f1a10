package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/folio-cms/folio/pkg/errs"
)

// A published entry's row in entries is its live version: every public
// query reads it and only it. What the admin edits once the entry is live
// is its working copy, kept beside it in working_copies while it differs
// from the live version: the entry's row and body as a save would have
// written them, and its tags.

// WorkingCopy is the unpublished state of a live entry.
type WorkingCopy struct {
	// Row is the entry as the working copy has it, with its body. Its
	// workflow columns (status, times, versions) are the live row's: the
	// working copy holds content only.
	Row       EntryRow
	Tags      []TagRow
	UpdatedAt time.Time
	UpdatedBy *int64
}

// workingCopyRow is a row of working_copies.
type workingCopyRow struct {
	EntryID   int64 `gorm:"primaryKey;autoIncrement:false"`
	Slug      string
	State     string // JSON of workingState
	UpdatedAt time.Time
	UpdatedBy *int64
}

func (workingCopyRow) TableName() string { return "working_copies" }

// workingState is the JSON of working_copies.state. Its shape is this
// package's: content columns by their Go names, the body, the tags.
type workingState struct {
	Row  EntryRow
	Body BodyRow
	Tags []TagRow
}

// WorkingCopies returns the working copies of the given entries that have
// one, by entry id.
func (r Reader) WorkingCopies(ids []int64) (map[int64]WorkingCopy, error) {
	out := map[int64]WorkingCopy{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []workingCopyRow
	if err := r.db.Where("entry_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, w := range rows {
		var st workingState
		if err := json.Unmarshal([]byte(w.State), &st); err != nil {
			return nil, fmt.Errorf("store: working copy of entry %d: %w", w.EntryID, err)
		}
		st.Row.BodyRow = st.Body
		st.Row.ID, st.Row.EntryID = w.EntryID, w.EntryID
		out[w.EntryID] = WorkingCopy{Row: st.Row, Tags: st.Tags, UpdatedAt: w.UpdatedAt, UpdatedBy: w.UpdatedBy}
	}
	return out, nil
}

// WorkingCopy returns the working copy of one entry; ok is false when it
// has none (its working copy is its live version).
func (r Reader) WorkingCopy(id int64) (WorkingCopy, bool, error) {
	m, err := r.WorkingCopies([]int64{id})
	w, ok := m[id]
	return w, ok, err
}

// SaveWorkingCopy stores row (with its body) and tags as the working copy
// of the live entry row.ID if the entry's version is still base, and moves
// the entry to version base+1. The entry's other columns, which the public
// reads, are not touched: not even updated_at.
func (tx *Tx) SaveWorkingCopy(row *EntryRow, tags []TagRow, base int) error {
	if err := tx.BumpVersion(row.Type, row.ID, base); err != nil {
		return err
	}
	row.Version, row.UpdatedAt, row.EntryID = base+1, tx.now, row.ID
	st := workingState{Row: *row, Body: row.BodyRow, Tags: tags}
	st.Row.BodyRow = BodyRow{}
	state, err := json.Marshal(st)
	if err != nil {
		return err
	}
	w := workingCopyRow{EntryID: row.ID, Slug: row.Slug, State: string(state), UpdatedAt: tx.now, UpdatedBy: row.UpdatedBy}
	return translate(tx.db.Exec(`INSERT INTO working_copies (entry_id, slug, state, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (entry_id) DO UPDATE SET slug = excluded.slug, state = excluded.state,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		w.EntryID, w.Slug, w.State, w.UpdatedAt, w.UpdatedBy).Error)
}

// DeleteWorkingCopy drops an entry's working copy (it went live, was
// discarded, or became the entry itself); none is no error.
func (tx *Tx) DeleteWorkingCopy(id int64) error {
	return translate(tx.db.Exec(`DELETE FROM working_copies WHERE entry_id = ?`, id).Error)
}

// BumpVersion moves an entry from version base to base+1 and changes
// nothing else; another version is a Conflict.
func (tx *Tx) BumpVersion(typ string, id int64, base int) error {
	res := tx.db.Exec(`UPDATE entries SET version = version + 1 WHERE id = ? AND type = ? AND version = ?`, id, typ, base)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		cur, err := tx.Entry(typ, id)
		if err != nil {
			return err
		}
		return errs.New(errs.Conflict, "conflict", "The record was changed by someone else.").With("current_version", cur.Version)
	}
	return nil
}

// MarkWentLive records that the state revision revID holds went live at.
func (tx *Tx) MarkWentLive(revID int64, at time.Time) error {
	return translate(tx.db.Exec(`UPDATE revisions SET went_live_at = ? WHERE id = ?`, at, revID).Error)
}
