package store

import (
	"time"

	"github.com/folio-cms/folio/pkg/errs"
)

// Session returns a session by id.
func (r Reader) Session(id string) (SessionRow, error) {
	var row SessionRow
	return row, translate(r.db.Where("id = ?", id).Take(&row).Error)
}

// RefreshToken returns a refresh token by its hash.
func (r Reader) RefreshToken(hash string) (RefreshTokenRow, error) {
	var row RefreshTokenRow
	return row, translate(r.db.Where("hash = ?", hash).Take(&row).Error)
}

// InsertSession stores a new session.
func (tx *Tx) InsertSession(row *SessionRow) error {
	row.CreatedAt, row.LastUsedAt = tx.now, tx.now
	return translate(tx.db.Create(row).Error)
}

// TouchSession records that a session was just used.
func (tx *Tx) TouchSession(id string) error {
	return translate(tx.db.Model(&SessionRow{}).Where("id = ?", id).Update("last_used_at", tx.now).Error)
}

// InsertRefreshToken stores a new refresh token (its hash).
func (tx *Tx) InsertRefreshToken(row *RefreshTokenRow) error {
	row.CreatedAt = tx.now
	return translate(tx.db.Create(row).Error)
}

// UseRefreshToken marks a refresh token as rotated, if it was not already:
// it reports false when someone else used it first.
func (tx *Tx) UseRefreshToken(hash string) (bool, error) {
	res := tx.db.Model(&RefreshTokenRow{}).Where("hash = ? AND used_at IS NULL", hash).Update("used_at", tx.now)
	return res.RowsAffected == 1, translate(res.Error)
}

// RevokeSession ends one session.
func (tx *Tx) RevokeSession(id string) error {
	return translate(tx.db.Model(&SessionRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", tx.now).Error)
}

// RevokeUserSessions ends every session of a user.
func (tx *Tx) RevokeUserSessions(userID int64) error {
	return translate(tx.db.Model(&SessionRow{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", tx.now).Error)
}

// LoginFailures counts failed sign-ins for an email and from an IP since a time.
func (r Reader) LoginFailures(email, ip string, since time.Time) (byEmail, byIP int64, err error) {
	if err = r.db.Table("login_failures").Where("email = ? AND at > ?", email, since).Count(&byEmail).Error; err != nil {
		return 0, 0, translate(err)
	}
	err = r.db.Table("login_failures").Where("ip = ? AND at > ?", ip, since).Count(&byIP).Error
	return byEmail, byIP, translate(err)
}

// NthLatestFailure returns the time of the n-th most recent failure (1 is
// the latest) for an email (column "email") or an IP (column "ip") since a
// time, or nil when there are fewer.
func (r Reader) NthLatestFailure(column, value string, n int, since time.Time) (*time.Time, error) {
	if column != "email" && column != "ip" {
		return nil, errs.Newf(errs.Internal, "internal", "store: no failure column %q", column)
	}
	var at []time.Time
	err := r.db.Table("login_failures").Where(column+" = ? AND at > ?", value, since).
		Order("at DESC").Offset(n-1).Limit(1).Pluck("at", &at).Error
	if err != nil || len(at) == 0 {
		return nil, translate(err)
	}
	return &at[0], nil
}

// AddLoginFailure records one failed (or not yet checked) sign-in; it also
// forgets failures older than before.
func (tx *Tx) AddLoginFailure(email, ip string, before time.Time) error {
	if err := tx.db.Exec(`DELETE FROM login_failures WHERE at < ?`, before).Error; err != nil {
		return translate(err)
	}
	return translate(tx.db.Exec(`INSERT INTO login_failures (email, ip, at) VALUES (?, ?, ?)`, email, ip, tx.now).Error)
}

// ClearLoginFailures forgets the failures of an email (after a good sign-in).
func (tx *Tx) ClearLoginFailures(email string) error {
	return translate(tx.db.Exec(`DELETE FROM login_failures WHERE email = ?`, email).Error)
}
