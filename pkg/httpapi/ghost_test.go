package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
)

// ghostFixture: three live posts with tags (one featured), a draft, a live
// case study and a live page, and a Ghost content key.
func ghostFixture(t *testing.T, opts ...func(*config.Config)) (*env, string) {
	e := newEnv(t, opts...)
	e.publish(map[string]any{"title": "Go Tips", "body": "Go *tips* here.", "tags": []string{"Go", "Tips"}, "featured": true, "excerpt": "Short."})
	e.publish(map[string]any{"title": "Rust Notes", "body": "Rust.", "tags": []string{"Rust"}})
	e.publish(map[string]any{"title": "Go and Rust", "body": "Both.", "tags": []string{"Rust", "Go"}})
	e.createPost(map[string]any{"title": "Secret draft", "body": "Unpublished.", "tags": []string{"Hidden"}})
	e.publishStudy(map[string]any{"title": "Ledger", "industry": "Fintech", "technologies": []string{"Go"}, "summary": "A ledger."})
	page := e.newPage(map[string]any{"title": "About", "body": "About us."})
	e.pageAction(page, "publish")
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/tokens", As: auth.RoleAdmin, Body: map[string]string{"name": "ghost", "scope": "content", "format": "ghost"}})
	r.want(t, 201, nil)
	return e, r.str("data.token")
}

func ghostSlugs(r *resp, res string) []string {
	var out []string
	for _, item := range r.list(res) {
		out = append(out, item.(map[string]any)["slug"].(string))
	}
	return out
}

func TestGhostPosts(t *testing.T) {
	t.Parallel()
	e, key := ghostFixture(t)
	get := func(q string) *resp {
		return e.do(req{Method: "GET", Path: "/ghost/api/content/posts/?key=" + key + q})
	}

	all := get("")
	all.want(t, 200, map[string]any{"meta.pagination.page": 1, "meta.pagination.limit": 15, "meta.pagination.total": 3, "meta.pagination.pages": 1, "posts.0.slug": "go-and-rust"})
	if got := strings.Join(ghostSlugs(all, "posts"), ","); got != "go-and-rust,rust-notes,go-tips" {
		t.Errorf("posts newest first, no draft, no case study: %s", got)
	}
	p := all.obj("posts.2")
	if p["html"] != "<p>Go <em>tips</em> here.</p>\n" || p["custom_excerpt"] != "Short." || p["featured"] != true || p["visibility"] != "public" {
		t.Errorf("post fields: %v", p)
	}
	if id, _ := p["id"].(string); len(id) != 24 {
		t.Errorf("a Ghost id is 24 hex characters: %v", p["id"])
	}
	if _, ok := p["tags"]; ok {
		t.Errorf("tags without include=tags: %v", p)
	}
	if _, ok := p["plaintext"]; ok {
		t.Errorf("plaintext without formats=plaintext")
	}
	if strings.Contains(string(all.Body), "Secret") {
		t.Errorf("a draft leaks: %s", all.Body)
	}

	// limit, page, order.
	r := get("&limit=2&page=2&order=title%20asc")
	r.want(t, 200, map[string]any{"meta.pagination.pages": 2, "meta.pagination.prev": 1, "meta.pagination.next": nil, "posts.0.slug": "rust-notes"})
	get("&limit=all").want(t, 200, map[string]any{"meta.pagination.limit": "all", "meta.pagination.total": 3})

	// include, formats, fields.
	r = get("&include=tags,authors&formats=plaintext&fields=slug,tags,primary_tag,plaintext,authors,primary_author")
	r.want(t, 200, map[string]any{"posts.0.tags.0.slug": "rust", "posts.0.primary_tag.slug": "rust", "posts.0.tags.1.slug": "go", "posts.0.plaintext": "Both.", "posts.0.primary_author.slug": "test-editor"})
	if n := len(r.obj("posts.0")); n != 6 {
		t.Errorf("fields keeps only those named: %v", r.obj("posts.0"))
	}

	// Filters.
	for _, c := range []struct{ filter, want string }{
		{"tag:go", "go-and-rust,go-tips"},
		{"tags:[rust,tips]", "go-and-rust,rust-notes,go-tips"},
		{"tag:-go", "rust-notes"},
		{"featured:true", "go-tips"},
		{"primary_tag:rust", "go-and-rust,rust-notes"},
		{"tag:go+tag:rust", "go-and-rust"},
		{"slug:rust-notes,featured:true", "rust-notes,go-tips"},
		{"(tag:tips,tag:rust)+tag:-go", "rust-notes"},
		{"author:test-editor+published_at:>'2000-01-01'", "go-and-rust,rust-notes,go-tips"},
		{"published_at:<'2000-01-01 00:00:00'", ""},
		{"tag:hidden", ""},
		{"tag:hash-case-study", "ledger"},
		{"tag:hash-case-study,tag:tips", "ledger,go-tips"},
	} {
		r := get("&filter=" + strings.NewReplacer(" ", "%20", "+", "%2B", "'", "%27", "[", "%5B", "]", "%5D", ">", "%3E", "<", "%3C").Replace(c.filter))
		r.want(t, 200, nil)
		if got := strings.Join(ghostSlugs(r, "posts"), ","); got != c.want {
			t.Errorf("filter=%s: %q, want %q", c.filter, got, c.want)
		}
	}

	// A case study as a Ghost post: its sections in html, its own fields in folio.
	cs := get("&filter=tag:hash-case-study&include=tags")
	cs.want(t, 200, map[string]any{"posts.0.tags.0.slug": "hash-case-study", "posts.0.tags.0.visibility": "internal", "posts.0.primary_tag": nil,
		"posts.0.folio.type": "case_study", "posts.0.folio.case_study.industry": "Fintech", "posts.0.custom_excerpt": "A ledger."})

	// Reads by id and slug; a draft and a page are not posts.
	id := all.str("posts.2.id")
	e.do(req{Method: "GET", Path: "/ghost/api/content/posts/" + id + "/?key=" + key}).want(t, 200, map[string]any{"posts.0.slug": "go-tips"})
	e.do(req{Method: "GET", Path: "/ghost/api/content/posts/slug/go-tips/?key=" + key + "&include=tags"}).want(t, 200, map[string]any{"posts.0.id": id, "posts.0.tags.0.name": "Go"})
	e.do(req{Method: "GET", Path: "/ghost/api/content/posts/slug/ledger/?key=" + key}).want(t, 200, map[string]any{"posts.0.folio.type": "case_study"})
	for _, path := range []string{"/ghost/api/content/posts/slug/secret-draft/", "/ghost/api/content/posts/slug/about/", "/ghost/api/content/posts/000000000000000000000999/", "/ghost/api/content/posts/nope/"} {
		e.do(req{Method: "GET", Path: path + "?key=" + key}).want(t, 404, map[string]any{"errors.0.type": "NotFoundError", "errors.0.message": "Post not found."})
	}
}

func TestGhostRefusals(t *testing.T) {
	t.Parallel()
	e, key := ghostFixture(t)
	for _, c := range []struct {
		query  string
		status int
		typ    string
	}{
		{"filter=tag:", 400, "BadRequestError"},
		{"filter=(tag:go", 400, "BadRequestError"},
		{"filter=title:go", 400, "BadRequestError"},
		{"filter=tag:~go", 400, "BadRequestError"},
		{"filter=featured:maybe", 400, "BadRequestError"},
		{"filter=published_at:>%27yesterday%27", 400, "BadRequestError"},
		{"filter=tag:go)", 400, "BadRequestError"},
		{"limit=0", 422, "ValidationError"},
		{"limit=ten", 422, "ValidationError"},
		{"page=0", 422, "ValidationError"},
		{"include=members", 422, "ValidationError"},
		{"formats=mobiledoc", 422, "ValidationError"},
		{"order=random", 422, "ValidationError"},
		{"tiers=1", 400, "BadRequestError"},
	} {
		r := e.do(req{Method: "GET", Path: "/ghost/api/content/posts/?key=" + key + "&" + c.query})
		r.want(t, c.status, map[string]any{"errors.0.type": c.typ})
	}
	r := e.do(req{Method: "GET", Path: "/ghost/api/content/posts/?key=" + key + "&filter=tag:go%2Bbogus:1"})
	if ctx := r.str("errors.0.context"); r.str("errors.0.message") != "Error parsing filter" || !strings.Contains(ctx, "bogus") {
		t.Errorf("a bad filter says where: %s", r.Body)
	}
	e.do(req{Method: "GET", Path: "/ghost/api/content/posts/?key=0123456789abcdef0123456789"}).
		want(t, 401, map[string]any{"errors.0.type": "UnauthorizedError", "errors.0.message": "Unknown Content API Key"})
}

func TestGhostKeyRequiredInTokenMode(t *testing.T) {
	t.Parallel()
	e, key := ghostFixture(t, func(c *config.Config) { c.PublicAPI = config.PublicToken })
	e.do(req{Method: "GET", Path: "/ghost/api/content/posts/"}).want(t, 403, map[string]any{"errors.0.type": "NoPermissionError", "errors.0.message": "Authorization failed"})
	e.do(req{Method: "GET", Path: "/ghost/api/content/posts/?key=" + key}).want(t, 200, map[string]any{"meta.pagination.total": 3})
}

func TestGhostPagesTagsAuthorsSettings(t *testing.T) {
	t.Parallel()
	e, key := ghostFixture(t)
	get := func(path string) *resp { return e.do(req{Method: "GET", Path: "/ghost/api/content/" + path}) }

	pages := get("pages/?key=" + key)
	pages.want(t, 200, map[string]any{"meta.pagination.total": 1, "pages.0.slug": "about", "pages.0.html": "<p>About us.</p>\n"})
	get("pages/slug/about/?key="+key).want(t, 200, map[string]any{"pages.0.title": "About"})
	get("pages/"+pages.str("pages.0.id")+"/?key="+key).want(t, 200, map[string]any{"pages.0.slug": "about"})
	get("pages/slug/go-tips/?key="+key).want(t, 404, map[string]any{"errors.0.message": "Page not found."})

	tags := get("tags/?key=" + key + "&include=count.posts&order=count.posts%20desc")
	tags.want(t, 200, map[string]any{"meta.pagination.total": 3, "tags.0.slug": "go", "tags.0.count.posts": 2, "tags.2.slug": "tips", "tags.0.visibility": "public"})
	if strings.Contains(string(tags.Body), "hidden") {
		t.Errorf("a tag only a draft has leaks: %s", tags.Body)
	}
	get("tags/slug/rust/?key="+key).want(t, 200, map[string]any{"tags.0.name": "Rust"})
	get("tags/"+tags.str("tags.1.id")+"/?key="+key).want(t, 200, map[string]any{"tags.0.slug": tags.str("tags.1.slug")})
	get("tags/?key="+key+"&filter=slug:[go,tips]&limit=1&page=2").want(t, 200, map[string]any{"meta.pagination.total": 2, "tags.0.slug": "tips"})
	get("tags/slug/hidden/?key="+key).want(t, 404, map[string]any{"errors.0.message": "Tag not found."})

	authors := get("authors/?key=" + key + "&include=count.posts")
	authors.want(t, 200, map[string]any{"meta.pagination.total": 1, "authors.0.slug": "test-editor", "authors.0.count.posts": 3})
	get("authors/slug/test-editor/?key="+key).want(t, 200, map[string]any{"authors.0.id": authors.str("authors.0.id")})
	get("authors/slug/admin/?key="+key).want(t, 404, map[string]any{"errors.0.type": "NotFoundError"})

	get("settings/?key="+key).want(t, 200, map[string]any{"settings.lang": "en", "settings.title": "localhost:3000", "settings.description": nil})
}

func TestGhostAnswersAreCached(t *testing.T) {
	t.Parallel()
	e, key := ghostFixture(t)
	path := "/ghost/api/content/posts/?key=" + key + "&include=tags"
	first := e.do(req{Method: "GET", Path: path})
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatalf("no ETag: %v", first.Header)
	}
	e.do(req{Method: "GET", Path: path, Headers: map[string]string{"If-None-Match": etag}}).want(t, 304, nil)
	// A new post moves the answer on.
	e.clock.Add(time.Minute)
	e.publish(map[string]any{"title": "Fresh"})
	again := e.do(req{Method: "GET", Path: path, Headers: map[string]string{"If-None-Match": etag}})
	again.want(t, 200, map[string]any{"posts.0.slug": "fresh", "meta.pagination.total": 4})
}
