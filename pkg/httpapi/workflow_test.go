package httpapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
)

// putInStatus moves an entry (created by as) into status through the API.
func (e *env) putInStatus(typ string, as auth.Role, status string) int {
	e.t.Helper()
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/" + typ, As: as, Body: map[string]any{"title": "In " + status}})
	r.want(e.t, 201, nil)
	id := r.num("data.id")
	path := fmt.Sprintf("/api/v1/admin/%s/%d/", typ, id)
	steps := map[string][]string{
		"draft": {}, "in_review": {"submit"}, "scheduled": {"schedule"}, "published": {"publish"}, "archived": {"publish", "archive"},
	}[status]
	for _, step := range steps {
		var body any
		if step == "schedule" {
			body = map[string]string{"publish_at": e.clock.Now().Add(time.Hour).Format(time.RFC3339)}
		}
		e.do(req{Method: "POST", Path: path + step, As: auth.RoleAdmin, Body: body}).want(e.t, 200, map[string]any{"data.status": map[string]string{
			"submit": "in_review", "schedule": "scheduled", "publish": "published", "archive": "archived"}[step]})
	}
	return id
}

// TestTransitionMatrix tries every action from every status as every role.
// The expectations are written from the table, not read from the
// code's.
func TestTransitionMatrix(t *testing.T) {
	t.Parallel()
	validFrom := map[string][]string{
		// publish on a published entry publishes its unpublished changes:
		// with none, it answers the entry as it is (issue 15).
		"submit": {"draft"}, "publish": {"draft", "in_review", "scheduled", "published"}, "schedule": {"draft", "in_review"},
		"unschedule": {"scheduled"}, "unpublish": {"published", "archived"}, "archive": {"published"},
	}
	to := map[string]string{"submit": "in_review", "publish": "published", "schedule": "scheduled", "unschedule": "draft", "unpublish": "draft", "archive": "archived"}
	statuses := []string{"draft", "in_review", "scheduled", "published", "archived"}
	for _, typ := range []string{"posts", "case-studies"} {
		for action, from := range validFrom {
			for _, role := range auth.Roles {
				t.Run(fmt.Sprintf("%s %s as %s", typ, action, role), func(t *testing.T) {
					t.Parallel()
					e := newEnv(t)
					for _, st := range statuses {
						owner := auth.RoleEditor
						if role == auth.RoleAuthor && typ == "posts" {
							owner = auth.RoleAuthor // authors act on their own posts
						}
						id := e.putInStatus(typ, owner, st)
						var body any
						if action == "schedule" {
							body = map[string]string{"publish_at": e.clock.Now().Add(2 * time.Hour).Format(time.RFC3339)}
						}
						r := e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/%s/%d/%s", typ, id, action), As: role, Body: body})
						allowed := role == auth.RoleAdmin || role == auth.RoleEditor ||
							(role == auth.RoleMarketer && typ == "case-studies") ||
							(role == auth.RoleAuthor && typ == "posts" && action == "submit" && (st == "draft" || st == "in_review"))
						switch {
						case !allowed:
							r.want(t, 403, map[string]any{"error.code": "forbidden"})
						case !slices.Contains(from, st):
							r.want(t, 409, map[string]any{"error.code": "invalid_transition", "error.status": st})
							if !strings.Contains(r.str("error.message"), st) {
								t.Errorf("the message does not name the status %s: %s", st, r.str("error.message"))
							}
						default:
							r.want(t, 200, map[string]any{"data.status": to[action]})
						}
					}
				})
			}
		}
	}
}

func TestScheduling(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "Launch", "body": "It is out."})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	start := e.clock.Now()
	at := start.Add(time.Hour)

	for _, bad := range []map[string]any{
		{}, {"publish_at": start.Add(-time.Minute).Format(time.RFC3339)}, {"publish_at": start.Format(time.RFC3339)}, {"publish_at": "tomorrow"},
	} {
		r := e.do(req{Method: "POST", Path: path + "/schedule", As: auth.RoleEditor, Body: bad})
		r.want(t, 422, map[string]any{"error.details.0.field": "publish_at"})
	}
	r := e.do(req{Method: "POST", Path: path + "/schedule", As: auth.RoleEditor, Body: map[string]string{"publish_at": at.In(time.FixedZone("CEST", 7200)).Format(time.RFC3339)}})
	r.want(t, 200, map[string]any{"data.status": "scheduled", "data.published_at": at.Format(time.RFC3339)})

	// The admin sees what is coming, soonest first.
	later, _ := e.createPost(map[string]any{"title": "Later"})
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/schedule", later), As: auth.RoleEditor, Body: map[string]string{"publish_at": at.Add(time.Hour).Format(time.RFC3339)}}).want(t, 200, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/scheduled", As: auth.RoleAuthor}).want(t, 200, map[string]any{
		"meta.total": 2, "data.0.id": id, "data.0.type": "post", "data.0.published_at": at.Format(time.RFC3339), "data.1.id": later,
	})

	// Not a second before its time, and then exactly at it: the read query
	// decides, no job has run.
	e.clock.Set(at.Add(-time.Second))
	e.do(req{Method: "GET", Path: "/api/v1/posts/launch"}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts"}).want(t, 200, map[string]any{"meta.total": 0})
	e.clock.Set(at)
	e.do(req{Method: "GET", Path: "/api/v1/posts/launch"}).want(t, 200, map[string]any{"data.published_at": at.Format(time.RFC3339)})
	e.do(req{Method: "GET", Path: "/api/v1/posts"}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.status": "scheduled"})

	// The job flips the status, once, and says when it was due and when it ran.
	e.clock.Set(at.Add(7 * time.Second))
	n, err := e.content.PublishDue(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("PublishDue = %d, %v; want 1", n, err)
	}
	if n, _ := e.content.PublishDue(t.Context()); n != 0 {
		t.Fatalf("a second run published %d again", n)
	}
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.status": "published", "data.published_at": at.Format(time.RFC3339)})
	audit := e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/audit?record_type=post&record_id=%d", id), As: auth.RoleAdmin})
	audit.want(t, 200, map[string]any{
		"data.0.action": "post.publish", "data.0.actor": "system", "data.0.details.by": "schedule",
		"data.0.details.scheduled_for": at.Format(time.RFC3339), "data.0.details.published_at": at.Add(7 * time.Second).Format(time.RFC3339),
	})

	// Unschedule goes back to a draft.
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/unschedule", later), As: auth.RoleEditor}).want(t, 200, map[string]any{"data.status": "draft", "data.published_at": nil})
	// Publishing with a future published_at is refused: that is scheduling.
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/publish", later), As: auth.RoleEditor, Body: map[string]string{"published_at": at.Add(48 * time.Hour).Format(time.RFC3339)}}).
		want(t, 422, map[string]any{"error.details.0.field": "published_at"})
}

func TestRevisions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "Draft one", "body": "First words."})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Draft two", "body": "First words.", "version": 1}}).want(t, 200, nil)
	// Two autosaves by the same user within 5 minutes fold into one revision.
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"body": "More words.", "version": 2}}).want(t, 200, map[string]any{"data.version": 3})
	e.clock.Add(4 * time.Minute)
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Headers: map[string]string{"If-Match": `"3"`}, Body: map[string]any{"excerpt": "Short."}}).want(t, 200, map[string]any{"data.version": 4})
	list := e.do(req{Method: "GET", Path: path + "/revisions", As: auth.RoleMarketer})
	list.want(t, 200, map[string]any{
		"meta.total": 3, "data.0.kind": "autosave", "data.0.version": 4, "data.0.changed": []string{"body", "excerpt"},
		"data.0.summary": "Autosaved: body, excerpt", "data.1.kind": "save", "data.1.changed": []string{"title"},
		"data.2.kind": "create", "data.2.summary": "Created", "data.2.author.id": e.users[auth.RoleEditor].ID,
	})
	// After the window, or after another user's autosave, a new revision starts.
	e.clock.Add(2 * time.Minute)
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"body": "Even more words.", "version": 4}}).want(t, 200, nil)
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleAdmin, Body: map[string]any{"body": "Admin words.", "version": 5}}).want(t, 200, nil)
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"body": "Back to me.", "version": 6}}).want(t, 200, nil)
	// An explicit save and an action always start new revisions.
	e.do(req{Method: "POST", Path: path + "/submit", As: auth.RoleEditor}).want(t, 200, nil)
	list = e.do(req{Method: "GET", Path: path + "/revisions?per_page=3", As: auth.RoleEditor})
	list.want(t, 200, map[string]any{"meta.total": 7, "data.0.kind": "submit", "data.0.summary": "Submitted for review", "data.1.kind": "autosave", "data.2.author.id": e.users[auth.RoleAdmin].ID})

	// One revision, whole.
	first := int(list.num("meta.total")) // the oldest has the lowest id; find it on the last page
	all := e.do(req{Method: "GET", Path: path + "/revisions?per_page=100", As: auth.RoleEditor})
	oldest := all.num(fmt.Sprintf("data.%d.id", first-1))
	one := e.do(req{Method: "GET", Path: fmt.Sprintf("%s/revisions/%d", path, oldest), As: auth.RoleEditor})
	one.want(t, 200, map[string]any{"data.version": 1, "data.snapshot.status": "draft", "data.snapshot.fields.title": "Draft one", "data.snapshot.fields.body": "First words."})
	e.do(req{Method: "GET", Path: path + "/revisions/99999", As: auth.RoleEditor}).want(t, 404, nil)

	// Restoring makes it current as a new version and revision; nothing is lost.
	r := e.do(req{Method: "POST", Path: fmt.Sprintf("%s/revisions/%d/restore", path, oldest), As: auth.RoleEditor})
	r.want(t, 200, map[string]any{"data.title": "Draft one", "data.body": "First words.", "data.version": 9, "data.status": "in_review"})
	e.do(req{Method: "GET", Path: path + "/revisions", As: auth.RoleEditor}).want(t, 200, map[string]any{
		"meta.total": 8, "data.0.kind": "restore", "data.0.version": 9, "data.0.changed": []string{"body", "excerpt", "title"},
	})
	// Authors who may not read case studies cannot read their revisions either.
	cs, _ := e.createCaseStudy(map[string]any{"title": "Study"})
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/case-studies/%d/revisions", cs), As: auth.RoleAuthor}).want(t, 403, nil)
	// Revisions of a post are not reachable under another post.
	other, _ := e.createPost(map[string]any{"title": "Other"})
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/posts/%d/revisions/%d", other, oldest), As: auth.RoleEditor}).want(t, 404, nil)
}

func TestNoLostEdits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "Shared"})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	get := e.do(req{Method: "GET", Path: path, As: auth.RoleEditor})
	if get.Header.Get("ETag") != `"1"` {
		t.Fatalf("ETag = %q, want \"1\"", get.Header.Get("ETag"))
	}
	// Without a base version: 428, for PUT and PATCH.
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "x"}}).want(t, 428, map[string]any{"error.code": "precondition_required"})
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "x"}}).want(t, 428, nil)
	// Admin saves version 2 with If-Match.
	saved := e.do(req{Method: "PUT", Path: path, As: auth.RoleAdmin, Headers: map[string]string{"If-Match": `"1"`}, Body: map[string]any{"title": "Admin's"}})
	saved.want(t, 200, map[string]any{"data.version": 2, "data.updated_by.name": "Test admin"})
	if saved.Header.Get("ETag") != `"2"` {
		t.Errorf("ETag after save = %q", saved.Header.Get("ETag"))
	}
	// The editor, still on version 1, is told who saved what when; nothing is overwritten.
	for _, r := range []*resp{
		e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Headers: map[string]string{"If-Match": `"1"`}, Body: map[string]any{"title": "Editor's"}}),
		e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Editor's", "version": 1}}),
	} {
		r.want(t, 409, map[string]any{
			"error.code": "conflict", "error.current_version": 2, "error.updated_by.name": "Test admin",
			"error.updated_by.id": e.users[auth.RoleAdmin].ID, "error.updated_at": saved.str("data.updated_at"),
		})
		if !strings.Contains(r.str("error.details.0.message"), "Test admin") {
			t.Errorf("conflict details do not say who: %s", r.Body)
		}
	}
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.title": "Admin's"})
	// If-Match wins over the body; malformed If-Match is a 400.
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Headers: map[string]string{"If-Match": `W/"2"`}, Body: map[string]any{"title": "Fine", "version": 1}}).want(t, 200, nil)
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Headers: map[string]string{"If-Match": `*`}, Body: map[string]any{"title": "x"}}).want(t, 400, map[string]any{"error.code": "invalid_precondition"})
}

func TestMergePatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{
		"title": "Patched", "body": "Body.", "tags": []string{"A", "B"},
		"cover_image": map[string]string{"url": "https://img.example.com/a.png", "alt": "A"},
		"seo":         map[string]string{"meta_title": "Meta", "meta_description": "Desc"},
	})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	r := e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Headers: map[string]string{"Content-Type": "application/merge-patch+json"},
		Body: `{"version":1,"seo":{"meta_title":"New meta"},"cover_image":null,"tags":["C"]}`})
	r.want(t, 200, map[string]any{
		"data.title": "Patched", "data.body": "Body.", "data.seo.meta_title": "New meta", "data.seo.meta_description": "Desc",
		"data.cover_image": nil, "data.tags": []map[string]string{{"slug": "c", "name": "C"}},
	})
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"version": 2, "colour": "red"}}).want(t, 400, map[string]any{"error.code": "unknown_field"})
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"version": 2, "title": nil}}).want(t, 422, map[string]any{"error.details.0.field": "title"})
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: `["not", "an", "object"]`}).want(t, 400, nil)
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"version": 2, "title": 7}}).want(t, 422, nil)
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.version": 2})
}

func TestSlugAliases(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "Old name"})
	e.publishPost(id)
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "New name", "slug": "new-name", "version": 2}}).want(t, 200, nil)
	// The new slug takes effect when the change goes live.
	e.do(req{Method: "GET", Path: "/api/v1/posts/old-name"}).want(t, 200, map[string]any{"data.title": "Old name"})
	e.do(req{Method: "GET", Path: "/api/v1/posts/new-name"}).want(t, 404, nil)
	// Meanwhile the new slug is reserved for this post.
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "Squatter", "slug": "new-name"}}).
		want(t, 422, map[string]any{"error.details.0.field": "slug"})
	e.publishPost(id)
	r := e.do(req{Method: "GET", Path: "/api/v1/posts/old-name?preview=0"})
	r.want(t, 301, map[string]any{"data.slug": "new-name"})
	if got := r.Header.Get("Location"); got != "/api/v1/posts/new-name?preview=0" {
		t.Errorf("Location = %q", got)
	}
	e.do(req{Method: "GET", Path: "/api/v1/posts/new-name"}).want(t, 200, map[string]any{"data.title": "New name"})
	// Nobody else may take the old slug, as a new post or by renaming.
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "Copycat", "slug": "old-name"}}).
		want(t, 422, map[string]any{"error.details.0.field": "slug"})
	// A derived slug skips it too.
	_, derived := e.createPost(map[string]any{"title": "Old name"})
	if derived.str("data.slug") != "old-name-2" {
		t.Errorf("derived slug %q, want old-name-2", derived.str("data.slug"))
	}
	// The same post may take it back: then it is its slug again, not an alias.
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Old name", "slug": "old-name", "version": 4}}).want(t, 200, nil)
	e.publishPost(id)
	e.do(req{Method: "GET", Path: "/api/v1/posts/old-name"}).want(t, 200, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts/new-name"}).want(t, 301, nil)
	// An unpublished post's old slug does not redirect (it would reveal the draft).
	e.do(req{Method: "POST", Path: path + "/unpublish", As: auth.RoleEditor}).want(t, 200, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts/new-name"}).want(t, 404, nil)
	// A slug change before the first publication keeps no alias.
	draft, _ := e.createPost(map[string]any{"title": "Never live"})
	e.do(req{Method: "PUT", Path: fmt.Sprintf("/api/v1/admin/posts/%d", draft), As: auth.RoleEditor, Body: map[string]any{"title": "Never live", "slug": "renamed", "version": 1}}).want(t, 200, nil)
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "Free", "slug": "never-live"}}).want(t, 201, nil)
	// Case studies keep their old slugs the same way.
	cs, _ := e.createCaseStudy(map[string]any{"title": "Study A"})
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/case-studies/%d/publish", cs), As: auth.RoleEditor}).want(t, 200, nil)
	e.do(req{Method: "PUT", Path: fmt.Sprintf("/api/v1/admin/case-studies/%d", cs), As: auth.RoleEditor, Body: map[string]any{"title": "Study B", "slug": "study-b", "version": 2}}).want(t, 200, nil)
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/case-studies/%d/publish", cs), As: auth.RoleEditor}).want(t, 200, nil)
	r = e.do(req{Method: "GET", Path: "/api/v1/case-studies/study-a"})
	r.want(t, 301, nil)
	if r.Header.Get("Location") != "/api/v1/case-studies/study-b" {
		t.Errorf("case study Location = %q", r.Header.Get("Location"))
	}
}

func TestTrash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "Binned"})
	e.publishPost(id)
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	e.do(req{Method: "DELETE", Path: path, As: auth.RoleEditor}).want(t, 204, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts/binned"}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/posts"}).want(t, 200, map[string]any{"meta.total": 0})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 0})
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.status": "published"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/trash", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 1, "data.0.id": id, "data.0.type": "post"})
	// Its slug stays reserved; it can't be edited or moved through the workflow.
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "x", "slug": "binned"}}).want(t, 422, nil)
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "x", "version": 3}}).want(t, 409, map[string]any{"error.code": "in_trash"})
	e.do(req{Method: "POST", Path: path + "/unpublish", As: auth.RoleEditor}).want(t, 409, map[string]any{"error.code": "in_trash"})
	e.do(req{Method: "DELETE", Path: path, As: auth.RoleEditor}).want(t, 409, map[string]any{"error.code": "in_trash"})
	// Restored with its previous status: public again.
	e.do(req{Method: "POST", Path: path + "/restore", As: auth.RoleEditor}).want(t, 200, map[string]any{"data.status": "published", "data.trashed_at": nil})
	e.do(req{Method: "GET", Path: "/api/v1/posts/binned"}).want(t, 200, nil)
	e.do(req{Method: "POST", Path: path + "/restore", As: auth.RoleEditor}).want(t, 409, map[string]any{"error.code": "not_in_trash"})

	// The job empties the trash after 30 days, not before.
	e.do(req{Method: "DELETE", Path: path, As: auth.RoleEditor}).want(t, 204, nil)
	e.clock.Add(29 * 24 * time.Hour)
	if n, err := e.content.PurgeTrash(t.Context(), 30*24*time.Hour); err != nil || n != 0 {
		t.Fatalf("PurgeTrash after 29 days = %d, %v", n, err)
	}
	e.clock.Add(24*time.Hour + time.Second)
	if n, err := e.content.PurgeTrash(t.Context(), 30*24*time.Hour); err != nil || n != 1 {
		t.Fatalf("PurgeTrash after 30 days = %d, %v", n, err)
	}
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/audit?record_type=post&record_id=%d", id), As: auth.RoleAdmin}).
		want(t, 200, map[string]any{"data.0.action": "post.purge", "data.0.details.by": "trash retention"})
	// The slug is free again once purged.
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleEditor, Body: map[string]any{"title": "x", "slug": "binned"}}).want(t, 201, nil)

	// Permanent delete at once: admins only.
	other, _ := e.createPost(map[string]any{"title": "Gone"})
	op := fmt.Sprintf("/api/v1/admin/posts/%d", other)
	e.do(req{Method: "DELETE", Path: op + "?permanent=1", As: auth.RoleEditor}).want(t, 403, nil)
	e.do(req{Method: "DELETE", Path: op + "?permanent=yes", As: auth.RoleAdmin}).want(t, 400, nil)
	e.do(req{Method: "DELETE", Path: op + "?permanent=1", As: auth.RoleAdmin}).want(t, 204, nil)
	e.do(req{Method: "GET", Path: op, As: auth.RoleAdmin}).want(t, 404, nil)
	// Authors may bin their own drafts, and bring them back.
	mine := e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleAuthor, Body: map[string]any{"title": "Mine"}})
	mp := fmt.Sprintf("/api/v1/admin/posts/%d", mine.num("data.id"))
	e.do(req{Method: "DELETE", Path: mp, As: auth.RoleAuthor}).want(t, 204, nil)
	e.do(req{Method: "POST", Path: mp + "/restore", As: auth.RoleAuthor}).want(t, 200, nil)
	_ = content.Draft
}

func TestDashboardHelpers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, _ := e.createPost(map[string]any{"title": "A", "tags": []string{"Go", "Draft only"}})
	e.publishPost(a)
	e.createPost(map[string]any{"title": "B"})
	trashed, _ := e.createPost(map[string]any{"title": "C"})
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/posts/%d", trashed), As: auth.RoleEditor}).want(t, 204, nil)
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", As: auth.RoleAuthor, Body: map[string]any{"title": "Mine"}}).want(t, 201, nil)
	e.createCaseStudy(map[string]any{"title": "S"})

	e.do(req{Method: "GET", Path: "/api/v1/admin/stats", As: auth.RoleEditor}).want(t, 200, map[string]any{
		"data.post":       map[string]int{"draft": 2, "in_review": 0, "scheduled": 0, "published": 1, "archived": 0, "trashed": 1},
		"data.case_study": map[string]int{"draft": 1, "in_review": 0, "scheduled": 0, "published": 0, "archived": 0, "trashed": 0},
	})
	// Authors cannot read case studies, so they get no count of them.
	r := e.do(req{Method: "GET", Path: "/api/v1/admin/stats", As: auth.RoleAuthor})
	r.want(t, 200, nil)
	if _, ok := r.get("data.case_study"); ok {
		t.Errorf("an author sees case-study counts: %s", r.Body)
	}
	// The admin tag list counts drafts too; the public one does not.
	e.do(req{Method: "GET", Path: "/api/v1/admin/tags", As: auth.RoleAuthor}).want(t, 200, map[string]any{
		"data": []map[string]any{{"slug": "draft-only", "name": "Draft only", "description": nil, "post_count": 1}, {"slug": "go", "name": "Go", "description": nil, "post_count": 1}},
	})
	e.do(req{Method: "GET", Path: "/api/v1/admin/tags", As: auth.RoleMarketer}).want(t, 200, nil)
	// mine=1: the caller's own posts.
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?mine=1", As: auth.RoleAuthor}).want(t, 200, map[string]any{"meta.total": 1, "data.0.title": "Mine"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?mine=1&status=draft", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 1, "data.0.title": "B"})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?mine=yes", As: auth.RoleEditor}).want(t, 400, nil)
}
