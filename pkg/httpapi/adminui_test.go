package httpapi_test

import (
	"bytes"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	adminui "github.com/folio-cms/folio/admin-ui"
)

func TestAdminApp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, p := range []string{"/", "/admin"} {
		r := e.do(req{Method: "GET", Path: p, OffSpec: true})
		if r.Status != 302 || r.Header.Get("Location") != "/admin/" {
			t.Errorf("GET %s = %d Location %q, want a redirect to /admin/", p, r.Status, r.Header.Get("Location"))
		}
	}
	// The app, and deep links into it, get index.html with a strict CSP.
	var nonces []string
	for _, p := range []string{"/admin/", "/admin/posts/12", "/admin/case-studies/new"} {
		r := e.do(req{Method: "GET", Path: p, OffSpec: true})
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET %s = %d %s", p, r.Status, r.Header.Get("Content-Type"))
		}
		if got := r.Header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("index Cache-Control = %q, want no-cache", got)
		}
		csp := r.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self';", "object-src 'none'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("CSP allows unsafe code: %q", csp)
		}
		// The nonce in the page and in the policy agree, and change per response.
		body := string(r.Body)
		i := strings.Index(csp, "'nonce-")
		nonce := csp[i+7 : i+7+strings.Index(csp[i+7:], "'")]
		if !strings.Contains(body, `content="`+nonce+`"`) || strings.Contains(body, "__CSP_NONCE__") {
			t.Errorf("the page does not carry the policy's nonce %q", nonce)
		}
		nonces = append(nonces, nonce)
	}
	if nonces[0] == nonces[1] {
		t.Errorf("the nonce did not change between responses")
	}
	// A missing asset is a real 404, not the app.
	for _, p := range []string{"/admin/assets/index-deadbeef.js", "/admin/favicon-missing.svg"} {
		r := e.do(req{Method: "GET", Path: p, OffSpec: true})
		if r.Status != 404 || strings.Contains(string(r.Body), "<html") {
			t.Errorf("GET %s = %d, want a 404 that is not the app", p, r.Status)
		}
	}
	// Path tricks stay inside the app.
	r := e.do(req{Method: "GET", Path: "/admin/../../go.mod", OffSpec: true})
	if strings.Contains(string(r.Body), "module ") {
		t.Errorf("/admin/../../go.mod leaked a file")
	}
}

// TestAdminAssetsPrecompressed: the app's JavaScript and CSS go out as the
// build compressed them (brotli, else gzip), byte for byte, with Vary and an
// ETag per encoding; the server compresses nothing itself for them.
func TestAdminAssetsPrecompressed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dist := adminui.FS()
	index, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	assets := regexp.MustCompile(`(?:src|href)="/admin/(assets/[^"]+\.(?:js|css))"`).FindAllStringSubmatch(string(index), -1)
	if len(assets) < 2 {
		t.Fatalf("index.html names %d scripts and styles", len(assets))
	}
	for _, m := range assets {
		p := m[1]
		raw, _ := fs.ReadFile(dist, p)
		tags := map[string]bool{}
		for _, c := range []struct{ accept, encoding, file string }{
			{"gzip, deflate, br, zstd", "br", p + ".br"},
			{"br;q=1.0, gzip;q=0.8", "br", p + ".br"},
			{"gzip, deflate", "gzip", p + ".gz"},
			{"br;q=0, gzip", "gzip", p + ".gz"},
			{"", "", p},
			{"identity", "", p},
		} {
			want, err := fs.ReadFile(dist, c.file)
			if err != nil {
				t.Fatalf("%s: the build wrote no %s", p, c.file)
			}
			r := e.do(req{Method: "GET", Path: "/admin/" + p, OffSpec: true, Headers: map[string]string{"Accept-Encoding": c.accept}})
			if r.Status != 200 || r.Header.Get("Content-Encoding") != c.encoding {
				t.Fatalf("%s with Accept-Encoding %q: %d, Content-Encoding %q; want 200, %q", p, c.accept, r.Status, r.Header.Get("Content-Encoding"), c.encoding)
			}
			if !bytes.Equal(r.Body, want) {
				t.Errorf("%s with Accept-Encoding %q: %d bytes sent, want the %d of %s", p, c.accept, len(r.Body), len(want), c.file)
			}
			if !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: Vary = %q, want Accept-Encoding in it", p, r.Header.Get("Vary"))
			}
			etag := r.Header.Get("ETag")
			tags[etag] = true
			if nm := e.do(req{Method: "GET", Path: "/admin/" + p, OffSpec: true, Headers: map[string]string{"Accept-Encoding": c.accept, "If-None-Match": etag}}); nm.Status != 304 || len(nm.Body) != 0 {
				t.Errorf("%s with its ETag %s: %d, %d bytes; want 304 and no body", p, etag, nm.Status, len(nm.Body))
			}
		}
		if len(tags) != 3 {
			t.Errorf("%s: ETags %v, want one for each of brotli, gzip and none", p, tags)
		}
		if len(raw) == 0 {
			t.Errorf("%s is empty", p)
		}
	}
	// The compressed copies are not files of their own.
	if r := e.do(req{Method: "GET", Path: "/admin/" + assets[0][1] + ".br", OffSpec: true}); r.Status != 404 {
		t.Errorf("GET %s.br = %d, want 404", assets[0][1], r.Status)
	}
}
