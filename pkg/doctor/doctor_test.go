package doctor_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/app"
	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/doctor"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/media/s3test"
	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/store/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	s3test.Cleanup()
	pgtest.Stop()
	os.Exit(code)
}

// site is a real data dir, as folio serve leaves it: a migrated database
// holding one image (an original and a variant), the JWT secret, and the
// store closed; its media in the data dir or in a bucket.
type site struct {
	dir   string
	cfg   config.Config
	item  library.Item
	media media.Storage
}

// newSite makes a site with its media in the data dir.
func newSite(t *testing.T) (dir string, item library.Item) {
	s := newSiteOn(t, config.MediaLocal)
	return s.dir, s.item
}

// newSiteOn makes a site with its media in the store named (local or s3:
// a new bucket of the shared S3 test server).
func newSiteOn(t *testing.T, store string) *site {
	t.Helper()
	if store == config.MediaS3 {
		return newSiteIn(t, s3test.NewBucket(t))
	}
	return newSiteIn(t, s3test.Bucket{})
}

func newSiteIn(t *testing.T, b s3test.Bucket) *site {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	cfg := config.Default()
	cfg.DataDir, cfg.PublicURL = dir, "http://folio.test"
	if b.Name != "" {
		cfg.MediaStore = config.MediaS3
		cfg.S3 = config.S3{Endpoint: b.Server.Endpoint, Bucket: b.Name, Region: s3test.Region, Prefix: b.Prefix, PathStyle: true,
			AccessKeyID: s3test.AccessKey, SecretAccessKey: s3test.SecretKey}
	}
	h, err := auth.NewHasher(10)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, cfg, app.Options{Hasher: h})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	lib := a.Library
	m := image.NewRGBA(image.Rect(0, 0, 600, 200))
	for i := range m.Pix {
		m.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	png.Encode(&buf, m)
	item, _, err := lib.Upload(ctx, auth.System, &buf, "x.png", "alt", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(item.Variants) != 1 {
		t.Fatalf("%d variants, want 1", len(item.Variants))
	}
	return &site{dir: dir, cfg: cfg, item: item, media: lib.Storage}
}

// options are the doctor's options for the site, as `folio doctor` makes
// them from the same settings.
func (s *site) options() doctor.Options { return doctor.Options{DataDir: s.dir, Media: s.media} }

func run(t *testing.T, opt doctor.Options) *doctor.Report {
	t.Helper()
	r := doctor.Run(context.Background(), opt)
	var b strings.Builder
	r.WriteText(&b, 0)
	t.Log("\n" + b.String())
	return r
}

// find returns the first finding of check with severity sev.
func find(r *doctor.Report, check string, sev doctor.Severity) *doctor.Finding {
	for i, f := range r.Findings {
		if f.Check == check && f.Severity == sev {
			return &r.Findings[i]
		}
	}
	return nil
}

func key(url string) string { return strings.TrimPrefix(url, "http://folio.test/media/") }

func TestHealthySite(t *testing.T) {
	dir, _ := newSite(t)
	db := filepath.Join(dir, store.FileName)
	before, _ := os.ReadFile(db)
	r := run(t, doctor.Options{DataDir: dir})
	if r.Worst() != doctor.OK {
		t.Errorf("a healthy site: worst = %v", r.Worst())
	}
	for _, check := range []string{"config", "data dir", "database", "migrations", "media"} {
		if find(r, check, doctor.OK) == nil {
			t.Errorf("no passing %q check", check)
		}
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Errorf("doctor changed the database file")
	}
	var out bytes.Buffer
	if err := r.WriteJSON(&out); err != nil || !json.Valid(out.Bytes()) || !strings.Contains(out.String(), `"severity": "ok"`) {
		t.Errorf("WriteJSON: %v\n%s", err, out.String())
	}
}

// TestMediaFindings: an orphan file (old enough), a missing original, a
// missing variant; a fresh file that may belong to an upload in progress
// is not an orphan yet. On both stores.
func TestMediaFindings(t *testing.T) {
	for _, store := range []string{config.MediaLocal, config.MediaS3} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newSiteOn(t, store)
			if r := run(t, s.options()); r.Worst() != doctor.OK {
				t.Fatalf("a healthy site: worst = %v", r.Worst())
			}
			orphan := "originals/00/11/" + strings.Repeat("0", 64) + ".png"
			if err := s.media.Put(ctx, orphan, strings.NewReader("nobody's")); err != nil {
				t.Fatal(err)
			}
			// Fresh: it may be an upload's, about to get its row.
			if r := run(t, s.options()); r.Worst() != doctor.OK {
				t.Errorf("a fresh file: worst = %v, want ok", r.Worst())
			}
			later := s.options()
			later.Now = func() time.Time { return time.Now().Add(time.Hour) }
			r := run(t, later)
			f := find(r, "media", doctor.Warning)
			if f == nil || len(f.Items) != 1 || f.Items[0] != orphan || f.Fix == "" {
				t.Fatalf("orphan finding = %+v", f)
			}
			if r.Worst() != doctor.Warning {
				t.Errorf("an orphan: worst = %v, want warning", r.Worst())
			}
			s.media.Delete(ctx, orphan)

			// The variant goes missing: a warning. The original: an error.
			s.media.Delete(ctx, key(s.item.Variants[0].URL))
			r = run(t, s.options())
			if f := find(r, "media", doctor.Warning); f == nil || !strings.Contains(f.Message, "variant is missing") || !strings.Contains(f.Items[0], key(s.item.Variants[0].URL)) {
				t.Errorf("missing variant: %+v", r.Findings)
			}
			s.media.Delete(ctx, key(s.item.URL))
			r = run(t, s.options())
			f = find(r, "media", doctor.Error)
			if f == nil || len(f.Items) != 1 || !strings.Contains(f.Items[0], key(s.item.URL)) || !strings.Contains(f.Items[0], "(media 1)") || f.Fix == "" {
				t.Fatalf("missing original: %+v", f)
			}
			if r.Worst() != doctor.Error {
				t.Errorf("a missing original: worst = %v, want error", r.Worst())
			}

			// An original of the wrong size is damaged.
			s.media.Put(ctx, key(s.item.URL), strings.NewReader("short"))
			r = run(t, s.options())
			if f := find(r, "media", doctor.Error); f == nil || !strings.Contains(f.Message, "not the size") {
				t.Errorf("damaged original: %+v", r.Findings)
			}
		})
	}
}

// TestMediaStoreFaults: a bucket that cannot be reached is an error that
// says so; files an item's deletion could not remove while the bucket was
// down are listed until the cleanup pass removes them.
func TestMediaStoreFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := s3test.Start(t)
	s := newSiteIn(t, srv.Bucket(t))
	srv.Stop(t)
	r := run(t, s.options())
	f := find(r, "media", doctor.Error)
	if f == nil || !strings.Contains(f.Message, "the media store cannot be used") || !strings.Contains(f.Message, "unreachable") || !strings.Contains(f.Fix, "FOLIO_S3_ENDPOINT") {
		t.Fatalf("unreachable store: %+v", r.Findings)
	}

	// Delete the item; the pass after the grace fails while the bucket is down.
	a, err := app.New(ctx, s.cfg, app.Options{Now: func() time.Time { return time.Now().Add(20 * time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Library.Delete(ctx, auth.System, s.item.ID, false); err != nil {
		t.Fatal(err)
	}
	if n, err := a.Library.Sweep(ctx); n != 0 || err != nil {
		t.Errorf("Sweep now: %d %v", n, err)
	}
	a.Close()
	a, err = app.New(ctx, s.cfg, app.Options{Now: func() time.Time { return time.Now().Add(40 * time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := a.Library.Sweep(ctx); n != 0 || err != nil {
		t.Errorf("Sweep with the bucket down: %d %v", n, err)
	}
	a.Close()
	srv.Restart(t)
	later := s.options()
	later.Now = func() time.Time { return time.Now().Add(time.Hour) }
	r = run(t, later)
	var orphans, waiting *doctor.Finding
	for i, f := range r.Findings {
		switch {
		case f.Check == "media" && strings.Contains(f.Message, "belong to no media item"):
			orphans = &r.Findings[i]
		case f.Check == "media" && strings.Contains(f.Message, "could not be deleted from the media store yet"):
			waiting = &r.Findings[i]
		}
	}
	if orphans != nil || waiting == nil || len(waiting.Items) != 1 || !strings.Contains(waiting.Items[0], "unreachable") {
		t.Fatalf("after a failed pass (the files wait for the next, and are not orphans): %+v", r.Findings)
	}
	// The pass removes them; then all is well.
	a, err = app.New(ctx, s.cfg, app.Options{Now: later.Now})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := a.Library.Sweep(ctx); n != 1 || err != nil {
		t.Errorf("Sweep: %d %v", n, err)
	}
	a.Close()
	if r := run(t, later); r.Worst() != doctor.OK {
		t.Errorf("after the pass: %+v", r.Findings)
	}
}

// TestCorruptedDatabase overwrites pages in the middle of the database.
func TestCorruptedDatabase(t *testing.T) {
	dir, _ := newSite(t)
	db := filepath.Join(dir, store.FileName)
	execSQL(t, db, `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)
		INSERT INTO audit_log (actor, action, record_type, details, created_at) SELECT 'test', 'filler', 'none', printf('{"n": %d}', i), CURRENT_TIMESTAMP FROM c`)
	f, _ := os.OpenFile(db, os.O_RDWR, 0)
	fi, _ := f.Stat()
	f.WriteAt(bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 2048), fi.Size()/2)
	f.Close()

	r := run(t, doctor.Options{DataDir: dir})
	fd := find(r, "database", doctor.Error)
	if fd == nil || !strings.Contains(fd.Message, "damaged") || !strings.Contains(fd.Fix, "folio restore") {
		t.Fatalf("corrupted database: %+v", r.Findings)
	}

	// A file that is not a database at all.
	os.WriteFile(db, []byte(strings.Repeat("not a database ", 1000)), 0o600)
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	r = run(t, doctor.Options{DataDir: dir})
	if find(r, "database", doctor.Error) == nil {
		t.Errorf("garbage database: %+v", r.Findings)
	}
}

func execSQL(t *testing.T, db, q string, args ...any) {
	t.Helper()
	c, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func countMigrations(t *testing.T, db string) int {
	c, _ := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	defer c.Close()
	var n int
	c.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	return n
}

// TestMigrations: a database newer than this folio is an error, one with
// pending migrations a warning, and doctor migrates neither.
func TestMigrations(t *testing.T) {
	dir, _ := newSite(t)
	db := filepath.Join(dir, store.FileName)
	n := store.SchemaVersion()

	execSQL(t, db, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', CURRENT_TIMESTAMP)`, n+1)
	r := run(t, doctor.Options{DataDir: dir})
	f := find(r, "migrations", doctor.Error)
	if f == nil || !strings.Contains(f.Message, "newer than this folio") {
		t.Fatalf("newer database: %+v", r.Findings)
	}
	if find(r, "media", doctor.OK) != nil || find(r, "media", doctor.Error) != nil {
		t.Errorf("doctor read the media table of a schema it does not know")
	}
	if got := countMigrations(t, db); got != n+1 {
		t.Errorf("schema_migrations has %d rows after doctor, want %d", got, n+1)
	}

	execSQL(t, db, `DELETE FROM schema_migrations WHERE version >= ?`, n)
	r = run(t, doctor.Options{DataDir: dir})
	f = find(r, "migrations", doctor.Warning)
	if f == nil || !strings.Contains(f.Message, "1 pending migration ") || !strings.Contains(f.Fix, "folio backup") {
		t.Fatalf("pending migration: %+v", r.Findings)
	}
	if r.Worst() != doctor.Warning {
		t.Errorf("pending migration: worst = %v, want warning", r.Worst())
	}
	if got := countMigrations(t, db); got != n-1 {
		t.Errorf("doctor applied migrations: %d rows, want %d", got, n-1)
	}

	execSQL(t, db, `UPDATE schema_migrations SET name = 'something else' WHERE version = 1`)
	r = run(t, doctor.Options{DataDir: dir})
	if f := find(r, "migrations", doctor.Error); f == nil || !strings.Contains(f.Message, "another build") {
		t.Errorf("renamed migration: %+v", r.Findings)
	}
}

func TestDataDirFindings(t *testing.T) {
	dir, _ := newSite(t)
	secret := filepath.Join(dir, "jwt_secret")
	os.Chmod(secret, 0o644)
	os.Chmod(dir, 0o777)
	os.WriteFile(filepath.Join(dir, "tmp", "upload-123"), []byte("half an upload"), 0o600)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(filepath.Join(dir, "tmp", "upload-123"), old, old)
	os.Chmod(filepath.Join(dir, store.FileName), 0o644)

	r := run(t, doctor.Options{DataDir: dir, ConfigErr: errors.New("public API mode \"sometimes\": want \"open\" or \"token\"")})
	want := map[string]string{
		"config":   "sometimes",
		"data dir": "writable by every user",
		"tmp":      "interrupted uploads",
	}
	for check, text := range want {
		found := false
		for _, f := range r.Findings {
			found = found || (f.Check == check && f.Severity != doctor.OK && strings.Contains(f.Message, text) && f.Fix != "")
		}
		if !found {
			t.Errorf("no %s finding saying %q", check, text)
		}
	}
	var msgs []string
	for _, f := range r.Findings {
		msgs = append(msgs, f.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, text := range []string{"jwt_secret has mode -rw-r--r--", "folio.db is readable by every user"} {
		if !strings.Contains(all, text) {
			t.Errorf("no finding saying %q", text)
		}
	}
	if find(r, "config", doctor.Error) == nil || r.Worst() != doctor.Error {
		t.Errorf("an invalid configuration is not an error")
	}

	// With FOLIO_JWT_SECRET set, the file is not used: a short one is fine.
	os.Chmod(dir, 0o750)
	os.WriteFile(secret, []byte("short\n"), 0o600)
	if r := run(t, doctor.Options{DataDir: dir, SecretConfigured: true}); strings.Contains(dump(r), "shorter than 32") {
		t.Errorf("a short unused secret was reported")
	}
	if r := run(t, doctor.Options{DataDir: dir}); find(r, "data dir", doctor.Error) == nil || !strings.Contains(dump(r), "shorter than 32") {
		t.Errorf("a short secret was not an error")
	}
	// Files owned by another user, as after a restore run as root.
	if os.Geteuid() == 0 {
		os.Chown(filepath.Join(dir, store.FileName), 12345, 12345)
		if r := run(t, doctor.Options{DataDir: dir}); !strings.Contains(dump(r), "different users") {
			t.Errorf("mixed owners were not reported")
		}
	}
}

func dump(r *doctor.Report) string {
	var b strings.Builder
	r.WriteText(&b, 0)
	return b.String()
}

func TestMissingDataDirAndDatabase(t *testing.T) {
	r := run(t, doctor.Options{DataDir: filepath.Join(t.TempDir(), "nope")})
	if f := find(r, "data dir", doctor.Error); f == nil || !strings.Contains(f.Fix, "FOLIO_DATA_DIR") {
		t.Errorf("missing data dir: %+v", r.Findings)
	}
	if len(r.Findings) != 2 {
		t.Errorf("checks went on without a data dir: %+v", r.Findings)
	}
	empty := t.TempDir()
	r = run(t, doctor.Options{DataDir: empty})
	if f := find(r, "database", doctor.Warning); f == nil || !strings.Contains(f.Fix, "folio serve creates it") {
		t.Errorf("no database: %+v", r.Findings)
	}
	if ents, _ := os.ReadDir(empty); len(ents) != 0 {
		t.Errorf("doctor wrote into an empty data dir: %v", ents)
	}
}
