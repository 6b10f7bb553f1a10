// Package storetest gives tests a real, migrated SQLite database of their
// own: the schema is migrated once per test binary into a template file,
// and each test gets a copy in its temporary directory.
//
// With FOLIO_TEST_ENGINE=postgres, New gives a PostgreSQL database instead,
// a copy of a template migrated once per test binary in the throwaway
// cluster of pkg/store/pgtest (emptied and reused by the next test, which
// is much cheaper than a clone); NewPostgres does so whatever the variable.
package storetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/store/pgtest"
)

var (
	once     sync.Once
	template string
	errOnce  error
)

// templateFile migrates an empty database once and returns its path.
func templateFile() (string, error) {
	once.Do(func() {
		dir, err := os.MkdirTemp("", "folio-template-")
		if err != nil {
			errOnce = err
			return
		}
		template = filepath.Join(dir, store.FileName)
		st, err := store.Open(context.Background(), template, store.Options{})
		if err != nil {
			errOnce = err
			return
		}
		errOnce = st.Close() // checkpoints the WAL into the main file
	})
	return template, errOnce
}

// Path copies the migrated template into a fresh temporary directory and
// returns the copy's path, for tests that open the store themselves.
func Path(t testing.TB) string {
	t.Helper()
	src, err := templateFile()
	if err != nil {
		t.Fatalf("migrate template database: %v", err)
	}
	dst := filepath.Join(t.TempDir(), store.FileName)
	if err := copyFile(src, dst); err != nil {
		t.Fatalf("copy template database: %v", err)
	}
	return dst
}

// New returns an open store on a fresh copy of the migrated template,
// closed when the test ends. now is the store's clock (nil: time.Now).
func New(t testing.TB, now func() time.Time) *store.Store {
	t.Helper()
	if Engine() == store.Postgres {
		return NewPostgres(t, now)
	}
	st, err := store.Open(context.Background(), Path(t), store.Options{Now: now, Readers: 4})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return st
}

// Engine is the engine New opens: FOLIO_TEST_ENGINE (sqlite or postgres),
// SQLite by default.
func Engine() store.Engine {
	if os.Getenv("FOLIO_TEST_ENGINE") == string(store.Postgres) {
		return store.Postgres
	}
	return store.SQLite
}

var (
	pgOnce sync.Once
	pgPool *pgtest.Pool
	pgErr  error
)

// pgResetSQL is the SQL that empties a copy of the migrated template
// again: every row of every table but schema_migrations (with triggers and
// foreign key checks off: everything goes), and every id sequence back to
// 1. It refuses (and the database is dropped instead) when a test changed
// the schema's version.
func pgResetSQL(ctx context.Context, u string) (string, error) {
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var deletes, sequences string
	var version int
	err = conn.QueryRow(ctx, `SELECT
		(SELECT string_agg('DELETE FROM ' || quote_ident(tablename), '; ' ORDER BY tablename) FROM pg_tables
			WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'),
		(SELECT COALESCE(string_agg(format('SELECT setval(%L, 1, false)', pg_get_serial_sequence(quote_ident(table_name), column_name)), '; '), 'SELECT 1')
			FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'),
		(SELECT MAX(version) FROM schema_migrations)`).Scan(&deletes, &sequences, &version)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`DO $$ BEGIN IF (SELECT MAX(version) FROM schema_migrations) IS DISTINCT FROM %d THEN RAISE EXCEPTION 'the schema changed'; END IF; END $$;
		SET session_replication_role = replica; %s; %s; RESET session_replication_role`, version, deletes, sequences), nil
}

// NewPostgres returns an open store on a PostgreSQL database as the
// migrated template is (a clone, or a database an earlier test used,
// emptied again), closed when the test ends. It
// skips the test when PostgreSQL is not installed (fails it with
// FOLIO_TEST_PG=require).
func NewPostgres(t testing.TB, now func() time.Time) *store.Store {
	t.Helper()
	c := pgtest.Need(t)
	pgOnce.Do(func() {
		ctx := context.Background()
		name := c.NewName("template")
		u, err := c.CreateDatabase(ctx, name)
		if err != nil {
			pgErr = err
			return
		}
		st, err := store.OpenPostgres(ctx, u, store.Options{Readers: 1})
		if err != nil {
			pgErr = err
			return
		}
		if pgErr = st.Close(); pgErr != nil {
			return
		}
		reset, err := pgResetSQL(ctx, u)
		if err != nil {
			pgErr = err
			return
		}
		pgPool = c.NewPool(name, reset)
	})
	if pgErr != nil {
		t.Fatalf("migrate the PostgreSQL template database: %v", pgErr)
	}
	st, err := store.OpenPostgres(context.Background(), pgPool.Database(t), store.Options{Now: now, Readers: 4})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	// Registered after Database's drop, so it runs before it.
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return st
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Main runs a package's tests and then removes the template database; call
// it from TestMain: func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if template != "" {
		os.RemoveAll(filepath.Dir(template))
	}
	pgtest.Stop()
	return code
}
