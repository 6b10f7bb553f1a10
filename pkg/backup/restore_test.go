package backup_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/backup"
	"github.com/folio-cms/folio/pkg/media/s3test"
	"github.com/folio-cms/folio/pkg/store"
)

// goodArchive backs up a filled site and returns the archive's path.
func goodArchive(t *testing.T) (string, *site) {
	t.Helper()
	s := newSite(t)
	s.fill(t)
	out := filepath.Join(t.TempDir(), "good.tar.gz")
	if _, err := backup.Create(context.Background(), backup.CreateOptions{DataDir: s.dir, Out: out, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	return out, s
}

// entry is one entry of a hand-made archive.
type entry struct {
	hdr  tar.Header
	body []byte
}

// rewrite copies an archive through edit, which may change, drop (nil) or
// add entries, and returns the new archive's path.
func rewrite(t *testing.T, src string, edit func([]entry) []entry) string {
	t.Helper()
	hdrs, bodies := archiveEntries(t, src)
	var es []entry
	for _, h := range hdrs {
		es = append(es, entry{*h, bodies[h.Name]})
	}
	es = edit(es)
	dst := filepath.Join(t.TempDir(), "edited.tar.gz")
	writeEntries(t, dst, es)
	return dst
}

func writeEntries(t *testing.T, dst string, es []entry) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, e := range es {
		h := e.hdr
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		tw.Write(e.body)
	}
	tw.Close()
	gz.Close()
	f.Close()
}

// editManifest changes the manifest (the first entry).
func editManifest(t *testing.T, es []entry, fn func(m *backup.Manifest)) []entry {
	t.Helper()
	var m backup.Manifest
	if err := json.Unmarshal(es[0].body, &m); err != nil {
		t.Fatal(err)
	}
	fn(&m)
	es[0].body, _ = json.Marshal(m)
	return es
}

// withFile adds a file to the manifest (with its true checksum) and to the
// archive, as a forger who knows the format would.
func withFile(t *testing.T, es []entry, hdr tar.Header, body []byte) []entry {
	es = editManifest(t, es, func(m *backup.Manifest) {
		m.Files = append(m.Files, backup.File{Path: hdr.Name, Size: int64(len(body)), SHA256: sha(body)})
	})
	return append(es, entry{hdr, body})
}

func reg(name string) tar.Header {
	return tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, ModTime: time.Now()}
}

// assertUntouched fails unless dir holds exactly the names in want.
func assertUntouched(t *testing.T, dir string, want ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) && len(want) == 0 {
		return
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s holds %v after a refused restore, want %v", dir, got, want)
	}
}

func TestRestoreRefusesTamperedArchives(t *testing.T) {
	good, _ := goodArchive(t)
	ctx := context.Background()
	flip := func(name string) func([]entry) []entry {
		return func(es []entry) []entry {
			for i := range es {
				if es[i].hdr.Name == name || (name == "media" && strings.HasPrefix(es[i].hdr.Name, "media/")) {
					b := []byte(string(es[i].body))
					b[len(b)/2] ^= 0x01
					es[i].body = b
					return es
				}
			}
			t.Fatalf("no %s in the archive", name)
			return nil
		}
	}
	tests := []struct {
		name string
		edit func([]entry) []entry
		want string
	}{
		{"a media file's byte", flip("media"), "does not match the manifest"},
		{"a byte of the database", flip("folio.db"), "does not match the manifest"},
		{"the secret", flip("jwt_secret"), "does not match the manifest"},
		{"a file left out", func(es []entry) []entry { return es[:len(es)-1] }, "not in the archive"},
		{"a file cut short", func(es []entry) []entry {
			es[len(es)-1].body = es[len(es)-1].body[:10]
			return es
		}, "does not match the manifest"},
		{"counts that the database does not hold", func(es []entry) []entry {
			return editManifest(t, es, func(m *backup.Manifest) { m.Counts.Tables["users"]++ })
		}, "does not hold what its manifest counts"},
		{"a newer schema", func(es []entry) []entry {
			return editManifest(t, es, func(m *backup.Manifest) { m.SchemaVersion = store.SchemaVersion() + 1 })
		}, "newer than this folio"},
		{"a newer format", func(es []entry) []entry {
			return editManifest(t, es, func(m *backup.Manifest) { m.Format = backup.FormatVersion + 1 })
		}, "newer folio"},
		{"no manifest first", func(es []entry) []entry { return append(es[1:], es[0]) }, "not a folio backup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := rewrite(t, good, tt.edit)
			for _, existing := range []bool{false, true} {
				dir := filepath.Join(t.TempDir(), "data")
				if existing {
					os.Mkdir(dir, 0o750)
				}
				_, err := backup.Restore(ctx, backup.RestoreOptions{Archive: bad, DataDir: dir})
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("Restore = %v, want an error containing %q", err, tt.want)
				}
				assertUntouched(t, dir)
				if existing {
					if _, err := os.Stat(dir); err != nil {
						t.Errorf("the existing empty dir was removed")
					}
				}
			}
			if _, err := backup.Verify(ctx, bad, t.TempDir()); err == nil {
				t.Errorf("Verify passed a tampered archive")
			}
		})
	}
	var ce *backup.ChecksumError
	_, err := backup.Restore(ctx, backup.RestoreOptions{Archive: rewrite(t, good, flip("media")), DataDir: t.TempDir()})
	if !errors.As(err, &ce) || !strings.HasPrefix(ce.Path, "media/") {
		t.Errorf("a flipped media byte: %v, want a *ChecksumError naming the file", err)
	}
	if m, err := backup.Verify(ctx, good, t.TempDir()); err != nil || m.Counts.Tables["entries"] != 3 {
		t.Errorf("Verify of a good archive = %v", err)
	}
}

// TestRestoreRefusesUnsafeEntries offers archives whose entries would
// write outside the data dir or are not plain files, even when the
// manifest lists them with correct checksums. Nothing may be written,
// inside the data dir or beside it.
func TestRestoreRefusesUnsafeEntries(t *testing.T) {
	good, _ := goodArchive(t)
	body := []byte("pwned\n")
	symlink := tar.Header{Typeflag: tar.TypeSymlink, Name: "media/originals/aa/bb/link.png", Linkname: "/etc/passwd", ModTime: time.Now()}
	hardlink := tar.Header{Typeflag: tar.TypeLink, Name: "media/originals/aa/bb/hard.png", Linkname: "folio.db", ModTime: time.Now()}
	device := tar.Header{Typeflag: tar.TypeChar, Name: "media/originals/aa/bb/dev.png", Devmajor: 1, Devminor: 3, ModTime: time.Now()}
	fifo := tar.Header{Typeflag: tar.TypeFifo, Name: "media/originals/aa/bb/fifo.png", ModTime: time.Now()}
	dir := tar.Header{Typeflag: tar.TypeDir, Name: "media/originals/", ModTime: time.Now()}
	tests := []struct {
		name string
		edit func([]entry) []entry
	}{
		{"dot-dot", func(es []entry) []entry { return withFile(t, es, reg("../evil"), body) }},
		{"dot-dot, in the archive only", func(es []entry) []entry { return append(es, entry{reg("../evil"), body}) }},
		{"absolute, in the archive only", func(es []entry) []entry { return append(es, entry{reg("/tmp/evil"), body}) }},
		{"dot-dot inside media", func(es []entry) []entry { return withFile(t, es, reg("media/../../evil"), body) }},
		{"absolute", func(es []entry) []entry { return withFile(t, es, reg("/tmp/evil"), body) }},
		{"backslash", func(es []entry) []entry { return withFile(t, es, reg(`media\..\..\evil`), body) }},
		{"unknown top-level file", func(es []entry) []entry { return withFile(t, es, reg("evil.sh"), body) }},
		{"a media temporary file", func(es []entry) []entry { return withFile(t, es, reg("media/originals/aa/.tmp-1"), body) }},
		{"not in the manifest", func(es []entry) []entry { return append(es, entry{reg("media/originals/aa/bb/extra.png"), body}) }},
		{"twice", func(es []entry) []entry { return append(es, es[len(es)-1]) }},
		{"symlink", func(es []entry) []entry { return withFile(t, es, symlink, nil) }},
		{"hard link", func(es []entry) []entry { return withFile(t, es, hardlink, nil) }},
		{"device", func(es []entry) []entry { return withFile(t, es, device, nil) }},
		{"fifo", func(es []entry) []entry { return withFile(t, es, fifo, nil) }},
		{"directory", func(es []entry) []entry { return withFile(t, es, dir, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := rewrite(t, good, tt.edit)
			parent := t.TempDir()
			data := filepath.Join(parent, "data")
			_, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: bad, DataDir: data})
			if err == nil {
				t.Fatal("Restore accepted it")
			}
			t.Log(err)
			assertUntouched(t, data)
			assertUntouched(t, parent)
			if _, err := os.Stat("/tmp/evil"); err == nil {
				t.Errorf("/tmp/evil was written")
			}
		})
	}
}

// TestRestoreIntoNonEmptyDir refuses without --force and leaves the dir as
// it was; with force it replaces the contents; a failing forced restore
// leaves the old contents in place.
func TestRestoreIntoNonEmptyDir(t *testing.T) {
	good, src := goodArchive(t)
	ctx := context.Background()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "folio.db"), []byte("the old database"), 0o600)
	os.WriteFile(filepath.Join(dir, "folio.db-wal"), []byte("its old wal"), 0o600)
	os.MkdirAll(filepath.Join(dir, "media", "originals"), 0o755)
	os.WriteFile(filepath.Join(dir, "media", "originals", "old.png"), []byte("old"), 0o644)

	_, err := backup.Restore(ctx, backup.RestoreOptions{Archive: good, DataDir: dir})
	var ne *backup.NotEmptyError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("Restore into a non-empty dir = %v, want *NotEmptyError mentioning --force", err)
	}
	assertUntouched(t, dir, "folio.db", "folio.db-wal", "media")

	// A forced restore of a damaged archive changes nothing.
	bad := rewrite(t, good, func(es []entry) []entry {
		es[len(es)-1].body = append([]byte(nil), es[len(es)-1].body...)
		es[len(es)-1].body[0] ^= 0xff
		return es
	})
	if _, err := backup.Restore(ctx, backup.RestoreOptions{Archive: bad, DataDir: dir, Force: true}); err == nil {
		t.Fatal("a forced restore of a damaged archive succeeded")
	}
	assertUntouched(t, dir, "folio.db", "folio.db-wal", "media")
	if b, _ := os.ReadFile(filepath.Join(dir, "folio.db")); string(b) != "the old database" {
		t.Errorf("the old database was changed by a failed restore")
	}

	res, err := backup.Restore(ctx, backup.RestoreOptions{Archive: good, DataDir: dir, Force: true})
	if err != nil {
		t.Fatalf("forced Restore: %v", err)
	}
	if strings.Join(res.Replaced, ",") != "folio.db,folio.db-wal,media" {
		t.Errorf("Replaced = %v", res.Replaced)
	}
	for _, gone := range []string{"folio.db-wal", "media/originals/old.png"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); err == nil {
			t.Errorf("%s survived a forced restore", gone)
		}
	}
	if got, want := dump(t, filepath.Join(dir, "folio.db")), dump(t, filepath.Join(src.dir, "folio.db")); got != want {
		t.Errorf("the restored database differs from the one backed up (nothing changed in between)")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".folio-restore") {
			t.Errorf("%s left behind", e.Name())
		}
	}

	// A data dir holding an interrupted restore's earlier contents is
	// refused even with force: they may be all that is left of it.
	os.Mkdir(filepath.Join(dir, ".folio-restore-previous-123"), 0o700)
	if _, err := backup.Restore(ctx, backup.RestoreOptions{Archive: good, DataDir: dir, Force: true}); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("restore over an interrupted restore's leftovers = %v", err)
	}
}

func TestCreateRefusals(t *testing.T) {
	s := newSite(t)
	s.fill(t)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	os.WriteFile(out, []byte("an older backup"), 0o600)
	if _, err := backup.Create(ctx, backup.CreateOptions{DataDir: s.dir, Out: out}); !errors.Is(err, backup.ErrExists) {
		t.Errorf("Create over an existing file = %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "an older backup" {
		t.Errorf("the existing file was changed")
	}
	if _, err := backup.Create(ctx, backup.CreateOptions{DataDir: s.dir, Out: out, Force: true}); err != nil {
		t.Errorf("Create --force: %v", err)
	}
	if _, err := backup.Verify(ctx, out, t.TempDir()); err != nil {
		t.Errorf("the forced backup: %v", err)
	}

	// A data dir without a database: an error, and no file at all.
	none := filepath.Join(t.TempDir(), "none.tar.gz")
	if _, err := backup.Create(ctx, backup.CreateOptions{DataDir: t.TempDir(), Out: none}); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("Create of an empty dir = %v", err)
	}
	// A database newer than this folio: refused, and nothing left behind.
	newer := newSite(t)
	newer.st.Close()
	bumpSchema(t, filepath.Join(newer.dir, store.FileName))
	if _, err := backup.Create(ctx, backup.CreateOptions{DataDir: newer.dir, Out: none}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Create of a newer database = %v", err)
	}
	for _, p := range []string{none, none + ".tmp"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("a failed Create left %s", p)
		}
	}
	if ents, _ := os.ReadDir(filepath.Join(newer.dir, "tmp")); len(ents) != 0 {
		t.Errorf("a failed Create left its staging dir: %v", ents)
	}
}

// bumpSchema records a migration this binary does not know.
func bumpSchema(t *testing.T, db string) {
	t.Helper()
	sqldb, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	if _, err := sqldb.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', CURRENT_TIMESTAMP)`, store.SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
}

// TestCreateRecordsMissingMedia deletes an image's file before the backup:
// the backup succeeds, says so in its manifest, and restores. On both
// stores.
func TestCreateRecordsMissingMedia(t *testing.T) {
	for _, kind := range stores {
		t.Run(kind, func(t *testing.T) {
			s := newSiteOn(t, kind)
			it := s.upload(t, 5)
			key := strings.TrimPrefix(it.URL, "http://folio.test/media/")
			if s.media == nil {
				if err := os.Remove(filepath.Join(s.dir, "media", key)); err != nil {
					t.Fatal(err)
				}
			} else if err := s.media.Delete(context.Background(), key); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "b.tar.gz")
			m, err := backup.Create(context.Background(), backup.CreateOptions{DataDir: s.dir, Out: out, WithoutSecret: true, Media: s.media})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.MissingMedia) != 1 || m.MissingMedia[0] != key || len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], "missing") {
				t.Errorf("manifest: missing %v, warnings %v; want %s", m.MissingMedia, m.Warnings, key)
			}
			if m.HasSecret() {
				t.Errorf("WithoutSecret: the backup holds the secret")
			}
			if n, _ := m.MediaFiles(); n != len(it.Variants) {
				t.Errorf("backed up %d media files, want the %d variants", n, len(it.Variants))
			}
			dst := mediaStore(t, kind)
			res, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: out, DataDir: t.TempDir(), Media: dst})
			if err != nil || len(res.Manifest.MissingMedia) != 1 {
				t.Fatalf("Restore: %v", err)
			}
			if dst != nil && res.MediaStored != len(it.Variants) {
				t.Errorf("put %d files into the bucket, want %d", res.MediaStored, len(it.Variants))
			}
		})
	}
}

// TestRestoreIntoAStoreThatRefuses: a bucket that refuses the media files
// fails the restore before the data dir is touched.
func TestRestoreIntoAStoreThatRefuses(t *testing.T) {
	archive, _ := goodArchive(t)
	b := s3test.NewBucket(t)
	refusing := b.Refusing(t, func(r *http.Request) bool { return r.Method == http.MethodPut })
	dir := filepath.Join(t.TempDir(), "data")
	_, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: archive, DataDir: dir, Media: refusing.Store(t)})
	if err == nil || !strings.Contains(err.Error(), "put the media files back") || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("Restore into a refusing bucket: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the failed restore left %s", dir)
	}
}
