// Package storetest gives tests a real, migrated SQLite database of their
// own: the schema is migrated once per test binary into a template file,
// and each test gets a copy in its temporary directory.
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
	return code
}
