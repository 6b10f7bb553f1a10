package store

// AuditFilter selects audit entries.
type AuditFilter struct {
	UserID     *int64
	RecordType string
	RecordID   *int64
	Offset     int
	Limit      int
}

// AddAudit records an audit entry in the transaction of the change it
// describes, so the log and the data cannot disagree.
func (tx *Tx) AddAudit(row AuditRow) error {
	row.ID = 0
	row.CreatedAt = tx.now
	if row.Details == "" {
		row.Details = "{}"
	}
	return translate(tx.db.Create(&row).Error)
}

// Audit returns a page of audit entries, newest first, and the total.
func (r Reader) Audit(f AuditFilter) ([]AuditRow, int64, error) {
	q := r.db.Model(&AuditRow{})
	if f.UserID != nil {
		q = q.Where("user_id = ?", *f.UserID)
	}
	if f.RecordType != "" {
		q = q.Where("record_type = ?", f.RecordType)
	}
	if f.RecordID != nil {
		q = q.Where("record_id = ?", *f.RecordID)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var rows []AuditRow
	err := q.Order("created_at DESC, id DESC").Offset(f.Offset).Limit(f.Limit).Find(&rows).Error
	return rows, total, translate(err)
}
