package httpapi_test

import (
	"strings"
	"testing"
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
