package library_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/folio-cms/folio/pkg/app"
	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
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

// library returns a library on a new data dir, its media in the data dir.
func newLibrary(t *testing.T) (*library.Service, string) {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir, cfg.PublicURL = t.TempDir(), "http://folio.test"
	h, _ := auth.NewHasher(10)
	a, err := app.New(context.Background(), cfg, app.Options{Hasher: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a.Library, cfg.DataDir
}

func pngOf(seed, w, h int) []byte {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = uint8(i*seed + seed)
	}
	var b bytes.Buffer
	png.Encode(&b, m)
	return b.Bytes()
}

func keysIn(t *testing.T, st media.Storage) []string {
	t.Helper()
	var keys []string
	if err := st.(media.Lister).List(context.Background(), func(o media.Object) error { keys = append(keys, o.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

func read(t *testing.T, st media.Storage, key string) []byte {
	t.Helper()
	f, err := st.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return b
}

// TestCopyBetweenStores: the library's files go from the disk to a bucket
// and back, byte for byte; a second run copies nothing, a run after a
// loss copies what was lost, and a missing source file is reported.
func TestCopyBetweenStores(t *testing.T) {
	ctx := context.Background()
	lib, dir := newLibrary(t)
	for i := range 3 {
		if _, _, err := lib.Upload(ctx, auth.System, bytes.NewReader(pngOf(i+1, 700, 200)), "p.png", "", ""); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.OpenReadOnly(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.MediaFiles(ctx)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	disk := lib.Storage
	bucket := s3test.NewBucket(t).WithPrefix("m/").Store(t)
	var seen []library.Progress
	rep, err := library.Copy(ctx, disk, bucket, rows, 2, func(p library.Progress) { seen = append(seen, p) })
	if err != nil || rep.Copied != 6 || rep.Total != 6 || len(rep.Missing) != 0 || len(seen) != 7 || seen[6].Done != 6 {
		t.Fatalf("copy to S3: %+v %v, progress %+v", rep, err, seen)
	}
	want := keysIn(t, disk)
	if got := keysIn(t, bucket); !slices.Equal(got, want) {
		t.Fatalf("bucket %v, disk %v", got, want)
	}
	for _, k := range want {
		if !bytes.Equal(read(t, bucket, k), read(t, disk, k)) {
			t.Errorf("%s differs", k)
		}
	}
	if info, err := bucket.Stat(ctx, want[0]); err != nil || info.SHA256 == "" {
		t.Errorf("copied without its SHA-256: %+v %v", info, err)
	}
	if rep, err := library.Copy(ctx, disk, bucket, rows, 2, nil); err != nil || rep.Copied != 0 || rep.Done != 6 {
		t.Errorf("again: %+v %v", rep, err)
	}
	bucket.Delete(ctx, want[2])
	if rep, err := library.Copy(ctx, disk, bucket, rows, 2, nil); err != nil || rep.Copied != 1 {
		t.Errorf("after a loss: %+v %v", rep, err)
	}
	// And back, into an empty disk; one file is missing from the bucket.
	back := media.Local{Dir: filepath.Join(t.TempDir(), "media")}
	bucket.Delete(ctx, want[0])
	rep, err = library.Copy(ctx, bucket, back, rows, 3, nil)
	if err != nil || rep.Copied != 5 || len(rep.Missing) != 1 || rep.Missing[0] != want[0] {
		t.Fatalf("copy back: %+v %v", rep, err)
	}
	for _, k := range want[1:] {
		if !bytes.Equal(read(t, back, k), read(t, disk, k)) {
			t.Errorf("%s differs after the way back", k)
		}
	}
	// A store that fails stops the copy with its error.
	closed := s3test.NewBucket(t).Options()
	closed.Endpoint = s3test.ClosedEndpoint(t)
	dead, _ := media.NewS3(closed)
	if _, err := library.Copy(ctx, disk, dead, rows, 2, nil); err == nil {
		t.Error("a copy into an unreachable bucket succeeded")
	}
}
