package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/folio-cms/folio/pkg/app"
	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/backup"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/media/s3test"
	"github.com/folio-cms/folio/pkg/store"
)

func TestMain(m *testing.M) {
	code := m.Run()
	s3test.Cleanup()
	os.Exit(code)
}

// site is a real folio data dir: a store, the JWT secret, a media library
// (in the data dir, or in a bucket).
type site struct {
	dir   string
	st    *store.Store
	svc   *content.Service
	lib   *library.Service
	admin auth.Principal
	media media.Storage
}

func newSite(t *testing.T) *site { t.Helper(); return newSiteOn(t, config.MediaLocal) }

// stores are the media stores the backup tests run on.
var stores = []string{config.MediaLocal, config.MediaS3}

// mediaStore is a new, empty store of the kind named: nil for the data
// dir's media/, or a new bucket of the shared S3 test server.
func mediaStore(t *testing.T, kind string) media.Storage {
	if kind != config.MediaS3 {
		return nil
	}
	return s3test.NewBucket(t).WithPrefix("folio/").Store(t)
}

func newSiteOn(t *testing.T, kind string) *site {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	h, _ := auth.NewHasher(10)
	cfg := config.Default()
	cfg.DataDir, cfg.PublicURL = dir, "http://folio.test"
	if kind == config.MediaS3 {
		b := s3test.NewBucket(t).WithPrefix("folio/")
		cfg.MediaStore = config.MediaS3
		cfg.S3 = config.S3{Endpoint: b.Server.Endpoint, Bucket: b.Name, Region: s3test.Region, Prefix: b.Prefix, PathStyle: true,
			AccessKeyID: s3test.AccessKey, SecretAccessKey: s3test.SecretKey}
	}
	a, err := app.New(ctx, cfg, app.Options{Hasher: h}) // the data dir as folio serve makes it
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	u, err := a.Auth.CreateUser(ctx, auth.System, auth.NewUser{Email: "admin@example.com", Role: auth.RoleAdmin, NoPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	s := &site{dir: dir, st: a.Store, svc: a.Content, lib: a.Library, admin: auth.Principal{User: u}}
	if kind == config.MediaS3 {
		s.media = a.Library.Storage
	}
	return s
}

// readMedia reads the file under key from st (nil: dir's media/).
func readMedia(t testing.TB, st media.Storage, dir, key string) ([]byte, error) {
	t.Helper()
	if st == nil {
		return os.ReadFile(filepath.Join(dir, "media", filepath.FromSlash(key)))
	}
	f, err := st.Open(context.Background(), key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// storedKeys lists what st (nil: dir's media/) holds.
func storedKeys(t testing.TB, st media.Storage, dir string) []string {
	t.Helper()
	if st == nil {
		return filesUnder(t, filepath.Join(dir, "media"))
	}
	var keys []string
	if err := st.(media.Lister).List(context.Background(), func(o media.Object) error { keys = append(keys, o.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

// pngOf returns a distinct w×h PNG for each seed.
func pngOf(t testing.TB, seed uint64, w, h int) []byte {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for i := range m.Pix {
		m.Pix[i] = uint8(r.UintN(256))
		if i%4 == 3 {
			m.Pix[i] = 255
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (s *site) upload(t testing.TB, seed uint64) library.Item {
	t.Helper()
	it, _, err := s.lib.Upload(context.Background(), s.admin, bytes.NewReader(pngOf(t, seed, 520, 300)), fmt.Sprintf("pic-%d.png", seed), "a picture", "")
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func (s *site) post(t testing.TB, title string, cover *content.Image) content.Entry {
	t.Helper()
	e, err := s.svc.Create(context.Background(), s.admin, content.Post, content.Input{Fields: content.Fields{
		Title: title, CoverImage: cover, Prose: content.Prose{Body: "# " + title + "\n\nSome *words* about " + title + "."}, PostFields: content.PostFields{Tags: []string{"go", "backups"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// fill gives a site some of everything: posts (one published, one
// trashed), a case study and two images, one of them used as a cover.
func (s *site) fill(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	a := s.upload(t, 1)
	s.upload(t, 2)
	p := s.post(t, "First", &content.Image{MediaID: a.ID, Alt: "a cover"})
	if _, err := s.svc.Apply(ctx, s.admin, content.Post, p.ID, content.ActionPublish, content.ActionOptions{}); err != nil {
		t.Fatal(err)
	}
	q := s.post(t, "Second", nil)
	if _, err := s.svc.Trash(ctx, s.admin, content.Post, q.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Create(ctx, s.admin, content.CaseStudy, content.Input{Fields: content.Fields{Title: "A study", CaseStudyFields: content.CaseStudyFields{Client: "ACME", Challenge: "Hard", Solution: "Easy", Results: "Good"}}}); err != nil {
		t.Fatal(err)
	}
}

// dump reads every row of every table of a database file, in a canonical
// order (by every column: VACUUM may renumber the hidden rowids of tables
// without an INTEGER PRIMARY KEY), as text.
func dump(t testing.TB, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_loc=UTC")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var names []struct{ name, typ string }
	rows, err := tx.Query(`SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n, ty string
		rows.Scan(&n, &ty)
		names = append(names, struct{ name, typ string }{n, ty})
	}
	rows.Close()
	var b strings.Builder
	for _, tb := range names {
		cols := "*"
		if tb.typ == "virtual" {
			cols = "rowid, *"
		}
		rows, err := tx.Query(fmt.Sprintf(`SELECT %s FROM "%s"`, cols, tb.name))
		if err != nil {
			t.Fatalf("dump %s: %v", tb.name, err)
		}
		colNames, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(colNames))
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var l strings.Builder
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&l, "%s=%v\t", colNames[i], v)
			}
			lines = append(lines, l.String())
		}
		rows.Close()
		slices.Sort(lines)
		fmt.Fprintf(&b, "== %s (%d rows)\n%s\n", tb.name, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// archiveEntries lists an archive's entries in order with their bytes.
func archiveEntries(t testing.TB, path string) ([]*tar.Header, map[string][]byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var hdrs []*tar.Header
	bodies := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		hdrs = append(hdrs, h)
		bodies[h.Name] = b
	}
	return hdrs, bodies
}

// filesUnder lists the regular files under dir as slash paths.
func filesUnder(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// TestBackupUnderWriteLoadRestoresOneInstant takes a backup while three
// goroutines keep changing the site through the content services
// (creating, editing, publishing and trashing entries, uploading and
// deleting media), restores it into a fresh data dir, and compares every
// row of every table of the restored database with the states the live
// database went through: the restored data must be exactly the database at
// one instant, not a mix, and every media file it refers to must be there
// with the right bytes.
//
// Each change is one write transaction; the writers take turns on a mutex
// only so that the test can read the state after each change (SQLite runs
// one write at a time anyway). The backup takes no part in that mutex.
func TestBackupUnderWriteLoadRestoresOneInstant(t *testing.T) {
	for _, kind := range stores {
		t.Run(kind, func(t *testing.T) { backupUnderWriteLoad(t, kind) })
	}
}

func backupUnderWriteLoad(t *testing.T, kind string) {
	s := newSiteOn(t, kind)
	s.fill(t)
	ctx := context.Background()
	livePath := filepath.Join(s.dir, store.FileName)

	var (
		mu      sync.Mutex
		history = []string{dump(t, livePath)}
		ops     atomic.Int64
		seed    atomic.Uint64
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	seed.Store(100)
	op := func(r *rand.Rand) error {
		mu.Lock()
		defer mu.Unlock()
		list, err := s.svc.List(ctx, s.admin, content.Post, content.Query{Page: 1, PerPage: 100})
		if err != nil {
			return err
		}
		pick := func() *content.Entry {
			if len(list.Items) == 0 {
				return nil
			}
			return &list.Items[r.IntN(len(list.Items))]
		}
		switch r.IntN(6) {
		case 0:
			_, err = s.svc.Create(ctx, s.admin, content.Post, content.Input{Fields: content.Fields{Title: fmt.Sprintf("Post %d", seed.Add(1)), Prose: content.Prose{Body: "Hello *world*."}}})
		case 1:
			if e := pick(); e != nil {
				f := e.Fields
				f.Body += fmt.Sprintf("\n\nEdit %d.", r.IntN(1000))
				_, err = s.svc.Update(ctx, s.admin, content.Post, e.ID, e.Version, content.Input{Fields: f})
			}
		case 2:
			if e := pick(); e != nil && e.Status == content.Draft {
				_, err = s.svc.Apply(ctx, s.admin, content.Post, e.ID, content.ActionPublish, content.ActionOptions{})
			}
		case 3:
			it, _, uerr := s.lib.Upload(ctx, s.admin, bytes.NewReader(pngOf(t, seed.Add(1), 500+r.IntN(40), 200)), "x.png", "alt", "")
			if err = uerr; err == nil && r.IntN(2) == 0 {
				_, err = s.svc.Create(ctx, s.admin, content.Post, content.Input{Fields: content.Fields{Title: fmt.Sprintf("Cover %d", seed.Add(1)), CoverImage: &content.Image{MediaID: it.ID, Alt: "c"}}})
			}
		case 4:
			items, lerr := s.lib.List(ctx, s.admin, "", "", 1, 100)
			if err = lerr; err == nil && len(items.Items) > 3 {
				it := items.Items[r.IntN(len(items.Items))]
				if _, uses, _ := s.lib.Get(ctx, s.admin, it.ID); len(uses) == 0 {
					err = s.lib.Delete(ctx, s.admin, it.ID, false)
				}
			}
		case 5:
			if e := pick(); e != nil && len(list.Items) > 5 {
				_, err = s.svc.Trash(ctx, s.admin, content.Post, e.ID)
			}
		}
		if err != nil {
			return err
		}
		history = append(history, dump(t, livePath))
		ops.Add(1)
		return nil
	}
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := op(r); err != nil {
					t.Errorf("writer %d: %v", g, err)
					return
				}
			}
		}()
	}
	for ops.Load() < 15 {
		time.Sleep(5 * time.Millisecond)
	}

	archive := filepath.Join(t.TempDir(), "folio.tar.gz")
	before := ops.Load()
	m, err := backup.Create(ctx, backup.CreateOptions{DataDir: s.dir, Out: archive, Version: "test", Media: s.media})
	during := ops.Load() - before
	for ops.Load() < before+during+5 { // and some more after it
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Create under load: %v", err)
	}
	t.Logf("%d changes before the backup, %d while it ran, %d in all; manifest: %d files, warnings %q", before, during, ops.Load(), len(m.Files), m.Warnings)

	// The archive: manifest first, then the database, the secret, media.
	hdrs, bodies := archiveEntries(t, archive)
	var names []string
	for _, h := range hdrs {
		names = append(names, h.Name)
	}
	if len(names) < 3 || names[0] != "manifest.json" || names[1] != "folio.db" || names[2] != "jwt_secret" || !slices.IsSorted(names[3:]) {
		t.Errorf("archive entries = %v; want manifest.json, folio.db, jwt_secret, then media/… sorted", names)
	}
	for _, f := range m.Files {
		if b, ok := bodies[f.Path]; !ok || sha(b) != f.SHA256 || int64(len(b)) != f.Size {
			t.Errorf("%s: in archive %v, checksum or size differs from the manifest", f.Path, ok)
		}
	}
	if fi, _ := os.Stat(archive); fi.Mode().Perm() != 0o600 {
		t.Errorf("archive mode %v, want 0600: it holds the secret and password hashes", fi.Mode().Perm())
	}
	if _, err := os.Stat(archive + ".tmp"); err == nil {
		t.Errorf("%s.tmp left behind", archive)
	}

	// Restore into a fresh dir (and a fresh bucket).
	dst := filepath.Join(t.TempDir(), "restored")
	dstMedia := mediaStore(t, kind)
	res, err := backup.Restore(ctx, backup.RestoreOptions{Archive: archive, DataDir: dst, Media: dstMedia})
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if len(res.Replaced) != 0 {
		t.Errorf("Replaced = %v in a fresh dir", res.Replaced)
	}

	// Every row of every table is the database at one instant. (A change
	// that found nothing to do leaves the same state twice.)
	got := dump(t, filepath.Join(dst, store.FileName))
	var at []int
	for i, h := range history {
		if h == got {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		nearest := history[0]
		for _, h := range history {
			if len(h) <= len(got) {
				nearest = h
			}
		}
		t.Fatalf("the restored database is none of the %d states the live database went through; diff against the nearest (-restored +state):\n%s", len(history), cmp.Diff(got, nearest))
	}
	first, last := at[0], at[len(at)-1]
	t.Logf("restored state = the database after change %d (to %d) of %d", first, last, len(history)-1)
	if last < int(before) || first > int(before+during) {
		t.Errorf("the restored state (after changes %d…%d) is not one the database was in while the backup ran (after changes %d…%d)", first, last, before, before+during)
	}
	// Every media file the restored database names is there, byte for
	// byte; originals match the SHA-256 they are named by. A file may be
	// missing only if it is listed so and was deleted after the snapshot.
	ro, err := store.OpenReadOnly(ctx, filepath.Join(dst, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ro.MediaFiles(ctx)
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range rows {
		for i, k := range library.Keys(r) {
			b, err := readMedia(t, dstMedia, dst, k)
			if err != nil {
				if !slices.Contains(m.MissingMedia, k) {
					t.Errorf("media %d: %s not restored and not listed as missing", r.ID, k)
				}
				if _, err := s.st.Read(ctx).Media(r.ID); err == nil {
					t.Errorf("media %d: %s is listed as missing but the item still exists", r.ID, k)
				}
				continue
			}
			want = append(want, k)
			if i == 0 && sha(b) != r.SHA256 {
				t.Errorf("media %d: original's bytes do not match its sha256", r.ID)
			}
			if live, err := readMedia(t, s.media, s.dir, k); err == nil && !bytes.Equal(live, b) {
				t.Errorf("%s differs from the live file", k)
			}
		}
	}
	if len(rows) < 3 {
		t.Errorf("only %d media items restored", len(rows))
	}
	// …and nothing else: no orphans, no temporary files, no -wal.
	slices.Sort(want)
	if d := cmp.Diff(storedKeys(t, dstMedia, dst), want); d != "" {
		t.Errorf("restored media files (-got +want):\n%s", d)
	}
	if d := cmp.Diff(slices.DeleteFunc(filesUnder(t, dst), func(p string) bool { return strings.HasPrefix(p, "media/") }), []string{"folio.db", "jwt_secret"}); d != "" {
		t.Errorf("restored files (-got +want):\n%s", d)
	}
	secret, _ := os.ReadFile(filepath.Join(dst, "jwt_secret"))
	live, _ := os.ReadFile(filepath.Join(s.dir, "jwt_secret"))
	if !bytes.Equal(secret, live) {
		t.Errorf("jwt_secret not restored")
	}
	for _, name := range []string{"jwt_secret", "folio.db"} {
		if fi, _ := os.Stat(filepath.Join(dst, name)); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s restored with mode %v, want 0600", name, fi.Mode().Perm())
		}
	}

	// The restored dir is a working folio: it opens (migrations have
	// nothing to do) and serves what the manifest counts.
	st2, err := store.Open(ctx, filepath.Join(dst, store.FileName), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	svc2 := content.New(st2)
	page, err := svc2.List(ctx, s.admin, content.Post, content.Query{Page: 1, PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	var live2 int64
	for status, n := range m.Counts.Entries["post"] {
		if status != "trashed" {
			live2 += n
		}
	}
	if page.Total != live2 || live2 == 0 {
		t.Errorf("restored site lists %d posts, the manifest counts %d", page.Total, live2)
	}
}

// TestMediaKeysMatchStoredFiles holds MediaKeys to what the content
// service actually stores: the keys of every item are exactly the files
// under <data>/media.
func TestMediaKeysMatchStoredFiles(t *testing.T) {
	for _, kind := range stores {
		t.Run(kind, func(t *testing.T) { mediaKeysMatchStoredFiles(t, kind) })
	}
}

func mediaKeysMatchStoredFiles(t *testing.T, kind string) {
	s := newSiteOn(t, kind)
	s.upload(t, 1)
	big, _, err := s.lib.Upload(context.Background(), s.admin, bytes.NewReader(pngOf(t, 9, 1000, 100)), "wide.png", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(big.Variants) < 2 {
		t.Fatalf("a 1000 px image got %d variants", len(big.Variants))
	}
	ro, err := store.OpenReadOnly(context.Background(), filepath.Join(s.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	rows, _ := ro.MediaFiles(context.Background())
	var keys []string
	for _, r := range rows {
		keys = append(keys, library.Keys(r)...)
	}
	slices.Sort(keys)
	if d := cmp.Diff(keys, storedKeys(t, s.media, s.dir)); d != "" {
		t.Errorf("MediaKeys vs stored files (-keys +files):\n%s", d)
	}
}
