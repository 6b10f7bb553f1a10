package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func openRO(t *testing.T, path string) *ReadOnly {
	t.Helper()
	ro, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	return ro
}

func insertUser(t *testing.T, s *Store, n int) {
	t.Helper()
	err := s.Write(context.Background(), func(tx *Tx) error {
		return tx.InsertUser(&UserRow{Email: fmt.Sprintf("u%d@example.com", n), Name: "U", Slug: fmt.Sprintf("u%d", n), Role: "author"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSnapshotDoesNotWaitForTheWriter takes a snapshot while a write
// transaction is open on the single writer connection: the snapshot must
// finish without waiting for it and hold only what was committed.
func TestSnapshotDoesNotWaitForTheWriter(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	insertUser(t, s, 1)

	inside, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Write(ctx, func(tx *Tx) error {
			if err := tx.InsertUser(&UserRow{Email: "pending@example.com", Name: "P", Slug: "p", Role: "author"}); err != nil {
				return err
			}
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	dest := filepath.Join(t.TempDir(), "snap.db")
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := s.Snapshot(sctx, dest)
	close(release)
	if err != nil {
		t.Fatalf("Snapshot while a write is open: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	c, err := openRO(t, dest).Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Tables["users"] != 1 {
		t.Errorf("snapshot has %d users, want 1 (the committed one, not the open write's)", c.Tables["users"])
	}
	// The copy is one self-contained file: rollback journal, not WAL.
	b, _ := os.ReadFile(dest)
	if len(b) < 100 || b[18] != 1 || b[19] != 1 {
		t.Errorf("snapshot header read/write versions = %d/%d, want 1/1 (not WAL)", b[18], b[19])
	}
	if err := s.Snapshot(ctx, dest); err == nil {
		t.Errorf("Snapshot over an existing file succeeded")
	}
}

// TestSnapshotUnderWritesIsOneInstant snapshots while writers insert users
// and audit rows in pairs, in one transaction each: the copy must never hold
// half a transaction, and its rows must be the first N of the writes.
func TestSnapshotUnderWritesIsOneInstant(t *testing.T) {
	s, _ := openTemp(t)
	ctx, stop := context.WithCancel(context.Background())
	written := make(chan int, 1)
	go func() {
		n := 0
		for ctx.Err() == nil {
			n++
			err := s.Write(context.Background(), func(tx *Tx) error {
				if err := tx.InsertUser(&UserRow{Email: fmt.Sprintf("w%d@example.com", n), Name: "W", Slug: fmt.Sprintf("w%d", n), Role: "author"}); err != nil {
					return err
				}
				return tx.AddAudit(AuditRow{Actor: "test", Action: "user.create", RecordType: "user", Details: "{}"})
			})
			if err != nil {
				t.Error(err)
				break
			}
		}
		written <- n
	}()
	time.Sleep(50 * time.Millisecond)
	var snaps []string
	for i := range 5 {
		dest := filepath.Join(t.TempDir(), fmt.Sprintf("snap%d.db", i))
		if err := s.Snapshot(context.Background(), dest); err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, dest)
	}
	stop()
	total := <-written
	prev := int64(0)
	for _, p := range snaps {
		c, err := openRO(t, p).Counts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		users, audits := c.Tables["users"], c.Tables["audit_log"]
		if users != audits {
			t.Errorf("%s: %d users but %d audit rows: the snapshot holds half a transaction", filepath.Base(p), users, audits)
		}
		if users < prev || users > int64(total) {
			t.Errorf("%s: %d users; previous snapshot had %d, writers wrote %d", filepath.Base(p), users, prev, total)
		}
		prev = users
	}
	t.Logf("the last snapshot saw %d of %d writes", prev, total)
}

// TestReadOnlyNeverMigrates opens an old and an empty database read-only:
// nothing is added to either, and the schema version is read as it is.
func TestReadOnlyNeverMigrates(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	insertUser(t, s, 1)
	if err := s.w.Exec(`DELETE FROM schema_migrations WHERE version = ?`, len(migrations)).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)
	ro := openRO(t, path)
	if v, err := ro.SchemaVersion(ctx); err != nil || v != len(migrations)-1 {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, len(migrations)-1)
	}
	applied, err := ro.AppliedMigrations(ctx)
	if err != nil || len(applied) != len(migrations)-1 || applied[0].Name != migrations[0].name || applied[0].AppliedAt.IsZero() {
		t.Errorf("AppliedMigrations = %+v, %v", applied, err)
	}
	if probs, err := ro.IntegrityCheck(ctx, 0); err != nil || probs != nil {
		t.Errorf("IntegrityCheck = %v, %v; want none", probs, err)
	}
	if err := ro.db.Exec(`INSERT INTO users (email, name, slug, role, created_at, updated_at) VALUES ('x', 'x', 'x', 'x', 0, 0)`).Error; err == nil {
		t.Errorf("a read-only handle accepted a write")
	}
	ro.Close()
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("opening read-only changed the database file")
	}

	empty := filepath.Join(t.TempDir(), "empty.db")
	os.WriteFile(empty, nil, 0o600)
	ro2 := openRO(t, empty)
	if v, err := ro2.SchemaVersion(ctx); v != 0 || err != nil {
		t.Errorf("empty database: SchemaVersion = %d, %v", v, err)
	}
	if m, err := ro2.AppliedMigrations(ctx); len(m) != 0 || err != nil {
		t.Errorf("empty database: AppliedMigrations = %v, %v", m, err)
	}
	if m, err := ro2.MediaFiles(ctx); len(m) != 0 || err != nil {
		t.Errorf("empty database: MediaFiles = %v, %v", m, err)
	}
	if fi, _ := os.Stat(empty); fi.Size() != 0 {
		t.Errorf("opening an empty file read-only wrote %d bytes", fi.Size())
	}
	if _, err := OpenReadOnly(ctx, filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Errorf("OpenReadOnly of a missing file succeeded")
	}
}

func TestMigrationsListsTheBinarysSteps(t *testing.T) {
	m := Migrations()
	if len(m) != SchemaVersion() || m[0].Version != 1 || m[len(m)-1].Version != SchemaVersion() || m[0].Name != migrations[0].name {
		t.Errorf("Migrations() = %+v", m)
	}
}

// TestCountsAndMediaFiles counts every table and groups entries by type
// and status (trashed apart) and media by kind.
func TestCountsAndMediaFiles(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	now := time.Now().UTC()
	err := s.w.Exec(`INSERT INTO entries (type, slug, title, status, created_at, updated_at, trashed_at) VALUES
		('post', 'a', 'A', 'draft', ?1, ?1, NULL), ('post', 'b', 'B', 'published', ?1, ?1, NULL),
		('post', 'c', 'C', 'draft', ?1, ?1, ?1), ('case_study', 'd', 'D', 'draft', ?1, ?1, NULL)`, now).Error
	if err != nil {
		t.Fatal(err)
	}
	sha := strings.Repeat("ab", 32)
	err = s.Write(ctx, func(tx *Tx) error {
		return tx.InsertMedia(&MediaRow{SHA256: sha, Filename: "x.png", MIME: "image/png", Ext: "png", Type: "image", Size: 42, Variants: `[{"width":480,"height":320,"ext":"png"}]`})
	})
	if err != nil {
		t.Fatal(err)
	}
	ro := openRO(t, path)
	c, err := ro.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int64{"post": {"draft": 1, "published": 1, "trashed": 1}, "case_study": {"draft": 1}}
	if d := cmp.Diff(c.Entries, want); d != "" {
		t.Errorf("entry counts (-got +want):\n%s", d)
	}
	if c.Media["image"] != 1 || c.Tables["entries"] != 4 || c.Tables["media"] != 1 || c.Tables["schema_migrations"] != int64(len(migrations)) {
		t.Errorf("counts = %+v", c)
	}
	for name := range c.Tables {
		if strings.HasPrefix(name, "entries_fts") || strings.HasPrefix(name, "sqlite_") {
			t.Errorf("counts include %s, which is SQLite's or the search index's", name)
		}
	}
	tables, _ := ro.Tables(ctx)
	if !slices.Contains(tables, "entry_bodies") || !slices.IsSorted(tables) {
		t.Errorf("Tables = %v", tables)
	}
	files, err := ro.MediaFiles(ctx)
	if err != nil || len(files) != 1 || files[0].SHA256 != sha || files[0].Ext != "png" || files[0].Size != 42 || !strings.Contains(files[0].Variants, "480") {
		t.Errorf("MediaFiles = %+v, %v", files, err)
	}
}

// TestIntegrityCheckFindsDamage overwrites pages in the middle of a
// database: the check must report it (or fail to read it), never pass.
func TestIntegrityCheckFindsDamage(t *testing.T) {
	s, path := openTemp(t)
	for i := range 300 {
		insertUser(t, s, i)
	}
	s.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 2048))
	if _, err := f.WriteAt(junk, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ro, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		return // too damaged to open is a finding too
	}
	defer ro.Close()
	probs, err := ro.IntegrityCheck(context.Background(), 10)
	if err == nil && len(probs) == 0 {
		t.Fatalf("IntegrityCheck passed a damaged database")
	}
	t.Logf("problems: %v %v", probs, err)
}

func TestForeignKeyCheck(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if probs, n, err := openRO(t, path).ForeignKeyCheck(ctx, 0); err != nil || n != 0 || len(probs) != 0 {
		t.Fatalf("ForeignKeyCheck of a sound database = %v, %d, %v", probs, n, err)
	}
	// The writer is one connection: switch its checks off to plant a row
	// that refers to nothing, as a bug or a hand edit could.
	s.w.Exec(`PRAGMA foreign_keys = OFF`)
	if err := s.w.Exec(`INSERT INTO entry_tags (entry_id, tag_id, position) VALUES (41, 42, 0)`).Error; err != nil {
		t.Fatal(err)
	}
	probs, n, err := openRO(t, path).ForeignKeyCheck(ctx, 1)
	if err != nil || n != 2 || len(probs) != 1 || !strings.Contains(probs[0], "entry_tags") {
		t.Errorf("ForeignKeyCheck = %v, %d, %v; want two missing parents, one described", probs, n, err)
	}
}
