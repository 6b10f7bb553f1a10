package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
)

// publish creates and publishes a post, a minute after the previous one.
func (e *env) publish(body map[string]any) int {
	e.t.Helper()
	id, _ := e.createPost(body)
	e.publishPost(id)
	e.clock.Add(time.Minute)
	return id
}

func (e *env) publishStudy(body map[string]any) int {
	e.t.Helper()
	id, _ := e.createCaseStudy(body)
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/case-studies/%d/publish", id), As: auth.RoleEditor}).want(e.t, 200, nil)
	e.clock.Add(time.Minute)
	return id
}

func slugs(r *resp) []string {
	var out []string
	for _, item := range r.list("data") {
		out = append(out, item.(map[string]any)["slug"].(string))
	}
	return out
}

func TestPublicFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(map[string]any{"title": "Go basics", "tags": []string{"Go"}, "featured": true})
	e.publish(map[string]any{"title": "Rust basics", "tags": []string{"Rust"}})
	before := e.clock.Now()
	e.publish(map[string]any{"title": "Zig basics", "tags": []string{"Zig", "Go"}})
	e.createPost(map[string]any{"title": "Draft Go", "tags": []string{"Go"}})
	mine := e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleAuthor, Body: map[string]any{"title": "By the author"}}).num("data.id")
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/publish", mine), As: auth.RoleEditor}).want(t, 200, nil)

	tests := []struct {
		query string
		want  []string
	}{
		{"tag=go", []string{"zig-basics", "go-basics"}},
		{"tag=go,rust", []string{"zig-basics", "rust-basics", "go-basics"}},
		{"tag=rust&featured=false", []string{"rust-basics"}},
		{"featured=true", []string{"go-basics"}},
		{"author=test-author", []string{"by-the-author"}},
		{"published_before=" + before.Format(time.RFC3339) + "&sort=published_at", []string{"go-basics", "rust-basics"}},
		{"published_after=" + before.Add(-time.Second).Format(time.RFC3339) + "&tag=go", []string{"zig-basics"}},
		{"sort=title&per_page=3", []string{"by-the-author", "go-basics", "rust-basics"}},
		{"sort=-title&per_page=2", []string{"zig-basics", "rust-basics"}},
		{"sort=-updated_at&per_page=1", []string{"by-the-author"}},
	}
	for _, tt := range tests {
		r := e.do(req{Method: "GET", Path: "/api/v1/posts?" + tt.query})
		r.want(t, 200, nil)
		if got := slugs(r); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("?%s = %v, want %v", tt.query, got, tt.want)
		}
	}
	for param, bad := range map[string]string{
		"sort": "sort=random", "featured": "featured=yes", "published_after": "published_after=yesterday",
		"published_before": "published_before=2026-13-01", "fields": "fields=slug,nope", "per_page": "per_page=101",
	} {
		r := e.do(req{Method: "GET", Path: "/api/v1/posts?" + bad})
		r.want(t, 400, map[string]any{"error.code": "invalid_parameter", "error.details.0.field": param})
	}
	// fields keeps just those, in that order.
	r := e.do(req{Method: "GET", Path: "/api/v1/posts?fields=title,slug&per_page=1&sort=title"})
	r.want(t, 200, map[string]any{"data.0": map[string]string{"title": "By the author", "slug": "by-the-author"}})
	if !bytes.Contains(r.Body, []byte(`{"title":"By the author","slug":"by-the-author"}`)) {
		t.Errorf("fields order not kept: %s", r.Body)
	}
	// Case studies.
	e.publishStudy(map[string]any{"title": "Ledger", "industry": "Fintech", "technologies": []string{"Go", "PostgreSQL"}, "featured": true})
	e.publishStudy(map[string]any{"title": "Routes", "industry": "Logistics", "technologies": []string{"Python"}})
	for q, want := range map[string]string{"industry=FINTECH": "ledger", "technology=python": "routes", "featured=true": "ledger", "technology=go&industry=logistics": ""} {
		r := e.do(req{Method: "GET", Path: "/api/v1/case-studies?" + q})
		if got := strings.Join(slugs(r), " "); got != want {
			t.Errorf("case studies ?%s = %q, want %q", q, got, want)
		}
	}
	e.do(req{Method: "GET", Path: "/api/v1/case-studies?fields=client,metrics"}).want(t, 200, nil)
	e.do(req{Method: "GET", Path: "/api/v1/case-studies?fields=html"}).want(t, 400, map[string]any{"error.details.0.field": "fields"}) // challenge_html, …: a case study has no html
}

func TestRelated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(map[string]any{"title": "Base", "tags": []string{"A", "B", "C"}})
	e.publish(map[string]any{"title": "Two shared", "tags": []string{"A", "B"}})
	e.publish(map[string]any{"title": "One shared old", "tags": []string{"C"}})
	e.publish(map[string]any{"title": "One shared new", "tags": []string{"A", "X"}})
	e.publish(map[string]any{"title": "None", "tags": []string{"X"}})
	e.createPost(map[string]any{"title": "Draft all shared", "tags": []string{"A", "B", "C"}})
	r := e.do(req{Method: "GET", Path: "/api/v1/posts/base/related"})
	r.want(t, 200, nil)
	if got := strings.Join(slugs(r), " "); got != "two-shared one-shared-new one-shared-old" {
		t.Errorf("related = %s", got)
	}
	r = e.do(req{Method: "GET", Path: "/api/v1/posts/base/related?limit=10"})
	if got := strings.Join(slugs(r), " "); got != "two-shared one-shared-new one-shared-old none" {
		t.Errorf("related with fill-up = %s", got)
	}
	e.do(req{Method: "GET", Path: "/api/v1/posts/base/related?limit=0"}).want(t, 400, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts/draft-all-shared/related"}).want(t, 404, nil)
}

func TestSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(map[string]any{"title": "Container orchestration in practice", "body": "We run **Kubernetes** clusters for clients."})
	e.publish(map[string]any{"title": "Choosing a database", "body": "Kubernetes is not a database. Orchestration appears only here in the body, once."})
	e.publish(map[string]any{"title": "Escaping", "body": "Text with <script>alert(1)</script> & ampersands near kubernetes."})
	e.createPost(map[string]any{"title": "Draft about orchestration", "body": "orchestration orchestration"})
	binned := e.publish(map[string]any{"title": "Binned orchestration"})
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/posts/%d", binned), As: auth.RoleEditor}).want(t, 204, nil)
	sched, _ := e.createPost(map[string]any{"title": "Scheduled orchestration"})
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/schedule", sched), As: auth.RoleEditor,
		Body: map[string]string{"publish_at": e.clock.Now().Add(time.Hour).Format(time.RFC3339)}}).want(t, 200, nil)
	e.publishStudy(map[string]any{"title": "Routing for Kestrel", "client": "Kestrel Freight", "summary": "Orchestrated route planning.",
		"technologies": []string{"Go"}, "challenge": "Their planners spent days on routes."})

	// Title beats body; the last word is a prefix; drafts, trash and not-yet-due never appear.
	r := e.do(req{Method: "GET", Path: "/api/v1/search?q=orchestr"})
	r.want(t, 200, map[string]any{"meta.total": 3, "data.0.slug": "container-orchestration-in-practice", "data.0.type": "post"})
	for _, item := range r.list("data") {
		if s := item.(map[string]any)["slug"].(string); strings.Contains(s, "draft") || strings.Contains(s, "binned") || strings.Contains(s, "scheduled") {
			t.Errorf("search shows %s", s)
		}
	}
	if !strings.Contains(r.str("data.0.snippet"), "<mark>") {
		t.Errorf("no <mark> in the snippet: %q", r.str("data.0.snippet"))
	}
	// Case studies are found by client and technology, and filtered by type.
	e.do(req{Method: "GET", Path: "/api/v1/search?q=kestrel"}).want(t, 200, map[string]any{"meta.total": 1, "data.0.type": "case_study"})
	e.do(req{Method: "GET", Path: "/api/v1/search?q=orchestr&type=case_study"}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: "/api/v1/search?q=kubernetes&type=post"}).want(t, 200, map[string]any{"meta.total": 3})
	// Phrases.
	e.do(req{Method: "GET", Path: "/api/v1/search?q=" + urlQuery(`"database kubernetes"`)}).want(t, 200, map[string]any{"meta.total": 0})
	e.do(req{Method: "GET", Path: "/api/v1/search?q=" + urlQuery(`"not a database"`)}).want(t, 200, map[string]any{"meta.total": 1, "data.0.slug": "choosing-a-database"})
	// The snippet escapes everything but the marks.
	r = e.do(req{Method: "GET", Path: "/api/v1/search?q=ampersands"})
	snip := r.str("data.0.snippet")
	if strings.Contains(snip, "<script") || !strings.Contains(snip, "&amp;") || !strings.Contains(snip, "<mark>ampersands</mark>") {
		t.Errorf("snippet = %q", snip)
	}
	// Search syntax is just words; nothing is a 5xx.
	for _, q := range []string{`NEAR(kubernetes database)`, `*`, `kube*`, `OR`, `title:kubernetes`, `"unbalanced`, `kubernetes"`, `^start`, `a AND b NOT c`,
		`(((`, `'`, `-kubernetes`, `"""`, `k8s: "x" OR y*`, "\x00", `😀 kubernetes`, strings.Repeat("a ", 90)} {
		r := e.do(req{Method: "GET", Path: "/api/v1/search?q=" + urlQuery(q)})
		if r.Status != 200 {
			t.Errorf("q=%q: %d %s", q, r.Status, r.Body)
		}
	}
	e.do(req{Method: "GET", Path: "/api/v1/search?q=" + urlQuery("title:kubernetes")}).want(t, 200, map[string]any{"meta.total": 0}) // both words must match
	e.do(req{Method: "GET", Path: "/api/v1/search?q=%20"}).want(t, 400, map[string]any{"error.details.0.field": "q"})
	e.do(req{Method: "GET", Path: "/api/v1/search?q=x&type=pages"}).want(t, 400, map[string]any{"error.details.0.field": "type"})
	// Edits show at once.
	id := e.do(req{Method: "GET", Path: "/api/v1/posts/escaping"}).num("data.id")
	e.do(req{Method: "PUT", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor, Body: map[string]any{"title": "Escaping", "body": "Now about serverless.", "version": 2}}).want(t, 200, nil)
	// ... once they are published: until then the public search has the live version.
	e.do(req{Method: "GET", Path: "/api/v1/search?q=serverless"}).want(t, 200, map[string]any{"meta.total": 0})
	e.do(req{Method: "GET", Path: "/api/v1/search?q=ampersands"}).want(t, 200, map[string]any{"meta.total": 1})
	e.publishPost(id)
	e.do(req{Method: "GET", Path: "/api/v1/search?q=serverless"}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: "/api/v1/search?q=ampersands"}).want(t, 200, map[string]any{"meta.total": 0})
	// At its time the scheduled post is found too, without any job.
	e.clock.Add(time.Hour)
	e.do(req{Method: "GET", Path: "/api/v1/search?q=scheduled"}).want(t, 200, map[string]any{"meta.total": 1})
}

func urlQuery(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func TestHTTPCaching(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.publish(map[string]any{"title": "Cached", "tags": []string{"Go"}})
	e.publish(map[string]any{"title": "Other"})
	e.publishStudy(map[string]any{"title": "Study"})
	urls := []string{"/api/v1/posts", "/api/v1/posts/cached", "/api/v1/posts/cached/related", "/api/v1/case-studies", "/api/v1/case-studies/study",
		"/api/v1/tags", "/api/v1/search?q=cached", "/api/v1/sitemap", "/api/v1/feed.xml", "/api/v1/feed.json"}
	etags := map[string]string{}
	for _, u := range urls {
		r := e.do(req{Method: "GET", Path: u})
		r.want(t, 200, nil)
		etag := r.Header.Get("ETag")
		if etag == "" || r.Header.Get("Cache-Control") != "public, max-age=60, stale-while-revalidate=600" {
			t.Errorf("%s: ETag %q, Cache-Control %q", u, etag, r.Header.Get("Cache-Control"))
		}
		if vary := r.Header.Get("Vary"); !strings.Contains(vary, "Authorization") || !strings.Contains(vary, "Accept-Encoding") {
			t.Errorf("%s: Vary = %q", u, vary)
		}
		etags[u] = etag
		nm := e.do(req{Method: "GET", Path: u, Headers: map[string]string{"If-None-Match": etag}})
		if nm.Status != 304 || len(nm.Body) != 0 {
			t.Errorf("%s with If-None-Match: %d, %d bytes", u, nm.Status, len(nm.Body))
		}
		if nm := e.do(req{Method: "GET", Path: u, Headers: map[string]string{"If-None-Match": `"stale", W/` + etag}}); nm.Status != 304 {
			t.Errorf("%s with a list in If-None-Match: %d", u, nm.Status)
		}
	}
	// HEAD answers like GET, without the body.
	if r := e.do(req{Method: "HEAD", Path: "/api/v1/posts/cached", OffSpec: true}); r.Status != 200 || r.Header.Get("ETag") != etags["/api/v1/posts/cached"] || len(r.Body) != 0 {
		t.Errorf("HEAD = %d %q %d bytes", r.Status, r.Header.Get("ETag"), len(r.Body))
	}
	// A write elsewhere changes nothing for this post or its list page.
	e.createPost(map[string]any{"title": "Unrelated draft"})
	for _, u := range []string{"/api/v1/posts/cached", "/api/v1/posts"} {
		if got := e.do(req{Method: "GET", Path: u}).Header.Get("ETag"); got != etags[u] {
			t.Errorf("%s: ETag changed after an unrelated write: %s → %s", u, etags[u], got)
		}
	}
	// Editing the post changes its ETag, and the lists that show it, once
	// the edit is published.
	e.do(req{Method: "PUT", Path: fmt.Sprintf("/api/v1/admin/posts/%d", a), As: auth.RoleEditor, Body: map[string]any{"title": "Cached", "body": "New text", "tags": []string{"Go"}, "version": 2}}).want(t, 200, nil)
	for _, u := range []string{"/api/v1/posts/cached", "/api/v1/posts"} {
		if r := e.do(req{Method: "GET", Path: u, Headers: map[string]string{"If-None-Match": etags[u]}}); r.Status != 304 {
			t.Errorf("%s after an unpublished edit: %d, want 304", u, r.Status)
		}
	}
	e.publishPost(a)
	for _, u := range []string{"/api/v1/posts/cached", "/api/v1/posts"} {
		r := e.do(req{Method: "GET", Path: u, Headers: map[string]string{"If-None-Match": etags[u]}})
		if r.Status != 200 || r.Header.Get("ETag") == etags[u] {
			t.Errorf("%s after an edit: %d, ETag %s", u, r.Status, r.Header.Get("ETag"))
		}
	}
	// A new post changes the list's membership and so its ETag; not the study's.
	e.publish(map[string]any{"title": "Newcomer"})
	if got := e.do(req{Method: "GET", Path: "/api/v1/case-studies/study"}).Header.Get("ETag"); got != etags["/api/v1/case-studies/study"] {
		t.Errorf("a post changed a case study's ETag")
	}
	// Previews are never cached by anyone.
	_, preview := e.apiToken("preview")
	r := e.do(req{Method: "GET", Path: "/api/v1/posts?preview=1", Headers: map[string]string{"Authorization": "Bearer " + preview}})
	if r.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("preview Cache-Control = %q", r.Header.Get("Cache-Control"))
	}
}

func TestCompression(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(map[string]any{"title": "Long", "body": strings.Repeat("Compressible words repeat. ", 200)})
	plain := e.do(req{Method: "GET", Path: "/api/v1/posts/long"})
	for enc, read := range map[string]func([]byte) ([]byte, error){
		"gzip": func(b []byte) ([]byte, error) {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			return io.ReadAll(zr)
		},
		"br": func(b []byte) ([]byte, error) { return io.ReadAll(brotli.NewReader(bytes.NewReader(b))) },
	} {
		r := e.do(req{Method: "GET", Path: "/api/v1/posts/long", Headers: map[string]string{"Accept-Encoding": enc}})
		if r.Header.Get("Content-Encoding") != enc {
			t.Errorf("Accept-Encoding %s: Content-Encoding %q", enc, r.Header.Get("Content-Encoding"))
			continue
		}
		got, err := read(r.Body)
		if err != nil || !bytes.Equal(got, plain.Body) || len(r.Body) >= len(plain.Body)/2 {
			t.Errorf("%s: %v, %d compressed bytes for %d", enc, err, len(r.Body), len(plain.Body))
		}
	}
	// Admin answers are compressed too (on the fly).
	r := e.do(req{Method: "GET", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Headers: map[string]string{"Accept-Encoding": "gzip"}})
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("admin list Content-Encoding = %q", r.Header.Get("Content-Encoding"))
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.CORSOrigins = []string{"https://www.example.com"} })
	e.publish(map[string]any{"title": "Hello"})
	ok := map[string]string{"Origin": "https://www.example.com"}
	r := e.do(req{Method: "GET", Path: "/api/v1/posts", Headers: ok})
	if r.Header.Get("Access-Control-Allow-Origin") != "https://www.example.com" || !strings.Contains(r.Header.Get("Vary"), "Origin") {
		t.Errorf("allowed origin: ACAO %q, Vary %q", r.Header.Get("Access-Control-Allow-Origin"), r.Header.Get("Vary"))
	}
	pre := e.do(req{Method: "OPTIONS", Path: "/api/v1/posts/hello", OffSpec: true, Headers: map[string]string{
		"Origin": "https://www.example.com", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}})
	if pre.Status != 204 || !strings.Contains(pre.Header.Get("Access-Control-Allow-Methods"), "GET") || !strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", pre.Status, pre.Header)
	}
	for _, h := range []map[string]string{{"Origin": "https://evil.example.org"}, {}} {
		r := e.do(req{Method: "GET", Path: "/api/v1/posts", Headers: h})
		if r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("origin %q got CORS headers", h["Origin"])
		}
	}
	// The admin and auth APIs are never opened to other origins.
	for _, p := range []string{"/api/v1/admin/posts", "/api/v1/auth/login", "/api/v1/auth/refresh"} {
		pre := e.do(req{Method: "OPTIONS", Path: p, OffSpec: true, Headers: map[string]string{"Origin": "https://www.example.com", "Access-Control-Request-Method": "POST"}})
		if pre.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("OPTIONS %s: CORS headers on an admin/auth route", p)
		}
	}
	r = e.do(req{Method: "GET", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Headers: ok})
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("admin GET carries CORS headers")
	}
}

func TestFeedsAndSitemap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.SiteURL = "https://northwind.example"; c.PostPath = "/writing/{slug}" })
	for i := 0; i < 22; i++ {
		e.publish(map[string]any{"title": fmt.Sprintf("Entry %02d", i), "body": "Body with **bold** & <b>raw</b>.", "tags": []string{"News"}})
	}
	e.createPost(map[string]any{"title": "Not in feeds"})
	e.publishStudy(map[string]any{"title": "A study"})

	r := e.do(req{Method: "GET", Path: "/api/v1/feed.xml"})
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed.xml: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	var atom struct {
		Title   string `xml:"title"`
		Entries []struct {
			Title string `xml:"title"`
			Link  struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(r.Body, &atom); err != nil {
		t.Fatalf("feed.xml is not XML: %v", err)
	}
	if len(atom.Entries) != 20 || atom.Entries[0].Title != "Entry 21" || atom.Entries[0].Link.Href != "https://northwind.example/writing/entry-21" ||
		!strings.Contains(atom.Entries[0].Content, "<strong>bold</strong>") {
		t.Errorf("atom: %d entries, first %+v", len(atom.Entries), atom.Entries[0])
	}
	r = e.do(req{Method: "GET", Path: "/api/v1/feed.json"})
	var feed struct {
		Version string `json:"version"`
		Items   []struct {
			URL         string `json:"url"`
			Title       string `json:"title"`
			ContentHTML string `json:"content_html"`
		} `json:"items"`
	}
	if err := json.Unmarshal(r.Body, &feed); err != nil || feed.Version != "https://jsonfeed.org/version/1.1" || len(feed.Items) != 20 ||
		feed.Items[0].URL != "https://northwind.example/writing/entry-21" || !strings.Contains(feed.Items[0].ContentHTML, "<strong>bold</strong>") {
		t.Errorf("feed.json: %v %+v", err, feed)
	}
	sm := e.do(req{Method: "GET", Path: "/api/v1/sitemap"})
	sm.want(t, 200, map[string]any{"data.0.type": "case_study", "data.0.url": "https://northwind.example/case-studies/a-study", "data.1.url": "https://northwind.example/writing/entry-21"})
	if n := len(sm.list("data")); n != 23 {
		t.Errorf("sitemap has %d entries, want every published one (23)", n)
	}
}

func TestContractIsPublished(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(req{Method: "GET", Path: "/api/openapi.yaml"})
	if r.Status != 200 || !bytes.HasPrefix(r.Body, []byte("openapi: 3.1")) {
		t.Fatalf("openapi.yaml: %d %.40s", r.Status, r.Body)
	}
	d := e.do(req{Method: "GET", Path: "/api/docs", OffSpec: true})
	body := string(d.Body)
	if d.Status != 200 || !strings.Contains(body, "/api/v1/posts/{slug}") || !strings.Contains(body, "PostWrite") || strings.Contains(body, "<script") {
		t.Fatalf("docs page: %d, %d bytes", d.Status, len(body))
	}
	if csp := d.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("docs CSP = %q", csp)
	}
}

// TestFeedsAlwaysHaveAnAuthor: RFC 4287 §4.1.1 wants an author on every
// Atom entry (or on the feed). A post whose author was deleted keeps one:
// the feed's own author, the site.
func TestFeedsAlwaysHaveAnAuthor(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.SiteURL = "https://northwind.example" })
	gone, token := e.newUser(auth.RoleEditor)
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/posts", Token: token, Body: map[string]any{"title": "By someone who left"}})
	r.want(t, 201, nil)
	e.publishPost(r.num("data.id"))
	e.clock.Add(time.Minute)
	e.publish(map[string]any{"title": "By a current editor"})
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/users/%d", gone.ID), As: auth.RoleAdmin}).want(t, 204, nil)

	r = e.do(req{Method: "GET", Path: "/api/v1/feed.xml"})
	var atom struct {
		Author *struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []struct {
			Title   string `xml:"title"`
			Authors []struct {
				Name string `xml:"name"`
			} `xml:"author"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(r.Body, &atom); err != nil {
		t.Fatalf("feed.xml: %v\n%s", err, r.Body)
	}
	if atom.Author == nil || atom.Author.Name != "northwind.example" {
		t.Errorf("feed author = %+v, want the site", atom.Author)
	}
	got := map[string][]string{}
	for _, en := range atom.Entries {
		for _, a := range en.Authors {
			got[en.Title] = append(got[en.Title], a.Name)
		}
	}
	want := map[string][]string{"By a current editor": {e.users[auth.RoleEditor].Name}, "By someone who left": {"northwind.example"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entry authors (-want +got):\n%s\n%s", diff, r.Body)
	}

	r = e.do(req{Method: "GET", Path: "/api/v1/feed.json"})
	var feed struct {
		Authors []struct{ Name string } `json:"authors"`
		Items   []struct {
			Title   string                  `json:"title"`
			Authors []struct{ Name string } `json:"authors"`
		} `json:"items"`
	}
	if err := json.Unmarshal(r.Body, &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Authors) != 1 || feed.Authors[0].Name != "northwind.example" || len(feed.Items) != 2 ||
		len(feed.Items[0].Authors) != 1 || feed.Items[0].Authors[0].Name != e.users[auth.RoleEditor].Name ||
		len(feed.Items[1].Authors) != 1 || feed.Items[1].Authors[0].Name != "northwind.example" {
		t.Errorf("feed.json authors: %s", r.Body)
	}
}

// TestSearchRefusals: a search out of time (or with no free slot) is a
// 503 in the one error shape, with Retry-After, and is not cached.
func TestSearchRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(map[string]any{"title": "Kubernetes in practice", "body": "Clusters."})
	e.content.SearchLimits.Budget = time.Nanosecond
	for _, path := range []string{"/api/v1/search?q=kubernetes", "/api/v1/search?q=kubernetes"} {
		r := e.do(req{Method: "GET", Path: path})
		r.want(t, 503, map[string]any{"error.code": "search_timeout"})
		if r.Header.Get("Retry-After") != "1" {
			t.Errorf("Retry-After = %q, want 1", r.Header.Get("Retry-After"))
		}
	}
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?q=kubernetes", As: auth.RoleEditor}).want(t, 503, map[string]any{"error.code": "search_timeout"})
	e.content.SearchLimits.Budget = 0 // the default again
	e.do(req{Method: "GET", Path: "/api/v1/search?q=kubernetes"}).want(t, 200, map[string]any{"meta.total": 1, "meta.total_capped": false})
}

// TestAdminSearch: the admin lists' q searches the full-text index over
// every status (not only titles), and keeps substring matches in titles
// for one or two characters.
func TestAdminSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createPost(map[string]any{"title": "Draft notes", "body": "Only the body mentions heliotrope."})
	e.publish(map[string]any{"title": "Published piece", "body": "Heliotrope again, and a C# snippet."})
	id, _ := e.createPost(map[string]any{"title": "Binned heliotrope"})
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor}).want(t, 204, nil)
	e.publishStudy(map[string]any{"title": "Routing", "client": "Kestrel Freight", "technologies": []string{"Go"}})
	e.createPost(map[string]any{"title": "Q&A night", "body": "Questions."})
	list := func(path string, as auth.Role) []string {
		t.Helper()
		r := e.do(req{Method: "GET", Path: path, As: as})
		r.want(t, 200, nil)
		var slugs []string
		for _, item := range r.list("data") {
			slugs = append(slugs, item.(map[string]any)["slug"].(string))
		}
		return slugs
	}
	for path, want := range map[string][]string{
		"/api/v1/admin/posts?q=heliotrope":                     {"published-piece", "draft-notes"}, // a word of the body, any status, newest change first; not the trash
		"/api/v1/admin/posts?q=helio":                          {"published-piece", "draft-notes"}, // the last word as a prefix
		"/api/v1/admin/posts?q=heliotrope&status=draft":        {"draft-notes"},
		"/api/v1/admin/posts?q=" + urlQuery(`"body mentions"`): {"draft-notes"},
		"/api/v1/admin/posts?q=ec":                             {"published-piece"}, // two letters: in a title, as a substring
		"/api/v1/admin/posts?q=%26":                            {"qanda-night"},     // no word at all: the title
		"/api/v1/admin/case-studies?q=kestrel":                 {"routing"},         // a case study's client
	} {
		if got := list(path, auth.RoleEditor); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?q=" + strings.Repeat("x", 201), As: auth.RoleEditor}).want(t, 400, map[string]any{"error.details.0.field": "q"})
}

// TestRedirects: every retired slug of a published entry is listed as a
// site path with where it moved; those of unpublished or trashed entries
// are not; related follows an old slug as the item does.
func TestRedirects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rename := func(path string, id int, slug string) {
		t.Helper()
		cur := e.do(req{Method: "GET", Path: fmt.Sprintf("%s/%d", path, id), As: auth.RoleEditor})
		e.do(req{Method: "PATCH", Path: fmt.Sprintf("%s/%d", path, id), As: auth.RoleEditor,
			Body: map[string]any{"slug": slug, "version": cur.num("data.version")}}).want(t, 200, map[string]any{"data.slug": slug})
		e.do(req{Method: "POST", Path: fmt.Sprintf("%s/%d/publish", path, id), As: auth.RoleEditor}).want(t, 200, map[string]any{"data.slug": slug})
	}
	const posts, studies = "/api/v1/admin/posts", "/api/v1/admin/case-studies"
	post := e.publish(map[string]any{"title": "First name", "body": "Text.", "tags": []string{"Go"}})
	rename(posts, post, "second-name")
	rename(posts, post, "third-name")
	e.publish(map[string]any{"title": "Neighbour", "body": "Text.", "tags": []string{"Go"}})
	study := e.publishStudy(map[string]any{"title": "Bank rebuild", "client": "A bank"})
	rename(studies, study, "bank-platform")
	// Renamed, then taken off the site: its old slug would tell nothing
	// true, so it is not listed.
	gone := e.publish(map[string]any{"title": "Gone soon"})
	rename(posts, gone, "gone-later")
	e.do(req{Method: "POST", Path: fmt.Sprintf("%s/%d/unpublish", posts, gone), As: auth.RoleEditor}).want(t, 200, nil)
	trashed := e.publish(map[string]any{"title": "Trashed soon"})
	rename(posts, trashed, "trashed-later")
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("%s/%d", posts, trashed), As: auth.RoleEditor}).want(t, 204, nil)

	r := e.do(req{Method: "GET", Path: "/api/v1/redirects"})
	r.want(t, 200, map[string]any{"data": []map[string]any{
		{"from": "/case-studies/bank-rebuild", "to": "/case-studies/bank-platform", "status": 301, "type": "case_study"},
		{"from": "/blog/first-name", "to": "/blog/third-name", "status": 301, "type": "post"},
		{"from": "/blog/second-name", "to": "/blog/third-name", "status": 301, "type": "post"},
	}})
	for _, secret := range []string{"gone-soon", "trashed-soon", "gone-later", "trashed-later"} {
		if strings.Contains(string(r.Body), secret) {
			t.Errorf("redirects name %q, a slug of an entry that is not public: %s", secret, r.Body)
		}
	}
	// Cacheable like every public answer.
	etag := r.Header.Get("ETag")
	if nm := e.do(req{Method: "GET", Path: "/api/v1/redirects", Headers: map[string]string{"If-None-Match": etag}}); etag == "" || nm.Status != 304 {
		t.Errorf("redirects with If-None-Match %q: %d", etag, nm.Status)
	}
	// related at an old slug: a 301 to the related posts at the new one.
	rel := e.do(req{Method: "GET", Path: "/api/v1/posts/first-name/related?limit=2"})
	rel.want(t, 301, map[string]any{"data.slug": "third-name", "data.location": "/api/v1/posts/third-name/related?limit=2"})
	if got := rel.Header.Get("Location"); got != "/api/v1/posts/third-name/related?limit=2" {
		t.Errorf("Location = %q", got)
	}
	e.do(req{Method: "GET", Path: "/api/v1/posts/third-name/related?limit=2"}).want(t, 200, map[string]any{"data.0.slug": "neighbour"})
	// An old slug of an unpublished post is a 404, like the post.
	e.do(req{Method: "GET", Path: "/api/v1/posts/gone-soon/related"}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts/no-such-post/related"}).want(t, 404, nil)
}

// TestCaseStudyFacets: the filter values of the published case studies
// with counts, case folded; drafts count for nothing; "facets" is no slug.
func TestCaseStudyFacets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publishStudy(map[string]any{"title": "Bank one", "client": "A", "industry": "Fintech", "technologies": []string{"Go", "PostgreSQL"}, "services": []string{"Backend"}})
	e.publishStudy(map[string]any{"title": "Bank two", "client": "B", "industry": "fintech", "technologies": []string{"go", "Kafka"}, "services": []string{"Backend", "Consulting"}})
	e.publishStudy(map[string]any{"title": "Clinic", "client": "C", "industry": "Health", "technologies": []string{"Go"}})
	e.createCaseStudy(map[string]any{"title": "Secret", "client": "D", "industry": "Defence", "technologies": []string{"Rust"}, "services": []string{"Audit"}})

	r := e.do(req{Method: "GET", Path: "/api/v1/case-studies/facets"})
	r.want(t, 200, map[string]any{"data": map[string]any{
		"industries":   []map[string]any{{"name": "Fintech", "count": 2}, {"name": "Health", "count": 1}},
		"technologies": []map[string]any{{"name": "Go", "count": 3}, {"name": "Kafka", "count": 1}, {"name": "PostgreSQL", "count": 1}},
		"services":     []map[string]any{{"name": "Backend", "count": 2}, {"name": "Consulting", "count": 1}},
	}})
	for _, secret := range []string{"Defence", "Rust", "Audit"} {
		if strings.Contains(string(r.Body), secret) {
			t.Errorf("facets count a draft's %q: %s", secret, r.Body)
		}
	}
	// A case study can't take the address the facets live at.
	e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleEditor, Body: map[string]any{"title": "X", "client": "X", "slug": "facets"}}).
		want(t, 422, map[string]any{"error.details.0.field": "slug"})
	_, derived := e.createCaseStudy(map[string]any{"title": "Facets", "client": "X"})
	if s := derived.str("data.slug"); s == "facets" || !strings.HasPrefix(s, "facets-") {
		t.Errorf("a case study titled Facets got slug %q", s)
	}
}

// TestFeedsLinkToThemselves: a feed's self link is an address that serves
// it (folio's own, or where FOLIO_FEED_URL says the site serves it), never
// a guess under the site; ?type=case_study is a feed of case studies with
// their sections.
func TestFeedsLinkToThemselves(t *testing.T) {
	t.Parallel()
	type atom struct {
		ID    string `xml:"id"`
		Title string `xml:"title"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	parse := func(t *testing.T, r *resp) (a atom, self string) {
		t.Helper()
		if err := xml.Unmarshal(r.Body, &a); err != nil {
			t.Fatalf("not XML: %v\n%s", err, r.Body)
		}
		for _, l := range a.Links {
			if l.Rel == "self" {
				self = l.Href
			}
		}
		return a, self
	}
	e := newEnv(t, func(c *config.Config) {
		c.SiteURL = "https://northwind.example"
		c.PublicURL = "https://cms.northwind.example"
	})
	e.publish(map[string]any{"title": "A post", "body": "Text."})
	e.publishStudy(map[string]any{"title": "A study", "client": "Acme", "challenge": "Slow **reports**.", "results": "Fast."})

	posts, self := parse(t, e.do(req{Method: "GET", Path: "/api/v1/feed.xml"}))
	if self != "https://cms.northwind.example/api/v1/feed.xml" || posts.ID != "https://northwind.example/" || len(posts.Entries) != 1 || posts.Entries[0].Title != "A post" {
		t.Errorf("posts' feed: self %q, %+v", self, posts)
	}
	studies, self := parse(t, e.do(req{Method: "GET", Path: "/api/v1/feed.xml?type=case_study"}))
	if self != "https://cms.northwind.example/api/v1/feed.xml?type=case_study" || studies.ID == posts.ID || studies.Title != "northwind.example: case studies" ||
		len(studies.Entries) != 1 || studies.Entries[0].Title != "A study" ||
		!strings.Contains(studies.Entries[0].Content, "<h2>Challenge</h2>\n<p>Slow <strong>reports</strong>.</p>") || !strings.Contains(studies.Entries[0].Content, "<h2>Results</h2>") ||
		strings.Contains(studies.Entries[0].Content, "<h2>Solution</h2>") {
		t.Errorf("case studies' feed: self %q, %+v", self, studies)
	}
	jsonFeed := func(t *testing.T, r *resp) (feedURL string, items []map[string]any) {
		t.Helper()
		var f struct {
			FeedURL string           `json:"feed_url"`
			Items   []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(r.Body, &f); err != nil || r.Status != 200 {
			t.Fatalf("%d, not a JSON feed: %v\n%s", r.Status, err, r.Body)
		}
		return f.FeedURL, f.Items
	}
	if u, items := jsonFeed(t, e.do(req{Method: "GET", Path: "/api/v1/feed.json?type=case_study"})); u != "https://cms.northwind.example/api/v1/feed.json?type=case_study" ||
		len(items) != 1 || items[0]["url"] != "https://northwind.example/case-studies/a-study" {
		t.Errorf("case studies' JSON feed: feed_url %q, items %v", u, items)
	}
	if u, items := jsonFeed(t, e.do(req{Method: "GET", Path: "/api/v1/feed.json"})); u != "https://cms.northwind.example/api/v1/feed.json" || len(items) != 1 || items[0]["title"] != "A post" {
		t.Errorf("posts' JSON feed: feed_url %q, items %v", u, items)
	}
	e.do(req{Method: "GET", Path: "/api/v1/feed.xml?type=page"}).want(t, 400, map[string]any{"error.details.0.field": "type"})

	// Where the site serves the feeds of posts itself, their self links say so.
	site := newEnv(t, func(c *config.Config) {
		c.FeedURL, c.JSONFeedURL = "https://northwind.example/rss.xml", "https://northwind.example/feed.json"
	})
	if _, self := parse(t, site.do(req{Method: "GET", Path: "/api/v1/feed.xml"})); self != "https://northwind.example/rss.xml" {
		t.Errorf("self = %q, want FOLIO_FEED_URL", self)
	}
	if u, _ := jsonFeed(t, site.do(req{Method: "GET", Path: "/api/v1/feed.json"})); u != "https://northwind.example/feed.json" {
		t.Errorf("feed_url = %q, want FOLIO_JSON_FEED_URL", u)
	}
	if _, self := parse(t, site.do(req{Method: "GET", Path: "/api/v1/feed.xml?type=case_study"})); !strings.HasSuffix(self, "/api/v1/feed.xml?type=case_study") {
		t.Errorf("the case studies' self link = %q, want folio's own", self)
	}
}

// TestChangedSince: list items say when they were last saved, and
// updated_after keeps only what changed since, for incremental builds.
func TestChangedSince(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := e.publish(map[string]any{"title": "Old post", "body": "Text."})
	e.publish(map[string]any{"title": "Untouched", "body": "Text."})
	since := e.clock.Now()
	e.clock.Add(time.Minute)
	cur := e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/posts/%d", old), As: auth.RoleEditor})
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/posts/%d", old), As: auth.RoleEditor,
		Body: map[string]any{"body": "Changed text.", "version": cur.num("data.version")}}).want(t, 200, nil)
	e.publishPost(old)
	e.publishStudy(map[string]any{"title": "New study", "client": "Acme"})

	all := e.do(req{Method: "GET", Path: "/api/v1/posts?sort=-updated_at"})
	all.want(t, 200, map[string]any{"meta.total": 2, "data.0.slug": "old-post", "data.1.slug": "untouched"})
	item := e.do(req{Method: "GET", Path: "/api/v1/posts/old-post"})
	if got, want := all.str("data.0.updated_at"), item.str("data.updated_at"); got == "" || got != want {
		t.Errorf("list item updated_at %q, the post's %q", got, want)
	}
	q := "?updated_after=" + since.UTC().Format(time.RFC3339)
	e.do(req{Method: "GET", Path: "/api/v1/posts" + q}).want(t, 200, map[string]any{"meta.total": 1, "data.0.slug": "old-post"})
	e.do(req{Method: "GET", Path: "/api/v1/case-studies" + q}).want(t, 200, map[string]any{"meta.total": 1, "data.0.slug": "new-study"})
	e.do(req{Method: "GET", Path: "/api/v1/posts?fields=slug,updated_at&updated_after=" + e.clock.Now().Add(time.Hour).UTC().Format(time.RFC3339)}).
		want(t, 200, map[string]any{"meta.total": 0})
	e.do(req{Method: "GET", Path: "/api/v1/posts?updated_after=yesterday"}).want(t, 400, map[string]any{"error.details.0.field": "updated_after"})
}
