package store

import (
	"time"

	"github.com/folio-cms/folio/pkg/errs"
)

// Media returns one media item.
func (r Reader) Media(id int64) (MediaRow, error) {
	var row MediaRow
	return row, translate(r.db.Where("id = ?", id).Take(&row).Error)
}

// MediaBySHA returns the item holding the file with this sha256.
func (r Reader) MediaBySHA(sha string) (MediaRow, error) {
	var row MediaRow
	return row, translate(r.db.Where("sha256 = ?", sha).Take(&row).Error)
}

// MediaByIDs returns the media items with these ids, by id.
func (r Reader) MediaByIDs(ids []int64) (map[int64]MediaRow, error) {
	out := make(map[int64]MediaRow, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []MediaRow
	if err := r.db.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, m := range rows {
		out[m.ID] = m
	}
	return out, nil
}

// MediaIDsBySHA maps file hashes to the media items holding them.
func (r Reader) MediaIDsBySHA(shas []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(shas) == 0 {
		return out, nil
	}
	var rows []MediaRow
	if err := r.db.Select("id", "sha256").Where("sha256 IN ?", shas).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, m := range rows {
		out[m.SHA256] = m.ID
	}
	return out, nil
}

// MediaFilter selects media items.
type MediaFilter struct {
	Q      string // in the file name, alt text or caption
	Type   string // image or document; empty: both
	Offset int
	Limit  int
}

// MediaList returns a page of media items, newest first, and the total.
func (r Reader) MediaList(f MediaFilter) ([]MediaRow, int64, error) {
	q := r.db.Model(&MediaRow{})
	if f.Q != "" {
		like := "%" + escapeLike(f.Q) + "%"
		op := r.like()
		q = q.Where(`filename `+op+` ? ESCAPE '\' OR alt `+op+` ? ESCAPE '\' OR caption `+op+` ? ESCAPE '\'`, like, like, like)
	}
	if f.Type != "" {
		q = q.Where("kind = ?", f.Type)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var rows []MediaRow
	err := q.Order("created_at DESC, id DESC").Offset(f.Offset).Limit(f.Limit).Find(&rows).Error
	return rows, total, translate(err)
}

// MediaUses lists where a media item is used, with each entry's type and title.
func (r Reader) MediaUses(mediaID int64) ([]MediaUse, error) {
	var uses []MediaUse
	err := r.db.Raw(`SELECT u.media_id, u.entry_id, u.field, e.type AS entry_type, e.title
		FROM media_uses u JOIN entries e ON e.id = u.entry_id WHERE u.media_id = ? ORDER BY u.entry_id, u.field`, mediaID).Scan(&uses).Error
	return uses, translate(err)
}

// InsertMedia stores a new media item.
func (tx *Tx) InsertMedia(row *MediaRow) error {
	row.ID = 0
	row.CreatedAt, row.UpdatedAt = tx.now, tx.now
	return translate(tx.db.Create(row).Error)
}

// UpdateMediaText changes a media item's alt text and caption.
func (tx *Tx) UpdateMediaText(id int64, alt, caption string) error {
	res := tx.db.Model(&MediaRow{}).Where("id = ?", id).Updates(map[string]any{"alt": alt, "caption": caption, "updated_at": tx.now})
	if res.Error == nil && res.RowsAffected == 0 {
		return errs.NotFoundf("No media item with that id.")
	}
	return translate(res.Error)
}

// DeleteMedia removes a media item (its uses go with it).
func (tx *Tx) DeleteMedia(id int64) error {
	res := tx.db.Where("id = ?", id).Delete(&MediaRow{})
	if res.Error == nil && res.RowsAffected == 0 {
		return errs.NotFoundf("No media item with that id.")
	}
	return translate(res.Error)
}

// SetMediaUses replaces the recorded media uses of an entry.
func (tx *Tx) SetMediaUses(entryID int64, uses []MediaUse) error {
	if err := tx.db.Exec(`DELETE FROM media_uses WHERE entry_id = ?`, entryID).Error; err != nil {
		return translate(err)
	}
	for _, u := range uses {
		if err := tx.db.Exec(`INSERT INTO media_uses (media_id, entry_id, field) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, u.MediaID, entryID, u.Field).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

// MediaCleanupRow says that the objects under Keys may exist without a
// media item holding SHA256, and are to be deleted from NotBefore on
// unless one holds it by then (see the migration "media files to clean up").
type MediaCleanupRow struct {
	ID           int64
	Kind         string // CleanupUpload or CleanupDelete
	SHA256       string `gorm:"column:sha256"`
	Keys         string // JSON list of storage keys
	NotBefore    time.Time
	ClaimedUntil *time.Time
	Attempts     int
	LastError    string
	CreatedAt    time.Time
}

// TableName tells GORM the table.
func (MediaCleanupRow) TableName() string { return "media_cleanup" }

// The kinds of MediaCleanupRow.
const (
	CleanupUpload = "upload" // an upload's files, before its item is recorded
	CleanupDelete = "delete" // a deleted item's files
)

// InsertMediaCleanup records files to clean up.
func (tx *Tx) InsertMediaCleanup(row *MediaCleanupRow) error {
	row.ID = 0
	row.CreatedAt = tx.now
	return translate(tx.db.Create(row).Error)
}

// DeleteMediaCleanup forgets files to clean up: done, or taken over by an
// item.
func (tx *Tx) DeleteMediaCleanup(id int64) error {
	return translate(tx.db.Exec(`DELETE FROM media_cleanup WHERE id = ?`, id).Error)
}

// ClaimMediaCleanup claims a due row until the given time, unless another
// process holds a live claim on it. It reports whether it did.
func (tx *Tx) ClaimMediaCleanup(id int64, until time.Time) (bool, error) {
	res := tx.db.Exec(`UPDATE media_cleanup SET claimed_until = ?, attempts = attempts + 1
		WHERE id = ? AND not_before <= ? AND (claimed_until IS NULL OR claimed_until <= ?)`, until, id, tx.now, tx.now)
	return res.RowsAffected == 1, translate(res.Error)
}

// PostponeMediaCleanup gives up a claim and sets when to try again, with
// why the last try failed.
func (tx *Tx) PostponeMediaCleanup(id int64, notBefore time.Time, lastError string) error {
	return translate(tx.db.Exec(`UPDATE media_cleanup SET claimed_until = NULL, not_before = ?, last_error = ? WHERE id = ?`,
		notBefore, lastError, id).Error)
}

// MediaCleanupClaimed reports whether a row for sha other than except is
// under a live claim at now: its files are being deleted right now.
func (r Reader) MediaCleanupClaimed(sha string, except int64, now time.Time) (bool, error) {
	var n int64
	err := r.db.Raw(`SELECT COUNT(*) FROM media_cleanup WHERE sha256 = ? AND id <> ? AND claimed_until > ?`, sha, except, now).Scan(&n).Error
	return n > 0, translate(err)
}

// MediaUploadsUnderWay reports whether an upload of sha other than except
// is under way at now: it has recorded its files, and not given up.
func (r Reader) MediaUploadsUnderWay(sha string, except int64, now time.Time) (bool, error) {
	var n int64
	err := r.db.Raw(`SELECT COUNT(*) FROM media_cleanup WHERE sha256 = ? AND id <> ? AND kind = ? AND not_before > ?`,
		sha, except, CleanupUpload, now).Scan(&n).Error
	return n > 0, translate(err)
}

// DueMediaCleanups returns up to limit rows due at now and not under a
// live claim, the oldest first.
func (r Reader) DueMediaCleanups(now time.Time, limit int) ([]MediaCleanupRow, error) {
	var rows []MediaCleanupRow
	err := r.db.Where("not_before <= ? AND (claimed_until IS NULL OR claimed_until <= ?)", now, now).
		Order("not_before, id").Limit(limit).Find(&rows).Error
	return rows, translate(err)
}

// MediaCleanups returns every row, the oldest first, for `folio doctor`.
func (r Reader) MediaCleanups() ([]MediaCleanupRow, error) {
	var rows []MediaCleanupRow
	return rows, translate(r.db.Order("not_before, id").Find(&rows).Error)
}

// MediaCleanup returns one row of media_cleanup.
func (r Reader) MediaCleanup(id int64) (MediaCleanupRow, error) {
	var row MediaCleanupRow
	return row, translate(r.db.Where("id = ?", id).Take(&row).Error)
}
