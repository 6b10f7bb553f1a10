package httpapi_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
)

var update = flag.Bool("update", false, "rewrite the golden answers in testdata/golden")

// goldenStart is the fixed time the golden scenario starts at.
var goldenStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testEmail is the varying part of the test users' addresses.
var testEmail = regexp.MustCompile(`-[0-9]+@example\.com`)

// goldenScenario builds the fixed scenario through the API, at fixed
// times: posts and case studies in every status, tags, a media item,
// revisions, slug changes, the trash.
func goldenScenario(e *env) {
	t := e.t
	e.clock.Set(goldenStart)
	step := func() { e.clock.Add(7 * time.Minute) }
	create := func(typ string, as auth.Role, body map[string]any) int {
		t.Helper()
		step()
		r := e.do(req{Method: "POST", Path: "/api/v1/admin/" + typ, As: as, Body: body})
		r.want(t, 201, nil)
		return r.num("data.id")
	}
	act := func(typ string, id int, action string, body any) {
		t.Helper()
		step()
		e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/%s/%d/%s", typ, id, action), As: auth.RoleEditor, Body: body}).want(t, 200, nil)
	}
	patch := func(typ string, id int, body map[string]any) {
		t.Helper()
		step()
		path := fmt.Sprintf("/api/v1/admin/%s/%d", typ, id)
		body["version"] = e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).num("data.version")
		e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: body}).want(t, 200, nil)
	}
	// publishChanges makes a live entry's saved changes live, at the time
	// of the save before it.
	publishChanges := func(typ string, id int) {
		t.Helper()
		e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/%s/%d/publish", typ, id), As: auth.RoleEditor}).
			want(t, 200, map[string]any{"data.has_unpublished_changes": false})
	}
	at := func(d time.Duration) map[string]string {
		return map[string]string{"publish_at": e.clock.Now().Add(d).Format(time.RFC3339)}
	}

	step()
	up := e.upload(auth.RoleEditor, "cover.png", pngBytes(64, 48), map[string]string{"alt": "A gradient"})
	up.want(t, 201, nil)
	cover := up.num("data.id")

	body := "# Introduction\n\nFolio keeps **content** simple. It renders Markdown once.\n\n## Why\n\nBecause reads should be cheap.\n\n```go\nfmt.Println(\"hi\")\n```\n\n## How\n\nWith [links](https://example.com) and lists:\n\n- one\n- two\n"
	p1 := create("posts", auth.RoleEditor, map[string]any{
		"title": "Hello World", "body": body, "tags": []string{"Go", "Web"}, "featured": true,
		"cover_image": map[string]any{"media_id": cover, "alt": ""},
		"seo":         map[string]any{"meta_title": "Hello", "meta_description": "The first post", "canonical_url": "", "og_image": ""},
	})
	act("posts", p1, "publish", nil)
	patch("posts", p1, map[string]any{"slug": "hello-folio"})
	patch("posts", p1, map[string]any{"excerpt": "A changed excerpt."})
	publishChanges("posts", p1)

	p2 := create("posts", auth.RoleAuthor, map[string]any{"title": "Second Post", "body": "Plain words about Go and SQLite.\n\nAnother paragraph here.", "tags": []string{"Go", "SQLite"}, "excerpt": "Short."})
	act("posts", p2, "submit", nil)
	act("posts", p2, "publish", nil)

	create("posts", auth.RoleEditor, map[string]any{"title": "Draft Notes", "body": "Not ready.", "tags": []string{"Go"}})
	p4 := create("posts", auth.RoleAuthor, map[string]any{"title": "Waiting For Review", "body": "Please read.", "tags": []string{"Web"}})
	act("posts", p4, "submit", nil)
	p5 := create("posts", auth.RoleEditor, map[string]any{"title": "Coming Soon", "body": "Scheduled words.", "tags": []string{"Go"}})
	act("posts", p5, "schedule", at(48*time.Hour))
	p6 := create("posts", auth.RoleEditor, map[string]any{"title": "Old News", "body": "Archived words.", "tags": []string{"Web"}})
	act("posts", p6, "publish", nil)
	act("posts", p6, "archive", nil)
	p7 := create("posts", auth.RoleEditor, map[string]any{"title": "Binned", "body": "Trashed words.", "tags": []string{"Go"}})
	act("posts", p7, "publish", nil)
	step()
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/posts/%d", p7), As: auth.RoleEditor}).want(t, 204, nil)

	c1 := create("case-studies", auth.RoleMarketer, map[string]any{
		"title": "Payments Platform Rebuild", "client": "Acme Bank", "industry": "Fintech", "duration": "18 months",
		"services": []string{"Backend", "Consulting"}, "technologies": []string{"Go", "PostgreSQL"},
		"summary": "We rebuilt the payments core.", "challenge": "Legacy **batch** jobs.\n\n### Scale\n\nMillions a day.",
		"solution": "A streaming design in Go.", "results": "Settlement in seconds.",
		"metrics":     []map[string]string{{"label": "Settlement", "value": "-99%"}, {"label": "Uptime", "value": "99.99%"}},
		"testimonial": map[string]string{"quote": "They delivered.", "author": "Jane Roe", "role": "CTO"},
		"cover_image": map[string]any{"media_id": cover, "alt": "Payments"},
		"logo":        map[string]any{"url": "https://example.com/acme.svg", "alt": "Acme"},
		"featured":    true,
	})
	act("case-studies", c1, "publish", nil)
	patch("case-studies", c1, map[string]any{"slug": "acme-payments"})
	publishChanges("case-studies", c1)
	c2 := create("case-studies", auth.RoleEditor, map[string]any{
		"title": "Shop Search", "client": "Retail Co", "industry": "Retail", "technologies": []string{"Go", "SQLite"},
		"summary": "Search that answers in milliseconds.", "challenge": "Slow search.", "solution": "FTS5.", "results": "Happy shoppers.",
	})
	act("case-studies", c2, "publish", nil)
	create("case-studies", auth.RoleEditor, map[string]any{"title": "Unfinished Study", "client": "Hidden Ltd", "industry": "Fintech"})
	c4 := create("case-studies", auth.RoleEditor, map[string]any{"title": "Future Study", "client": "Later Inc", "industry": "Retail", "summary": "Soon."})
	act("case-studies", c4, "schedule", at(24*time.Hour))
	c5 := create("case-studies", auth.RoleEditor, map[string]any{"title": "Retired Study", "client": "Gone Corp", "industry": "Health"})
	act("case-studies", c5, "publish", nil)
	act("case-studies", c5, "archive", nil)

	about := create("pages", auth.RoleMarketer, map[string]any{"title": "About", "body": "## Who we are\n\nA small consultancy.", "menu_order": 2})
	act("pages", about, "publish", nil)
	services := create("pages", auth.RoleEditor, map[string]any{"title": "Services", "body": "What we offer.", "menu_order": 1,
		"excerpt": "Our services.", "cover_image": map[string]any{"media_id": cover, "alt": "Services"}})
	act("pages", services, "publish", nil)
	backend := create("pages", auth.RoleEditor, map[string]any{"title": "Backend", "body": "APIs and databases.", "parent_id": services})
	act("pages", backend, "publish", nil)
	create("pages", auth.RoleEditor, map[string]any{"title": "Hidden Child", "body": "Not yet.", "parent_id": services, "menu_order": 5})
	step()
}

// goldenRequests are the answers the golden test records, by file name.
func goldenRequests() []struct {
	name string
	req  req
} {
	admin := auth.RoleAdmin
	return []struct {
		name string
		req  req
	}{
		{"public-posts", req{Method: "GET", Path: "/api/v1/posts"}},
		{"public-posts-tag", req{Method: "GET", Path: "/api/v1/posts?tag=sqlite"}},
		{"public-posts-author", req{Method: "GET", Path: "/api/v1/posts?author=test-author"}},
		{"public-posts-featured", req{Method: "GET", Path: "/api/v1/posts?featured=true"}},
		{"public-posts-sort-title", req{Method: "GET", Path: "/api/v1/posts?sort=title&per_page=1&page=2"}},
		{"public-posts-fields", req{Method: "GET", Path: "/api/v1/posts?fields=slug,title,tags"}},
		{"public-posts-window", req{Method: "GET", Path: "/api/v1/posts?published_after=2026-03-02T09:30:00Z"}},
		{"public-post", req{Method: "GET", Path: "/api/v1/posts/hello-folio"}},
		{"public-post-old-slug", req{Method: "GET", Path: "/api/v1/posts/hello-world"}},
		{"public-post-draft", req{Method: "GET", Path: "/api/v1/posts/draft-notes"}},
		{"public-post-scheduled", req{Method: "GET", Path: "/api/v1/posts/coming-soon"}},
		{"public-post-missing", req{Method: "GET", Path: "/api/v1/posts/nope"}},
		{"public-post-related", req{Method: "GET", Path: "/api/v1/posts/hello-folio/related"}},
		{"public-case-studies", req{Method: "GET", Path: "/api/v1/case-studies"}},
		{"public-case-studies-industry", req{Method: "GET", Path: "/api/v1/case-studies?industry=fintech"}},
		{"public-case-studies-technology", req{Method: "GET", Path: "/api/v1/case-studies?technology=sqlite"}},
		{"public-case-studies-fields", req{Method: "GET", Path: "/api/v1/case-studies?fields=slug,client,metrics,logo"}},
		{"public-case-study", req{Method: "GET", Path: "/api/v1/case-studies/acme-payments"}},
		{"public-case-study-old-slug", req{Method: "GET", Path: "/api/v1/case-studies/payments-platform-rebuild"}},
		{"public-case-study-draft", req{Method: "GET", Path: "/api/v1/case-studies/unfinished-study"}},
		{"public-tags", req{Method: "GET", Path: "/api/v1/tags"}},
		{"public-tag", req{Method: "GET", Path: "/api/v1/tags/go"}},
		{"public-authors", req{Method: "GET", Path: "/api/v1/authors"}},
		{"public-settings", req{Method: "GET", Path: "/api/v1/settings"}},
		{"public-search", req{Method: "GET", Path: "/api/v1/search?q=go"}},
		{"public-search-post", req{Method: "GET", Path: "/api/v1/search?q=reads&type=post"}},
		{"public-search-case-study", req{Method: "GET", Path: "/api/v1/search?q=search&type=case_study"}},
		{"public-sitemap", req{Method: "GET", Path: "/api/v1/sitemap"}},
		{"public-feed-xml", req{Method: "GET", Path: "/api/v1/feed.xml"}},
		{"public-feed-json", req{Method: "GET", Path: "/api/v1/feed.json"}},
		{"public-pages", req{Method: "GET", Path: "/api/v1/pages"}},
		{"public-pages-parent", req{Method: "GET", Path: "/api/v1/pages?parent=services"}},
		{"public-page", req{Method: "GET", Path: "/api/v1/pages/backend"}},
		{"public-page-draft", req{Method: "GET", Path: "/api/v1/pages/hidden-child"}},
		{"public-search-page", req{Method: "GET", Path: "/api/v1/search?q=consultancy&type=page"}},
		{"admin-pages", req{Method: "GET", Path: "/api/v1/admin/pages", As: admin}},
		{"admin-page", req{Method: "GET", Path: "/api/v1/admin/pages/15", As: admin}},
		{"admin-page-revisions", req{Method: "GET", Path: "/api/v1/admin/pages/15/revisions", As: admin}},
		{"admin-posts", req{Method: "GET", Path: "/api/v1/admin/posts", As: admin}},
		{"admin-posts-status", req{Method: "GET", Path: "/api/v1/admin/posts?status=draft,in_review,scheduled&sort=title", As: admin}},
		{"admin-post", req{Method: "GET", Path: "/api/v1/admin/posts/1", As: admin}},
		{"admin-post-revisions", req{Method: "GET", Path: "/api/v1/admin/posts/1/revisions", As: admin}},
		{"admin-post-revision", req{Method: "GET", Path: "/api/v1/admin/posts/1/revisions/1", As: admin}},
		{"admin-case-studies", req{Method: "GET", Path: "/api/v1/admin/case-studies", As: admin}},
		{"admin-case-study", req{Method: "GET", Path: "/api/v1/admin/case-studies/8", As: admin}},
		{"admin-case-study-revisions", req{Method: "GET", Path: "/api/v1/admin/case-studies/8/revisions", As: admin}},
		{"admin-tags", req{Method: "GET", Path: "/api/v1/admin/tags", As: admin}},
		{"admin-scheduled", req{Method: "GET", Path: "/api/v1/admin/scheduled", As: admin}},
		{"admin-trash", req{Method: "GET", Path: "/api/v1/admin/trash", As: admin}},
		{"admin-stats", req{Method: "GET", Path: "/api/v1/admin/stats", As: admin}},
	}
}

// goldenHeaders are the response headers the golden files keep.
var goldenHeaders = []string{"Content-Type", "Cache-Control", "ETag", "Location"}

// TestGoldenAnswers records every public and admin answer of a fixed
// scenario byte for byte: refactoring storage or the entry types must not
// change one (go test -run TestGoldenAnswers -update rewrites them, for a
// change of the answers that is meant).
func TestGoldenAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	goldenScenario(e)
	dir := filepath.Join("testdata", "golden")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, g := range goldenRequests() {
		r := e.do(g.req)
		var b bytes.Buffer
		fmt.Fprintf(&b, "%s %s\n%d\n", g.req.Method, g.req.Path, r.Status)
		for _, h := range goldenHeaders {
			if v := r.Header.Get(h); v != "" {
				fmt.Fprintf(&b, "%s: %s\n", h, v)
			}
		}
		b.WriteString("\n")
		b.Write(testEmail.ReplaceAll(r.Body, []byte("@example.com")))
		b.WriteString("\n")
		// The ETag answers If-None-Match with a 304.
		if etag := r.Header.Get("ETag"); etag != "" && r.Status == 200 && g.req.As == "" {
			nr := g.req
			nr.Headers = map[string]string{"If-None-Match": etag}
			if nm := e.do(nr); nm.Status != 304 || len(nm.Body) != 0 {
				t.Errorf("%s: If-None-Match %s answered %d %q, want an empty 304", g.name, etag, nm.Status, nm.Body)
			}
		}
		file := filepath.Join(dir, g.name+".txt")
		if *update {
			if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: %v (run with -update to record it)", g.name, err)
			continue
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s: the answer changed:\n%s", g.name, firstDiff(string(want), b.String()))
		}
	}
}

// firstDiff shows where two answers part.
func firstDiff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-120)
	clip := func(s string) string { return s[from:min(len(s), i+200)] }
	return fmt.Sprintf("at byte %d\nwant: …%s\n got: …%s", i, strings.ReplaceAll(clip(want), "\n", "⏎"), strings.ReplaceAll(clip(got), "\n", "⏎"))
}
