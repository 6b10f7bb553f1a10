package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Backups and diagnosis look at a database without going through Open: no
// migrations, no writer, nothing that could change the file. A running
// folio may be serving it meanwhile; WAL lets us read beside it.

// ReadOnly is a database file opened for reading only, on one connection of
// its own: for taking snapshots and for diagnosis. It never migrates.
type ReadOnly struct {
	db   *gorm.DB
	path string
}

// readOnlyDSN opens the file read-only (mode=ro). It sets no journal mode or
// synchronous level: those are writes, and a read-only connection follows
// whatever the file already uses. It is not query_only, because VACUUM INTO
// (which writes only its target) refuses to run on a query_only connection.
func readOnlyDSN(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", "10000")
	q.Set("_loc", "UTC")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// OpenReadOnly opens the database file at path for reading only. The file
// must exist. SQLite may create the empty -wal and -shm files beside a WAL
// database that has none; it never changes the database itself.
func OpenReadOnly(ctx context.Context, path string) (*ReadOnly, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("open database: %s is not a regular file", path)
	}
	db, err := gorm.Open(sqlite.Open(readOnlyDSN(path)), &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetMaxIdleConns(1)
	r := &ReadOnly{db: db, path: path}
	// Reading the schema makes SQLite check the header: a file that is not
	// a database fails here rather than in the first real question.
	var n int
	if err := db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM sqlite_master`).Scan(&n).Error; err != nil {
		r.Close()
		return nil, fmt.Errorf("read database %s: %w", path, err)
	}
	return r, nil
}

// Close closes the connection.
func (r *ReadOnly) Close() error {
	db, err := r.db.DB()
	if err != nil {
		return err
	}
	return db.Close()
}

// Path returns the database file's path.
func (r *ReadOnly) Path() string { return r.path }

// Snapshot writes a consistent copy of the database to dest, which must not
// exist, with VACUUM INTO: the copy is the database as it was at one instant
// (one read transaction), compacted, in rollback-journal mode so that it is
// one self-contained file. Writers are not blocked while it runs (WAL).
func (r *ReadOnly) Snapshot(ctx context.Context, dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("snapshot: %s already exists", dest)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := r.db.WithContext(ctx).Exec(`VACUUM INTO ?`, dest).Error; err != nil {
		os.Remove(dest)
		return fmt.Errorf("snapshot %s: %w", r.path, err)
	}
	f, err := os.Open(dest)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("snapshot: sync %s: %w", dest, err)
	}
	return nil
}

// Snapshot writes a consistent copy of the database to dest (see
// ReadOnly.Snapshot). It uses a short-lived connection of its own, so it
// neither holds the writer nor takes a reader from the pool.
func (s *Store) Snapshot(ctx context.Context, dest string) error {
	if s.engine == Postgres {
		return notOnPostgres("backups (pg_dump)")
	}
	ro, err := OpenReadOnly(ctx, s.path)
	if err != nil {
		return err
	}
	defer ro.Close()
	return ro.Snapshot(ctx, dest)
}

// Migration is one step of the schema's history.
type Migration struct {
	Version   int
	Name      string
	AppliedAt time.Time // zero in Migrations
}

// Migrations lists the steps this binary knows, oldest first.
func Migrations() []Migration {
	out := make([]Migration, len(migrations))
	for i, m := range migrations {
		out[i] = Migration{Version: i + 1, Name: m.name}
	}
	return out
}

// hasTable reports whether the database has a table (or view) called name.
func (r *ReadOnly) hasTable(ctx context.Context, name string) (bool, error) {
	var n int
	err := r.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?`, name).Scan(&n).Error
	return n > 0, err
}

// tableHasColumn reports whether table has a column called name.
func tableHasColumn(db *gorm.DB, table, name string) (bool, error) {
	var n int
	err := db.Raw(`SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?`, table, name).Scan(&n).Error
	return n > 0, err
}

// AppliedMigrations lists the steps recorded in schema_migrations, oldest
// first; none for a database folio has never opened.
func (r *ReadOnly) AppliedMigrations(ctx context.Context) ([]Migration, error) {
	ok, err := r.hasTable(ctx, "schema_migrations")
	if err != nil || !ok {
		return nil, err
	}
	var rows []struct {
		Version   int
		Name      string
		AppliedAt time.Time
	}
	if err := r.db.WithContext(ctx).Raw(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	out := make([]Migration, len(rows))
	for i, m := range rows {
		out[i] = Migration{Version: m.Version, Name: m.Name, AppliedAt: m.AppliedAt}
	}
	return out, nil
}

// SchemaVersion returns the highest applied migration, 0 for a database
// folio has never opened.
func (r *ReadOnly) SchemaVersion(ctx context.Context) (int, error) {
	ok, err := r.hasTable(ctx, "schema_migrations")
	if err != nil || !ok {
		return 0, err
	}
	var v int
	if err := r.db.WithContext(ctx).Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// IntegrityCheck runs PRAGMA integrity_check and returns the problems it
// reports (at most max; 0 means 100), or none when the database is sound. A
// database too damaged to be checked gives an error.
func (r *ReadOnly) IntegrityCheck(ctx context.Context, max int) ([]string, error) {
	if max <= 0 {
		max = 100
	}
	var lines []string
	if err := r.db.WithContext(ctx).Raw(fmt.Sprintf(`PRAGMA integrity_check(%d)`, max)).Scan(&lines).Error; err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	if len(lines) == 1 && lines[0] == "ok" {
		return nil, nil
	}
	if len(lines) == 0 {
		return nil, errors.New("integrity check: no answer")
	}
	// A row may hold several problems, one a line.
	var probs []string
	for _, l := range lines {
		for p := range strings.SplitSeq(l, "\n") {
			if p = strings.TrimSpace(p); p != "" && len(probs) < max {
				probs = append(probs, p)
			}
		}
	}
	return probs, nil
}

// ForeignKeyCheck runs PRAGMA foreign_key_check and describes each row that
// refers to a row that does not exist (at most max; 0 means 100), with the
// total count.
func (r *ReadOnly) ForeignKeyCheck(ctx context.Context, max int) ([]string, int, error) {
	if max <= 0 {
		max = 100
	}
	var rows []struct {
		Table  string `gorm:"column:table"`
		RowID  *int64 `gorm:"column:rowid"`
		Parent string `gorm:"column:parent"`
	}
	if err := r.db.WithContext(ctx).Raw(`SELECT "table", rowid, parent FROM pragma_foreign_key_check`).Scan(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("foreign key check: %w", err)
	}
	var out []string
	for _, v := range rows[:min(len(rows), max)] {
		id := "?"
		if v.RowID != nil {
			id = fmt.Sprint(*v.RowID)
		}
		out = append(out, fmt.Sprintf("%s row %s refers to a missing %s row", v.Table, id, v.Parent))
	}
	return out, len(rows), nil
}

// Counts is how many records a database holds.
type Counts struct {
	// Tables counts the rows of every ordinary table (not SQLite's own, not
	// the search index's), by name.
	Tables map[string]int64
	// Entries counts entries by type, then by status; entries in the trash
	// count under "trashed" instead of their status.
	Entries map[string]map[string]int64
	// Media counts media items by type (image, document).
	Media map[string]int64
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Tables lists the database's ordinary tables: not SQLite's own, not
// virtual tables and not their shadow tables, sorted by name.
func (r *ReadOnly) Tables(ctx context.Context) ([]string, error) {
	return listTables(r.db.WithContext(ctx))
}

func listTables(db *gorm.DB) ([]string, error) {
	var names []string
	err := db.Raw(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`).Scan(&names).Error
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return names, nil
}

// Counts counts the database's records, all in one read transaction.
func (r *ReadOnly) Counts(ctx context.Context) (Counts, error) {
	c := Counts{Tables: map[string]int64{}, Entries: map[string]map[string]int64{}, Media: map[string]int64{}}
	err := r.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		names, err := listTables(db)
		if err != nil {
			return err
		}
		for _, name := range names {
			var n int64
			if err := db.Raw(`SELECT COUNT(*) FROM ` + quoteIdent(name)).Scan(&n).Error; err != nil {
				return fmt.Errorf("count %s: %w", name, err)
			}
			c.Tables[name] = n
		}
		if _, ok := c.Tables["entries"]; ok {
			status := "status"
			if ok, err := tableHasColumn(db, "entries", "trashed_at"); err != nil {
				return err
			} else if ok {
				status = "CASE WHEN trashed_at IS NOT NULL THEN 'trashed' ELSE status END"
			}
			var rows []struct {
				Type, Status string
				N            int64
			}
			if err := db.Raw(`SELECT type, ` + status + ` AS status, COUNT(*) AS n FROM entries GROUP BY 1, 2`).Scan(&rows).Error; err != nil {
				return fmt.Errorf("count entries: %w", err)
			}
			for _, row := range rows {
				if c.Entries[row.Type] == nil {
					c.Entries[row.Type] = map[string]int64{}
				}
				c.Entries[row.Type][row.Status] = row.N
			}
		}
		if _, ok := c.Tables["media"]; ok {
			var rows []struct {
				Type string
				N    int64
			}
			if err := db.Raw(`SELECT kind AS type, COUNT(*) AS n FROM media GROUP BY 1`).Scan(&rows).Error; err != nil {
				return fmt.Errorf("count media: %w", err)
			}
			for _, row := range rows {
				c.Media[row.Type] = row.N
			}
		}
		return nil
	})
	return c, err
}

// MediaFiles returns every media item with what names its files: ID,
// SHA256, Ext, Type, Size and Variants (the other fields are left empty),
// by id. A database without a media table has none.
func (r *ReadOnly) MediaFiles(ctx context.Context) ([]MediaRow, error) {
	ok, err := r.hasTable(ctx, "media")
	if err != nil || !ok {
		return nil, err
	}
	var rows []MediaRow
	if err := r.db.WithContext(ctx).Select("id", "sha256", "ext", "kind", "size", "variants").Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list media: %w", err)
	}
	return rows, nil
}

// MediaCleanups returns the files waiting to be deleted from the media
// store (none before the table existed).
func (r *ReadOnly) MediaCleanups(ctx context.Context) ([]MediaCleanupRow, error) {
	ok, err := r.hasTable(ctx, "media_cleanup")
	if err != nil || !ok {
		return nil, err
	}
	var rows []MediaCleanupRow
	if err := r.db.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list media_cleanup: %w", err)
	}
	return rows, nil
}
