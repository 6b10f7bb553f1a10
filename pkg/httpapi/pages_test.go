package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/webhook/webhooktest"
)

// newPage creates a page as an editor and returns its id.
func (e *env) newPage(body map[string]any) int {
	e.t.Helper()
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/pages", As: auth.RoleEditor, Body: body})
	r.want(e.t, 201, nil)
	return r.num("data.id")
}

func (e *env) pageAction(id int, action string) {
	e.t.Helper()
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/pages/%d/%s", id, action), As: auth.RoleEditor}).want(e.t, 200, nil)
}

// TestPageParents: a page's parent must be another page, not in the trash,
// not below it; its path comes from its parents' slugs, and the public
// never sees the slug of a parent it can't see.
func TestPageParents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	services := e.newPage(map[string]any{"title": "Services", "body": "What we do."})
	backend := e.newPage(map[string]any{"title": "Backend", "parent_id": services, "menu_order": 2})
	apis := e.newPage(map[string]any{"title": "APIs", "parent_id": backend})
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/pages/%d", apis), As: auth.RoleAuthor}).
		want(t, 200, map[string]any{"data.path": "/services/backend/apis", "data.parent_id": backend})

	invalid := func(id int, parent any, message string) {
		t.Helper()
		r := e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/pages/%d", id), As: auth.RoleEditor})
		e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/pages/%d", id), As: auth.RoleEditor,
			Body: map[string]any{"version": r.num("data.version"), "parent_id": parent}}).
			want(t, 422, map[string]any{"error.code": "validation_failed", "error.details": []map[string]string{{"field": "parent_id", "message": message}}})
	}
	invalid(services, apis, `would make a cycle: page "apis" is below this page`)
	invalid(services, services, "must not be the page itself")
	invalid(services, 9999, "no page has id 9999")
	post := e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "A post"}})
	invalid(services, post.num("data.id"), fmt.Sprintf("no page has id %d", post.num("data.id")))
	e.do(req{Method: "POST", Path: "/api/v1/admin/pages", As: auth.RoleEditor, Body: map[string]any{"title": "Bad", "parent_id": 0}}).
		want(t, 422, map[string]any{"error.details.0.field": "parent_id"})

	// Published children of a draft parent: the public path leaves it out.
	e.pageAction(backend, "publish")
	e.pageAction(apis, "publish")
	e.do(req{Method: "GET", Path: "/api/v1/pages/apis"}).want(t, 200, map[string]any{"data.path": "/backend/apis", "data.parent": "backend"})
	e.do(req{Method: "GET", Path: "/api/v1/pages/backend"}).want(t, 200, map[string]any{"data.path": "/backend", "data.parent": nil})
	e.do(req{Method: "GET", Path: "/api/v1/pages/services"}).want(t, 404, map[string]any{"error.code": "not_found"})
	e.pageAction(services, "publish")
	e.do(req{Method: "GET", Path: "/api/v1/pages/apis"}).want(t, 200, map[string]any{"data.path": "/services/backend/apis"})

	// Lists: by menu order, then title; ?parent= the children of a page.
	e.newPage(map[string]any{"title": "Advisory", "parent_id": services, "menu_order": 1})
	about := e.newPage(map[string]any{"title": "About"})
	e.pageAction(about, "publish")
	e.do(req{Method: "GET", Path: "/api/v1/pages?fields=slug,path"}).want(t, 200, map[string]any{"data": []map[string]string{
		{"slug": "about", "path": "/about"}, {"slug": "apis", "path": "/services/backend/apis"}, {"slug": "services", "path": "/services"},
		{"slug": "backend", "path": "/services/backend"}}})
	e.do(req{Method: "GET", Path: "/api/v1/pages?parent=services&fields=slug"}).want(t, 200, map[string]any{"data": []map[string]string{{"slug": "backend"}}})
	e.do(req{Method: "GET", Path: "/api/v1/pages?sort=-menu_order&fields=slug"}).want(t, 200, map[string]any{"data.0.slug": "backend"})
	e.do(req{Method: "GET", Path: "/api/v1/pages?tag=x"}).want(t, 400, nil)

	// A page in the trash can't be a parent; purging a parent makes its
	// children top-level.
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/pages/%d", about), As: auth.RoleEditor}).want(t, 204, nil)
	invalid(backend, about, "is in the trash: restore it first, or choose another parent")
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/pages/%d?permanent=1", services), As: auth.RoleAdmin}).want(t, 204, nil)
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/pages/%d", backend), As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.parent_id": nil, "data.path": "/backend"})
}

// TestPageRoles: editors, admins and marketers manage pages; authors read them.
func TestPageRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, role := range []auth.Role{auth.RoleAdmin, auth.RoleEditor, auth.RoleMarketer} {
		r := e.do(req{Method: "POST", Path: "/api/v1/admin/pages", As: role, Body: map[string]any{"title": "By " + string(role)}})
		r.want(t, 201, map[string]any{"data.status": "draft"})
		e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/pages/%d/publish", r.num("data.id")), As: role}).want(t, 200, map[string]any{"data.status": "published"})
	}
	e.do(req{Method: "POST", Path: "/api/v1/admin/pages", As: auth.RoleAuthor, Body: map[string]any{"title": "No"}}).want(t, 403, map[string]any{"error.code": "forbidden"})
	e.do(req{Method: "POST", Path: "/api/v1/admin/pages/1/unpublish", As: auth.RoleAuthor}).want(t, 403, map[string]any{"error.code": "forbidden"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/pages", As: auth.RoleAuthor}).want(t, 200, map[string]any{"meta.total": 3})
}

// TestPageEvents: pages send page.* webhooks with their address from the path.
func TestPageEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t, localHooks, func(c *configT) { c.PagePath = "/site{path}" })
	rc := webhooktest.New(t, nil)
	e.addHook(rc.URL, "page.published", "page.updated", "page.deleted")
	parent := e.newPage(map[string]any{"title": "Services"})
	child := e.newPage(map[string]any{"title": "Backend", "parent_id": parent})
	e.pageAction(child, "publish")
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/pages/%d", child), As: auth.RoleEditor, Body: map[string]any{"version": 2, "parent_id": nil}}).want(t, 200, nil)
	e.pageAction(child, "publish")
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/pages/%d", child), As: auth.RoleEditor}).want(t, 204, nil)
	got := rc.Wait(t, 3)
	want := []string{
		fmt.Sprintf("page.published %d http://localhost:3000/site/services/backend ", child),
		fmt.Sprintf("page.updated %d http://localhost:3000/site/backend http://localhost:3000/site/services/backend", child),
		fmt.Sprintf("page.deleted %d http://localhost:3000/site/backend ", child),
	}
	for i, g := range got {
		p := g.Payload(t)
		if s := fmt.Sprintf("%s %d %s %s", p.Event, p.Data.ID, p.Data.URL, p.Data.PreviousURL); s != want[i] {
			t.Errorf("event %d: %s, want %s", i, s, want[i])
		}
	}
}

// TestPageRedirects: a published page's old slug redirects, publicly and
// in /api/v1/redirects by its old path.
func TestPageRedirects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	parent := e.newPage(map[string]any{"title": "Services"})
	child := e.newPage(map[string]any{"title": "Backend", "parent_id": parent})
	e.pageAction(parent, "publish")
	e.pageAction(child, "publish")
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/pages/%d", child), As: auth.RoleEditor, Body: map[string]any{"version": 2, "slug": "apis"}}).want(t, 200, nil)
	e.pageAction(child, "publish")
	r := e.do(req{Method: "GET", Path: "/api/v1/pages/backend"})
	r.want(t, 301, map[string]any{"data.slug": "apis", "data.location": "/api/v1/pages/apis"})
	e.do(req{Method: "GET", Path: "/api/v1/redirects"}).want(t, 200, map[string]any{"data": []map[string]any{
		{"from": "/services/backend", "to": "/services/apis", "status": 301, "type": "page"}}})
}

// TestPagePreviewAndCaching: pages answer with ETags and 304s like posts;
// a preview token shows a draft page, with its draft parent in its path,
// and such answers are never cached.
func TestPagePreviewAndCaching(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	parent := e.newPage(map[string]any{"title": "Company"})
	child := e.newPage(map[string]any{"title": "Careers", "parent_id": parent})
	e.pageAction(child, "publish")
	r := e.do(req{Method: "GET", Path: "/api/v1/pages/careers"})
	r.want(t, 200, map[string]any{"data.path": "/careers"})
	etag := r.Header.Get("ETag")
	if etag == "" || r.Header.Get("Cache-Control") != "public, max-age=60, stale-while-revalidate=600" {
		t.Fatalf("ETag %q, Cache-Control %q", etag, r.Header.Get("Cache-Control"))
	}
	if nm := e.do(req{Method: "GET", Path: "/api/v1/pages/careers", Headers: map[string]string{"If-None-Match": etag}}); nm.Status != 304 || len(nm.Body) != 0 {
		t.Errorf("If-None-Match: %d %q", nm.Status, nm.Body)
	}
	e.do(req{Method: "GET", Path: "/api/v1/pages/company"}).want(t, 404, map[string]any{"error.code": "not_found"})
	_, preview := e.apiToken("preview")
	bearer := map[string]string{"Authorization": "Bearer " + preview}
	p := e.do(req{Method: "GET", Path: "/api/v1/pages/careers?preview=1", Headers: bearer})
	p.want(t, 200, map[string]any{"data.path": "/company/careers", "data.parent": "company"})
	if p.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("preview Cache-Control = %q", p.Header.Get("Cache-Control"))
	}
	e.do(req{Method: "GET", Path: "/api/v1/pages/company?preview=1", Headers: bearer}).want(t, 200, map[string]any{"data.title": "Company"})
	// Publishing the parent changes the child's public path, and so its ETag.
	e.pageAction(parent, "publish")
	again := e.do(req{Method: "GET", Path: "/api/v1/pages/careers", Headers: map[string]string{"If-None-Match": etag}})
	again.want(t, 200, map[string]any{"data.path": "/company/careers"})
}
