// Package store is Folio's only door to the database: it opens SQLite with
// the right pragmas, runs migrations, and offers typed queries over row
// structs. It is the only package that imports GORM.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// FileName is the database file inside the data dir.
const FileName = "folio.db"

// ErrNoFTS5 is returned by Open when the binary was built without SQLite's
// full-text search (the sqlite_fts5 build tag).
var ErrNoFTS5 = errors.New("this folio binary was built without SQLite full-text search: rebuild with `-tags sqlite_fts5` (go tool task build does)")

// Store holds the two handles on one SQLite file: a writer limited to one
// connection whose transactions start with BEGIN IMMEDIATE, so writers queue
// instead of failing with SQLITE_BUSY, and a pool of query-only readers that
// WAL lets run beside the writer.
type Store struct {
	engine Engine
	w      *gorm.DB
	r      *gorm.DB
	path   string
	now    func() time.Time
	gen    generation
}

// Options tunes Open.
type Options struct {
	// Now is the clock used for timestamps the store sets itself; nil means
	// time.Now.
	Now func() time.Time
	// Readers is the size of the read pool; 0 means 2×GOMAXPROCS, at least 4.
	Readers int
}

// Open opens (creating if needed) the database file at path, checks that
// SQLite has FTS5, and applies pending migrations.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	return open(ctx, path, opt, len(migrations))
}

// open opens the database migrated to schema version target.
func open(ctx context.Context, path string, opt Options, target int) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Readers <= 0 {
		opt.Readers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	s := &Store{engine: SQLite, path: path, now: func() time.Time { return opt.Now().UTC() }}
	var err error
	if s.w, err = openHandle(path, true, s.now); err != nil {
		return nil, err
	}
	if s.r, err = openHandle(path, false, s.now); err != nil {
		s.Close()
		return nil, err
	}
	writer, _ := s.w.DB()
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxIdleTime(0)
	readers, _ := s.r.DB()
	readers.SetMaxOpenConns(opt.Readers + 1) // +1: the generation poller keeps one
	readers.SetMaxIdleConns(opt.Readers + 1)

	if err := checkFTS5(ctx, writer); err != nil {
		s.Close()
		return nil, err
	}
	// The file holds password hashes and webhook secrets: only its owner may
	// read it (SQLite gives the -wal and -shm files the same mode).
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		_ = os.Chmod(path, fi.Mode().Perm()&0o700)
	}
	if err := s.migrateTo(ctx, target); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.gen.init(ctx, readers, "PRAGMA data_version"); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// DSN returns the data source name for the database file at path. Every
// connection gets a 10 s busy timeout, WAL, foreign keys and synchronous=FULL
// (an acknowledged write survives power loss); times are read as UTC.
func DSN(path string, writer bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "FULL")
	q.Set("_loc", "UTC")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "true")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func openHandle(path string, writer bool, now func() time.Time) (*gorm.DB, error) {
	db, err := gorm.Open(sqlite.Open(DSN(path, writer)), &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                now,
		SkipDefaultTransaction: true, // every write already runs in our own transaction
		PrepareStmt:            false,
	})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// checkFTS5 refuses a SQLite without the FTS5 module.
func checkFTS5(ctx context.Context, db *sql.DB) error {
	var used int
	if err := db.QueryRowContext(ctx, "SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&used); err != nil {
		return fmt.Errorf("check SQLite compile options: %w", err)
	}
	if used != 1 {
		return ErrNoFTS5
	}
	return nil
}

// Path returns the database file's path ("" on PostgreSQL).
func (s *Store) Path() string { return s.path }

// Now returns the store's clock reading, in UTC.
func (s *Store) Now() time.Time { return s.now() }

// Ping checks that the database answers a query, for /readyz.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// Close checkpoints the WAL and closes both handles.
func (s *Store) Close() error {
	var errs []error
	if s.gen.conn != nil {
		errs = append(errs, s.gen.conn.Close())
	}
	if s.engine == Postgres {
		if db, err := s.w.DB(); err == nil {
			errs = append(errs, db.Close())
		}
		return errors.Join(errs...)
	}
	if s.r != nil {
		if db, err := s.r.DB(); err == nil {
			errs = append(errs, db.Close())
		}
	}
	if s.w != nil {
		if db, err := s.w.DB(); err == nil {
			_, _ = db.Exec("PRAGMA optimize") // refresh the planner's statistics where they drifted
			_, cerr := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
			errs = append(errs, cerr, db.Close())
		}
	}
	return errors.Join(errs...)
}

// Pools returns the database/sql handles under the store, by name (writer,
// readers), for their connection statistics.
func (s *Store) Pools() map[string]*sql.DB {
	out := map[string]*sql.DB{}
	if s.engine == Postgres {
		if db, err := s.w.DB(); err == nil {
			out["postgres"] = db
		}
		return out
	}
	if db, err := s.w.DB(); err == nil {
		out["writer"] = db
	}
	if db, err := s.r.DB(); err == nil {
		out["readers"] = db
	}
	return out
}
