package store

import "time"

// SiteSettingRow is one site setting: its key and its value as JSON.
type SiteSettingRow struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

// TableName tells GORM the table.
func (SiteSettingRow) TableName() string { return "site_settings" }

// SiteSettings returns every site setting that is set, by key.
func (r Reader) SiteSettings() (map[string]SiteSettingRow, error) {
	var rows []SiteSettingRow
	if err := r.db.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[string]SiteSettingRow, len(rows))
	for _, row := range rows {
		out[row.Key] = row
	}
	return out, nil
}

// SetSiteSetting stores the JSON value of the setting key; an empty value
// unsets it.
func (tx *Tx) SetSiteSetting(key, value string) error {
	if value == "" {
		return translate(tx.db.Exec(`DELETE FROM site_settings WHERE key = ?`, key).Error)
	}
	return translate(tx.db.Exec(`INSERT INTO site_settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, tx.now).Error)
}
