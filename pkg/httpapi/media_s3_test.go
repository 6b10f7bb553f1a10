package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/media/s3test"
	"github.com/folio-cms/folio/pkg/store"
)

// cleanups returns the files waiting to be cleaned up.
func (e *env) cleanups() []store.MediaCleanupRow {
	e.t.Helper()
	rows, err := e.store.Read(context.Background()).MediaCleanups()
	if err != nil {
		e.t.Fatal(err)
	}
	return rows
}

// sweep runs a cleanup pass as if the clock were ahead by d.
func (e *env) sweep(d time.Duration) int {
	e.t.Helper()
	e.clock.Add(d)
	n, err := e.library.Sweep(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestMediaPublicURL: with FOLIO_MEDIA_PUBLIC_URL the items' URLs point
// there, and /media/ redirects there.
func TestMediaPublicURL(t *testing.T) {
	t.Parallel()
	b := s3test.NewBucket(t).WithPrefix("site/")
	e := newEnv(t, onBucket(b), func(c *config.Config) { c.MediaPublicURL = "https://cdn.example.com/site" })
	r := e.upload(auth.RoleEditor, "wide.jpg", jpegBytes(1000, 500), map[string]string{"alt": "Wide"})
	r.want(t, 201, nil)
	url := r.str("data.url")
	if !strings.HasPrefix(url, "https://cdn.example.com/site/originals/") || !strings.HasPrefix(r.str("data.variants.0.url"), "https://cdn.example.com/site/variants/") {
		t.Fatalf("urls %s", r.Body)
	}
	key := strings.TrimPrefix(url, "https://cdn.example.com/site/")
	// The bucket holds the key under the prefix: the public address serves it.
	if keys := b.Keys(t); !strings.Contains(strings.Join(keys, " "), "site/"+key) {
		t.Errorf("bucket %v", keys)
	}
	res := e.do(req{Method: "GET", Path: "/media/" + key, OffSpec: true})
	if res.Status != 302 || res.Header.Get("Location") != url {
		t.Errorf("GET /media/%s: %d %q", key, res.Status, res.Header.Get("Location"))
	}
	if bad := e.do(req{Method: "GET", Path: "/media/../x.jpg", OffSpec: true}); bad.Status != 404 {
		t.Errorf("a bad key: %d", bad.Status)
	}
	id, _ := e.createPost(map[string]any{"title": "On the CDN", "cover_image": map[string]any{"media_id": r.num("data.id")}})
	e.publishPost(id)
	e.do(req{Method: "GET", Path: "/api/v1/posts/on-the-cdn"}).want(t, 200, map[string]any{"data.cover_image.url": url})
}

// TestS3Unavailable: with the S3 server stopped, an upload is a 503 that
// keeps nothing, files cannot be served (503), /readyz says so, and a
// delete still deletes; once the server is back, the cleanup pass removes
// what the delete left.
func TestS3Unavailable(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	b := srv.Bucket(t)
	e := newEnv(t, onBucket(b))
	kept := e.upload(auth.RoleEditor, "kept.jpg", jpegBytes(800, 400), map[string]string{"alt": "Kept"})
	kept.want(t, 201, nil)
	stored := b.Keys(t)
	if len(stored) != 2 {
		t.Fatalf("stored %v", stored)
	}
	eventually(t, func() bool { return e.do(req{Method: "GET", Path: "/readyz"}).Status == 200 })
	e.do(req{Method: "GET", Path: "/readyz"}).want(t, 200, map[string]any{"checks.media": "ok", "media.store": "s3"})

	srv.Stop(t)
	start := time.Now()
	r := e.upload(auth.RoleEditor, "new.jpg", jpegBytes(900, 300), map[string]string{"alt": "New"})
	r.want(t, 503, map[string]any{"error.code": "media_store_unavailable"})
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the refusal took %v", took)
	}
	if r.Header.Get("Retry-After") == "" || !strings.Contains(r.str("error.message"), "nothing was uploaded") {
		t.Errorf("503: Retry-After %q, %s", r.Header.Get("Retry-After"), r.Body)
	}
	e.do(req{Method: "GET", Path: "/api/v1/admin/media", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: mediaPath(kept.str("data.url")), OffSpec: true}).want(t, 503, map[string]any{"error.code": "media_store_unavailable"})
	e.do(req{Method: "GET", Path: "/readyz"}).want(t, 503, map[string]any{"status": "unavailable", "checks.media": "unavailable",
		"media.store": "s3", "error.details.0.field": "media"})
	// A delete takes the item away at once; its files wait for the grace.
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/media/%d", kept.num("data.id")), As: auth.RoleEditor}).want(t, 204, nil)
	if rows := e.cleanups(); len(rows) != 2 || !strings.Contains(rows[0].LastError, "unreachable") || rows[1].LastError != "" {
		t.Fatalf("to clean up: %+v", rows)
	}
	if n := e.sweep(16 * time.Minute); n != 0 { // the bucket is still down
		t.Errorf("a pass with the bucket down settled %d", n)
	}

	srv.Restart(t)
	e.do(req{Method: "GET", Path: "/readyz"}).want(t, 200, map[string]any{"checks.media": "ok"})
	if keys := b.Keys(t); len(keys) != 2 {
		t.Fatalf("before the pass the bucket holds %v", keys)
	}
	if n := e.sweep(0); n != 0 {
		t.Errorf("a pass before the retry time settled %d", n)
	}
	if n := e.sweep(3 * time.Minute); n != 2 {
		t.Errorf("the pass settled %d records, want 2", n)
	}
	if keys := b.Keys(t); len(keys) != 0 {
		t.Errorf("after the pass the bucket holds %v", keys)
	}
	if rows := e.cleanups(); len(rows) != 0 {
		t.Errorf("left to clean up: %+v", rows)
	}
	// And uploads work again, without a restart of folio.
	e.upload(auth.RoleEditor, "new.jpg", jpegBytes(900, 300), nil).want(t, 201, nil)
}

// TestS3RefusesHalfWay: a bucket that takes the original but refuses the
// variants: the upload is a 503, and the original it stored is deleted
// at once, with its record.
func TestS3RefusesHalfWay(t *testing.T) {
	t.Parallel()
	b := s3test.NewBucket(t)
	refusing := b.Refusing(t, func(r *http.Request) bool {
		return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/variants/")
	})
	e := newEnv(t, onBucket(refusing))
	r := e.upload(auth.RoleEditor, "big.jpg", jpegBytes(1200, 600), nil)
	r.want(t, 503, map[string]any{"error.code": "media_store_unavailable"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/media", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 0})
	if keys := b.Keys(t); len(keys) != 0 {
		t.Errorf("the refused upload left %v", keys)
	}
	if rows := e.cleanups(); len(rows) != 0 {
		t.Errorf("left to clean up: %+v", rows)
	}
	// What needs no variant goes through.
	e.upload(auth.RoleEditor, "small.jpg", jpegBytes(300, 200), nil).want(t, 201, nil)
}

// TestUploadAgainWhileFilesWaitForCleanup: an item deleted and uploaded
// again before the pass: the pass sees the new item and keeps its files.
func TestUploadAgainWhileFilesWaitForCleanup(t *testing.T) {
	t.Parallel()
	b := s3test.NewBucket(t)
	e := newEnv(t, onBucket(b))
	img := jpegBytes(700, 350)
	first := e.upload(auth.RoleEditor, "a.jpg", img, nil)
	first.want(t, 201, nil)
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/media/%d", first.num("data.id")), As: auth.RoleEditor}).want(t, 204, nil)
	e.do(req{Method: "GET", Path: mediaPath(first.str("data.url")), OffSpec: true}).want(t, 404, nil)
	again := e.upload(auth.RoleEditor, "a.jpg", img, nil)
	again.want(t, 201, nil)
	if n := e.sweep(16 * time.Minute); n != 1 {
		t.Errorf("settled %d", n)
	}
	f := e.do(req{Method: "GET", Path: mediaPath(again.str("data.url")), OffSpec: true})
	if f.Status != 200 || !bytes.Equal(f.Body, img) {
		t.Errorf("the file of the item uploaded again: %d, %d bytes", f.Status, len(f.Body))
	}
	if keys := b.Keys(t); len(keys) != 2 {
		t.Errorf("bucket %v", keys)
	}
}

// TestUploadWaitsForADeletionInProgress: while another process holds a
// claim to delete the files of the same bytes, an upload waits for it to
// end and then stores them again.
func TestUploadWaitsForADeletionInProgress(t *testing.T) {
	t.Parallel()
	b := s3test.NewBucket(t)
	e := newEnv(t, onBucket(b))
	img := jpegBytes(640, 320)
	first := e.upload(auth.RoleEditor, "a.jpg", img, nil)
	first.want(t, 201, nil)
	sha := first.str("data.sha256")
	// Another process deletes the item and claims its files' deletion...
	var claim int64
	err := e.store.Write(context.Background(), func(tx *store.Tx) error {
		if err := tx.DeleteMedia(int64(first.num("data.id"))); err != nil {
			return err
		}
		until := tx.Now().Add(time.Minute)
		row := store.MediaCleanupRow{Kind: store.CleanupDelete, SHA256: sha, Keys: `[]`, NotBefore: tx.Now(), ClaimedUntil: &until}
		err := tx.InsertMediaCleanup(&row)
		claim = row.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// ... and deletes them while the upload waits, then lets go.
	released := make(chan time.Time, 1)
	go func() {
		time.Sleep(400 * time.Millisecond)
		ctx := context.Background()
		for _, k := range b.Keys(t) {
			b.Store(t).Delete(ctx, k)
		}
		e.store.Write(ctx, func(tx *store.Tx) error { return tx.DeleteMediaCleanup(claim) })
		released <- time.Now()
	}()
	again := e.upload(auth.RoleEditor, "a.jpg", img, nil)
	done := time.Now()
	again.want(t, 201, nil)
	if at := <-released; done.Before(at) {
		t.Errorf("the upload did not wait for the deletion to end")
	}
	f := e.do(req{Method: "GET", Path: mediaPath(again.str("data.url")), OffSpec: true})
	if f.Status != 200 || !bytes.Equal(f.Body, img) {
		t.Errorf("after the deletion: %d, %d bytes", f.Status, len(f.Body))
	}
}

// TestCleanupLeavesTheFilesOfAnUploadUnderWay: the pass does not delete a
// deleted item's files while an upload of the same bytes is under way (it
// may have stored them already), and does once it has given up.
func TestCleanupLeavesTheFilesOfAnUploadUnderWay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := s3test.NewBucket(t)
	e := newEnv(t, onBucket(b))
	first := e.upload(auth.RoleEditor, "a.jpg", jpegBytes(640, 320), nil)
	first.want(t, 201, nil)
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/media/%d", first.num("data.id")), As: auth.RoleEditor}).want(t, 204, nil)
	// Another process has recorded an upload of the same bytes, and stores them.
	var upload int64
	err := e.store.Write(ctx, func(tx *store.Tx) error {
		row := store.MediaCleanupRow{Kind: store.CleanupUpload, SHA256: first.str("data.sha256"), Keys: `[]`, NotBefore: tx.Now().Add(time.Hour)}
		err := tx.InsertMediaCleanup(&row)
		upload = row.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.sweep(16 * time.Minute); n != 0 {
		t.Errorf("the pass settled %d records while an upload was under way", n)
	}
	if keys := b.Keys(t); len(keys) != 2 {
		t.Fatalf("the pass deleted files an upload under way may hold: %v", keys)
	}
	// It gives up (and deletes nothing of its own): the next pass deletes them.
	e.store.Write(ctx, func(tx *store.Tx) error { return tx.DeleteMediaCleanup(upload) })
	if n := e.sweep(2 * time.Minute); n != 1 {
		t.Errorf("settled %d", n)
	}
	if keys := b.Keys(t); len(keys) != 0 {
		t.Errorf("left %v", keys)
	}
}
