package main

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-cms/folio/pkg/media/s3test"
)

// TestMediaAcrossReplicas runs three `folio serve` processes that share a
// database (one SQLite data dir here; PostgreSQL in the cluster test) and
// one S3 bucket, and holds them to mediaAcrossReplicas.
func TestMediaAcrossReplicas(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	env := map[string]string{
		"FOLIO_DATA_DIR": data, "FOLIO_ADMIN_EMAIL": "admin@example.com", "FOLIO_ADMIN_PASSWORD": testAdminPassword, "FOLIO_LOG_LEVEL": "warn",
	}
	for k, v := range s3test.NewBucket(t).WithPrefix("cluster/").Env() {
		env[k] = v
	}
	var replicas []string
	for range 3 {
		replicas = append(replicas, "http://"+startProcess(t, env).addr)
	}
	token := (&process{addr: strings.TrimPrefix(replicas[0], "http://")}).login(t, "admin@example.com", testAdminPassword)
	mediaAcrossReplicas(t, replicas, token)
	if _, err := os.Stat(filepath.Join(data, "media")); !os.IsNotExist(err) {
		t.Errorf("the replicas kept media files on their disk (%v): they must come from the bucket", err)
	}
}

// mediaAcrossReplicas is what replicas sharing a bucket must do with media
// (issue 18), written for any set of replicas' base URLs and an admin's
// access token, so that the cluster test (issue 17) runs it too: an upload
// through one replica reads byte-equal through every other, whole and in
// ranges, variants too; a delete through another is seen by all at once.
func mediaAcrossReplicas(t *testing.T, replicas []string, token string) {
	t.Helper()
	img := noiseJPEG(t, 1600, 1000)
	item := uploadTo(t, replicas[0], token, "harbour.jpg", img)
	if len(item.Variants) != 3 {
		t.Fatalf("%d variants, want 3", len(item.Variants))
	}
	paths := []string{mediaURLPath(item.URL)}
	for _, v := range item.Variants {
		paths = append(paths, mediaURLPath(v.URL))
	}
	first := map[string][]byte{}
	for _, p := range paths {
		first[p] = fetch(t, replicas[0]+p, "", 200)
	}
	if !bytes.Equal(first[paths[0]], img) {
		t.Fatalf("the original is not the uploaded bytes")
	}
	size := len(img)
	for _, r := range replicas[1:] {
		for _, p := range paths {
			if got := fetch(t, r+p, "", 200); !bytes.Equal(got, first[p]) {
				t.Errorf("%s%s: %d bytes, not the %d that %s serves", r, p, len(got), len(first[p]), replicas[0])
			}
		}
		for _, rg := range []struct {
			header     string
			start, end int
		}{{"bytes=0-0", 0, 1}, {"bytes=1000-1999", 1000, 2000}, {fmt.Sprintf("bytes=%d-", size-4096), size - 4096, size}, {"bytes=-10", size - 10, size}} {
			if got := fetch(t, r+paths[0], rg.header, 206); !bytes.Equal(got, img[rg.start:rg.end]) {
				t.Errorf("%s %s: %d bytes, not bytes %d-%d of the original", r, rg.header, len(got), rg.start, rg.end-1)
			}
		}
	}
	// Deleted through another replica: gone from every one at once.
	req, _ := http.NewRequest("DELETE", fmt.Sprintf("%s/api/v1/admin/media/%d", replicas[len(replicas)-1], item.ID), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 204 {
		t.Fatalf("delete: %v %v", res, err)
	}
	res.Body.Close()
	for _, r := range replicas {
		for _, p := range paths {
			fetch(t, r+p, "", 404)
		}
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/admin/media/%d", r, item.ID), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 404 {
			t.Errorf("%s: the deleted item: %v %v", r, res, err)
		} else {
			res.Body.Close()
		}
	}
}

type uploaded struct {
	ID       int64  `json:"id"`
	URL      string `json:"url"`
	Variants []struct {
		URL string `json:"url"`
	} `json:"variants"`
}

func uploadTo(t *testing.T, base, token, name string, data []byte) uploaded {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("alt", "A harbour")
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	a := &api{t: t, base: base, token: token}
	var out struct{ Data uploaded }
	if code := a.call("POST", "/api/v1/admin/media", mw.FormDataContentType(), body.Bytes(), &out); code != 201 {
		t.Fatalf("upload to %s: %d", base, code)
	}
	return out.Data
}

// fetch GETs url (with a Range header, if given) and returns the body,
// failing unless the status is want.
func fetch(t *testing.T, url, rangeHeader string, want int) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if rangeHeader != "" {
		req.Header.Set("Range", rangeHeader)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != want {
		t.Errorf("GET %s (%s): %d %v, want %d", url, rangeHeader, res.StatusCode, err, want)
	}
	return b
}

// mediaURLPath is the path of a media URL (FOLIO_PUBLIC_URL differs
// between replicas).
func mediaURLPath(u string) string { return u[strings.Index(u, "/media/"):] }

// noiseJPEG is a w×h JPEG of noise: large, and different every time.
func noiseJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(rand.Uint64(), 1))
	for i := range m.Pix {
		m.Pix[i] = uint8(r.Uint32())
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
