package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/media"
)

// ---- fixtures, made here ----

func testImage(w, h int) image.Image {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255})
		}
	}
	return m
}

func jpegBytes(w, h int) []byte {
	var b bytes.Buffer
	_ = jpeg.Encode(&b, testImage(w, h), &jpeg.Options{Quality: 80})
	return b.Bytes()
}

func pngBytes(w, h int) []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, testImage(w, h))
	return b.Bytes()
}

func gifBytes() []byte {
	var b bytes.Buffer
	_ = gif.Encode(&b, testImage(20, 10), nil)
	return b.Bytes()
}

// webpBytes is a 1×1 lossless WebP (Google's WebP FAQ test image).
func webpBytes() []byte {
	b, _ := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	return b
}

func pdfBytes() []byte {
	var b bytes.Buffer
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"}
	b.WriteString("%PDF-1.7\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// hugePNG is a small file whose header claims w×h pixels.
func hugePNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// upload sends a multipart upload; fields are sent before the file.
func (e *env) upload(as auth.Role, filename string, data []byte, fields map[string]string) *resp {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(data)
	}
	mw.Close()
	return e.do(req{Method: "POST", Path: "/api/v1/admin/media", As: as, Body: body.Bytes(),
		Headers: map[string]string{"Content-Type": mw.FormDataContentType()}})
}

func TestUploadAcceptedTypes(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store string) {
		e := newEnv(t, onStore(t, store))
		tests := []struct {
			name, file, mime, kind string
			data                   []byte
			w, h                   int
			variants               [][2]int
		}{
			{"jpeg", "photo.jpg", "image/jpeg", "image", jpegBytes(2000, 1000), 2000, 1000, [][2]int{{480, 240}, {960, 480}, {1600, 800}}},
			{"png", "diagram.png", "image/png", "image", pngBytes(700, 350), 700, 350, [][2]int{{480, 240}}},
			{"gif", "anim.gif", "image/gif", "image", gifBytes(), 20, 10, nil},
			{"webp", "pic.webp", "image/webp", "image", webpBytes(), 1, 1, nil},
			{"pdf", "one-pager.pdf", "application/pdf", "document", pdfBytes(), 0, 0, nil},
			{"jpeg named .png", "sneaky.png", "image/jpeg", "image", jpegBytes(100, 50), 100, 50, nil}, // bytes decide
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.upload(auth.RoleAuthor, tt.file, tt.data, map[string]string{"alt": "Alt of " + tt.name, "caption": "A caption"})
				r.want(t, 201, map[string]any{"data.mime": tt.mime, "data.type": tt.kind, "data.filename": tt.file, "data.size": len(tt.data),
					"data.alt": "Alt of " + tt.name, "data.caption": "A caption"})
				if tt.w > 0 {
					r.want(t, 201, map[string]any{"data.width": tt.w, "data.height": tt.h})
				}
				if got := len(r.list("data.variants")); got != len(tt.variants) {
					t.Fatalf("%d variants, want %d: %s", got, len(tt.variants), r.Body)
				}
				for i, v := range tt.variants {
					r.want(t, 201, map[string]any{fmt.Sprintf("data.variants.%d.width", i): v[0], fmt.Sprintf("data.variants.%d.height", i): v[1]})
					// Each variant is served and decodes to its size.
					f := e.do(req{Method: "GET", Path: mediaPath(r.str(fmt.Sprintf("data.variants.%d.url", i))), OffSpec: true})
					cfg, _, err := image.DecodeConfig(bytes.NewReader(f.Body))
					if f.Status != 200 || err != nil || cfg.Width != v[0] || cfg.Height != v[1] {
						t.Errorf("variant %d: %d, %v, %dx%d", v[0], f.Status, err, cfg.Width, cfg.Height)
					}
				}
				// The original is served byte for byte.
				f := e.do(req{Method: "GET", Path: mediaPath(r.str("data.url")), OffSpec: true})
				if f.Status != 200 || !bytes.Equal(f.Body, tt.data) || f.Header.Get("Content-Type") != tt.mime {
					t.Errorf("original: %d %s, %d bytes", f.Status, f.Header.Get("Content-Type"), len(f.Body))
				}
				if !strings.HasPrefix(r.str("data.url"), "http://folio.test/media/originals/") {
					t.Errorf("url %q is not absolute under the media base", r.str("data.url"))
				}
			})
		}
		// The same bytes again: the existing item, stored once.
		again := e.upload(auth.RoleEditor, "copy.jpg", jpegBytes(2000, 1000), map[string]string{"alt": "Other alt"})
		again.want(t, 200, map[string]any{"data.filename": "photo.jpg", "data.alt": "Alt of jpeg"})
		e.do(req{Method: "GET", Path: "/api/v1/admin/media?per_page=100", As: auth.RoleAuthor}).want(t, 200, map[string]any{"meta.total": 6})
		// Six originals and four variants, each once, in the store.
		if keys := e.storedKeys(); len(keys) != 10 || !strings.HasPrefix(keys[0], "originals/") || !strings.HasPrefix(keys[9], "variants/") {
			t.Errorf("stored %v", keys)
		}
	})
}

// mediaPath turns an absolute media URL into the path the app serves.
func mediaPath(url string) string { return strings.TrimPrefix(url, "http://folio.test") }

func TestUploadRefused(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store string) {
		e := newEnv(t, onStore(t, store))
		mz := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)
		elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 200)...)
		svg := []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
		html := []byte(`<!doctype html><html><body><script>alert(document.cookie)</script></body></html>`)
		jpegHTML := append(jpegBytes(50, 50), []byte("<html><script>alert(1)</script></html>")...)
		tests := []struct {
			name   string
			file   string
			data   []byte
			status int
			code   string
		}{
			{"exe renamed .jpg", "cat.jpg", mz, 415, "unsupported_media_type"},
			{"elf", "app.png", elf, 415, "unsupported_media_type"},
			{"svg with script", "logo.svg", svg, 415, "unsupported_media_type"},
			{"html", "page.jpg", html, 415, "unsupported_media_type"},
			{"jpeg with html appended", "polyglot.jpg", jpegHTML, 415, "unsupported_media_type"},
			{"png header claiming 60000x60000", "bomb.png", hugePNG(60000, 60000), 422, "validation_failed"},
			{"truncated png", "broken.png", pngBytes(100, 100)[:60], 415, "unsupported_media_type"},
			{"empty", "empty.jpg", nil, 400, "invalid_upload"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.upload(auth.RoleEditor, tt.file, tt.data, nil)
				r.want(t, tt.status, map[string]any{"error.code": tt.code})
				if strings.Contains(r.str("error.message"), "/") && strings.Contains(r.str("error.message"), "tmp") {
					t.Errorf("the message shows a server path: %s", r.str("error.message"))
				}
			})
		}
		e.upload(auth.RoleEditor, "", nil, map[string]string{"alt": "no file"}).want(t, 422, map[string]any{"error.details.0.field": "file"})
		e.upload(auth.RoleEditor, "a.jpg", jpegBytes(10, 10), map[string]string{"colour": "red"}).want(t, 400, map[string]any{"error.code": "unknown_field"})
		e.do(req{Method: "POST", Path: "/api/v1/admin/media", As: auth.RoleEditor, Body: `{"file":"x"}`}).want(t, 415, nil)
		e.upload("", "a.jpg", jpegBytes(10, 10), nil).want(t, 401, nil)
		// Nothing was stored by any of them.
		e.do(req{Method: "GET", Path: "/api/v1/admin/media", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 0})
		if keys := e.storedKeys(); len(keys) != 0 {
			t.Errorf("refused uploads left %v in the store", keys)
		}
	})
}

// TestUploadLimitWhileStreaming sends a file over the limit on a real
// connection and keeps sending: the answer (413) comes before the body has
// been read, so the server did not buffer it first.
func TestUploadLimitWhileStreaming(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store string) {
		e := newEnv(t, onStore(t, store), func(c *config.Config) { c.MaxUpload = 64 << 10 })
		e.upload(auth.RoleEditor, "small.jpg", jpegBytes(60, 60), nil).want(t, 201, nil)
		base := e.serve()
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		boundary := "folio-test-boundary"
		head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
		go func() {
			// Chunked, so no Content-Length gives the size away: the limit must
			// hold while reading. 64 MiB would take a while to send.
			w := bufio.NewWriter(conn)
			fmt.Fprintf(w, "POST /api/v1/admin/media HTTP/1.1\r\nHost: folio\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=%s\r\nTransfer-Encoding: chunked\r\n\r\n", e.tokens[auth.RoleEditor], boundary)
			fmt.Fprintf(w, "%x\r\n%s\r\n", len(head), head)
			chunk := append(jpegBytes(10, 10), make([]byte, 32<<10)...)
			for i := 0; i < 2048; i++ {
				if _, err := fmt.Fprintf(w, "%x\r\n%s\r\n", len(chunk), chunk); err != nil {
					return
				}
			}
			w.Flush()
		}()
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 413 || !strings.Contains(string(body), "payload_too_large") {
			t.Fatalf("status %d: %s", res.StatusCode, body)
		}
		// A declared Content-Length over the limit is refused before any reading.
		e.upload(auth.RoleEditor, "big.jpg", append(jpegBytes(50, 50), make([]byte, 200<<10)...), nil).want(t, 413, nil)
		e.do(req{Method: "GET", Path: "/api/v1/admin/media", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 1})
	})
}

func TestServingMedia(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store string) {
		e := newEnv(t, onStore(t, store))
		img := e.upload(auth.RoleEditor, "photo.jpg", jpegBytes(600, 300), map[string]string{"alt": "A photo"})
		img.want(t, 201, nil)
		p := mediaPath(img.str("data.url"))
		full := e.do(req{Method: "GET", Path: p, OffSpec: true})
		size := len(full.Body)
		for h, want := range map[string]string{
			"Content-Type": "image/jpeg", "Content-Length": strconv.Itoa(size), "Cache-Control": "public, max-age=31536000, immutable",
			"X-Content-Type-Options": "nosniff", "Accept-Ranges": "bytes",
		} {
			if got := full.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if h := e.do(req{Method: "HEAD", Path: p, OffSpec: true}); h.Status != 200 || len(h.Body) != 0 || h.Header.Get("Content-Length") != strconv.Itoa(size) || h.Header.Get("ETag") == "" {
			t.Errorf("HEAD: %d, %d bytes, length %q", h.Status, len(h.Body), h.Header.Get("Content-Length"))
		}
		etag := full.Header.Get("ETag")
		if nm := e.do(req{Method: "GET", Path: p, OffSpec: true, Headers: map[string]string{"If-None-Match": etag}}); nm.Status != 304 {
			t.Errorf("If-None-Match: %d", nm.Status)
		}
		// Ranges.
		r := e.do(req{Method: "GET", Path: p, OffSpec: true, Headers: map[string]string{"Range": "bytes=10-19"}})
		if r.Status != 206 || !bytes.Equal(r.Body, full.Body[10:20]) || r.Header.Get("Content-Range") != fmt.Sprintf("bytes 10-19/%d", size) {
			t.Errorf("range 10-19: %d %q %d bytes", r.Status, r.Header.Get("Content-Range"), len(r.Body))
		}
		r = e.do(req{Method: "GET", Path: p, OffSpec: true, Headers: map[string]string{"Range": "bytes=-5"}})
		if r.Status != 206 || !bytes.Equal(r.Body, full.Body[size-5:]) {
			t.Errorf("suffix range: %d", r.Status)
		}
		r = e.do(req{Method: "GET", Path: p, OffSpec: true, Headers: map[string]string{"Range": fmt.Sprintf("bytes=%d-", size+10)}})
		if r.Status != 416 || r.Header.Get("Content-Range") != fmt.Sprintf("bytes */%d", size) {
			t.Errorf("unsatisfiable range: %d %q", r.Status, r.Header.Get("Content-Range"))
		}
		// PDFs download; they are never shown inline.
		pdf := e.upload(auth.RoleEditor, "one-pager.pdf", pdfBytes(), nil)
		d := e.do(req{Method: "GET", Path: mediaPath(pdf.str("data.url")), OffSpec: true})
		if d.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(d.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("pdf: %q %q", d.Header.Get("Content-Type"), d.Header.Get("Content-Disposition"))
		}
		// Ways out of the media dir are simply not found.
		for _, bad := range []string{"/media/../go.mod", "/media/originals/../../x.jpg", "/media/%2e%2e/%2e%2e/etc/passwd", "/media/..%2f..%2fetc%2fpasswd",
			"/media/originals\\..\\x.jpg", "/media//etc/passwd.jpg", "/media/originals/ab/cd/nothere.jpg", "/media/jwt_secret", "/media/"} {
			r := e.do(req{Method: "GET", Path: bad, OffSpec: true})
			if r.Status != 404 {
				t.Errorf("GET %s = %d, want 404", bad, r.Status)
			}
		}
	})
}

// TestSymlinksAreNotFollowed puts a symlink inside the media dir that points
// outside it: it is not served.
func TestSymlinksAreNotFollowed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.upload(auth.RoleEditor, "x.jpg", jpegBytes(20, 20), nil).want(t, 201, nil)
	secret := filepath.Join(t.TempDir(), "secret.jpg")
	os.WriteFile(secret, []byte("not for you"), 0o644)
	root := mediaRoot(t, e)
	os.MkdirAll(filepath.Join(root, "originals", "aa", "bb"), 0o755)
	if err := os.Symlink(secret, filepath.Join(root, "originals", "aa", "bb", "link.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Dir(secret), filepath.Join(root, "escape")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/media/originals/aa/bb/link.jpg", "/media/escape/secret.jpg"} {
		if r := e.do(req{Method: "GET", Path: p, OffSpec: true}); r.Status != 404 || strings.Contains(string(r.Body), "not for you") {
			t.Errorf("GET %s = %d", p, r.Status)
		}
	}
}

// storedKeys lists what the env's media store holds.
func (e *env) storedKeys() []string {
	e.t.Helper()
	var keys []string
	err := e.library.Storage.(media.Lister).List(context.Background(), func(o media.Object) error {
		keys = append(keys, o.Key)
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

func mediaRoot(t *testing.T, e *env) string {
	t.Helper()
	return e.library.Storage.(media.Local).Dir
}

func TestMediaLibrary(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store string) {
		e := newEnv(t, onStore(t, store))
		a := e.upload(auth.RoleAuthor, "team-offsite.jpg", jpegBytes(40, 40), map[string]string{"alt": "The team on a hill"})
		b := e.upload(auth.RoleEditor, "brochure.pdf", pdfBytes(), map[string]string{"caption": "Q3 brochure"})
		e.upload(auth.RoleEditor, "chart.png", pngBytes(30, 30), nil)
		list := func(q string) *resp {
			return e.do(req{Method: "GET", Path: "/api/v1/admin/media?" + q, As: auth.RoleMarketer})
		}
		list("").want(t, 200, map[string]any{"meta.total": 3, "data.0.filename": "chart.png"})
		list("q=hill").want(t, 200, map[string]any{"meta.total": 1, "data.0.filename": "team-offsite.jpg"})
		list("q=brochure").want(t, 200, map[string]any{"meta.total": 1})
		list("type=document").want(t, 200, map[string]any{"meta.total": 1, "data.0.mime": "application/pdf"})
		list("type=image").want(t, 200, map[string]any{"meta.total": 2})
		list("type=video").want(t, 400, map[string]any{"error.details.0.field": "type"})
		// Editing alt text: authors their own uploads only.
		ap := fmt.Sprintf("/api/v1/admin/media/%d", a.num("data.id"))
		bp := fmt.Sprintf("/api/v1/admin/media/%d", b.num("data.id"))
		e.do(req{Method: "PATCH", Path: ap, As: auth.RoleAuthor, Body: map[string]any{"alt": "The whole team on a hill"}}).want(t, 200, map[string]any{"data.alt": "The whole team on a hill"})
		e.do(req{Method: "PATCH", Path: bp, As: auth.RoleAuthor, Body: map[string]any{"alt": "x"}}).want(t, 403, nil)
		e.do(req{Method: "PATCH", Path: bp, As: auth.RoleMarketer, Body: map[string]any{"caption": "Q3 one-pager"}}).want(t, 200, map[string]any{"data.caption": "Q3 one-pager", "data.alt": nil})
		e.do(req{Method: "PATCH", Path: bp, As: auth.RoleMarketer, Body: map[string]any{"filename": "x"}}).want(t, 400, nil)
		e.do(req{Method: "GET", Path: ap, As: auth.RoleAuthor}).want(t, 200, map[string]any{"data.used_by": []any{}})
		// Authors may not delete; editors may, when unused.
		e.do(req{Method: "DELETE", Path: bp, As: auth.RoleAuthor}).want(t, 403, nil)
		e.do(req{Method: "DELETE", Path: bp, As: auth.RoleEditor}).want(t, 204, nil)
		e.do(req{Method: "GET", Path: bp, As: auth.RoleEditor}).want(t, 404, nil)
		if r := e.do(req{Method: "GET", Path: mediaPath(b.str("data.url")), OffSpec: true}); r.Status != 404 {
			t.Errorf("the deleted item's file is still served: %d", r.Status)
		}
		// Its file stays in the store a while (a backup under way may need
		// it), not served, until the cleanup pass after the grace.
		bkey := strings.TrimPrefix(mediaPath(b.str("data.url")), "/media/")
		if keys := e.storedKeys(); len(keys) != 3 || !slices.Contains(keys, bkey) {
			t.Errorf("right after the delete the store holds %v", keys)
		}
		if n := e.sweep(time.Minute); n != 0 {
			t.Errorf("a pass within the grace settled %d", n)
		}
		if n := e.sweep(15 * time.Minute); n != 1 {
			t.Errorf("the pass after the grace settled %d, want 1", n)
		}
		if keys := e.storedKeys(); len(keys) != 2 || slices.Contains(keys, bkey) {
			t.Errorf("after the pass the store holds %v", keys)
		}
		if left := e.cleanups(); len(left) != 0 {
			t.Errorf("files left to clean up: %+v", left)
		}
	})
}

func TestMediaInContent(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store string) {
		e := newEnv(t, onStore(t, store))
		cover := e.upload(auth.RoleEditor, "cover.jpg", jpegBytes(1200, 600), map[string]string{"alt": "A harbour at dawn"})
		bare := e.upload(auth.RoleEditor, "bare.png", pngBytes(500, 250), nil) // no alt
		pdf := e.upload(auth.RoleEditor, "doc.pdf", pdfBytes(), nil)
		coverID, bareID := cover.num("data.id"), bare.num("data.id")

		// A cover from the library: alt from the item unless given; public
		// answers carry the size and the variants for srcset.
		id, r := e.createPost(map[string]any{"title": "Harbour", "cover_image": map[string]any{"media_id": coverID},
			"body": "Inline: ![x](" + bare.str("data.url") + ")"})
		r.want(t, 201, map[string]any{"data.cover_image.media_id": coverID, "data.cover_image.alt": "A harbour at dawn", "data.cover_image.width": 1200})
		e.publishPost(id)
		pub := e.do(req{Method: "GET", Path: "/api/v1/posts/harbour"})
		pub.want(t, 200, map[string]any{
			"data.cover_image.url": cover.str("data.url"), "data.cover_image.alt": "A harbour at dawn", "data.cover_image.width": 1200,
			"data.cover_image.height": 600, "data.cover_image.variants.1": map[string]any{"width": 960, "height": 480, "url": cover.str("data.variants.1.url")},
		})
		e.do(req{Method: "GET", Path: "/api/v1/posts"}).want(t, 200, map[string]any{"data.0.cover_image.variants.0.width": 480})
		// Bad references.
		e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "x", "cover_image": map[string]any{"media_id": 999}}}).
			want(t, 422, map[string]any{"error.details.0.field": "cover_image.media_id"})
		e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "x", "cover_image": map[string]any{"media_id": pdf.num("data.id")}}}).
			want(t, 422, map[string]any{"error.details.0.field": "cover_image.media_id"})
		e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "x", "cover_image": map[string]any{"media_id": coverID, "url": "https://x.example/a.png"}}}).
			want(t, 422, map[string]any{"error.details.0.field": "cover_image"})

		// Alt text is required to publish or schedule, for library and external images.
		for _, img := range []map[string]any{{"media_id": bareID}, {"url": "https://img.example.com/a.png"}} {
			nid, _ := e.createPost(map[string]any{"title": "No alt", "cover_image": img})
			e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/publish", nid), As: auth.RoleEditor}).
				want(t, 422, map[string]any{"error.details.0.field": "cover_image.alt"})
			e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/schedule", nid), As: auth.RoleEditor,
				Body: map[string]string{"publish_at": e.clock.Now().Add(time.Hour).Format(time.RFC3339)}}).want(t, 422, nil)
			e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/posts/%d?permanent=1", nid), As: auth.RoleAdmin}).want(t, 204, nil)
		}
		// ... and it stays required: a published post can't lose it. The
		// save only changes its working copy; publishing it is refused.
		e.do(req{Method: "PUT", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor,
			Body: map[string]any{"title": "Harbour", "cover_image": map[string]any{"media_id": bareID}, "version": 2}}).
			want(t, 200, map[string]any{"data.has_unpublished_changes": true})
		e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/publish", id), As: auth.RoleEditor}).
			want(t, 422, map[string]any{"error.details.0.field": "cover_image.alt"})
		e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/discard", id), As: auth.RoleEditor}).
			want(t, 200, map[string]any{"data.has_unpublished_changes": false, "data.version": 4})
		// Case studies: the logo too.
		cs, _ := e.createCaseStudy(map[string]any{"title": "Study", "logo": map[string]any{"media_id": bareID}})
		e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/case-studies/%d/publish", cs), As: auth.RoleEditor}).
			want(t, 422, map[string]any{"error.details.0.field": "logo.alt"})

		// Deleting an item in use is refused, naming the uses (cover and inline).
		for _, m := range []int{coverID, bareID} {
			r := e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/media/%d", m), As: auth.RoleEditor})
			r.want(t, 409, map[string]any{"error.code": "media_in_use", "error.used_by.0.id": id, "error.used_by.0.type": "post"})
		}
		e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/media/%d", bareID), As: auth.RoleEditor}).want(t, 200, map[string]any{
			"data.used_by": []map[string]any{{"type": "post", "id": id, "title": "Harbour", "field": "body"}, {"type": "case_study", "id": cs, "title": "Study", "field": "logo"}},
		})
		// Force is for admins; it removes the cover from the post as a new version.
		e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/media/%d?force=1", coverID), As: auth.RoleEditor}).want(t, 403, nil)
		e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/media/%d?force=1", coverID), As: auth.RoleAdmin}).want(t, 204, nil)
		e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor}).want(t, 200, map[string]any{"data.cover_image": nil, "data.version": 5})
		e.do(req{Method: "GET", Path: "/api/v1/posts/harbour"}).want(t, 200, map[string]any{"data.cover_image": nil})
		if r := e.do(req{Method: "GET", Path: mediaPath(cover.str("data.url")), OffSpec: true}); r.Status != 404 {
			t.Errorf("the file of a deleted item is still served")
		}
		// Once nothing uses it any more, it can go.
		e.do(req{Method: "PUT", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor, Body: map[string]any{"title": "Harbour", "body": "No images", "version": 5}}).want(t, 200, nil)
		e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/publish", id), As: auth.RoleEditor}).want(t, 200, nil)
		e.do(req{Method: "PUT", Path: fmt.Sprintf("/api/v1/admin/case-studies/%d", cs), As: auth.RoleEditor, Body: map[string]any{"title": "Study", "version": 1}}).want(t, 200, nil)
		e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/media/%d", bareID), As: auth.RoleEditor}).want(t, 204, nil)
	})
}

// TestSVGUploads (issue 19, item 14): an inert SVG is an image of the
// library, without variants, usable as a case study's logo, and served
// with a CSP that allows its inline styles and nothing else; one with a
// script is refused. On the local disk and on S3 alike.
func TestSVGUploads(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, store string) {
		e := newEnv(t, onStore(t, store))
		logo := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><style>rect{fill:#0a5}</style><rect width="120" height="40"/></svg>`)
		up := e.upload(auth.RoleEditor, "logo.svg", logo, map[string]string{"alt": "Acme"})
		up.want(t, 201, map[string]any{"data.mime": "image/svg+xml", "data.type": "image", "data.width": 120, "data.height": 40, "data.variants": []any{}})
		served := e.do(req{Method: "GET", Path: mediaPath(up.str("data.url")), OffSpec: true})
		for h, want := range map[string]string{
			"Content-Type": "image/svg+xml", "X-Content-Type-Options": "nosniff",
			"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
		} {
			if got := served.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if string(served.Body) != string(logo) {
			t.Errorf("served %q, want the upload as it was", served.Body)
		}
		e.publishStudy(map[string]any{"title": "Acme", "logo": map[string]any{"media_id": up.num("data.id")}})
		e.do(req{Method: "GET", Path: "/api/v1/case-studies/acme"}).want(t, 200, map[string]any{
			"data.logo.url": up.str("data.url"), "data.logo.alt": "Acme", "data.logo.width": 120, "data.logo.variants": []any{}})
		hostile := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>`)
		e.upload(auth.RoleEditor, "track.svg", hostile, nil).want(t, 415, map[string]any{"error.code": "unsupported_media_type"})
	})
}
