package store

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
