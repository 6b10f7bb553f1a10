package store

import "time"

// LatestRevision returns the newest revision of an entry.
func (r Reader) LatestRevision(entryID int64) (RevisionRow, error) {
	var row RevisionRow
	return row, translate(r.db.Where("entry_id = ?", entryID).Order("id DESC").Take(&row).Error)
}

// Revision returns one revision of an entry.
func (r Reader) Revision(entryID, id int64) (RevisionRow, error) {
	var row RevisionRow
	return row, translate(r.db.Where("entry_id = ? AND id = ?", entryID, id).Take(&row).Error)
}

// Revisions returns a page of an entry's revisions, newest first, without
// their snapshots, and how many there are.
func (r Reader) Revisions(entryID int64, offset, limit int) ([]RevisionRow, int64, error) {
	q := r.db.Model(&RevisionRow{}).Where("entry_id = ?", entryID)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var rows []RevisionRow
	err := q.Omit("snapshot").Order("id DESC").Offset(offset).Limit(limit).Find(&rows).Error
	return rows, total, translate(err)
}

// InsertRevision stores a new revision.
func (tx *Tx) InsertRevision(row *RevisionRow) error {
	row.ID = 0
	row.CreatedAt, row.UpdatedAt = tx.now, tx.now
	return translate(tx.db.Create(row).Error)
}

// UpdateRevision rewrites a revision (an autosave folding into the last).
func (tx *Tx) UpdateRevision(row *RevisionRow) error {
	row.UpdatedAt = tx.now
	return translate(tx.db.Model(&RevisionRow{}).Where("id = ?", row.ID).
		Select("version", "user_id", "changed", "snapshot", "updated_at").Updates(row).Error)
}

// PruneRevisions deletes revisions created before a time, except each
// entry's newest keep revisions, and says how many it deleted.
func (tx *Tx) PruneRevisions(before time.Time, keep int) (int64, error) {
	res := tx.db.Exec(`DELETE FROM revisions WHERE created_at < ? AND id NOT IN (
		SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY id DESC) AS n FROM revisions) AS ranked WHERE n <= ?)`,
		before, keep)
	return res.RowsAffected, translate(res.Error)
}
