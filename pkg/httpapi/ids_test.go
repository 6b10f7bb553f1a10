package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/folio-cms/folio/pkg/auth"
)

// TestIDsAreNeverHandedOutTwice: after the newest record of a kind is
// deleted for good, the next one gets a new id, never the purged one's, so
// the audit log, webhook consumers and caches keyed on ids never see two
// records under one id.
func TestIDsAreNeverHandedOutTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, localHooks)
	kinds := []struct {
		name         string
		create       func(n int) *resp
		path         string // the item, by id
		deleteSuffix string
		wantCreated  int
		auditType    string
	}{
		{"post", func(n int) *resp {
			return e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": fmt.Sprintf("Post %d", n)}})
		}, "/api/v1/admin/posts/%d", "?permanent=1", 201, "post"},
		{"case study", func(n int) *resp {
			return e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleEditor, Body: map[string]any{"title": fmt.Sprintf("Study %d", n)}})
		}, "/api/v1/admin/case-studies/%d", "?permanent=1", 201, "case_study"},
		{"user", func(n int) *resp {
			return e.do(req{Method: "POST", Path: "/api/v1/admin/users", As: auth.RoleAdmin, Body: map[string]any{"email": fmt.Sprintf("u%d@example.com", n), "role": "author", "password": "a sturdy passphrase here"}})
		}, "/api/v1/admin/users/%d", "", 201, "user"},
		{"webhook", func(n int) *resp {
			return e.do(req{Method: "POST", Path: "/api/v1/admin/webhooks", As: auth.RoleAdmin, Body: map[string]any{"name": fmt.Sprintf("hook %d", n), "url": "http://127.0.0.1:9/never", "events": []string{"media.deleted"}}})
		}, "/api/v1/admin/webhooks/%d", "", 201, "webhook"},
		{"api token", func(n int) *resp {
			return e.do(req{Method: "POST", Path: "/api/v1/admin/tokens", As: auth.RoleAdmin, Body: map[string]string{"name": fmt.Sprintf("token %d", n), "scope": "content"}})
		}, "/api/v1/admin/tokens/%d", "", 201, "api_token"},
		{"media", func(n int) *resp {
			return e.upload(auth.RoleEditor, "pic.png", pngBytes(10+n, 10), nil)
		}, "/api/v1/admin/media/%d", "", 201, "media"},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			first := k.create(1)
			first.want(t, k.wantCreated, nil)
			id := first.num("data.id")
			e.do(req{Method: "DELETE", Path: fmt.Sprintf(k.path, id) + k.deleteSuffix, As: auth.RoleAdmin}).want(t, 204, nil)
			second := k.create(2)
			second.want(t, k.wantCreated, nil)
			if got := second.num("data.id"); got == id {
				t.Fatalf("the new %s got id %d again, the id of the one deleted for good", k.name, got)
			} else if got != id+1 {
				t.Errorf("the new %s got id %d, want %d (the next never used)", k.name, got, id+1)
			}
			// The audit log tells the two apart.
			log := e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/audit?record_type=%s&record_id=%d", k.auditType, id), As: auth.RoleAdmin})
			log.want(t, 200, nil)
			for _, it := range log.list("data") {
				if it.(map[string]any)["record_id"].(float64) != float64(id) {
					t.Errorf("audit entry for another record: %v", it)
				}
			}
			if n := len(log.list("data")); n != 2 { // created, deleted
				t.Errorf("audit log for %s %d has %d entries, want 2 (create and delete): %s", k.name, id, n, log.Body)
			}
		})
	}
}
