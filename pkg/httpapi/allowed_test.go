package httpapi_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/folio-cms/folio/pkg/auth"
)

// entryState is where an entry is: its status, and whether it is in the trash.
type entryState struct {
	status  string
	trashed bool
	// modified: a live entry saved since it went live, whose working copy
	// has unpublished changes.
	modified bool
}

func (s entryState) String() string {
	name := s.status
	if s.modified {
		name += " with unpublished changes"
	}
	if s.trashed {
		return name + " in the trash"
	}
	return name
}

// allowedStates are the states TestAllowedActions puts entries in.
var allowedStates = []entryState{
	{"draft", false, false}, {"in_review", false, false}, {"scheduled", false, false}, {"published", false, false}, {"archived", false, false},
	{"draft", true, false}, {"in_review", true, false}, {"published", true, false},
	{"published", false, true},
}

// everyAction is every action allowed_actions may name, in its order.
var everyAction = []string{"update", "submit", "publish", "schedule", "unschedule", "unpublish", "archive", "discard", "delete", "restore", "purge"}

// wantAllowed is what allowed_actions must say, written from the issue and
// README's roles (not read from the code): admins and editors manage every
// entry, marketers case studies and pages; authors change, submit and trash
// their own posts while those are drafts or in review, and only read pages;
// only admins purge. Workflow steps start only from their statuses (publish
// also on a live entry: it publishes its changes, if any); discard only
// on a live entry with unpublished changes; in the trash an entry can only
// be restored or purged.
func wantAllowed(role auth.Role, typ string, own bool, s entryState) []string {
	manage := manages(role, typ)
	authorOwn := role == auth.RoleAuthor && typ == "posts" && own && (s.status == "draft" || s.status == "in_review")
	from := map[string][]string{
		"submit": {"draft"}, "publish": {"draft", "in_review", "scheduled"}, "schedule": {"draft", "in_review"},
		"unschedule": {"scheduled"}, "unpublish": {"published", "archived"}, "archive": {"published"},
	}
	out := []string{}
	if s.trashed {
		if manage || authorOwn {
			out = append(out, "restore")
		}
	} else {
		if manage || authorOwn {
			out = append(out, "update")
		}
		for _, a := range []string{"submit", "publish", "schedule", "unschedule", "unpublish", "archive"} {
			if slices.Contains(from[a], s.status) && (manage || (authorOwn && a == "submit")) {
				out = append(out, a)
			}
		}
		if s.modified && manage {
			// publish its changes (in toolbar order, after the transitions
			// that start from published), and discard them
			out = slices.Insert(out, slices.Index(out, "unpublish"), "publish")
			out = append(out, "discard")
		}
		if manage || authorOwn {
			out = append(out, "delete")
		}
	}
	if role == auth.RoleAdmin {
		out = append(out, "purge")
	}
	return out
}

// manages: admins and editors manage every entry, marketers case studies and pages.
func manages(role auth.Role, typ string) bool {
	return role == auth.RoleAdmin || role == auth.RoleEditor || (role == auth.RoleMarketer && typ != "posts")
}

// after is the state an action that succeeded leaves an entry in.
func after(action string, s entryState) entryState {
	switch action {
	case "update":
		s.modified = s.modified || s.status == "published" // saving a live entry changes its working copy
	case "discard":
		s.modified = false
	case "submit":
		s.status = "in_review"
	case "publish":
		s.status, s.modified = "published", false
	case "schedule":
		s.status = "scheduled"
	case "unschedule", "unpublish":
		s.status, s.modified = "draft", false // the working copy becomes the draft
	case "archive":
		s.status, s.modified = "archived", false
	case "delete":
		s.trashed = true
	case "restore":
		s.trashed = false
	}
	return s
}

// TestAllowedActions holds allowed_actions to the roles, per type, role,
// ownership and state: the list in the entry, its list item and (in the
// trash) the trash's summary is exactly the expected one; then every
// action is tried on a fresh entry in that state: each listed one
// succeeds, and its answer lists what the new state allows; each unlisted
// one is refused with a 403 or a 409, and changes nothing.
func TestAllowedActions(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"posts", "case-studies", "pages"} {
		for _, role := range auth.Roles {
			t.Run(fmt.Sprintf("%s as %s", typ, role), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				n := 0
				reads := role != auth.RoleAuthor || typ != "case-studies" // authors don't see case studies at all
				// Owners: the caller itself when it may create this type, and
				// someone else.
				owners := map[bool]auth.Role{false: auth.RoleEditor}
				if role == auth.RoleEditor {
					owners[false] = auth.RoleAdmin
				}
				if typ != "posts" && role != auth.RoleAuthor || typ == "posts" && role != auth.RoleMarketer {
					owners[true] = role
				}
				for _, own := range []bool{true, false} {
					owner, ok := owners[own]
					if !ok {
						continue
					}
					for _, st := range allowedStates {
						make := func() (int, string) {
							n++
							id := e.putInState(typ, owner, st, fmt.Sprintf("Entry %d", n))
							return id, fmt.Sprintf("/api/v1/admin/%s/%d", typ, id)
						}
						want := wantAllowed(role, typ, own, st)
						name := fmt.Sprintf("own=%v %s", own, st)

						id, path := make()
						got := e.do(req{Method: "GET", Path: path, As: role})
						if !reads {
							got.want(t, 403, map[string]any{"error.code": "forbidden"})
						} else {
							got.want(t, 200, nil)
							if d := cmp.Diff(want, strs(got.list("data.allowed_actions"))); d != "" {
								t.Errorf("%s: GET allowed_actions (-want +got):\n%s", name, d)
							}
							list := "/api/v1/admin/" + typ + "?per_page=100"
							if st.trashed {
								list = "/api/v1/admin/trash?per_page=100"
							}
							if d := cmp.Diff(want, e.listed(t, list, role, id)); d != "" {
								t.Errorf("%s: allowed_actions in %s (-want +got):\n%s", name, list, d)
							}
						}

						for _, action := range everyAction {
							_, path := make()
							before := e.do(req{Method: "GET", Path: path, As: auth.RoleAdmin})
							r := e.act(typ, path, action, role, before.num("data.version"))
							if slices.Contains(want, action) {
								if r.Status >= 300 {
									t.Errorf("%s: %s is listed but answered %d %s", name, action, r.Status, r.Body)
									continue
								}
								if r.Status == 200 {
									next := wantAllowed(role, typ, own, after(action, st))
									if d := cmp.Diff(next, strs(r.list("data.allowed_actions"))); d != "" {
										t.Errorf("%s: after %s, allowed_actions (-want +got):\n%s", name, action, d)
									}
								}
								continue
							}
							if action == "publish" && st.status == "published" && !st.trashed && r.Status == 200 && manages(role, typ) {
								// publishing a live entry without changes: a no-op
								// that answers the entry (issue 15); the version
								// check below holds it to changing nothing
							} else if r.Status != 403 && r.Status != 409 {
								t.Errorf("%s: %s is not listed but answered %d %s", name, action, r.Status, r.Body)
								continue
							}
							now := e.do(req{Method: "GET", Path: path, As: auth.RoleAdmin})
							if now.num("data.version") != before.num("data.version") {
								t.Errorf("%s: the refused %s changed the entry: version %d → %d", name, action, before.num("data.version"), now.num("data.version"))
							}
						}
					}
				}
			})
		}
	}
}

// putInState makes an entry of owner in state s (the steps done by an admin).
func (e *env) putInState(typ string, owner auth.Role, s entryState, title string) int {
	e.t.Helper()
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/" + typ, As: owner, Body: map[string]any{"title": title}})
	r.want(e.t, 201, nil)
	id := r.num("data.id")
	path := fmt.Sprintf("/api/v1/admin/%s/%d", typ, id)
	steps := map[string][]string{
		"draft": {}, "in_review": {"submit"}, "scheduled": {"schedule"}, "published": {"publish"}, "archived": {"publish", "archive"},
	}[s.status]
	if s.modified {
		steps = append(steps, "update")
	}
	if s.trashed {
		steps = append(steps, "delete")
	}
	for i, step := range steps {
		if r := e.act(typ, path, step, auth.RoleAdmin, 1+i); r.Status >= 300 {
			e.t.Fatalf("%s %s: %d %s", step, path, r.Status, r.Body)
		}
	}
	return id
}

// act performs action on the entry at path as role: the request the admin
// app sends for it. version is the entry's current version (for update).
func (e *env) act(typ, path, action string, as auth.Role, version int) *resp {
	e.t.Helper()
	switch action {
	case "update":
		return e.do(req{Method: "PUT", Path: path, As: as, Body: map[string]any{"title": "Edited", "version": version}})
	case "delete":
		return e.do(req{Method: "DELETE", Path: path, As: as})
	case "purge":
		return e.do(req{Method: "DELETE", Path: path + "?permanent=1", As: as})
	case "schedule":
		return e.do(req{Method: "POST", Path: path + "/schedule", As: as,
			Body: map[string]string{"publish_at": e.clock.Now().Add(time.Hour).Format(time.RFC3339)}})
	default: // restore and the workflow steps
		return e.do(req{Method: "POST", Path: path + "/" + action, As: as})
	}
}

// listed returns the allowed_actions of entry id in the list at path.
func (e *env) listed(t *testing.T, path string, as auth.Role, id int) []string {
	t.Helper()
	r := e.do(req{Method: "GET", Path: path, As: as})
	r.want(t, 200, nil)
	for _, it := range r.list("data") {
		m, _ := it.(map[string]any)
		if v, _ := m["id"].(float64); int(v) == id {
			l, _ := m["allowed_actions"].([]any)
			return strs(l)
		}
	}
	t.Fatalf("entry %d is not in %s", id, path)
	return nil
}

func strs(l []any) []string {
	out := []string{}
	for _, v := range l {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

// TestSignInSaysWhatTheRoleMay: the sign-in answer lists the permissions
// of the user's role and how far each reaches, as README's roles table
// gives them: what the admin app offers before there is an entry to ask.
func TestSignInSaysWhatTheRoleMay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	perms := func(role auth.Role) map[string]any {
		r := e.login(e.users[role].Email, testPassword)
		r.want(t, 200, nil)
		return r.obj("permissions")
	}
	author := map[string]any{
		"signed_in": "any", "posts.read": "any", "posts.create": "any", "posts.update": "own", "posts.delete": "own", "posts.submit": "own",
		"media.read": "any", "media.upload": "any", "media.update": "own", "pages.read": "any",
	}
	if d := cmp.Diff(author, perms(auth.RoleAuthor)); d != "" {
		t.Errorf("an author's permissions (-want +got):\n%s", d)
	}
	m := perms(auth.RoleMarketer)
	for p, want := range map[string]any{"posts.read": "any", "case_studies.create": "any", "case_studies.publish": "any", "media.delete": "any",
		"pages.create": "any", "pages.publish": "any"} {
		if m[p] != want {
			t.Errorf("a marketer's %s = %v, want %v", p, m[p], want)
		}
	}
	for _, p := range []string{"posts.create", "posts.update", "posts.publish", "users.manage", "content.purge", "media.force_delete"} {
		if v, ok := m[p]; ok {
			t.Errorf("a marketer holds %s (%v)", p, v)
		}
	}
	a := perms(auth.RoleAdmin)
	for _, p := range []string{"users.manage", "content.purge", "webhooks.manage", "media.force_delete", "posts.publish"} {
		if a[p] != "any" {
			t.Errorf("an admin's %s = %v, want any", p, a[p])
		}
	}
}
