package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-cms/folio/pkg/media/s3test"
)

// TestMediaMigrateToS3 moves a serving folio's media from its data dir to
// a bucket: the copy runs beside it, says how it goes, can run again (it
// copies only what is missing), and the folio then serves the same files
// from the bucket, and doctor finds all of them there.
func TestMediaMigrateToS3(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	vars := map[string]string{"FOLIO_DATA_DIR": data, "FOLIO_ADMIN_PASSWORD": testAdminPassword}
	s := startServe(t, vars)
	a := signIn(t, s)
	for i := range 4 {
		if code := a.upload(i + 1); code != 201 {
			t.Fatalf("upload: %d", code)
		}
	}
	var items struct {
		Data []struct{ URL string } `json:"data"`
	}
	a.call("GET", "/api/v1/admin/media?per_page=100", "", nil, &items)
	before := map[string][]byte{}
	for _, it := range items.Data {
		path := it.URL[strings.Index(it.URL, "/media/"):]
		before[path] = get(t, "http://"+s.addr+path)
	}
	localFiles := filesIn(t, filepath.Join(data, "media"))

	b := s3test.NewBucket(t).WithPrefix("cms/")
	env := map[string]string{"FOLIO_DATA_DIR": data}
	for k, v := range b.Env() {
		if k != "FOLIO_MEDIA_STORE" { // still serving from the disk
			env[k] = v
		}
	}
	code, out, errOut := folio(t, env, "media", "migrate", "--to", "s3")
	if code != 0 || !strings.Contains(out, "8 of 8 files copied") || !strings.Contains(errOut, "8 of 8 files (8 copied") ||
		!strings.Contains(out, "Now set FOLIO_MEDIA_STORE=s3") {
		t.Fatalf("migrate: %d\n%s%s", code, out, errOut)
	}
	if got := len(b.Keys(t)); got != len(localFiles) || got != 8 {
		t.Fatalf("the bucket holds %d files, the data dir %d", got, len(localFiles))
	}
	// Again: nothing to copy. With one object gone (an interrupted run):
	// that one.
	code, out, _ = folio(t, env, "media", "migrate", "--to", "s3")
	if code != 0 || !strings.Contains(out, "0 of 8 files copied (0 bytes) into s3://"+b.Name+"/cms/") || !strings.Contains(out, "8 were there already") {
		t.Errorf("migrate again: %d\n%s", code, out)
	}
	gone := strings.TrimPrefix(b.Keys(t)[3], "cms/")
	if err := b.Store(t).Delete(context.Background(), gone); err != nil {
		t.Fatal(err)
	}
	code, out, _ = folio(t, env, "media", "migrate", "--to", "s3")
	if code != 0 || !strings.Contains(out, "1 of 8 files copied") {
		t.Errorf("migrate after losing %s: %d\n%s", gone, code, out)
	}

	// Serve from the bucket: the same bytes at the same URLs.
	s.stop(t)
	env["FOLIO_MEDIA_STORE"] = "s3"
	s2 := startServe(t, env)
	for path, want := range before {
		if got := get(t, "http://"+s2.addr+path); !bytes.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s: %d bytes from the bucket, %d from the disk", path, len(got), len(want))
		}
	}
	// Even without the data dir's files.
	os.RemoveAll(filepath.Join(data, "media"))
	for path := range before {
		get(t, "http://"+s2.addr+path)
	}
	if code, out, _ := folio(t, env, "doctor"); code != 0 || !strings.Contains(out, "all 8 files of 4 media items are present in s3://"+b.Name+"/cms/") {
		t.Errorf("doctor after the migration: %d\n%s", code, out)
	}
}

// TestMediaMigrateRefusals: a wrong command line, and S3 settings that do
// not name a bucket, are refused before anything is copied.
func TestMediaMigrateRefusals(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	for _, args := range [][]string{{"media"}, {"media", "move"}, {"media", "migrate"}, {"media", "migrate", "--to", "ftp"}, {"media", "migrate", "--to", "s3", "extra"}} {
		if code, _, _ := folio(t, map[string]string{"FOLIO_DATA_DIR": data}, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, _, errOut := folio(t, map[string]string{"FOLIO_DATA_DIR": data}, "media", "migrate", "--to", "s3")
	if code != 1 || !strings.Contains(errOut, "needs FOLIO_S3_BUCKET") {
		t.Errorf("no bucket: %d %s", code, errOut)
	}
	closed := s3test.NewBucket(t).Env()
	closed["FOLIO_S3_ENDPOINT"] = s3test.ClosedEndpoint(t)
	closed["FOLIO_DATA_DIR"] = data
	delete(closed, "FOLIO_MEDIA_STORE")
	code, _, errOut = folio(t, closed, "media", "migrate", "--to", "s3")
	if code != 1 || !strings.Contains(errOut, "unreachable") {
		t.Errorf("unreachable bucket: %d %s", code, errOut)
	}
}

func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}
