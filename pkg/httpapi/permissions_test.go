package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/folio-cms/folio/pkg/auth"
)

// TestPermissionMatrix calls every admin route as every role. The allowed
// roles are written here from the description of each role, not
// taken from the permission table, so the table is what is being checked.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	const all = "admin editor marketer author"
	tests := []struct {
		method, path string
		body         any
		allowed      string // roles that succeed; the others get 403
		okStatus     int
	}{
		{"GET", "/api/v1/auth/me", nil, all, 200},
		{"POST", "/api/v1/admin/preview", map[string]string{"markdown": "# x"}, all, 200},
		{"GET", "/api/v1/admin/config", nil, all, 200},

		{"GET", "/api/v1/admin/posts", nil, all, 200},
		{"POST", "/api/v1/admin/posts", map[string]any{"title": "New"}, "admin editor author", 201},
		{"GET", "/api/v1/admin/posts/{post}", nil, all, 200},
		{"PUT", "/api/v1/admin/posts/{post}", map[string]any{"title": "Edited", "version": 1}, "admin editor", 200},
		{"POST", "/api/v1/admin/posts/{post}/publish", nil, "admin editor", 200},
		{"POST", "/api/v1/admin/posts/{published}/unpublish", nil, "admin editor", 200},
		{"DELETE", "/api/v1/admin/posts/{post}", nil, "admin editor", 204},

		{"GET", "/api/v1/admin/case-studies", nil, "admin editor marketer", 200},
		{"POST", "/api/v1/admin/case-studies", map[string]any{"title": "New"}, "admin editor marketer", 201},
		{"GET", "/api/v1/admin/case-studies/{study}", nil, "admin editor marketer", 200},
		{"PUT", "/api/v1/admin/case-studies/{study}", map[string]any{"title": "Edited", "version": 1}, "admin editor marketer", 200},
		{"POST", "/api/v1/admin/case-studies/{study}/publish", nil, "admin editor marketer", 200},
		{"POST", "/api/v1/admin/case-studies/{publishedStudy}/unpublish", nil, "admin editor marketer", 200},
		{"DELETE", "/api/v1/admin/case-studies/{study}", nil, "admin editor marketer", 204},

		{"GET", "/api/v1/admin/users", nil, "admin", 200},
		{"POST", "/api/v1/admin/users", map[string]any{"email": "new-{role}@example.com", "role": "author", "password": "a sturdy passphrase"}, "admin", 201},
		{"GET", "/api/v1/admin/users/{user}", nil, "admin", 200},
		{"PATCH", "/api/v1/admin/users/{user}", map[string]any{"name": "Renamed"}, "admin", 200},
		{"DELETE", "/api/v1/admin/users/{user}", nil, "admin", 204},
		{"GET", "/api/v1/admin/tokens", nil, "admin", 200},
		{"POST", "/api/v1/admin/tokens", map[string]any{"name": "site", "scope": "content"}, "admin", 201},
		{"DELETE", "/api/v1/admin/tokens/{token}", nil, "admin", 204},
		{"GET", "/api/v1/admin/audit", nil, "admin", 200},

		{"GET", "/api/v1/admin/webhooks", nil, "admin", 200},
		{"POST", "/api/v1/admin/webhooks", map[string]any{"name": "site", "url": publicHookURL, "events": []string{"*"}}, "admin", 201},
		{"GET", "/api/v1/admin/webhooks/{webhook}", nil, "admin", 200},
		{"PATCH", "/api/v1/admin/webhooks/{webhook}", map[string]any{"name": "Renamed"}, "admin", 200},
		{"DELETE", "/api/v1/admin/webhooks/{webhook}", nil, "admin", 204},
		{"GET", "/api/v1/admin/webhooks/{webhook}/deliveries", nil, "admin", 200},
		{"POST", "/api/v1/admin/webhooks/{webhook}/ping", nil, "admin", 202},
		{"POST", "/api/v1/admin/webhooks/{webhook}/deliveries/{delivery}/redeliver", nil, "admin", 202},
	}
	for _, tt := range tests {
		for _, role := range auth.Roles {
			t.Run(fmt.Sprintf("%s %s as %s", tt.method, tt.path, role), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t) // fresh records per case: deletes and publishes don't interfere
				path, body := e.fixtures(tt.path, tt.body, role)
				r := e.do(req{Method: tt.method, Path: path, Body: body, As: role})
				if strings.Contains(" "+tt.allowed+" ", " "+string(role)+" ") {
					r.want(t, tt.okStatus, nil)
				} else {
					r.want(t, http.StatusForbidden, map[string]any{"error.code": "forbidden"})
				}
				if got := r.Header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control = %q, want no-store", got)
				}
			})
		}
		// Anonymous callers are always asked to sign in.
		t.Run(tt.method+" "+tt.path+" anonymously", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			path, body := e.fixtures(tt.path, tt.body, "anon")
			e.do(req{Method: tt.method, Path: path, Body: body}).want(t, 401, nil)
		})
	}
}

// fixtures creates the records a path names and fills in the placeholders.
func (e *env) fixtures(path string, body any, role auth.Role) (string, any) {
	e.t.Helper()
	repl := map[string]string{}
	if strings.Contains(path, "{post}") {
		id, _ := e.createPost(map[string]any{"title": "A post"})
		repl["{post}"] = fmt.Sprint(id)
	}
	if strings.Contains(path, "{published}") {
		id, _ := e.createPost(map[string]any{"title": "A live post"})
		e.publishPost(id)
		repl["{published}"] = fmt.Sprint(id)
	}
	if strings.Contains(path, "{study}") || strings.Contains(path, "{publishedStudy}") {
		id, _ := e.createCaseStudy(map[string]any{"title": "A study"})
		repl["{study}"] = fmt.Sprint(id)
		if strings.Contains(path, "{publishedStudy}") {
			e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/case-studies/%d/publish", id), As: auth.RoleEditor}).want(e.t, 200, nil)
			repl["{publishedStudy}"] = fmt.Sprint(id)
		}
	}
	if strings.Contains(path, "{user}") {
		u, _ := e.newUser(auth.RoleAuthor)
		repl["{user}"] = fmt.Sprint(u.ID)
	}
	if strings.Contains(path, "{token}") {
		r := e.do(req{Method: "POST", Path: "/api/v1/admin/tokens", As: auth.RoleAdmin, Body: map[string]string{"name": "t", "scope": "content"}})
		repl["{token}"] = fmt.Sprint(r.num("data.id"))
	}
	if strings.Contains(path, "{webhook}") {
		r := e.do(req{Method: "POST", Path: "/api/v1/admin/webhooks", As: auth.RoleAdmin,
			Body: map[string]any{"name": "site", "url": publicHookURL, "events": []string{"*"}}})
		repl["{webhook}"] = fmt.Sprint(r.num("data.id"))
		if strings.Contains(path, "{delivery}") {
			p := e.do(req{Method: "POST", Path: "/api/v1/admin/webhooks/" + repl["{webhook}"] + "/ping", As: auth.RoleAdmin})
			repl["{delivery}"] = fmt.Sprint(p.num("data.id"))
		}
	}
	for k, v := range repl {
		path = strings.ReplaceAll(path, k, v)
	}
	if m, ok := body.(map[string]any); ok {
		if email, ok := m["email"].(string); ok {
			c := map[string]any{}
			for k, v := range m {
				c[k] = v
			}
			c["email"] = strings.ReplaceAll(email, "{role}", string(role))
			body = c
		}
	}
	return path, body
}

// TestAuthorsOwnPosts: authors edit and submit their own drafts only, and
// not once they are published.
func TestAuthorsOwnPosts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mine := e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleAuthor, Body: map[string]any{"title": "Mine"}})
	mine.want(t, 201, map[string]any{"data.author.id": e.users[auth.RoleAuthor].ID})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", mine.num("data.id"))
	e.do(req{Method: "PUT", Path: path, As: auth.RoleAuthor, Body: map[string]any{"title": "Mine, edited", "version": 1}}).want(t, 200, nil)
	theirs, _ := e.createPost(map[string]any{"title": "Theirs"})
	e.do(req{Method: "PUT", Path: fmt.Sprintf("/api/v1/admin/posts/%d", theirs), As: auth.RoleAuthor, Body: map[string]any{"title": "x", "version": 1}}).
		want(t, 403, map[string]any{"error.code": "forbidden"})
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleAuthor}).want(t, 403, nil)
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleEditor}).want(t, 200, nil)
	e.do(req{Method: "PUT", Path: path, As: auth.RoleAuthor, Body: map[string]any{"title": "Sneaky edit", "version": 3}}).want(t, 403, nil)
	e.do(req{Method: "DELETE", Path: path, As: auth.RoleAuthor}).want(t, 403, nil)
	// A marketer reads posts but cannot change them.
	e.do(req{Method: "GET", Path: path, As: auth.RoleMarketer}).want(t, 200, nil)
	e.do(req{Method: "PUT", Path: path, As: auth.RoleMarketer, Body: map[string]any{"title": "x", "version": 3}}).want(t, 403, nil)
}

// TestPathVariantsKeepTheirCheck: every spelling of an admin path that
// reaches a route also reaches its permission check.
func TestPathVariantsKeepTheirCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	variants := []string{
		"/api/v1/admin/users", "/api/v1/admin/users/", "/API/V1/ADMIN/USERS", "/Api/v1/Admin/Users/",
		"//api/v1/admin/users", "/api//v1/admin/users", "/api/v1/admin/%75sers", "/api/v1/%61dmin/users",
		"/api/v1/admin/users/.", "/api/v1/admin/./users", "/api/v1/admin/posts/../users", "/api/v1/admin/users%2F",
		"/api/v1/admin/users?x=1", "/api/v1/admin/users;x=1", "/api/v1/admin/users%00",
	}
	for _, v := range variants {
		for _, role := range []auth.Role{auth.RoleEditor, auth.RoleMarketer, auth.RoleAuthor} {
			r := e.do(req{Method: "GET", Path: v, As: role, OffSpec: true})
			if r.Status == 200 || r.Status/100 == 5 {
				t.Errorf("GET %s as %s = %d; a non-admin must never list users: %s", v, role, r.Status, r.Body)
			}
		}
		if r := e.do(req{Method: "GET", Path: v, OffSpec: true}); r.Status == 200 {
			t.Errorf("GET %s anonymously = 200", v)
		}
	}
}
