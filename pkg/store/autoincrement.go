package store

import (
	"fmt"
	"regexp"
	"strings"

	"gorm.io/gorm"
)

// SQLite hands out max(rowid)+1, so after the newest row of a table is
// deleted its id comes back for the next row: a purged post's id went to
// the next post, and the audit log, webhook consumers and caches keyed on
// it saw two records under one id. A table declared AUTOINCREMENT never
// hands out an id twice (its high-water mark lives in sqlite_sequence), but
// SQLite can only declare that when a table is created, so this step
// rebuilds the tables whose ids clients see or keep.

// idTables are those tables, each with the SQL of every place its ids are
// recorded besides the table itself: rows deleted before this step left
// their ids there, and none of those may be handed out again either. Each
// expression gives one number (NULL when there is none).
var idTables = []struct {
	table string
	seen  []string
}{
	{"users", []string{
		`SELECT MAX(user_id) FROM audit_log`,
		`SELECT MAX(record_id) FROM audit_log WHERE record_type = 'user'`,
		`SELECT MAX(author_id) FROM entries`,
		`SELECT MAX(updated_by) FROM entries`,
		`SELECT MAX(user_id) FROM revisions`,
		`SELECT MAX(created_by) FROM api_tokens`,
		`SELECT MAX(uploaded_by) FROM media`,
		`SELECT MAX(created_by) FROM webhooks`,
	}},
	{"entries", []string{
		`SELECT MAX(record_id) FROM audit_log WHERE record_type IN ('post', 'case_study', 'page')`,
		`SELECT MAX(entry_id) FROM revisions`,
		`SELECT MAX(CAST(json_extract(payload, '$.data.id') AS INTEGER)) FROM webhook_events
			WHERE json_valid(payload) AND json_extract(payload, '$.data.type') IN ('post', 'case_study', 'page')`,
	}},
	{"api_tokens", []string{`SELECT MAX(record_id) FROM audit_log WHERE record_type = 'api_token'`}},
	{"media", []string{
		`SELECT MAX(record_id) FROM audit_log WHERE record_type = 'media'`,
		`SELECT MAX(media_id) FROM media_uses`,
		`SELECT MAX(CAST(json_extract(payload, '$.data.id') AS INTEGER)) FROM webhook_events
			WHERE json_valid(payload) AND json_extract(payload, '$.data.type') = 'media'`,
	}},
	{"webhooks", []string{
		`SELECT MAX(record_id) FROM audit_log WHERE record_type = 'webhook'`,
		`SELECT MAX(webhook_id) FROM webhook_deliveries`,
	}},
	{"webhook_deliveries", []string{
		`SELECT MAX(redelivery_of) FROM webhook_deliveries`,
		`SELECT MAX(delivery_id) FROM webhook_attempts`,
		`SELECT MAX(CAST(json_extract(details, '$.delivery') AS INTEGER)) FROM audit_log
			WHERE record_type = 'webhook' AND json_valid(details)`,
	}},
	{"revisions", []string{
		`SELECT MAX(CAST(json_extract(details, '$.revision') AS INTEGER)) FROM audit_log
			WHERE record_type IN ('post', 'case_study', 'page') AND json_valid(details)`,
	}},
	{"audit_log", nil},
}

// neverReuseIDs is the migration step: every table of idTables is rebuilt
// as AUTOINCREMENT with all its rows, ids, indexes and triggers, and its
// sequence starts above every id it ever gave out that is still recorded.
// It reads each table's definition from the schema as it is, so columns
// and constraints added by earlier steps are kept. The runner turns
// foreign keys off around it and checks them after.
func neverReuseIDs(tx *gorm.DB) error {
	// Triggers and views are dropped first and recreated last, as SQLite's
	// procedure for changing a table says: renaming a table re-reads every
	// trigger and view, and those that name a table mid-rebuild (the
	// search index's triggers on entry_bodies read entries) would fail.
	var saved []struct{ Type, Name, SQL string }
	if err := tx.Raw(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') AND sql IS NOT NULL ORDER BY type DESC, name`).Scan(&saved).Error; err != nil {
		return err
	}
	for _, o := range saved {
		if err := tx.Exec(fmt.Sprintf(`DROP %s %q`, strings.ToUpper(o.Type), o.Name)).Error; err != nil {
			return err
		}
	}
	for _, t := range idTables {
		if err := rebuildAutoincrement(tx, t.table, t.seen); err != nil {
			return fmt.Errorf("%s: %w", t.table, err)
		}
	}
	for _, o := range saved {
		if err := tx.Exec(o.SQL).Error; err != nil {
			return fmt.Errorf("recreate %s %s: %w", o.Type, o.Name, err)
		}
	}
	return tx.Exec(`ANALYZE`).Error
}

// idColumn finds "id INTEGER PRIMARY KEY" in a CREATE TABLE statement.
var idColumn = regexp.MustCompile(`(?i)\bid\s+INTEGER\s+PRIMARY\s+KEY\b(\s+AUTOINCREMENT\b)?`)

// rebuildAutoincrement rebuilds one table as AUTOINCREMENT (see SQLite's
// "Making Other Kinds Of Table Schema Changes") and seeds its sequence with
// the largest id in it or in seen.
func rebuildAutoincrement(tx *gorm.DB, table string, seen []string) error {
	var def string
	if err := tx.Raw(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&def).Error; err != nil {
		return err
	}
	m := idColumn.FindStringSubmatchIndex(def)
	switch {
	case m == nil:
		return fmt.Errorf("no \"id INTEGER PRIMARY KEY\" column in %s", def)
	case m[2] >= 0:
		return seed(tx, table, seen) // already AUTOINCREMENT
	}
	head := regexp.MustCompile(`(?is)^\s*CREATE\s+TABLE\s+("?)` + regexp.QuoteMeta(table) + `("?)\s*\(`)
	if !head.MatchString(def) {
		return fmt.Errorf("unexpected definition %s", def)
	}
	tmp := table + "__autoincrement"
	newDef := def[:m[1]] + " AUTOINCREMENT" + def[m[1]:]
	newDef = head.ReplaceAllString(newDef, `CREATE TABLE "`+tmp+`" (`)
	if err := swapTable(tx, table, tmp, newDef); err != nil {
		return err
	}
	return seed(tx, table, seen)
}

// seed raises table's sequence to the largest id it holds or seen records.
func seed(tx *gorm.DB, table string, seen []string) error {
	parts := append([]string{fmt.Sprintf(`SELECT MAX(id) FROM %q`, table)}, seen...)
	for i, p := range parts {
		parts[i] = "COALESCE((" + p + "), 0)"
	}
	var high int64
	if err := tx.Raw(`SELECT MAX(` + strings.Join(parts, ", ") + `)`).Scan(&high).Error; err != nil {
		return err
	}
	if err := tx.Exec(`UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?`, high, table).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)`,
		table, high, table).Error
}
