package store

import "github.com/folio-cms/folio/pkg/errs"

// User returns the user with the given id.
func (r Reader) User(id int64) (UserRow, error) {
	var row UserRow
	return row, translate(r.db.Where("id = ?", id).Take(&row).Error)
}

// UserByEmail returns the user with the given (lower-case) email.
func (r Reader) UserByEmail(email string) (UserRow, error) {
	var row UserRow
	return row, translate(r.db.Where("email = ?", email).Take(&row).Error)
}

// UsersByID returns the users with the given ids, by id.
func (r Reader) UsersByID(ids []int64) (map[int64]UserRow, error) {
	out := make(map[int64]UserRow, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []UserRow
	if err := r.db.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, u := range rows {
		out[u.ID] = u
	}
	return out, nil
}

// CountUsers returns how many users exist.
func (r Reader) CountUsers() (int64, error) {
	var n int64
	return n, translate(r.db.Model(&UserRow{}).Count(&n).Error)
}

// UserSlugTaken reports whether a user other than exceptID has slug.
func (r Reader) UserSlugTaken(slug string, exceptID int64) (bool, error) {
	var n int64
	err := r.db.Model(&UserRow{}).Where("slug = ? AND id <> ?", slug, exceptID).Count(&n).Error
	return n > 0, translate(err)
}

// InsertUser stores a new user and sets its id and timestamps.
func (tx *Tx) InsertUser(row *UserRow) error {
	row.ID = 0
	row.CreatedAt, row.UpdatedAt = tx.now, tx.now
	return translate(tx.db.Create(row).Error)
}

// Users returns a page of users ordered by email, optionally only those
// whose email or name contains q, and how many match in all.
func (r Reader) Users(q string, offset, limit int) ([]UserRow, int64, error) {
	db := r.db.Model(&UserRow{})
	if q != "" {
		like := "%" + escapeLike(q) + "%"
		db = db.Where(`email `+r.like()+` ? ESCAPE '\' OR name `+r.like()+` ? ESCAPE '\'`, like, like)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var rows []UserRow
	err := db.Order("email").Offset(offset).Limit(limit).Find(&rows).Error
	return rows, total, translate(err)
}

// ActiveAdminsExcept counts enabled admins other than the user id.
func (r Reader) ActiveAdminsExcept(id int64) (int64, error) {
	var n int64
	err := r.db.Model(&UserRow{}).Where("role = 'admin' AND disabled = FALSE AND id <> ?", id).Count(&n).Error
	return n, translate(err)
}

// UpdateUser writes every column of row but its id and creation time.
func (tx *Tx) UpdateUser(row *UserRow) error {
	row.UpdatedAt = tx.now
	res := tx.db.Model(&UserRow{}).Where("id = ?", row.ID).Select("*").Omit("id", "created_at").Updates(row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return errs.NotFoundf("No user with that id.")
	}
	return nil
}

// DeleteUser removes a user; their sessions go with them and their entries
// keep going without an author.
func (tx *Tx) DeleteUser(id int64) error {
	res := tx.db.Where("id = ?", id).Delete(&UserRow{})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return errs.NotFoundf("No user with that id.")
	}
	return nil
}
