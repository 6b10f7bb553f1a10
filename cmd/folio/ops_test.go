package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/media/s3test"
)

const testAdminPassword = "a long and careful passphrase"

// api is a signed-in client of a running folio.
type api struct {
	t     *testing.T
	base  string
	token string
}

func signIn(t *testing.T, s *server) *api {
	t.Helper()
	a := &api{t: t, base: "http://" + s.addr}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if code := a.call("POST", "/api/v1/auth/login", "application/json", mustJSON(map[string]string{"email": "admin@example.com", "password": testAdminPassword}), &out); code != 200 {
		t.Fatalf("login: %d", code)
	}
	a.token = out.AccessToken
	return a
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// call sends a request and decodes a JSON answer into out (if not nil).
func (a *api) call(method, path, ctype string, body []byte, out any) int {
	req, _ := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Errorf("%s %s: %v", method, path, err)
		return 0
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil {
		json.Unmarshal(b, out)
	}
	return res.StatusCode
}

func (a *api) upload(seed int) int {
	m := image.NewRGBA(image.Rect(0, 0, 500, 100))
	for i := range m.Pix {
		m.Pix[i] = uint8(i*seed + seed)
	}
	var img, body bytes.Buffer
	png.Encode(&img, m)
	mw := multipart.NewWriter(&body)
	mw.WriteField("alt", "a picture")
	fw, _ := mw.CreateFormFile("file", fmt.Sprintf("p%d.png", seed))
	fw.Write(img.Bytes())
	mw.Close()
	return a.call("POST", "/api/v1/admin/media", mw.FormDataContentType(), body.Bytes(), nil)
}

func (a *api) total(path string) int {
	var out struct {
		Meta struct{ Total int } `json:"meta"`
	}
	if code := a.call("GET", path, "", nil, &out); code != 200 {
		a.t.Errorf("GET %s: %d", path, code)
	}
	return out.Meta.Total
}

// TestBackupWhileServingAndRestore backs up a serving folio while a client
// keeps adding posts and images, restores the backup into a new data dir,
// and serves it: the restored folio has what the manifest counts, its
// files are all there (doctor finds nothing wrong), and an access token
// issued by the first folio still works, because the JWT secret came along.
// On S3, the restore goes into another bucket, and the restored folio
// serves the files from there.
func TestBackupWhileServingAndRestore(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"local", "s3"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			backupWhileServingAndRestore(t, kind)
		})
	}
}

// withBucket adds a new bucket's settings to vars (for kind s3).
func withBucket(t *testing.T, kind string, vars map[string]string) map[string]string {
	if kind == "s3" {
		for k, v := range s3test.NewBucket(t).WithPrefix("media/").Env() {
			vars[k] = v
		}
	}
	return vars
}

func backupWhileServingAndRestore(t *testing.T, kind string) {
	data := t.TempDir()
	vars := withBucket(t, kind, map[string]string{"FOLIO_DATA_DIR": data, "FOLIO_ADMIN_PASSWORD": testAdminPassword})
	s := startServe(t, vars)
	a := signIn(t, s)
	for i := range 3 {
		if code := a.upload(i + 1); code != 201 {
			t.Fatalf("upload: %d", code)
		}
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	var writes atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			code := a.call("POST", "/api/v1/admin/posts", "application/json", mustJSON(map[string]any{"title": fmt.Sprintf("Under load %d", i), "body": "Written *during* a backup."}), nil)
			if code != 201 {
				t.Errorf("create post under load: %d", code)
				return
			}
			if i%5 == 0 {
				a.upload(100 + i)
			}
			writes.Add(1)
		}
	}()
	for writes.Load() < 5 {
		time.Sleep(5 * time.Millisecond)
	}
	archive := filepath.Join(t.TempDir(), "site.tar.gz")
	code, out, errOut := folio(t, vars, "backup", archive)
	stop.Store(true)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "backed up") || !strings.Contains(out, "the JWT secret") {
		t.Fatalf("backup while serving: %d\n%s%s", code, out, errOut)
	}
	t.Logf("%d writes in all\n%s", writes.Load(), out)

	m := readManifest(t, archive)
	restored := filepath.Join(t.TempDir(), "restored")
	into := withBucket(t, kind, map[string]string{"FOLIO_DATA_DIR": restored})
	code, out, errOut = folio(t, into, "restore", archive, "--data-dir", restored)
	if code != 0 || !strings.Contains(out, "restored the backup") || !strings.Contains(out, "post: ") {
		t.Fatalf("restore: %d\n%s%s", code, out, errOut)
	}
	if kind == "s3" && !strings.Contains(out, "put into s3://"+into["FOLIO_S3_BUCKET"]+"/media/") {
		t.Errorf("restore into a bucket:\n%s", out)
	}
	if code, out, _ := folio(t, into, "doctor"); code != 0 || !strings.Contains(out, "All checks passed") {
		t.Errorf("doctor on the restored dir: %d\n%s", code, out)
	}

	s2 := startServe(t, into)
	old := &api{t: t, base: "http://" + s2.addr, token: a.token}
	posts := 0
	for _, n := range m.Counts.Entries["post"] {
		posts += int(n)
	}
	if got := old.total("/api/v1/admin/posts?per_page=1"); got != posts || posts < 5 {
		t.Errorf("the restored folio lists %d posts (with the old access token), the manifest counts %d", got, posts)
	}
	if got := old.total("/api/v1/admin/media?per_page=1"); got != int(m.Counts.Media["image"]) || got < 3 {
		t.Errorf("the restored folio lists %d media items, the manifest counts %d", got, m.Counts.Media["image"])
	}
	// Its files are the first folio's, byte for byte.
	var items struct {
		Data []struct{ URL string } `json:"data"`
	}
	old.call("GET", "/api/v1/admin/media?per_page=100", "", nil, &items)
	for _, it := range items.Data {
		path := it.URL[strings.Index(it.URL, "/media/"):]
		a, b := get(t, "http://"+s.addr+path), get(t, "http://"+s2.addr+path)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: %d bytes served by the first folio, %d by the restored one", path, len(a), len(b))
		}
	}
	if live := a.total("/api/v1/admin/posts?per_page=1"); live <= posts {
		t.Logf("no post was written after the snapshot (%d live, %d restored)", live, posts)
	}
}

// get returns the body of a GET that answered 200 (nil otherwise).
func get(t *testing.T, url string) []byte {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return nil
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Errorf("GET %s: %d", url, res.StatusCode)
		return nil
	}
	return b
}

type manifest struct {
	SchemaVersion int `json:"schema_version"`
	Counts        struct {
		Tables  map[string]int64            `json:"tables"`
		Entries map[string]map[string]int64 `json:"entries"`
		Media   map[string]int64            `json:"media"`
	} `json:"counts"`
}

func readManifest(t *testing.T, archive string) manifest {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	h, err := tr.Next()
	if err != nil || h.Name != "manifest.json" {
		t.Fatalf("first entry %v, %v", h, err)
	}
	var m manifest
	if err := json.NewDecoder(tr).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// seeded returns a stopped folio's data dir with content and one image.
func seeded(t *testing.T) (string, map[string]string) {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data") // made by folio, as in a real installation
	vars := map[string]string{"FOLIO_DATA_DIR": data, "FOLIO_ADMIN_PASSWORD": testAdminPassword}
	s := startServe(t, vars, "--seed-dir", "../../content")
	if code := signIn(t, s).upload(7); code != 201 {
		t.Fatalf("upload: %d", code)
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("serve: exit %d", code)
	}
	return data, vars
}

func TestBackupAndRestoreRefusals(t *testing.T) {
	t.Parallel()
	_, vars := seeded(t)
	dir := t.TempDir()
	archive := filepath.Join(dir, "b.tar.gz")
	if code, _, errOut := folio(t, vars, "backup", archive); code != 0 {
		t.Fatalf("backup: %d %s", code, errOut)
	}
	if code, _, errOut := folio(t, vars, "backup", archive); code != 1 || !strings.Contains(errOut, "--force") {
		t.Errorf("backup over an existing file: %d %s", code, errOut)
	}
	if code, _, errOut := folio(t, vars, "backup", archive, "--force"); code != 0 {
		t.Errorf("backup --force after the file name: %d %s", code, errOut)
	}
	if code, _, _ := folio(t, vars, "backup"); code != 2 {
		t.Errorf("backup without a file: exit %d, want 2", code)
	}
	if code, _, errOut := folio(t, map[string]string{"FOLIO_DATA_DIR": t.TempDir()}, "backup", filepath.Join(dir, "x.tar.gz")); code != 1 || !strings.Contains(errOut, "no database") {
		t.Errorf("backup of an empty dir: %d %s", code, errOut)
	}

	// Restore needs a data dir, and an empty one unless --force.
	if code, _, _ := folio(t, nil, "restore", archive); code != 2 {
		t.Errorf("restore without --data-dir: exit %d, want 2", code)
	}
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "keep.txt"), []byte("mine"), 0o600)
	if code, _, errOut := folio(t, nil, "restore", archive, "--data-dir", full); code != 1 || !strings.Contains(errOut, "not empty") || !strings.Contains(errOut, "--force") {
		t.Errorf("restore into a non-empty dir: %d %s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(full, "keep.txt")); string(b) != "mine" {
		t.Errorf("a refused restore touched the dir")
	}
	code, out, errOut := folio(t, nil, "restore", "--force", archive, "--data-dir", full)
	if code != 0 || !strings.Contains(out, "replaced what the data dir held before (keep.txt)") {
		t.Errorf("restore --force: %d %s %s", code, out, errOut)
	}

	// On PostgreSQL, the data dir's SQLite file is not the database:
	// neither is backed up nor restored over it.
	pg := map[string]string{"FOLIO_DATABASE_URL": "postgres://folio@127.0.0.1:1/folio"}
	for k, v := range vars {
		pg[k] = v
	}
	if code, _, errOut := folio(t, pg, "backup", filepath.Join(dir, "pg.tar.gz")); code != 1 || !strings.Contains(errOut, "PostgreSQL are not supported yet") {
		t.Errorf("backup with FOLIO_DATABASE_URL: %d %s", code, errOut)
	}
	if code, _, errOut := folio(t, pg, "restore", archive, "--data-dir", t.TempDir()); code != 1 || !strings.Contains(errOut, "PostgreSQL are not supported yet") {
		t.Errorf("restore with FOLIO_DATABASE_URL: %d %s", code, errOut)
	}

	// A tampered archive: refused, nothing written.
	tampered := filepath.Join(dir, "tampered.tar.gz")
	flipLastEntry(t, archive, tampered)
	target := filepath.Join(t.TempDir(), "new")
	if code, _, errOut := folio(t, nil, "restore", tampered, "--data-dir", target); code != 1 || !strings.Contains(errOut, "does not match the manifest") {
		t.Errorf("restore of a tampered archive: %d %s", code, errOut)
	}
	if _, err := os.Stat(target); err == nil {
		t.Errorf("a refused restore created %s", target)
	}
	if code, _, errOut := folio(t, nil, "restore", "--verify-only", tampered); code != 1 || !strings.Contains(errOut, "does not match") {
		t.Errorf("restore --verify-only of a tampered archive: %d %s", code, errOut)
	}
	if code, out, _ := folio(t, nil, "restore", "--verify-only", archive); code != 0 || !strings.Contains(out, "is sound") {
		t.Errorf("restore --verify-only: %d %s", code, out)
	}
}

// flipLastEntry copies an archive with one byte of its last entry changed.
func flipLastEntry(t *testing.T, src, dst string) {
	t.Helper()
	f, _ := os.Open(src)
	defer f.Close()
	gz, _ := gzip.NewReader(f)
	tr := tar.NewReader(gz)
	type ent struct {
		h *tar.Header
		b []byte
	}
	var es []ent
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(tr)
		es = append(es, ent{h, b})
	}
	es[len(es)-1].b[0] ^= 0xff
	out, _ := os.Create(dst)
	gw := gzip.NewWriter(out)
	tw := tar.NewWriter(gw)
	for _, e := range es {
		tw.WriteHeader(e.h)
		tw.Write(e.b)
	}
	tw.Close()
	gw.Close()
	out.Close()
}

func TestDoctorCommand(t *testing.T) {
	t.Parallel()
	data, vars := seeded(t)
	code, out, _ := folio(t, vars, "doctor")
	if code != 0 || !strings.Contains(out, "All checks passed") {
		t.Fatalf("doctor on a healthy dir: %d\n%s", code, out)
	}

	// An orphaned file is a warning: exit 0, or 1 with --strict.
	orphan := filepath.Join(data, "media", "originals", "ff", "ff", strings.Repeat("f", 64)+".jpg")
	os.MkdirAll(filepath.Dir(orphan), 0o755)
	os.WriteFile(orphan, []byte("stray"), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(orphan, old, old)
	code, out, _ = folio(t, vars, "doctor")
	if code != 0 || !strings.Contains(out, "warning") || !strings.Contains(out, "belongs to no media item") {
		t.Errorf("doctor with an orphan: %d\n%s", code, out)
	}
	if code, _, errOut := folio(t, vars, "doctor", "--strict"); code != 1 || !strings.Contains(errOut, "1 warning") {
		t.Errorf("doctor --strict with an orphan: %d %s", code, errOut)
	}

	// A missing original is an error; --json lists it.
	var originals []string
	filepath.Walk(filepath.Join(data, "media", "originals"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && p != orphan {
			originals = append(originals, p)
		}
		return nil
	})
	if len(originals) != 1 {
		t.Fatalf("originals: %v", originals)
	}
	os.Remove(originals[0])
	code, out, errOut := folio(t, vars, "doctor", "--json")
	var rep struct {
		Findings []struct{ Check, Severity, Message, Fix string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, out)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || (f.Check == "media" && f.Severity == "error" && strings.Contains(f.Message, "missing") && f.Fix != "")
	}
	if code != 1 || !found || !strings.Contains(errOut, "found 1 error") {
		t.Errorf("doctor with a missing original: %d %s\n%s", code, errOut, out)
	}

	// An invalid configuration is a finding (exit 1), not a usage error;
	// a wrong flag is a usage error.
	bad := map[string]string{"FOLIO_DATA_DIR": data, "FOLIO_PUBLIC_API": "sometimes"}
	if code, out, _ := folio(t, bad, "doctor"); code != 1 || !strings.Contains(out, "configuration is invalid") || !strings.Contains(out, "migrations") {
		t.Errorf("doctor with a bad configuration: %d\n%s", code, out)
	}
	if code, _, _ := folio(t, vars, "doctor", "--frobnicate"); code != 2 {
		t.Errorf("doctor --frobnicate: exit %d, want 2", code)
	}
}

func TestOpsHelp(t *testing.T) {
	t.Parallel()
	for cmd, want := range map[string][]string{
		"backup":  {"Usage: folio backup [flags] FILE.tar.gz", "-force", "-without-secret", "-data-dir", "VACUUM INTO"},
		"restore": {"Usage: folio restore FILE.tar.gz --data-dir DIR [--force]", "-force", "-verify-only", "JWT secret"},
		"doctor":  {"Usage: folio doctor", "Exit status", "-strict", "-json", "-data-dir"},
	} {
		code, _, errOut := folio(t, nil, cmd, "--help")
		if code != 0 {
			t.Errorf("%s --help: exit %d", cmd, code)
		}
		for _, w := range want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%s --help does not mention %q:\n%s", cmd, w, errOut)
			}
		}
	}
}
