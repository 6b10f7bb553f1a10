package store

import (
	"time"

	"github.com/folio-cms/folio/pkg/errs"
)

// APITokens lists the API tokens, newest first.
func (r Reader) APITokens() ([]APITokenRow, error) {
	var rows []APITokenRow
	return rows, translate(r.db.Order("id DESC").Find(&rows).Error)
}

// APITokenByHash finds an API token by the SHA-256 hash of its secret.
func (r Reader) APITokenByHash(hash string) (APITokenRow, error) {
	var row APITokenRow
	return row, translate(r.db.Where("hash = ?", hash).Take(&row).Error)
}

// InsertAPIToken stores a new API token.
func (tx *Tx) InsertAPIToken(row *APITokenRow) error {
	row.CreatedAt = tx.now
	return translate(tx.db.Create(row).Error)
}

// DeleteAPIToken revokes an API token.
func (tx *Tx) DeleteAPIToken(id int64) (APITokenRow, error) {
	var row APITokenRow
	if err := tx.db.Where("id = ?", id).Take(&row).Error; err != nil {
		return row, translate(err)
	}
	if err := tx.db.Delete(&APITokenRow{}, id).Error; err != nil {
		return row, translate(err)
	}
	return row, nil
}

// TouchAPIToken records when an API token was last used.
func (tx *Tx) TouchAPIToken(id int64, at time.Time) error {
	res := tx.db.Model(&APITokenRow{}).Where("id = ?", id).Update("last_used_at", at)
	if res.Error == nil && res.RowsAffected == 0 {
		return errs.NotFoundf("No API token with that id.")
	}
	return translate(res.Error)
}
