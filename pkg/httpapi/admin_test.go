package httpapi_test

import (
	"context"
	"fmt"
	"hash/crc32"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
)

// createPost creates a post through the API and returns its id.
func (e *env) createPost(body map[string]any) (int, *resp) {
	e.t.Helper()
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: body})
	if r.Status != 201 {
		e.t.Fatalf("create post: %d %s", r.Status, r.Body)
	}
	return r.num("data.id"), r
}

func (e *env) createCaseStudy(body map[string]any) (int, *resp) {
	e.t.Helper()
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleEditor, Body: body})
	if r.Status != 201 {
		e.t.Fatalf("create case study: %d %s", r.Status, r.Body)
	}
	return r.num("data.id"), r
}

func (e *env) publishPost(id int) {
	e.t.Helper()
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/publish", id), As: auth.RoleEditor}).want(e.t, 200, nil)
}

const richBody = "Intro paragraph with **bold** text.\n\n## First part\n\nText.\n\n### Detail\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nfmt.Println(1)\n```\n"

func TestCreatePost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{
		"title": "Héllo Wörld: Backend 101", "body": richBody, "tags": []string{"Go", "Backend", "go"},
		"cover_image": map[string]string{"url": "https://img.example.com/a.png", "alt": "A diagram"},
		"seo":         map[string]string{"meta_title": "Hello", "canonical_url": "https://example.com/hello"},
		"featured":    true,
	}})
	id := r.num("data.id")
	r.want(t, 201, map[string]any{
		"data.slug": "hello-world-backend-101", "data.status": "draft", "data.version": 1,
		"data.tags":         []map[string]string{{"slug": "go", "name": "Go"}, {"slug": "backend", "name": "Backend"}},
		"data.toc":          []map[string]any{{"level": 2, "id": "first-part", "text": "First part"}, {"level": 3, "id": "detail", "text": "Detail"}},
		"data.excerpt":      "",
		"data.auto_excerpt": "Intro paragraph with bold text.",
		"data.featured":     true, "data.published_at": nil, "data.seo.meta_title": "Hello",
		"data.author.email":         e.users[auth.RoleEditor].Email,
		"data.reading_time_minutes": 1,
	})
	if got, want := r.Header.Get("Location"), fmt.Sprintf("/api/v1/admin/posts/%d", id); got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	for _, want := range []string{"<table>", `<code class="language-go">`, "<strong>bold</strong>", `<h2 id="first-part">`} {
		if !strings.Contains(r.str("data.html"), want) {
			t.Errorf("html lacks %q:\n%s", want, r.str("data.html"))
		}
	}
	// It reads back the same, with the editor's fields.
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.body": strings.TrimSpace(richBody), "data.version": 1})
	// Slugs are unique per type: the same title gets -2, then -3.
	_, r2 := e.createPost(map[string]any{"title": "Héllo Wörld: Backend 101"})
	_, r3 := e.createPost(map[string]any{"title": "Héllo Wörld: Backend 101"})
	if r2.str("data.slug") != "hello-world-backend-101-2" || r3.str("data.slug") != "hello-world-backend-101-3" {
		t.Errorf("slugs = %q, %q; want -2 and -3", r2.str("data.slug"), r3.str("data.slug"))
	}
	// ... but a case study may use the same slug as a post.
	_, cs := e.createCaseStudy(map[string]any{"title": "Héllo Wörld: Backend 101"})
	if cs.str("data.slug") != "hello-world-backend-101" {
		t.Errorf("case study slug = %q, want hello-world-backend-101", cs.str("data.slug"))
	}
}

func TestMarkdownIsSafe(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	payloads := []string{
		"<script>alert(1)</script>",
		`<img src=x onerror="alert(1)">`,
		"[a](javascript:alert(1))",
		"[a](JaVaScRiPt:alert(1))",
		"[a](&#106;avascript:alert(1))",
		"[a][r]\n\n[r]: javascript:alert(1)",
		"<a href=\"javascript:alert(1)\">x</a>",
		"![x](vbscript:msgbox(1))",
		"[f](file:///etc/passwd)",
		"[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"<javascript:alert(1)>",
	}
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{
		"title": "XSS", "body": strings.Join(payloads, "\n\n"),
	}})
	r.want(t, 201, nil)
	html := strings.ToLower(r.str("data.html"))
	for _, bad := range []string{"<script", "onerror", "<img src=\"x\""} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered HTML contains %q:\n%s", bad, html)
		}
	}
	// Every link and image points nowhere (the payloads' URLs were all unsafe).
	for _, m := range urlAttr.FindAllStringSubmatch(html, -1) {
		if m[2] != "" {
			t.Errorf("%s=%q survived in:\n%s", m[1], m[2], html)
		}
	}
	if n := len(urlAttr.FindAllString(html, -1)); n != 8 {
		t.Errorf("found %d href/src attributes, want one per Markdown link or image payload (8):\n%s", n, html)
	}
}

var urlAttr = regexp.MustCompile(`(href|src)="([^"]*)"`)

func TestPostValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	long := strings.Repeat("x", 201)
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		fields []string
	}{
		{"empty title", map[string]any{"title": "  "}, 422, "validation_failed", []string{"title"}},
		{"no title", map[string]any{"body": "x"}, 422, "validation_failed", []string{"title"}},
		{"long title", map[string]any{"title": long}, 422, "validation_failed", []string{"title"}},
		{"bad slug", map[string]any{"title": "t", "slug": "Hello World"}, 422, "validation_failed", []string{"slug"}},
		{"slug with double hyphen", map[string]any{"title": "t", "slug": "a--b"}, 422, "validation_failed", []string{"slug"}},
		{"long slug", map[string]any{"title": "t", "slug": strings.Repeat("a", 121)}, 422, "validation_failed", []string{"slug"}},
		{"javascript cover", map[string]any{"title": "t", "cover_image": map[string]string{"url": "javascript:alert(1)", "alt": "x"}}, 422, "validation_failed", []string{"cover_image.url"}},
		{"relative cover", map[string]any{"title": "t", "cover_image": map[string]string{"url": "/a.png", "alt": "x"}}, 422, "validation_failed", []string{"cover_image.url"}},
		{"cover without url", map[string]any{"title": "t", "cover_image": map[string]string{"alt": "x"}}, 422, "validation_failed", []string{"cover_image.url"}},
		{"ftp canonical", map[string]any{"title": "t", "seo": map[string]string{"canonical_url": "ftp://example.com/x"}}, 422, "validation_failed", []string{"seo.canonical_url"}},
		{"data og image", map[string]any{"title": "t", "seo": map[string]string{"og_image": "data:image/png;base64,AAAA"}}, 422, "validation_failed", []string{"seo.og_image"}},
		{"empty tag", map[string]any{"title": "t", "tags": []string{"ok", ""}}, 422, "validation_failed", []string{"tags[1]"}},
		{"quadratic markdown", map[string]any{"title": "t", "body": strings.Repeat("[a](", 20000)}, 422, "validation_failed", []string{"body"}},
		{"body over 512 KiB", map[string]any{"title": "t", "body": strings.Repeat("word ", 110000)}, 422, "validation_failed", []string{"body"}},
		{"several problems at once", map[string]any{"title": "", "slug": "NO"}, 422, "validation_failed", []string{"title", "slug"}},
		{"title of the wrong type", map[string]any{"title": 5}, 422, "validation_failed", []string{"title"}},
		{"tags of the wrong type", map[string]any{"title": "t", "tags": "go"}, 422, "validation_failed", []string{"tags"}},
		{"featured of the wrong type", map[string]any{"title": "t", "featured": "yes"}, 422, "validation_failed", []string{"featured"}},
		{"unknown field", map[string]any{"title": "t", "colour": "red"}, 400, "unknown_field", []string{"colour"}},
		{"sets its id", map[string]any{"title": "t", "id": 7}, 400, "unknown_field", []string{"id"}},
		{"sets its status", map[string]any{"title": "t", "status": "published"}, 400, "unknown_field", []string{"status"}},
		{"sets timestamps", map[string]any{"title": "t", "created_at": "2020-01-01T00:00:00Z"}, 400, "unknown_field", []string{"created_at"}},
		{"sets html", map[string]any{"title": "t", "html": "<script>"}, 400, "unknown_field", []string{"html"}},
		{"sends a version", map[string]any{"title": "t", "version": 3}, 400, "unknown_field", nil},
		{"malformed", `{"title": "t"`, 400, "invalid_json", nil},
		{"not an object", `["title"]`, 400, "invalid_json", nil},
		{"two values", `{"title":"a"} {"title":"b"}`, 400, "invalid_json", nil},
		{"empty body", ``, 400, "invalid_json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: tt.body})
			if tt.name == "empty body" {
				r = e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Headers: map[string]string{"Content-Type": "application/json"}})
			}
			r.want(t, tt.status, map[string]any{"error.code": tt.code})
			for _, f := range tt.fields {
				if !hasDetail(r, f) {
					t.Errorf("details lack field %q: %s", f, r.Body)
				}
			}
		})
	}
	// Nothing was stored by any of them.
	list := e.do(req{Method: "GET", Path: "/api/v1/admin/posts", As: auth.RoleEditor})
	list.want(t, 200, map[string]any{"meta.total": 0})
}

func hasDetail(r *resp, field string) bool {
	for _, d := range r.list("error.details") {
		if m, _ := d.(map[string]any); m["field"] == field {
			return true
		}
	}
	return false
}

func TestTransportErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	big := `{"title":"t","body":"` + strings.Repeat("a", 1<<20) + `"}`
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: big}).want(t, 413, map[string]any{"error.code": "payload_too_large"})
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: `{"title":"t"}`, Headers: map[string]string{"Content-Type": "text/plain"}}).
		want(t, 415, map[string]any{"error.code": "unsupported_media_type"})
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: `{"title":"t"}`, Headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}}).
		want(t, 201, nil)
	e.do(req{Method: "GET", Path: "/api/v1/nothing-here"}).want(t, 404, map[string]any{"error.code": "not_found"})
	for path, allow := range map[string]string{
		"/api/v1/posts":             "GET, HEAD, OPTIONS",
		"/api/v1/tags":              "GET, HEAD, OPTIONS",
		"/api/v1/admin/posts/12":    "GET, HEAD, PUT, PATCH, DELETE",
		"/api/v1/admin/webhooks/3/": "GET, HEAD, PATCH, DELETE",
	} {
		r := e.do(req{Method: "POST", Path: path, OffSpec: strings.HasSuffix(path, "/")})
		r.want(t, 405, map[string]any{"error.code": "method_not_allowed"})
		if got := r.Header.Get("Allow"); got != allow {
			t.Errorf("POST %s: Allow %q, want %q", path, got, allow)
		}
	}
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts/abc", As: auth.RoleEditor}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts/-1", As: auth.RoleEditor}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts/99999999999999999999", As: auth.RoleEditor}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts/123", As: auth.RoleEditor}).want(t, 404, map[string]any{"error.code": "not_found"})
	// Every answer has a request id.
	r := e.do(req{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Request-ID": "edge-proxy-1234"}})
	if got := r.Header.Get("X-Request-ID"); got != "edge-proxy-1234" {
		t.Errorf("X-Request-ID = %q, want the one the client sent", got)
	}
	r = e.do(req{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Request-ID": "<script>"}})
	if got := r.Header.Get("X-Request-ID"); len(got) != 24 {
		t.Errorf("X-Request-ID = %q, want a fresh id instead of an unsafe one", got)
	}
}

func TestUpdateVersions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "First", "tags": []string{"A", "B"}, "body": "one"})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)

	r := e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Second", "body": "two", "tags": []string{"B", "C"}, "version": 1}})
	r.want(t, 200, map[string]any{
		"data.title": "Second", "data.version": 2, "data.slug": "first", "data.body": "two",
		"data.tags": []map[string]string{{"slug": "b", "name": "B"}, {"slug": "c", "name": "C"}},
	})
	// A stale version is a conflict that names the current version; nothing changes.
	r = e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Lost", "version": 1}})
	r.want(t, 409, map[string]any{"error.code": "conflict", "error.current_version": 2})
	if !hasDetail(r, "version") {
		t.Errorf("conflict details lack the version: %s", r.Body)
	}
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.title": "Second", "data.version": 2})
	// No version at all: 428.
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Lost"}}).
		want(t, 428, map[string]any{"error.code": "precondition_required"})
	// A failed validation changes nothing, not even the version.
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "", "version": 2}}).want(t, 422, nil)
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.version": 2})
	// A taken slug is refused; a free one is taken.
	e.createPost(map[string]any{"title": "Other"})
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Second", "slug": "other", "version": 2}}).
		want(t, 422, map[string]any{"error.code": "validation_failed"})
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Second", "slug": "second", "version": 2}}).
		want(t, 200, map[string]any{"data.slug": "second", "data.version": 3})
	// Unknown and missing records.
	e.do(req{Method: "PUT", Path: "/api/v1/admin/posts/9999", As: auth.RoleEditor, Body: map[string]any{"title": "x", "version": 1}}).want(t, 404, nil)
	// Delete moves it to the trash (see TestTrash); a permanent delete removes it.
	e.do(req{Method: "DELETE", Path: path + "?permanent=1", As: auth.RoleAdmin}).want(t, 204, nil)
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 404, nil)
	e.do(req{Method: "DELETE", Path: path, As: auth.RoleEditor}).want(t, 404, nil)
}

func TestPublishAndUnpublish(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "News", "body": "Hello"})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)

	e.do(req{Method: "GET", Path: "/api/v1/posts/news"}).want(t, 404, nil)
	r := e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleEditor})
	r.want(t, 200, map[string]any{"data.status": "published", "data.version": 2, "data.published_at": e.clock.Now().Format("2006-01-02T15:04:05Z")})
	e.do(req{Method: "GET", Path: "/api/v1/posts/news"}).want(t, 200, map[string]any{"data.title": "News"})
	// Publishing again without unpublished changes changes nothing (issue 15).
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.status": "published", "data.version": 2, "data.live_version": 2, "data.has_unpublished_changes": false})
	// Unpublish hides it again.
	e.do(req{Method: "POST", Path: path + "/unpublish", As: auth.RoleEditor}).want(t, 200, map[string]any{"data.status": "draft", "data.published_at": nil})
	e.do(req{Method: "GET", Path: "/api/v1/posts/news"}).want(t, 404, nil)
	e.do(req{Method: "POST", Path: path + "/unpublish", As: auth.RoleEditor}).want(t, 409, map[string]any{"error.code": "invalid_transition", "error.status": "draft"})
	// Backdating.
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleEditor, Body: map[string]any{"published_at": "2024-05-01T10:00:00+02:00"}}).
		want(t, 200, map[string]any{"data.published_at": "2024-05-01T08:00:00Z"})
	e.do(req{Method: "POST", Path: path + "/unpublish", As: auth.RoleEditor}).want(t, 200, nil)
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleEditor, Body: map[string]any{"published_at": "3024-05-01T10:00:00Z"}}).
		want(t, 422, map[string]any{"error.code": "validation_failed"})
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleEditor, Body: map[string]any{"published_at": "yesterday"}}).want(t, 422, nil)
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleEditor, Body: map[string]any{"when": "now"}}).want(t, 400, nil)
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts/9999/publish", As: auth.RoleEditor}).want(t, 404, nil)
}

func TestCaseStudyLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := map[string]any{
		"title": "Ledger for Copperleaf", "client": "Copperleaf", "industry": "Fintech",
		"services": []string{"Backend development"}, "technologies": []string{"Go", "PostgreSQL"},
		"summary": "A ledger.", "challenge": "### Hard\n\nIt was hard.", "solution": "We built it.", "results": "It **works**.",
		"metrics":     []map[string]string{{"label": "Errors", "value": "-90%"}, {"label": "Speed", "value": "3x"}},
		"testimonial": map[string]string{"quote": "Great.", "author": "Ana", "role": "CTO"},
		"logo":        map[string]string{"url": "https://img.example.com/logo.svg", "alt": "Copperleaf logo"},
	}
	id, r := e.createCaseStudy(body)
	r.want(t, 201, map[string]any{
		"data.slug": "ledger-for-copperleaf", "data.status": "draft", "data.results_html": "<p>It <strong>works</strong>.</p>\n",
		"data.metrics.1": map[string]string{"label": "Speed", "value": "3x"}, "data.testimonial.author": "Ana",
	})
	path := fmt.Sprintf("/api/v1/admin/case-studies/%d", id)
	e.do(req{Method: "GET", Path: "/api/v1/case-studies/ledger-for-copperleaf"}).want(t, 404, nil)
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleMarketer}).want(t, 200, map[string]any{"data.status": "published"})
	pub := e.do(req{Method: "GET", Path: "/api/v1/case-studies/ledger-for-copperleaf"})
	pub.want(t, 200, map[string]any{"data.client": "Copperleaf", "data.technologies": []string{"Go", "PostgreSQL"}})
	if _, ok := pub.get("data.challenge"); ok {
		t.Errorf("public case study exposes its Markdown source")
	}
	// Filters.
	for q, n := range map[string]int{"industry=fintech": 1, "industry=Logistics": 0, "technology=postgresql": 1, "technology=Rust": 0} {
		e.do(req{Method: "GET", Path: "/api/v1/case-studies?" + q}).want(t, 200, map[string]any{"meta.total": n})
	}
	// Validation of case-study fields.
	bad := e.do(req{Method: "PUT", Path: path, As: auth.RoleMarketer, Body: map[string]any{
		"title": "x", "version": 2, "metrics": []map[string]string{{"label": "", "value": "1"}},
		"testimonial": map[string]string{"quote": "", "author": "A"}, "services": []string{" "},
	}})
	bad.want(t, 422, nil)
	for _, f := range []string{"metrics[0].label", "testimonial.quote", "services[0]"} {
		if !hasDetail(bad, f) {
			t.Errorf("details lack %q: %s", f, bad.Body)
		}
	}
	// Fields of posts are not fields of case studies.
	e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleEditor, Body: map[string]any{"title": "x", "tags": []string{"a"}}}).
		want(t, 400, map[string]any{"error.code": "unknown_field"})
	e.do(req{Method: "PUT", Path: path, As: auth.RoleMarketer, Body: map[string]any{"title": "Renamed", "version": 2}}).
		want(t, 200, map[string]any{"data.version": 3, "data.title": "Renamed", "data.metrics": []any{}, "data.testimonial": nil})
	e.do(req{Method: "DELETE", Path: path, As: auth.RoleMarketer}).want(t, 204, nil)
	e.do(req{Method: "GET", Path: "/api/v1/case-studies/ledger-for-copperleaf"}).want(t, 404, nil) // in the trash
}

func TestPreview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	words := strings.Repeat("word ", 221)
	e.do(req{Method: "POST", Path: "/api/v1/admin/preview", As: auth.RoleAuthor, Body: map[string]any{"markdown": "## Hi\n\n" + words}}).
		want(t, 200, map[string]any{"data.toc.0.id": "hi", "data.word_count": 222, "data.reading_time_minutes": 2})
	e.do(req{Method: "POST", Path: "/api/v1/admin/preview", As: auth.RoleAuthor, Body: map[string]any{"markdown": strings.Repeat(">", 70000)}}).
		want(t, 422, map[string]any{"error.details.0.field": "markdown"})
	e.do(req{Method: "POST", Path: "/api/v1/admin/preview", Body: map[string]any{"markdown": "x"}}).want(t, 401, nil)
	e.do(req{Method: "POST", Path: "/api/v1/admin/preview", As: auth.RoleAuthor, Body: map[string]any{"md": "x"}}).want(t, 400, nil)
}

// TestAdminListsFilterAndSort: the editor's lists take the public lists'
// filters (tag, author; industry, technology) and their own sort orders.
func TestAdminListsFilterAndSort(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createPost(map[string]any{"title": "Beta", "tags": []string{"Go"}})
	e.createPost(map[string]any{"title": "alpha", "tags": []string{"Go", "SQLite"}})
	e.createPost(map[string]any{"title": "Gamma", "tags": []string{"Design"}})
	r := e.do(req{Method: "GET", Path: "/api/v1/admin/posts?tag=go&sort=title", As: auth.RoleEditor})
	r.want(t, 200, map[string]any{"meta.total": 2, "data.0.title": "alpha", "data.1.title": "Beta"})
	r = e.do(req{Method: "GET", Path: "/api/v1/admin/posts?sort=-created_at", As: auth.RoleEditor})
	r.want(t, 200, map[string]any{"meta.total": 3, "data.0.title": "Gamma"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?sort=-version", As: auth.RoleEditor}).want(t, 400, map[string]any{"error.details.0.field": "sort"})

	e.createCaseStudy(map[string]any{"title": "Bank", "client": "B", "industry": "Finance", "technologies": []string{"Go"}})
	e.createCaseStudy(map[string]any{"title": "Shop", "client": "S", "industry": "Retail", "technologies": []string{"Rust"}})
	e.do(req{Method: "GET", Path: "/api/v1/admin/case-studies?industry=finance", As: auth.RoleMarketer}).
		want(t, 200, map[string]any{"meta.total": 1, "data.0.title": "Bank"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/case-studies?technology=Rust", As: auth.RoleMarketer}).
		want(t, 200, map[string]any{"meta.total": 1, "data.0.title": "Shop"})
}

// TestFirstPublishedAtSurvivesUnpublishing: the admin shows whether an
// entry was ever live (its old slugs then keep redirecting).
func TestFirstPublishedAtSurvivesUnpublishing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, r := e.createPost(map[string]any{"title": "Once live"})
	r.want(t, 201, map[string]any{"data.first_published_at": nil})
	e.publishPost(id)
	first := e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor}).str("data.first_published_at")
	if first == "" {
		t.Fatal("no first_published_at after publishing")
	}
	e.clock.Add(time.Hour)
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/unpublish", id), As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.status": "draft", "data.published_at": nil, "data.first_published_at": first})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts", As: auth.RoleEditor}).want(t, 200, map[string]any{"data.0.first_published_at": first})
}

// TestAdminConfig shows what the admin app needs and never a secret.
func TestAdminConfig(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.JWTSecret = "a-jwt-secret-that-is-long-enough-0123456789"; c.TrashDays = 7 })
	r := e.do(req{Method: "GET", Path: "/api/v1/admin/config", As: auth.RoleAuthor})
	r.want(t, 200, map[string]any{"data.site_url": "http://localhost:3000", "data.post_path": "/blog/{slug}", "data.trash_days": 7,
		"data.max_upload": 10 << 20, "data.webhook_events.0": "post.published"})
	if strings.Contains(string(r.Body), "a-jwt-secret") {
		t.Error("the config shows a secret")
	}
	e.do(req{Method: "GET", Path: "/api/v1/admin/config"}).want(t, 401, nil)
}

// TestAdminGetIfNoneMatch: an open editor asks with the version it has; the
// same version is a 304 without a body, and anything that makes a new
// version (a save, the schedule going live, a no-change save does not) is a
// 200 with the entry.
func TestAdminGetIfNoneMatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, created := e.createPost(map[string]any{"title": "Watched", "body": "Text."})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	if got := created.Header.Get("ETag"); got != `"1"` {
		t.Fatalf("ETag of the create = %q, want \"1\"", got)
	}
	get := func(inm string) *resp {
		return e.do(req{Method: "GET", Path: path, As: auth.RoleEditor, Headers: map[string]string{"If-None-Match": inm}})
	}
	nm := get(`"1"`)
	if nm.Status != 304 || len(nm.Body) != 0 || nm.Header.Get("ETag") != `"1"` {
		t.Fatalf("same version: %d, ETag %q, %d bytes; want 304 with ETag \"1\" and no body", nm.Status, nm.Header.Get("ETag"), len(nm.Body))
	}
	if r := get(`W/"1", "7"`); r.Status != 304 {
		t.Errorf("a list naming the version: %d, want 304", r.Status)
	}
	// A save that changes nothing keeps the version (and adds no revision).
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Watched", "body": "Text.", "version": 1}}).
		want(t, 200, map[string]any{"data.version": 1})
	if r := get(`"1"`); r.Status != 304 {
		t.Errorf("after a save without changes: %d, want 304", r.Status)
	}
	revs := e.do(req{Method: "GET", Path: path + "/revisions", As: auth.RoleEditor})
	revs.want(t, 200, map[string]any{"meta.total": 1, "data.0.kind": "create"})
	// Scheduled, then live by the job: each is a new version, so a 200 with the new status.
	at := e.clock.Now().Add(time.Hour).Format(time.RFC3339)
	e.do(req{Method: "POST", Path: path + "/schedule", As: auth.RoleEditor, Body: map[string]any{"publish_at": at}}).
		want(t, 200, map[string]any{"data.version": 2, "data.status": "scheduled"})
	get(`"1"`).want(t, 200, map[string]any{"data.version": 2, "data.status": "scheduled"})
	e.clock.Add(2 * time.Hour)
	if n, err := e.content.PublishDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("PublishDue: %d, %v", n, err)
	}
	r := get(`"2"`)
	r.want(t, 200, map[string]any{"data.version": 3, "data.status": "published"})
	if r.Header.Get("ETag") != `"3"` {
		t.Errorf("ETag = %q, want \"3\"", r.Header.Get("ETag"))
	}
	// Someone who may not read the entry learns nothing from the precondition.
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/case-studies/%d", id+1000), As: auth.RoleEditor, Headers: map[string]string{"If-None-Match": `"1"`}}).
		want(t, 404, nil)
}

// TestPatchSplices: an autosave of a long text sends what changed; the
// answer gives back the stored text and the new HTML as splices, which
// turn what the client has into exactly what a GET answers.
func TestPatchSplices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var sb strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&sb, "## Part %d\n\nA paragraph about part %d, with words in it — and ünïcödé.\n\n", i, i)
	}
	body := strings.TrimSpace(sb.String())
	id, _ := e.createPost(map[string]any{"title": "Long", "body": body})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	first := e.do(req{Method: "GET", Path: path, As: auth.RoleEditor})
	oldHTML := first.str("data.html")

	// Insert a sentence in part 20, and end with a new paragraph's blank lines (the server trims them).
	at := strings.Index(body, "## Part 20")
	typed := body[:at] + "A new sentence. " + body[at:] + "\n\n"
	sp := spliceFor(body, typed)
	r := e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Headers: map[string]string{"Content-Type": "application/merge-patch+json"},
		Body: map[string]any{"version": 1, "title": "Long, edited", "splice": map[string]any{"body": sp}}})
	r.want(t, 200, map[string]any{"data.version": 2, "data.title": "Long, edited"})
	if len(r.Body) > len(first.Body)/3 {
		t.Errorf("the spliced answer is %d bytes, the entry %d; want far less", len(r.Body), len(first.Body))
	}
	if _, ok := r.get("data.body"); ok {
		t.Errorf("the answer repeats the body")
	}
	if _, ok := r.get("data.html"); ok {
		t.Errorf("the answer repeats the html")
	}
	got := e.do(req{Method: "GET", Path: path, As: auth.RoleEditor})
	if b := applySplice(t, typed, r, "body"); b != got.str("data.body") || b != strings.TrimSpace(typed) {
		t.Errorf("the body splice gives %q…, want the stored body", b[:40])
	}
	if h := applySplice(t, oldHTML, r, "html"); h != got.str("data.html") || !strings.Contains(h, "A new sentence.") {
		t.Errorf("the html splice does not give the stored html")
	}

	// A splice of another text, both forms at once, a field that is not Markdown: refused, nothing saved.
	stale := spliceFor(body, body+" more")
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"version": 2, "splice": map[string]any{"body": stale}}}).
		want(t, 409, map[string]any{"error.code": "splice_mismatch"})
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"version": 2, "body": "x", "splice": map[string]any{"body": stale}}}).
		want(t, 400, map[string]any{"error.code": "invalid_splice"})
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"version": 2, "splice": map[string]any{"title": stale}}}).
		want(t, 400, map[string]any{"error.code": "invalid_splice"})
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"version": 2, "splice": map[string]any{"body": map[string]any{"start": -1, "end": 0, "insert": "", "crc32": 0}}}}).
		want(t, 400, map[string]any{"error.code": "invalid_splice"})
	// Offsets inside a character are refused, not split.
	inside := strings.Index(body, "ü") + 1
	bad := map[string]any{"start": inside, "end": 0, "insert": "", "crc32": crc32.ChecksumIEEE([]byte(body[:inside]))}
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"version": 2, "splice": map[string]any{"body": bad}}}).
		want(t, 409, map[string]any{"error.code": "splice_mismatch"})
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.version": 2})

	// Case studies splice their three Markdown fields.
	cs, _ := e.createCaseStudy(map[string]any{"title": "Study", "client": "Acme", "challenge": "It was slow."})
	csPath := fmt.Sprintf("/api/v1/admin/case-studies/%d", cs)
	e.do(req{Method: "PATCH", Path: csPath, As: auth.RoleEditor, Body: map[string]any{"version": 1, "splice": map[string]any{"challenge": spliceFor("It was slow.", "It was very slow.")}}}).
		want(t, 200, map[string]any{"data.version": 2, "data.splices.challenge.insert": ""})
	e.do(req{Method: "GET", Path: csPath, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.challenge": "It was very slow."})
}

// spliceFor is a client's splice from from to to: the common beginning and end kept.
func spliceFor(from, to string) map[string]any {
	s := 0
	for s < len(from) && s < len(to) && from[s] == to[s] {
		s++
	}
	for s > 0 && s < len(from) && !utf8.RuneStart(from[s]) {
		s--
	}
	n := 0
	for n < len(from)-s && n < len(to)-s && from[len(from)-1-n] == to[len(to)-1-n] {
		n++
	}
	for n > 0 && !utf8.RuneStart(from[len(from)-n]) {
		n--
	}
	return map[string]any{"start": s, "end": n, "insert": to[s : len(to)-n], "crc32": crc32.ChecksumIEEE([]byte(to))}
}

func applySplice(t *testing.T, base string, r *resp, key string) string {
	t.Helper()
	v, ok := r.get("data.splices." + key)
	if !ok {
		t.Fatalf("no splice of %s in %s", key, r.Body)
	}
	m := v.(map[string]any)
	s, n := int(m["start"].(float64)), int(m["end"].(float64))
	out := base[:s] + m["insert"].(string) + base[len(base)-n:]
	if crc32.ChecksumIEEE([]byte(out)) != uint32(m["crc32"].(float64)) {
		t.Errorf("the %s splice's crc32 does not match its result", key)
	}
	return out
}
