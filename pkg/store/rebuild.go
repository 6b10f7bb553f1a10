package store

import (
	"fmt"
	"regexp"
	"strings"

	"gorm.io/gorm"
)

// rebuildTable changes a table's definition in a way ALTER TABLE can't
// (a CHECK constraint), following SQLite's "Making Other Kinds Of Table
// Schema Changes": a new table from the edited definition, every row copied
// with its id, the old table dropped, the new one renamed, its indexes made
// again, and its AUTOINCREMENT high-water mark kept. Triggers and views are
// dropped first and made again last (they name the table mid-rebuild). The
// migration runner turns foreign keys off around the step and checks them
// after.
func rebuildTable(tx *gorm.DB, table string, edit func(def string) (string, error)) error {
	var saved []struct{ Type, Name, SQL string }
	if err := tx.Raw(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') AND sql IS NOT NULL ORDER BY type DESC, name`).Scan(&saved).Error; err != nil {
		return err
	}
	for _, o := range saved {
		if err := tx.Exec(fmt.Sprintf(`DROP %s %q`, strings.ToUpper(o.Type), o.Name)).Error; err != nil {
			return err
		}
	}
	var def string
	if err := tx.Raw(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&def).Error; err != nil {
		return err
	}
	newDef, err := edit(def)
	if err != nil {
		return err
	}
	head := regexp.MustCompile(`(?is)^\s*CREATE\s+TABLE\s+("?)` + regexp.QuoteMeta(table) + `("?)\s*\(`)
	if !head.MatchString(newDef) {
		return fmt.Errorf("unexpected definition %s", def)
	}
	tmp := table + "__rebuild"
	newDef = head.ReplaceAllString(newDef, `CREATE TABLE "`+tmp+`" (`)
	var seq int64
	if err := tx.Raw(`SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)`, table).Scan(&seq).Error; err != nil {
		return err
	}
	if err := swapTable(tx, table, tmp, newDef); err != nil {
		return err
	}
	if seq > 0 {
		if err := tx.Exec(`UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?`, seq, table).Error; err != nil {
			return err
		}
	}
	for _, o := range saved {
		if err := tx.Exec(o.SQL).Error; err != nil {
			return fmt.Errorf("recreate %s %s: %w", o.Type, o.Name, err)
		}
	}
	return nil
}

// entryTypesCheck is the constraint on entries.type, as the first step wrote it.
var entryTypesCheck = regexp.MustCompile(`CHECK \(type IN \('post', 'case_study'\)\)`)

// addPages is the migration step of the third entry type: entries may be
// pages (the type's CHECK constraint is rewritten, which takes a rebuild),
// and a page has a parent page and a place in its menu, as columns because
// lists filter and sort on them.
func addPages(tx *gorm.DB) error {
	err := rebuildTable(tx, "entries", func(def string) (string, error) {
		if !entryTypesCheck.MatchString(def) {
			return "", fmt.Errorf("entries: no CHECK on its types in %s", def)
		}
		return entryTypesCheck.ReplaceAllString(def, `CHECK (type IN ('post', 'case_study', 'page'))`), nil
	})
	if err != nil {
		return fmt.Errorf("entries: %w", err)
	}
	return sqlStep(
		// A page's parent is another page; purging the parent makes its
		// children top-level pages.
		`ALTER TABLE entries ADD COLUMN parent_id INTEGER REFERENCES entries (id) ON DELETE SET NULL`,
		`ALTER TABLE entries ADD COLUMN menu_order INTEGER NOT NULL DEFAULT 0`,
		`CREATE INDEX entries_by_parent ON entries (parent_id, menu_order) WHERE parent_id IS NOT NULL`,
		`ANALYZE`,
	)(tx)
}

// swapTable replaces table by a new one made from newDef (which creates
// tmp): every row is copied with its id, the old table dropped, tmp
// renamed to table, and table's indexes made again. It fails when a row
// did not come across.
func swapTable(tx *gorm.DB, table, tmp, newDef string) error {
	var indexes []string
	if err := tx.Raw(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`, table).Scan(&indexes).Error; err != nil {
		return err
	}
	var cols []string
	if err := tx.Raw(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, table).Scan(&cols).Error; err != nil {
		return err
	}
	for i, c := range cols {
		cols[i] = fmt.Sprintf("%q", c)
	}
	list := strings.Join(cols, ", ")
	var before int64
	if err := tx.Raw(fmt.Sprintf(`SELECT COUNT(*) FROM %q`, table)).Scan(&before).Error; err != nil {
		return err
	}
	for _, stmt := range []string{
		newDef,
		fmt.Sprintf(`INSERT INTO %q (%s) SELECT %s FROM %q ORDER BY id`, tmp, list, list, table),
		fmt.Sprintf(`DROP TABLE %q`, table),
		fmt.Sprintf(`ALTER TABLE %q RENAME TO %q`, tmp, table),
	} {
		if err := tx.Exec(stmt).Error; err != nil {
			return fmt.Errorf("%w\n in: %s", err, stmt)
		}
	}
	var after int64
	if err := tx.Raw(fmt.Sprintf(`SELECT COUNT(*) FROM %q`, table)).Scan(&after).Error; err != nil {
		return err
	}
	if after != before {
		return fmt.Errorf("copied %d rows of %d", after, before)
	}
	for _, ix := range indexes {
		if err := tx.Exec(ix).Error; err != nil {
			return fmt.Errorf("recreate index: %w\n in: %s", err, ix)
		}
	}
	return nil
}
