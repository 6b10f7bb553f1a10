package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
)

func TestPublicVisibility(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pub, _ := e.createPost(map[string]any{"title": "Live", "body": "Visible.", "tags": []string{"Go"}})
	e.publishPost(pub)
	e.createPost(map[string]any{"title": "Secret draft", "body": "Hidden.", "tags": []string{"Go", "Drafts"}})

	list := e.do(req{Method: "GET", Path: "/api/v1/posts"})
	list.want(t, 200, map[string]any{"meta.total": 1, "data.0.slug": "live"})
	if strings.Contains(string(list.Body), "Secret") {
		t.Errorf("a draft leaks into the public list: %s", list.Body)
	}
	// A draft answers exactly like a slug that does not exist.
	draft := e.do(req{Method: "GET", Path: "/api/v1/posts/secret-draft"})
	missing := e.do(req{Method: "GET", Path: "/api/v1/posts/no-such-post"})
	draft.want(t, 404, nil)
	if string(draft.Body) != string(missing.Body) {
		t.Errorf("draft 404 %s differs from missing 404 %s", draft.Body, missing.Body)
	}
	// Public tags are those on a visible post, counting only those: a tag
	// only drafts carry would tell what is not published yet.
	tags := e.do(req{Method: "GET", Path: "/api/v1/tags"})
	tags.want(t, 200, map[string]any{
		"data": []map[string]any{{"slug": "go", "name": "Go", "description": nil, "post_count": 1}},
	})
	if strings.Contains(string(tags.Body), "Drafts") {
		t.Errorf("a tag only a draft carries is public: %s", tags.Body)
	}
	// The admin sees every tag, with the posts of any status.
	e.do(req{Method: "GET", Path: "/api/v1/admin/tags", As: auth.RoleEditor}).want(t, 200, map[string]any{
		"data": []map[string]any{{"slug": "drafts", "name": "Drafts", "description": nil, "post_count": 1}, {"slug": "go", "name": "Go", "description": nil, "post_count": 2}},
	})
	// tag= takes the slug or the name, ignoring case; a draft's tag finds nothing.
	for _, q := range []string{"go", "Go", "GO", "go,drafts"} {
		e.do(req{Method: "GET", Path: "/api/v1/posts?tag=" + q}).want(t, 200, map[string]any{"meta.total": 1, "data.0.slug": "live"})
	}
	e.do(req{Method: "GET", Path: "/api/v1/posts?tag=Drafts"}).want(t, 200, map[string]any{"meta.total": 0})
	// Public authors have a name and a slug, never an email.
	one := e.do(req{Method: "GET", Path: "/api/v1/posts/live"})
	one.want(t, 200, map[string]any{"data.author": map[string]string{"name": "Test editor", "slug": "test-editor"}})
	if strings.Contains(string(one.Body), "@example.com") || strings.Contains(string(list.Body), "@example.com") {
		t.Errorf("public responses contain an email address")
	}
	if _, ok := one.get("data.body"); ok {
		t.Errorf("the public post exposes its Markdown source")
	}
	if _, ok := list.get("data.0.html"); ok {
		t.Errorf("list items carry html")
	}
}

// TestPublishedAtDecidesVisibility: a post published with a future date
// (an import may do that) is hidden until then, to the second, and shows up
// then without any write, cache or no cache.
func TestPublishedAtDecidesVisibility(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	at := e.clock.Now().Add(time.Hour)
	if _, _, err := e.content.Upsert(t.Context(), auth.System, content.Post, content.Record{
		Fields: content.Fields{Title: "Timed", Slug: "timed"}, Status: content.Published, PublishedAt: &at,
	}); err != nil {
		t.Fatal(err)
	}
	e.do(req{Method: "GET", Path: "/api/v1/posts/timed"}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts"}).want(t, 200, map[string]any{"meta.total": 0})
	e.clock.Set(at.Add(-time.Second))
	e.do(req{Method: "GET", Path: "/api/v1/posts/timed"}).want(t, 404, nil)
	e.clock.Set(at)
	e.do(req{Method: "GET", Path: "/api/v1/posts/timed"}).want(t, 200, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts"}).want(t, 200, map[string]any{"meta.total": 1})
}

func TestPublicListPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := 1; i <= 5; i++ {
		id, _ := e.createPost(map[string]any{"title": fmt.Sprintf("Post %d", i), "tags": []string{fmt.Sprintf("T%d", i%2)}})
		e.publishPost(id)
		e.clock.Add(time.Minute) // distinct publication times
	}
	r := e.do(req{Method: "GET", Path: "/api/v1/posts?per_page=2&page=2"})
	r.want(t, 200, map[string]any{
		"meta":        map[string]int{"page": 2, "per_page": 2, "total": 5, "total_pages": 3, "next": 3, "prev": 1},
		"data.0.slug": "post-3", "data.1.slug": "post-2", // newest first
	})
	e.do(req{Method: "GET", Path: "/api/v1/posts?per_page=2&page=9"}).want(t, 200, map[string]any{"data": []any{}, "meta.total": 5})
	e.do(req{Method: "GET", Path: "/api/v1/posts?tag=t1"}).want(t, 200, map[string]any{"meta.total": 3})
	e.do(req{Method: "GET", Path: "/api/v1/posts?tag=nope"}).want(t, 200, map[string]any{"meta.total": 0})
	for _, bad := range []string{"page=0", "page=-1", "page=x", "per_page=0", "per_page=101", "per_page=1e3"} {
		name := strings.SplitN(bad, "=", 2)[0]
		r := e.do(req{Method: "GET", Path: "/api/v1/posts?" + bad})
		r.want(t, 400, map[string]any{"error.code": "invalid_parameter"})
		if !hasDetail(r, name) {
			t.Errorf("%s: details do not name %q: %s", bad, name, r.Body)
		}
	}
	e.do(req{Method: "GET", Path: "/api/v1/posts?per_page=100"}).want(t, 200, map[string]any{"meta.per_page": 100})
}

func TestAdminLists(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, _ := e.createPost(map[string]any{"title": "Alpha release notes"})
	e.createPost(map[string]any{"title": "Beta 100% done_ish"})
	e.publishPost(a)
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 2})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?status=draft", As: auth.RoleEditor}).
		want(t, 200, map[string]any{"meta.total": 1, "data.0.slug": "beta-100-done-ish", "data.0.status": "draft"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?status=draft,published", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 2})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?q=RELEASE", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 1})
	// LIKE wildcards in q are plain characters.
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?q=100%25", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?q=%25", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?q=_", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?status=live", As: auth.RoleEditor}).want(t, 400, map[string]any{"error.code": "invalid_parameter"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/case-studies", As: auth.RoleMarketer}).want(t, 200, map[string]any{"meta.total": 0})
}
