package httpapi_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
)

func (e *env) apiToken(scope string) (int, string) {
	e.t.Helper()
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/tokens", As: auth.RoleAdmin, Body: map[string]string{"name": "Frontend " + scope, "scope": scope}})
	r.want(e.t, 201, map[string]any{"data.scope": scope})
	return r.num("data.id"), r.str("data.token")
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.PublicAPI = config.PublicToken })
	live, _ := e.createPost(map[string]any{"title": "Live"})
	e.publishPost(live)
	e.createPost(map[string]any{"title": "Draft"})

	// Token mode: no token, no content.
	e.do(req{Method: "GET", Path: "/api/v1/posts"}).want(t, 401, map[string]any{"error.code": "api_token_required"})
	e.do(req{Method: "GET", Path: "/api/v1/tags"}).want(t, 401, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts", Headers: map[string]string{"Authorization": "Bearer folio_wrong"}}).want(t, 401, map[string]any{"error.code": "invalid_api_token"})
	// An admin's access token is not an API token.
	e.do(req{Method: "GET", Path: "/api/v1/posts", As: auth.RoleAdmin}).want(t, 401, nil)

	id, secret := e.apiToken("content")
	if !strings.HasPrefix(secret, "folio_") || len(secret) < 40 {
		t.Fatalf("token %q", secret)
	}
	bearer := map[string]string{"Authorization": "Bearer " + secret}
	e.do(req{Method: "GET", Path: "/api/v1/posts", Headers: bearer}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: "/api/v1/posts?key=" + secret}).want(t, 200, map[string]any{"meta.total": 1})
	// A content token cannot preview, and says so rather than answering
	// published content as if it were the preview.
	for _, path := range []string{"/api/v1/posts?preview=1", "/api/v1/posts/draft?preview=1", "/api/v1/posts/live/related?preview=1", "/api/v1/tags?preview=1&key=" + secret} {
		h := bearer
		if strings.Contains(path, "key=") {
			h = nil
		}
		r := e.do(req{Method: "GET", Path: path, Headers: h})
		r.want(t, 403, map[string]any{"error.code": "preview_not_allowed"})
		if strings.Contains(string(r.Body), "Draft") {
			t.Errorf("%s: the refusal shows the draft: %s", path, r.Body)
		}
	}
	e.do(req{Method: "GET", Path: "/api/v1/posts?preview=0", Headers: bearer}).want(t, 200, map[string]any{"meta.total": 1})

	// The list never shows the secret; it shows when the token was last used.
	list := e.do(req{Method: "GET", Path: "/api/v1/admin/tokens", As: auth.RoleAdmin})
	list.want(t, 200, map[string]any{"data.0.id": id, "data.0.name": "Frontend content"})
	if strings.Contains(string(list.Body), secret) || strings.Contains(string(list.Body), `"token"`) {
		t.Errorf("token list shows the secret: %s", list.Body)
	}
	if list.obj("data.0")["last_used_at"] == nil {
		t.Errorf("last_used_at not recorded: %s", list.Body)
	}
	// Revoked: it stops working at once.
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/tokens/%d", id), As: auth.RoleAdmin}).want(t, 204, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts", Headers: bearer}).want(t, 401, nil)
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/tokens/%d", id), As: auth.RoleAdmin}).want(t, 404, nil)

	// Validation.
	e.do(req{Method: "POST", Path: "/api/v1/admin/tokens", As: auth.RoleAdmin, Body: map[string]string{"name": "", "scope": "admin"}}).
		want(t, 422, map[string]any{"error.details.0.field": "name", "error.details.1.field": "scope"})
}

func TestPreviewTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t) // open mode
	live, _ := e.createPost(map[string]any{"title": "Live"})
	e.publishPost(live)
	e.createPost(map[string]any{"title": "Draft"})
	_, preview := e.apiToken("preview")
	pv := map[string]string{"Authorization": "Bearer " + preview}

	// Open mode: anyone reads published content; ?preview=1 without a
	// token is refused (a 401 that says what is missing), not answered
	// with the published content as if it were a preview.
	e.do(req{Method: "GET", Path: "/api/v1/posts?preview=1"}).want(t, 401, map[string]any{"error.code": "preview_token_required"})
	e.do(req{Method: "GET", Path: "/api/v1/posts/draft?preview=1"}).want(t, 401, map[string]any{"error.code": "preview_token_required"})
	e.do(req{Method: "GET", Path: "/api/v1/posts?preview=0"}).want(t, 200, map[string]any{"meta.total": 1})
	// A preview token without ?preview=1 also changes nothing.
	e.do(req{Method: "GET", Path: "/api/v1/posts", Headers: pv}).want(t, 200, map[string]any{"meta.total": 1})
	// Both together show drafts, and the answer must not be cached by anyone.
	r := e.do(req{Method: "GET", Path: "/api/v1/posts/draft?preview=1", Headers: pv})
	r.want(t, 200, map[string]any{"data.title": "Draft", "data.published_at": nil})
	if got := r.Header.Get("Cache-Control"); got != "private, no-store" {
		t.Errorf("preview Cache-Control = %q, want private, no-store", got)
	}
	if !strings.Contains(r.Header.Get("Vary"), "Authorization") {
		t.Errorf("Vary = %q, want Authorization", r.Header.Get("Vary"))
	}
	e.do(req{Method: "GET", Path: "/api/v1/posts?preview=1", Headers: pv}).want(t, 200, map[string]any{"meta.total": 2})
	e.do(req{Method: "GET", Path: "/api/v1/posts?preview=1&key=" + preview}).want(t, 200, map[string]any{"meta.total": 2})
	// related and tags honour the preview too: a draft's related posts, and
	// the tags only drafts carry.
	e.createPost(map[string]any{"title": "Draft sibling", "tags": []string{"Unreleased"}})
	e.createPost(map[string]any{"title": "Tagged draft", "tags": []string{"Unreleased"}})
	e.do(req{Method: "GET", Path: "/api/v1/posts/tagged-draft/related?preview=1", Headers: pv}).
		want(t, 200, map[string]any{"data.0.slug": "draft-sibling"})
	e.do(req{Method: "GET", Path: "/api/v1/posts/tagged-draft/related"}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/tags?preview=1", Headers: pv}).
		want(t, 200, map[string]any{"data": []map[string]any{{"slug": "unreleased", "name": "Unreleased", "post_count": 2}}})
	e.do(req{Method: "GET", Path: "/api/v1/tags"}).want(t, 200, map[string]any{"data": []map[string]any{}})
}

func TestAuditLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "Audited"})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Audited 2", "version": 1}}).want(t, 200, nil)
	e.publishPost(id)
	// A failed write leaves no audit entry.
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Audited 3", "version": 1}}).want(t, 409, nil)
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "", "version": 3}}).want(t, 422, nil)

	r := e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/audit?record_type=post&record_id=%d", id), As: auth.RoleAdmin})
	r.want(t, 200, map[string]any{"meta.total": 3, "data.0.action": "post.publish", "data.1.action": "post.update", "data.2.action": "post.create"})
	editor := e.users[auth.RoleEditor]
	r.want(t, 200, map[string]any{"data.0.user_id": editor.ID, "data.0.actor": editor.Email, "data.0.record_id": id, "data.0.ip": "0.0.0.0"})

	e.do(req{Method: "POST", Path: "/api/v1/admin/users", As: auth.RoleAdmin, Body: map[string]any{"email": "new@example.com", "role": "author", "password": "a sturdy passphrase"}}).want(t, 201, nil)
	admin := e.users[auth.RoleAdmin]
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/audit?user=%d", admin.ID), As: auth.RoleAdmin}).
		want(t, 200, map[string]any{"meta.total": 1, "data.0.action": "user.create", "data.0.details.email": "new@example.com"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/audit?record_id=3", As: auth.RoleAdmin}).want(t, 400, map[string]any{"error.code": "invalid_parameter"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/audit?user=abc", As: auth.RoleAdmin}).want(t, 400, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/audit", As: auth.RoleEditor}).want(t, 403, nil)
}

func TestGhostContentKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.PublicAPI = config.PublicToken })
	live, _ := e.createPost(map[string]any{"title": "Live"})
	e.publishPost(live)

	r := e.do(req{Method: "POST", Path: "/api/v1/admin/tokens", As: auth.RoleAdmin, Body: map[string]string{"name": "Ghost starter", "scope": "content", "format": "ghost"}})
	r.want(t, 201, map[string]any{"data.format": "ghost", "data.scope": "content"})
	key := r.str("data.token")
	if !regexp.MustCompile(`^[0-9a-f]{26}$`).MatchString(key) {
		t.Fatalf("a Ghost content key is 26 hex characters (Ghost's client checks): %q", key)
	}
	if r.str("data.prefix") != key[:6] {
		t.Errorf("prefix %q, want the key's first 6 characters", r.str("data.prefix"))
	}
	// It works on Folio's own public API, as ?key= and as a bearer token.
	e.do(req{Method: "GET", Path: "/api/v1/posts?key=" + key}).want(t, 200, map[string]any{"meta.total": 1, "data.0.slug": "live"})
	e.do(req{Method: "GET", Path: "/api/v1/posts", Headers: map[string]string{"Authorization": "Bearer " + key}}).want(t, 200, map[string]any{"meta.total": 1})
	// A key of the same shape that was never issued is refused.
	e.do(req{Method: "GET", Path: "/api/v1/posts?key=0123456789abcdef0123456789"}).want(t, 401, map[string]any{"error.code": "invalid_api_token"})

	// The list tells the formats apart; a folio token stays folio.
	e.apiToken("content")
	list := e.do(req{Method: "GET", Path: "/api/v1/admin/tokens", As: auth.RoleAdmin})
	list.want(t, 200, map[string]any{"data.0.format": "folio", "data.1.format": "ghost", "data.1.name": "Ghost starter"})
	if strings.Contains(string(list.Body), key) {
		t.Errorf("the list shows the key: %s", list.Body)
	}
	e.do(req{Method: "POST", Path: "/api/v1/admin/tokens", As: auth.RoleAdmin, Body: map[string]string{"name": "x", "scope": "content", "format": "jwt"}}).
		want(t, 422, map[string]any{"error.details.0.field": "format"})
}
