package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/folio-cms/folio/pkg/auth"
)

// TestListsCarryEverything (issue 19, items 1 and 3): a list with fields=
// naming every field of the single item gives each item exactly as its
// own answer does, html and all, so that a static build needs one request
// per 100 entries; every item, in lists, single answers, related posts and
// search hits, has its address on the site, the same as the sitemap's.
func TestListsCarryEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(map[string]any{"title": "First", "body": "## Intro\n\nSome *words* here.", "tags": []string{"Go"},
		"seo": map[string]any{"meta_title": "First!"}})
	e.publish(map[string]any{"title": "Second", "body": "More words.", "tags": []string{"Go"}})
	e.publishStudy(map[string]any{"title": "Ledger", "industry": "Fintech", "challenge": "It was **slow**.", "solution": "Go."})
	services := e.newPage(map[string]any{"title": "Services", "body": "What we do."})
	e.pageAction(services, "publish")
	backend := e.newPage(map[string]any{"title": "Backend", "parent_id": services, "body": "# APIs\n\nAnd databases."})
	e.pageAction(backend, "publish")

	sitemap := map[string]string{}
	for _, it := range e.do(req{Method: "GET", Path: "/api/v1/sitemap"}).list("data") {
		m := it.(map[string]any)
		sitemap[m["type"].(string)+" "+m["slug"].(string)] = m["url"].(string)
	}
	want := map[string]string{
		"post first": "http://localhost:3000/blog/first", "post second": "http://localhost:3000/blog/second",
		"case_study ledger": "http://localhost:3000/case-studies/ledger",
		"page services":     "http://localhost:3000/services", "page backend": "http://localhost:3000/services/backend",
	}
	if diff := cmp.Diff(want, sitemap); diff != "" {
		t.Fatalf("sitemap (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		typ, path string
		fields    []string // every field of the single item
		html      string   // a field that only the single item had before
	}{
		{"post", "/api/v1/posts", []string{"id", "slug", "url", "title", "excerpt", "cover_image", "tags", "author", "reading_time_minutes", "published_at", "featured", "html", "toc", "seo", "word_count", "updated_at"}, "html"},
		{"case_study", "/api/v1/case-studies", []string{"id", "slug", "url", "title", "client", "industry", "duration", "services", "technologies", "summary", "metrics", "cover_image", "logo", "featured", "published_at", "challenge_html", "solution_html", "results_html", "testimonial", "seo", "reading_time_minutes", "updated_at"}, "challenge_html"},
		{"page", "/api/v1/pages", []string{"id", "slug", "url", "title", "excerpt", "path", "parent", "menu_order", "cover_image", "reading_time_minutes", "published_at", "html", "toc", "seo", "word_count", "updated_at"}, "html"},
	} {
		list := e.do(req{Method: "GET", Path: tc.path + "?per_page=100&fields=" + strings.Join(tc.fields, ",")})
		list.want(t, 200, nil)
		items := list.list("data")
		if len(items) == 0 {
			t.Fatalf("%s: no items", tc.path)
		}
		for _, it := range items {
			item := it.(map[string]any)
			slug := item["slug"].(string)
			one := e.do(req{Method: "GET", Path: tc.path + "/" + slug})
			one.want(t, 200, nil)
			if diff := cmp.Diff(one.obj("data"), item); diff != "" {
				t.Errorf("%s: %s in the list differs from its own answer (-own +list):\n%s", tc.path, slug, diff)
			}
			if item[tc.html] == "" {
				t.Errorf("%s: %s has an empty %s", tc.path, slug, tc.html)
			}
			if got, want := item["url"], sitemap[tc.typ+" "+slug]; got != want {
				t.Errorf("%s: %s url = %v, want the sitemap's %s", tc.path, slug, got, want)
			}
		}
		// The plain list item has the address too.
		e.do(req{Method: "GET", Path: tc.path + "?fields=slug,url&per_page=1&sort=title"}).want(t, 200, nil)
		plain := e.do(req{Method: "GET", Path: tc.path + "?per_page=100"})
		for _, it := range plain.list("data") {
			item := it.(map[string]any)
			if got, want := item["url"], sitemap[tc.typ+" "+item["slug"].(string)]; got != want {
				t.Errorf("%s list: %s url = %v, want %s", tc.path, item["slug"], got, want)
			}
		}
	}
	// A field no single item has is still a 400 naming fields.
	e.do(req{Method: "GET", Path: "/api/v1/case-studies?fields=slug,html"}).want(t, 400, map[string]any{"error.details.0.field": "fields"})
	e.do(req{Method: "GET", Path: "/api/v1/posts?fields=slug,body"}).want(t, 400, map[string]any{"error.details.0.field": "fields"})

	// Related posts and search hits carry it too; the admin answers say
	// where an entry will be shown.
	e.do(req{Method: "GET", Path: "/api/v1/posts/first/related"}).
		want(t, 200, map[string]any{"data.0.slug": "second", "data.0.url": "http://localhost:3000/blog/second"})
	for q, wantURL := range map[string]string{
		"q=words&type=post": "", "q=slow": "http://localhost:3000/case-studies/ledger", "q=databases": "http://localhost:3000/services/backend",
	} {
		r := e.do(req{Method: "GET", Path: "/api/v1/search?" + q})
		r.want(t, 200, nil)
		if len(r.list("data")) == 0 {
			t.Fatalf("search ?%s: no hits", q)
		}
		for i := range r.list("data") {
			hit := r.obj(fmt.Sprintf("data.%d", i))
			if got, want := hit["url"], sitemap[hit["type"].(string)+" "+hit["slug"].(string)]; got != want || wantURL != "" && got != wantURL {
				t.Errorf("search ?%s: %s url = %v, want %s", q, hit["slug"], got, want)
			}
		}
	}
	draft, _ := e.createPost(map[string]any{"title": "Not yet"})
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/posts/%d", draft), As: auth.RoleAuthor}).
		want(t, 200, map[string]any{"data.url": "http://localhost:3000/blog/not-yet"})
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/pages/%d", backend), As: auth.RoleAuthor}).
		want(t, 200, map[string]any{"data.url": "http://localhost:3000/services/backend"})
}

// TestPreviewCarriesStatus (issue 19, item 12): a preview answer says
// where each entry stands, in the item, the list (with fields too) and
// related posts; a published answer never does.
func TestPreviewCarriesStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	live := e.publish(map[string]any{"title": "Live", "tags": []string{"Go"}})
	e.createPost(map[string]any{"title": "Draft", "tags": []string{"Go"}})
	_, preview := e.apiToken("preview")
	pv := map[string]string{"Authorization": "Bearer " + preview}

	e.do(req{Method: "GET", Path: "/api/v1/posts/draft?preview=1", Headers: pv}).
		want(t, 200, map[string]any{"data.slug": "draft", "data.status": "draft", "data.published_at": nil})
	e.do(req{Method: "GET", Path: "/api/v1/posts/live?preview=1", Headers: pv}).
		want(t, 200, map[string]any{"data.status": "published", "data.has_unpublished_changes": false})
	// An edit of the live post is its working copy: the preview shows it
	// and says so; the public answer stays the live version.
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/posts/%d", live), As: auth.RoleEditor, Body: map[string]any{"excerpt": "Not live yet", "version": 2}}).
		want(t, 200, map[string]any{"data.has_unpublished_changes": true})
	e.do(req{Method: "GET", Path: "/api/v1/posts/live?preview=1", Headers: pv}).
		want(t, 200, map[string]any{"data.status": "published", "data.has_unpublished_changes": true, "data.excerpt": "Not live yet"})
	e.do(req{Method: "GET", Path: "/api/v1/posts?preview=1&sort=title", Headers: pv}).
		want(t, 200, map[string]any{"data.0.status": "draft", "data.0.has_unpublished_changes": false, "data.1.status": "published", "data.1.has_unpublished_changes": true})
	r := e.do(req{Method: "GET", Path: "/api/v1/posts?preview=1&sort=title&fields=slug", Headers: pv})
	r.want(t, 200, map[string]any{"data": []map[string]any{
		{"slug": "draft", "status": "draft", "has_unpublished_changes": false},
		{"slug": "live", "status": "published", "has_unpublished_changes": true},
	}})
	e.do(req{Method: "GET", Path: "/api/v1/posts/live/related?preview=1", Headers: pv}).
		want(t, 200, map[string]any{"data.0.slug": "draft", "data.0.status": "draft"})

	for _, path := range []string{"/api/v1/posts/live", "/api/v1/posts", "/api/v1/posts?fields=slug"} {
		r := e.do(req{Method: "GET", Path: path})
		if strings.Contains(string(r.Body), `"status"`) || strings.Contains(string(r.Body), `"has_unpublished_changes"`) || strings.Contains(string(r.Body), "Not live yet") {
			t.Errorf("%s, not a preview, says a status or shows the working copy: %s", path, r.Body)
		}
	}
}

// TestEmptyIsNull (issue 19, item 13): an optional value that is not set
// is null in every public answer, never "" (seo.canonical_url, a cover's
// alt text, a case study's client…). Only rendered or derived text, which
// is there but may be empty (html of an empty body), stays a string.
func TestEmptyIsNull(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(map[string]any{"title": "Sparse", "body": "Words.", "cover_image": map[string]any{"url": "https://img.example.com/a.png", "alt": "A"}})
	e.publishStudy(map[string]any{"title": "Bare study", "challenge": "Hard.", "testimonial": map[string]any{"quote": "Good.", "author": "Ann", "role": ""}})
	page := e.newPage(map[string]any{"title": "Bare page", "body": "Text."})
	e.pageAction(page, "publish")
	derived := map[string]bool{"excerpt": true, "html": true, "challenge_html": true, "solution_html": true, "results_html": true, "snippet": true}
	var walk func(path string, v any, key string)
	walk = func(path string, v any, key string) {
		switch x := v.(type) {
		case string:
			if x == "" && !derived[key] {
				t.Errorf("%s: %q is \"\", want null", path, key)
			}
		case map[string]any:
			for k, c := range x {
				walk(path, c, k)
			}
		case []any:
			for _, c := range x {
				walk(path, c, key)
			}
		}
	}
	for _, path := range []string{
		"/api/v1/posts", "/api/v1/posts/sparse", "/api/v1/case-studies", "/api/v1/case-studies/bare-study", "/api/v1/pages",
		"/api/v1/pages/bare-page", "/api/v1/search?q=bare", "/api/v1/sitemap", "/api/v1/tags", "/api/v1/settings", "/api/v1/redirects",
		"/api/v1/posts?fields=" + strings.Join([]string{"slug", "seo", "cover_image", "html"}, ","),
		"/api/v1/case-studies?fields=slug,client,industry,duration,summary,testimonial,seo",
	} {
		r := e.do(req{Method: "GET", Path: path})
		r.want(t, 200, nil)
		walk(path, r.JSON, "")
	}
	e.do(req{Method: "GET", Path: "/api/v1/case-studies/bare-study"}).want(t, 200, map[string]any{
		"data.client": nil, "data.industry": nil, "data.duration": nil, "data.summary": nil, "data.testimonial.role": nil,
		"data.seo": map[string]any{"meta_title": nil, "meta_description": nil, "canonical_url": nil, "og_image": nil},
	})
}

// TestExternalImageSize (issue 19, item 14): an external image may be
// given its width and height, returned as given; both or neither, and
// never for a media item (which has its own).
func TestExternalImageSize(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cover := map[string]any{"url": "https://img.example.com/a.png", "alt": "A", "width": 1200, "height": 630}
	e.publish(map[string]any{"title": "Sized", "cover_image": cover})
	e.do(req{Method: "GET", Path: "/api/v1/posts/sized"}).want(t, 200, map[string]any{"data.cover_image": map[string]any{
		"url": "https://img.example.com/a.png", "alt": "A", "width": 1200, "height": 630, "variants": []any{}, "media_id": nil}})
	e.do(req{Method: "GET", Path: "/api/v1/posts?fields=cover_image"}).want(t, 200, map[string]any{"data.0.cover_image.width": 1200, "data.0.cover_image.height": 630})
	id, _ := e.createPost(map[string]any{"title": "Unsized", "cover_image": map[string]any{"url": "https://img.example.com/b.png", "alt": "B"}})
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.cover_image.width": nil, "data.cover_image.height": nil})
	for _, bad := range []struct {
		img   map[string]any
		field string
	}{
		{map[string]any{"url": "https://img.example.com/a.png", "alt": "A", "width": 1200}, "cover_image"},
		{map[string]any{"url": "https://img.example.com/a.png", "alt": "A", "width": -1, "height": 5}, "cover_image.width"},
		{map[string]any{"url": "https://img.example.com/a.png", "alt": "A", "width": 5, "height": 100_001}, "cover_image.height"},
		{map[string]any{"media_id": 1, "alt": "A", "width": 5, "height": 5}, "cover_image"},
	} {
		e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "Bad", "cover_image": bad.img}, OffSpec: true}).
			want(t, 422, map[string]any{"error.details.0.field": bad.field})
	}
}
