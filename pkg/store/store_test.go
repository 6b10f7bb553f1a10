package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestMigrationsAreRecordedAndRunOnce(t *testing.T) {
	s, path := openTemp(t)
	var n int
	s.w.Raw(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	if n != len(migrations) {
		t.Fatalf("schema_migrations has %d rows, want %d", n, len(migrations))
	}
	s.Close()
	s2, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	s2.w.Raw(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	if n != len(migrations) {
		t.Fatalf("after reopening, schema_migrations has %d rows, want %d", n, len(migrations))
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	s, path := openTemp(t)
	if err := s.w.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', CURRENT_TIMESTAMP)`, len(migrations)+1).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(context.Background(), path, Options{})
	var tooNew *ErrSchemaTooNew
	if !errors.As(err, &tooNew) || tooNew.Have != len(migrations)+1 {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
}

// TestRowStructsMatchSchema checks that every column a live row struct
// reads or writes exists after migrating an empty database.
func TestRowStructsMatchSchema(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) { rowStructsMatchSchema(t, s) })
}

func rowStructsMatchSchema(t *testing.T, s *Store) {
	for _, row := range rowStructs {
		sch, err := schema.Parse(row, &sync.Map{}, schema.NamingStrategy{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range sch.Fields {
			if f.DBName == "" {
				continue
			}
			if !s.w.Migrator().HasColumn(row, f.DBName) {
				t.Errorf("%s.%s: no such column after migrating", sch.Table, f.DBName)
			}
		}
	}
}

// rowStructs lists every live row struct; a new one must be added here.
var rowStructs = []any{&UserRow{}, &EntryRow{}, &TagRow{}, &SessionRow{}, &RefreshTokenRow{}, &APITokenRow{}, &AuditRow{}, &RevisionRow{}, &SlugAliasRow{}, &BodyRow{}, &MediaRow{}, &WebhookRow{}, &WebhookEventRow{}, &DeliveryRow{}, &AttemptRow{}}

func TestPragmas(t *testing.T) {
	s, _ := openTemp(t)
	for name, db := range map[string]*gorm.DB{"writer": s.w, "reader": s.r} {
		var journal string
		var fk, sync, busy, queryOnly int
		db.Raw(`PRAGMA journal_mode`).Scan(&journal)
		db.Raw(`PRAGMA foreign_keys`).Scan(&fk)
		db.Raw(`PRAGMA synchronous`).Scan(&sync)
		db.Raw(`PRAGMA busy_timeout`).Scan(&busy)
		db.Raw(`PRAGMA query_only`).Scan(&queryOnly)
		if journal != "wal" || fk != 1 || sync != 2 || busy != 10000 {
			t.Errorf("%s: journal_mode=%s foreign_keys=%d synchronous=%d busy_timeout=%d; want wal 1 2(FULL) 10000", name, journal, fk, sync, busy)
		}
		if want := map[string]int{"writer": 0, "reader": 1}[name]; queryOnly != want {
			t.Errorf("%s: query_only=%d, want %d", name, queryOnly, want)
		}
	}
	if err := s.r.Exec(`CREATE TABLE nope (x INTEGER)`).Error; err == nil {
		t.Errorf("the read pool accepted a write")
	}
}

func TestWriteIsAllOrNothing(t *testing.T) {
	engines(t, writeIsAllOrNothing)
}

func writeIsAllOrNothing(t *testing.T, s *Store) {
	boom := errors.New("boom")
	err := s.Write(context.Background(), func(tx *Tx) error {
		if err := tx.InsertUser(&UserRow{Email: "a@example.com", Name: "A", Slug: "a", Role: "admin"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v, want boom", err)
	}
	if n, _ := s.Read(context.Background()).CountUsers(); n != 0 {
		t.Fatalf("a rolled-back write left %d users", n)
	}
	func() {
		defer func() { recover() }()
		s.Write(context.Background(), func(tx *Tx) error {
			tx.InsertUser(&UserRow{Email: "b@example.com", Name: "B", Slug: "b", Role: "admin"})
			panic("in the middle")
		})
	}()
	if n, _ := s.Read(context.Background()).CountUsers(); n != 0 {
		t.Fatalf("a panicking write left %d users", n)
	}
	// The single writer connection is usable again.
	if err := s.Write(context.Background(), func(tx *Tx) error {
		return tx.InsertUser(&UserRow{Email: "c@example.com", Name: "C", Slug: "c", Role: "admin"})
	}); err != nil {
		t.Fatalf("write after rollbacks: %v", err)
	}
}

func TestUniqueViolationIsAConflict(t *testing.T) {
	s, _ := openTemp(t)
	ins := func(email, slug string) error {
		return s.Write(context.Background(), func(tx *Tx) error {
			return tx.InsertUser(&UserRow{Email: email, Name: "X", Slug: slug, Role: "admin"})
		})
	}
	if err := ins("a@example.com", "a"); err != nil {
		t.Fatal(err)
	}
	err := ins("a@example.com", "b")
	if !IsUniqueViolation(err, "users.email") {
		t.Fatalf("duplicate email: %v, want a unique violation on users.email", err)
	}
	if err := ins("b@example.com", "a"); !IsUniqueViolation(err, "users.slug") {
		t.Fatalf("duplicate slug: %v, want a unique violation on users.slug", err)
	}
}

// TestHotQueriesUseIndexes pins the plans of the public API's hot queries:
// each must be answered from an index, never by reading every entry (the
// rows are small now, but a scan still grows with the whole site).
func TestHotQueriesUseIndexes(t *testing.T) {
	s, _ := openTemp(t)
	now := "2026-01-01 00:00:00+00:00"
	plans := map[string]string{
		"public list": `SELECT id FROM entries WHERE entries.type IN ('post') AND ` + visibleSQL +
			` ORDER BY entries.published_at DESC, entries.id DESC LIMIT 20`,
		"public count":             `SELECT count(*) FROM entries WHERE entries.type IN ('post') AND ` + visibleSQL,
		"next visibility change":   `SELECT published_at FROM entries WHERE status IN ('published', 'scheduled') AND published_at > ? AND trashed_at IS NULL ORDER BY published_at LIMIT 1`,
		"admin list":               `SELECT id FROM entries WHERE entries.type IN ('post') AND entries.trashed_at IS NULL ORDER BY entries.updated_at DESC, entries.id DESC LIMIT 20`,
		"admin list, status":       `SELECT count(*) FROM entries WHERE entries.type IN ('post') AND entries.status IN ('draft') AND entries.trashed_at IS NULL`,
		"public entry by its slug": `SELECT id FROM entries WHERE ` + visibleSQL + ` AND type = 'post' AND slug = 'x'`,
	}
	for name, q := range plans {
		var rows []struct {
			ID, Parent, Notused int
			Detail              string
		}
		if err := s.r.Raw("EXPLAIN QUERY PLAN "+q, now).Scan(&rows).Error; err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range rows {
			t.Logf("%s: %s", name, r.Detail)
			if strings.HasPrefix(r.Detail, "SCAN entries") && !strings.Contains(r.Detail, "USING") {
				t.Errorf("%s reads every entry: %s", name, r.Detail)
			}
			if strings.Contains(r.Detail, "TEMP B-TREE") {
				t.Errorf("%s sorts in memory instead of walking an index: %s", name, r.Detail)
			}
		}
	}
}

// TestDatabaseFileIsPrivate: the file holds password hashes and webhook
// secrets, so whatever the umask, only its owner may read it.
func TestDatabaseFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, nil, 0o644); err != nil { // as an operator's umask 022 would leave it
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), perm)
		}
	}
}
