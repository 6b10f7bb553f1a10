// Package storetest gives tests a real, migrated SQLite database of their
// own: the schema is migrated once per test binary into a template file,
// and each test gets a copy in its temporary directory.
//
// With FOLIO_TEST_ENGINE=postgres, New gives a PostgreSQL database instead,
// cloned from a template migrated once per test binary in the throwaway
// cluster of pkg/store/pgtest; NewPostgres does so whatever the variable.
package storetest

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

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
	pgOnce     sync.Once
	pgTemplate string
	pgErr      error
)

// NewPostgres returns an open store on a fresh PostgreSQL database cloned
// from the migrated template, closed and dropped when the test ends. It
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
		pgTemplate, pgErr = name, st.Close()
	})
	if pgErr != nil {
		t.Fatalf("migrate the PostgreSQL template database: %v", pgErr)
	}
	st, err := store.OpenPostgres(context.Background(), c.Database(t, pgTemplate), store.Options{Now: now, Readers: 4})
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
