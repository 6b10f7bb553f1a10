package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/folio-cms/folio/pkg/auth"
)

// TestCaseStudyDuration: a case study's duration is free text of at most 60
// characters, kept through saves and shown publicly and in the admin.
func TestCaseStudyDuration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	long := strings.Repeat("é", 61)
	e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleMarketer,
		Body: map[string]any{"title": "Too long", "duration": long}}).
		want(t, 422, map[string]any{"error.code": "validation_failed", "error.details": []map[string]string{{"field": "duration", "message": "must be at most 60 characters"}}})

	r := e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleMarketer,
		Body: map[string]any{"title": "Timed", "client": "Acme", "duration": "  4 months\u0007 "}})
	r.want(t, 201, map[string]any{"data.duration": "4 months"})
	id := r.num("data.id")
	path := fmt.Sprintf("/api/v1/admin/case-studies/%d", id)
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleMarketer, Body: map[string]any{"version": 1, "duration": strings.Repeat("x", 60)}}).
		want(t, 200, map[string]any{"data.duration": strings.Repeat("x", 60), "data.client": "Acme"})
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleMarketer, Body: map[string]any{"version": 2, "duration": "6 weeks"}}).want(t, 200, nil)
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleMarketer}).want(t, 200, nil)

	e.do(req{Method: "GET", Path: "/api/v1/case-studies/timed"}).want(t, 200, map[string]any{"data.duration": "6 weeks"})
	e.do(req{Method: "GET", Path: "/api/v1/case-studies?fields=slug,duration"}).
		want(t, 200, map[string]any{"data": []map[string]string{{"slug": "timed", "duration": "6 weeks"}}})
	revs := e.do(req{Method: "GET", Path: path + "/revisions", As: auth.RoleMarketer})
	// The two PATCHes (autosaves) folded into one revision.
	revs.want(t, 200, map[string]any{"data.1.changed": []string{"duration"}, "data.2.kind": "create"})
	first := e.do(req{Method: "GET", Path: fmt.Sprintf("%s/revisions/%d", path, revs.num("data.2.id")), As: auth.RoleMarketer})
	first.want(t, 200, map[string]any{"data.snapshot.fields.duration": "4 months"})
	// Restoring the first revision brings its duration back.
	e.do(req{Method: "POST", Path: fmt.Sprintf("%s/revisions/%d/restore", path, revs.num("data.2.id")), As: auth.RoleMarketer}).
		want(t, 200, map[string]any{"data.duration": "4 months"})
}
