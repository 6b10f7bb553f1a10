package media_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/media/s3test"
)

func TestMain(m *testing.M) {
	code := m.Run()
	s3test.Cleanup()
	os.Exit(code)
}

// stores are the two kinds of media.Storage, each new and empty.
var stores = []struct {
	name string
	new  func(t *testing.T) media.Storage
}{
	{"local", func(t *testing.T) media.Storage { return media.Local{Dir: filepath.Join(t.TempDir(), "media")} }},
	{"s3", func(t *testing.T) media.Storage { return s3test.NewBucket(t).WithPrefix("site/").Store(t) }},
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func shaOf(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// staged writes b to a file, as uploads are staged, and opens it.
func staged(t *testing.T, b []byte) *os.File {
	t.Helper()
	p := filepath.Join(t.TempDir(), "staged")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestStoresKeepFiles: every store stores, lists, serves (whole, sought,
// in sections), tells and deletes files alike.
func TestStoresKeepFiles(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := st.new(t)
			data := randomBytes(300_000, 1)
			key := media.OriginalKey(shaOf(data), "jpg")
			vkey := media.VariantKey(shaOf(data), 480, "jpg")
			if ok, err := s.Exists(ctx, key); ok || err != nil {
				t.Fatalf("Exists before Put: %v %v", ok, err)
			}
			if _, err := s.Open(ctx, key); !errors.Is(err, media.ErrNotFound) {
				t.Fatalf("Open before Put: %v, want ErrNotFound", err)
			}
			if err := s.Put(ctx, key, staged(t, data)); err != nil {
				t.Fatal(err)
			}
			if err := s.Put(ctx, key, staged(t, data)); err != nil { // content-addressed: again is harmless
				t.Fatal(err)
			}
			if err := s.Put(ctx, vkey, bytes.NewReader(data[:1000])); err != nil { // not a file: size unknown
				t.Fatal(err)
			}
			if ok, err := s.Exists(ctx, key); !ok || err != nil {
				t.Fatalf("Exists after Put: %v %v", ok, err)
			}
			f, err := s.Open(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if size, mod := f.Stat(); size != int64(len(data)) || time.Since(mod) > time.Minute {
				t.Errorf("Stat = %d, %v", size, mod)
			}
			got, err := io.ReadAll(f)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("read %d bytes, %v", len(got), err)
			}
			// Seek back and forth.
			for _, off := range []int64{1000, 299_990, 0, 150_000} {
				if _, err := f.Seek(off, io.SeekStart); err != nil {
					t.Fatal(err)
				}
				buf := make([]byte, 10)
				if _, err := io.ReadFull(f, buf); err != nil || !bytes.Equal(buf, data[off:off+10]) {
					t.Errorf("at %d: %v %x", off, err, buf)
				}
			}
			if n, err := f.Seek(-5, io.SeekEnd); err != nil || n != int64(len(data)-5) {
				t.Errorf("Seek from the end: %d %v", n, err)
			}
			// Sections.
			for _, sec := range [][2]int64{{0, 1}, {12345, 54321}, {int64(len(data)) - 7, 7}, {100, 0}} {
				r, err := media.Section(f, sec[0], sec[1])
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(r)
				r.Close()
				if err != nil || !bytes.Equal(b, data[sec[0]:sec[0]+sec[1]]) {
					t.Errorf("section %v: %d bytes, %v", sec, len(b), err)
				}
			}
			// Listing.
			var listed []string
			err = s.(media.Lister).List(ctx, func(o media.Object) error {
				listed = append(listed, o.Key)
				if o.Key == key && (o.Size != int64(len(data)) || !o.Regular || time.Since(o.ModTime) > time.Minute) {
					t.Errorf("listed %+v", o)
				}
				return nil
			})
			slices.Sort(listed)
			if err != nil || !slices.Equal(listed, []string{key, vkey}) {
				t.Errorf("List: %v %v", listed, err)
			}
			if err := s.(media.Pinger).Ping(ctx); err != nil {
				t.Errorf("Ping: %v", err)
			}
			// Delete, twice.
			for range 2 {
				if err := s.Delete(ctx, key); err != nil {
					t.Fatal(err)
				}
			}
			if ok, err := s.Exists(ctx, key); ok || err != nil {
				t.Errorf("Exists after Delete: %v %v", ok, err)
			}
			if _, err := s.Open(ctx, key); !errors.Is(err, media.ErrNotFound) {
				t.Errorf("Open after Delete: %v", err)
			}
			// Keys that are not keys are refused before anything is sent.
			for _, bad := range []string{"", "../x.jpg", "/abs.jpg", "a//b.jpg", `a\b.jpg`} {
				if err := s.Put(ctx, bad, strings.NewReader("x")); !errors.Is(err, media.ErrInvalidKey) {
					t.Errorf("Put %q: %v", bad, err)
				}
				if _, err := s.Open(ctx, bad); !errors.Is(err, media.ErrInvalidKey) {
					t.Errorf("Open %q: %v", bad, err)
				}
			}
		})
	}
}

// TestS3ObjectsAsStored: objects sit under the prefix, with their type, a
// year of immutable caching, PDFs as attachments, and their SHA-256.
func TestS3ObjectsAsStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := s3test.NewBucket(t).WithPrefix("blog/")
	s := b.Store(t)
	jpg, pdf := randomBytes(5000, 2), randomBytes(3000, 3)
	jkey, pkey := media.OriginalKey(shaOf(jpg), "jpg"), media.OriginalKey(shaOf(pdf), "pdf")
	if err := s.Put(ctx, jkey, staged(t, jpg)); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, pkey, staged(t, pdf)); err != nil {
		t.Fatal(err)
	}
	if got := b.Keys(t); !slices.Equal(got, []string{"blog/" + jkey, "blog/" + pkey}) && !slices.Equal(got, []string{"blog/" + pkey, "blog/" + jkey}) {
		t.Fatalf("objects %v", got)
	}
	c := b.Server.Client(t)
	ji, err := c.StatObject(ctx, b.Name, "blog/"+jkey, minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ji.ContentType != "image/jpeg" || ji.Metadata.Get("Cache-Control") != "public, max-age=31536000, immutable" || ji.UserMetadata["Sha256"] != shaOf(jpg) {
		t.Errorf("jpeg object: %s %q %v", ji.ContentType, ji.Metadata.Get("Cache-Control"), ji.UserMetadata)
	}
	pi, err := c.StatObject(ctx, b.Name, "blog/"+pkey, minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pi.ContentType != "application/pdf" || !strings.HasPrefix(pi.Metadata.Get("Content-Disposition"), "attachment") {
		t.Errorf("pdf object: %s %q", pi.ContentType, pi.Metadata.Get("Content-Disposition"))
	}
	info, err := s.Stat(ctx, jkey)
	if err != nil || info.Size != 5000 || info.SHA256 != shaOf(jpg) {
		t.Errorf("Stat: %+v %v", info, err)
	}
}

// countingTransport counts the bytes of the answers' bodies.
type countingTransport struct {
	rt    http.RoundTripper
	bytes atomic.Int64
	gets  atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := c.rt.RoundTrip(r)
	if err == nil {
		if r.Method == http.MethodGet {
			c.gets.Add(1)
		}
		res.Body = &countingBody{ReadCloser: res.Body, n: &c.bytes}
	}
	return res, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// TestS3RangedReadsFetchOnlyTheRange: a section of a 5 MB object is one
// GET of that section, not of the object.
func TestS3RangedReadsFetchOnlyTheRange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := s3test.NewBucket(t)
	ct := &countingTransport{rt: http.DefaultTransport}
	opts := b.Options()
	opts.Transport = ct
	s, err := media.NewS3(opts)
	if err != nil {
		t.Fatal(err)
	}
	data := randomBytes(5<<20, 4)
	key := media.OriginalKey(shaOf(data), "jpg")
	if err := s.Put(ctx, key, staged(t, data)); err != nil {
		t.Fatal(err)
	}
	f, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ct.bytes.Store(0)
	ct.gets.Store(0)
	r, err := media.Section(f, 3<<20, 4096)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data[3<<20:3<<20+4096]) {
		t.Fatalf("section: %d bytes, %v", len(got), err)
	}
	if n, gets := ct.bytes.Load(), ct.gets.Load(); gets != 1 || n > 8192 {
		t.Errorf("the section took %d GETs and %d bytes from S3, want 1 GET of 4096 bytes", gets, n)
	}
	// Seeking costs nothing; only what is read is fetched.
	ct.bytes.Store(0)
	if _, err := f.Seek(1<<20, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(4<<20, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if n := ct.bytes.Load(); n != 0 {
		t.Errorf("seeking fetched %d bytes", n)
	}
}

// TestS3Faults: a store that cannot be reached, that refuses our keys, or
// whose bucket does not exist fails with ErrUnavailable, quickly, saying
// why; a missing key is still ErrNotFound.
func TestS3Faults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := s3test.NewBucket(t)
	closed := b.Options()
	closed.Endpoint = s3test.ClosedEndpoint(t)
	wrongKey := b.Options()
	wrongKey.SecretAccessKey = "not-the-secret"
	noBucket := b.Options()
	noBucket.Bucket = "no-such-bucket"
	data := randomBytes(1000, 5)
	key := media.OriginalKey(shaOf(data), "png")
	for _, tt := range []struct {
		name string
		opts media.S3Options
		want string
	}{
		{"closed port", closed, "unreachable"},
		{"wrong secret", wrongKey, "refused the request (403 SignatureDoesNotMatch"},
		{"no such bucket", noBucket, "NoSuchBucket"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := media.NewS3(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err = s.Put(ctx, key, staged(t, data))
			if !errors.Is(err, media.ErrUnavailable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Put: %v, want ErrUnavailable saying %q", err, tt.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Put took %v to fail", d)
			}
			if err := s.Ping(ctx); !errors.Is(err, media.ErrUnavailable) {
				t.Errorf("Ping: %v", err)
			}
			if err := s.List(ctx, func(media.Object) error { return nil }); !errors.Is(err, media.ErrUnavailable) {
				t.Errorf("List: %v", err)
			}
			if tt.name != "no such bucket" { // a HEAD cannot tell a missing bucket from a missing key
				if _, err := s.Exists(ctx, key); !errors.Is(err, media.ErrUnavailable) {
					t.Errorf("Exists: %v", err)
				}
			}
		})
	}
	if err := b.Store(t).Ping(ctx); err != nil {
		t.Errorf("the bucket itself: %v", err)
	}
}

// TestS3ServerStopped: with the server gone, every operation fails as
// unavailable; once it is back, the store works again without a restart.
func TestS3ServerStopped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := s3test.Start(t)
	s := srv.Bucket(t).Store(t)
	data := randomBytes(2000, 6)
	key := media.OriginalKey(shaOf(data), "gif")
	if err := s.Put(ctx, key, staged(t, data)); err != nil {
		t.Fatal(err)
	}
	srv.Stop(t)
	if _, err := s.Open(ctx, key); !errors.Is(err, media.ErrUnavailable) {
		t.Errorf("Open while stopped: %v", err)
	}
	if err := s.Delete(ctx, key); !errors.Is(err, media.ErrUnavailable) {
		t.Errorf("Delete while stopped: %v", err)
	}
	srv.Restart(t)
	f, err := s.Open(ctx, key)
	if err != nil {
		t.Fatalf("Open after the restart: %v", err)
	}
	got, err := io.ReadAll(f)
	f.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("read after the restart: %d bytes, %v", len(got), err)
	}
}
