package httpapi_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/webhook/webhooktest"
)

// publicPaths are the public answers a live post shows up in (issue 15):
// the item, lists, related, search, tags, feeds, sitemap and redirects.
var publicPaths = []string{
	"/api/v1/posts/launch", "/api/v1/posts", "/api/v1/posts?tag=go", "/api/v1/posts?tag=rust",
	"/api/v1/posts/launch/related", "/api/v1/posts/renamed", "/api/v1/search?q=launch", "/api/v1/search?q=secret",
	"/api/v1/tags", "/api/v1/feed.xml", "/api/v1/feed.json", "/api/v1/sitemap", "/api/v1/redirects",
}

// publicAnswers records every public answer, status and body, byte for byte.
func (e *env) publicAnswers() map[string]string {
	e.t.Helper()
	out := map[string]string{}
	for _, p := range publicPaths {
		r := e.do(req{Method: "GET", Path: p})
		out[p] = fmt.Sprintf("%d %s", r.Status, r.Body)
	}
	return out
}

func samePublic(t *testing.T, step string, want, got map[string]string) {
	t.Helper()
	for _, p := range publicPaths {
		if want[p] != got[p] {
			t.Errorf("%s changed the public answer of %s:\n was %s\n now %s", step, p, want[p], got[p])
		}
	}
}

// TestWorkingCopy: once a post is live, saves, autosaves and restores
// change only its working copy, which the admin and previews see; the
// public sees the live version, no event fires, until publish; discard
// goes back to it; unpublish keeps what was written.
func TestWorkingCopy(t *testing.T) {
	t.Parallel()
	e := newEnv(t, localHooks)
	rc := webhooktest.New(t, nil)
	e.addHook(rc.URL, "*")
	e.publish(map[string]any{"title": "Neighbour", "body": "Go text.", "tags": []string{"Go"}})
	id := e.publish(map[string]any{"title": "Launch", "body": "Launch words.", "tags": []string{"Go"}})
	path := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	rc.Wait(t, 2) // the two post.published
	live := e.publicAnswers()

	// A save: new title, body, tags and slug.
	e.clock.Add(time.Minute)
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{
		"title": "Launch, revised", "slug": "renamed", "body": "Our prices start at $9 per hou secret", "tags": []string{"Rust"}, "version": 2,
	}}).want(t, 200, map[string]any{
		"data.title": "Launch, revised", "data.slug": "renamed", "data.status": "published", "data.version": 3,
		"data.live_version": 2, "data.has_unpublished_changes": true, "data.tags": []map[string]string{{"slug": "rust", "name": "Rust"}},
	})
	samePublic(t, "a save", live, e.publicAnswers())
	// An autosave (PATCH) and a restore of the first revision.
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"excerpt": "Half a sent", "version": 3}}).
		want(t, 200, map[string]any{"data.excerpt": "Half a sent", "data.version": 4, "data.live_version": 2})
	samePublic(t, "an autosave", live, e.publicAnswers())
	revs := e.do(req{Method: "GET", Path: path + "/revisions?per_page=100", As: auth.RoleEditor})
	first := revs.list("data")[len(revs.list("data"))-1].(map[string]any)
	e.do(req{Method: "POST", Path: fmt.Sprintf("%s/revisions/%v/restore", path, first["id"]), As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.title": "Launch", "data.version": 5, "data.has_unpublished_changes": false}) // the live content again
	samePublic(t, "a restore", live, e.publicAnswers())
	e.do(req{Method: "PUT", Path: path, As: auth.RoleEditor, Body: map[string]any{
		"title": "Launch, revised", "slug": "renamed", "body": "New words, secret.", "tags": []string{"Rust"}, "version": 5,
	}}).want(t, 200, map[string]any{"data.version": 6})
	samePublic(t, "another save", live, e.publicAnswers())
	rc.Quiet(t, 2, 300*time.Millisecond) // no post.updated

	// The admin sees the working copy, and can list what has changes.
	e.do(req{Method: "GET", Path: path, As: auth.RoleEditor}).want(t, 200, map[string]any{"data.title": "Launch, revised", "data.has_unpublished_changes": true})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts?has_unpublished_changes=true", As: auth.RoleEditor}).
		want(t, 200, map[string]any{"meta.total": 1, "data.0.id": id, "data.0.title": "Launch, revised"})
	// A preview shows it too, at its new slug, and says so.
	_, preview := e.apiToken("preview")
	e.do(req{Method: "GET", Path: "/api/v1/posts/renamed?preview=1", Headers: map[string]string{"Authorization": "Bearer " + preview}}).
		want(t, 200, map[string]any{"data.title": "Launch, revised", "data.html": "<p>New words, secret.</p>\n"})

	// Publish: the working copy goes live, one post.updated with the old address.
	e.clock.Add(time.Minute)
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.version": 7, "data.live_version": 7, "data.has_unpublished_changes": false, "data.slug": "renamed"})
	e.do(req{Method: "GET", Path: "/api/v1/posts/renamed"}).want(t, 200, map[string]any{"data.title": "Launch, revised", "data.html": "<p>New words, secret.</p>\n"})
	e.do(req{Method: "GET", Path: "/api/v1/posts/launch"}).want(t, 301, map[string]any{"data.slug": "renamed"})
	e.do(req{Method: "GET", Path: "/api/v1/posts?tag=rust"}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: "/api/v1/search?q=secret"}).want(t, 200, map[string]any{"meta.total": 1})
	got := rc.Wait(t, 3)
	if p := got[2].Payload(t); p.Event != "post.updated" || p.Data.URL != "http://localhost:3000/blog/renamed" || p.Data.PreviousURL != "http://localhost:3000/blog/launch" {
		t.Errorf("event %s", got[2].Body)
	}
	// Publishing again without changes: nothing happens.
	e.do(req{Method: "POST", Path: path + "/publish", As: auth.RoleEditor}).want(t, 200, map[string]any{"data.version": 7})
	rc.Quiet(t, 3, 300*time.Millisecond)
	revs = e.do(req{Method: "GET", Path: path + "/revisions?per_page=1", As: auth.RoleEditor})
	revs.want(t, 200, map[string]any{"data.0.kind": "publish", "data.0.version": 7, "data.0.went_live_at": e.clock.Now().UTC().Format(time.RFC3339)})

	// Discard: back to the live content, as a new version.
	live = e.publicAnswers()
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Oops", "version": 7}}).want(t, 200, nil)
	e.do(req{Method: "POST", Path: path + "/discard", As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.title": "Launch, revised", "data.version": 9, "data.live_version": 7, "data.has_unpublished_changes": false})
	samePublic(t, "a discarded save", live, e.publicAnswers())
	e.do(req{Method: "GET", Path: path + "/revisions?per_page=1", As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.0.kind": "discard", "data.0.summary": "Discarded the unpublished changes", "data.0.went_live_at": nil})
	e.do(req{Method: "POST", Path: path + "/discard", As: auth.RoleEditor}).want(t, 409, map[string]any{"error.code": "invalid_transition"})
	rc.Quiet(t, 3, 300*time.Millisecond)

	// Unpublish keeps the working copy, as the draft.
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Kept", "slug": "kept", "version": 9}}).want(t, 200, nil)
	e.do(req{Method: "POST", Path: path + "/unpublish", As: auth.RoleEditor}).
		want(t, 200, map[string]any{"data.status": "draft", "data.title": "Kept", "data.slug": "kept", "data.live_version": nil, "data.has_unpublished_changes": false})
	e.do(req{Method: "GET", Path: "/api/v1/posts/renamed"}).want(t, 404, nil)
	// The event names the address that went away, not the working copy's.
	got = rc.Wait(t, 4)
	if p := got[3].Payload(t); p.Event != "post.unpublished" || p.Data.URL != "http://localhost:3000/blog/renamed" {
		t.Errorf("unpublished event %s", got[3].Body)
	}
	// A draft's saves are the entry itself; discard has nothing to go back to.
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleEditor, Body: map[string]any{"title": "Draft again", "version": 11}}).
		want(t, 200, map[string]any{"data.has_unpublished_changes": false})
	e.do(req{Method: "POST", Path: path + "/discard", As: auth.RoleEditor}).want(t, 409, map[string]any{"error.code": "invalid_transition", "error.status": "draft"})
	never, _ := e.createPost(map[string]any{"title": "Never live"})
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/discard", never), As: auth.RoleEditor}).want(t, 409, map[string]any{"error.code": "invalid_transition"})
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/discard", never), As: auth.RoleAuthor}).want(t, 403, map[string]any{"error.code": "forbidden"})
}

// TestWorkingCopyProperty: any sequence of saves, autosaves and restores
// of a live post, of a case study and of a page leaves every public answer
// byte-identical until publish; publish then shows the last save.
func TestWorkingCopyProperty(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(map[string]any{"title": "Neighbour", "body": "Go text.", "tags": []string{"Go"}})
	id := e.publish(map[string]any{"title": "Launch", "body": "Launch words.", "tags": []string{"Go"}})
	cs := e.publishStudy(map[string]any{"title": "Study", "client": "Acme"})
	page := e.newPage(map[string]any{"title": "About", "body": "Who."})
	e.pageAction(page, "publish")
	publicPaths := append(publicPaths, "/api/v1/case-studies", "/api/v1/case-studies/study", "/api/v1/pages", "/api/v1/pages/about")
	answers := func() string {
		var b bytes.Buffer
		for _, p := range publicPaths {
			r := e.do(req{Method: "GET", Path: p})
			fmt.Fprintf(&b, "%s %d %s\n", p, r.Status, r.Body)
		}
		return b.String()
	}
	live := answers()
	rng := rand.New(rand.NewPCG(15, 15))
	words := []string{"alpha", "beta", "secret", "launch", "rust", "go"}
	entries := []struct {
		path  string
		field string
	}{
		{fmt.Sprintf("/api/v1/admin/posts/%d", id), "body"},
		{fmt.Sprintf("/api/v1/admin/case-studies/%d", cs), "summary"},
		{fmt.Sprintf("/api/v1/admin/pages/%d", page), "body"},
	}
	for i := range 40 {
		x := entries[rng.IntN(len(entries))]
		cur := e.do(req{Method: "GET", Path: x.path, As: auth.RoleEditor})
		version := cur.num("data.version")
		text := words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
		var step string
		switch rng.IntN(3) {
		case 0:
			step = "save"
			body := map[string]any{"title": "T " + text, x.field: text, "version": version}
			if x.field == "body" && strings.Contains(x.path, "posts") {
				body["tags"] = []string{words[rng.IntN(len(words))]}
				body["slug"] = "s-" + strings.ReplaceAll(text, " ", "-")
			}
			e.do(req{Method: "PUT", Path: x.path, As: auth.RoleEditor, Body: body}).want(t, 200, nil)
		case 1:
			step = "autosave"
			e.do(req{Method: "PATCH", Path: x.path, As: auth.RoleEditor, Body: map[string]any{x.field: text, "version": version}}).want(t, 200, nil)
		default:
			step = "restore"
			revs := e.do(req{Method: "GET", Path: x.path + "/revisions?per_page=100", As: auth.RoleEditor}).list("data")
			rev := revs[rng.IntN(len(revs))].(map[string]any)
			r := e.do(req{Method: "POST", Path: fmt.Sprintf("%s/revisions/%v/restore", x.path, rev["id"]), As: auth.RoleEditor})
			if r.Status != 200 && r.Status != 422 { // a restored slug another entry took meanwhile is refused
				t.Fatalf("restore: %d %s", r.Status, r.Body)
			}
		}
		e.clock.Add(time.Second)
		if got := answers(); got != live {
			t.Fatalf("step %d (%s of %s) changed a public answer:\n%s", i, step, x.path, firstLineDiff(live, got))
		}
	}
	post := e.do(req{Method: "GET", Path: entries[0].path, As: auth.RoleEditor})
	e.publishPost(id)
	r := e.do(req{Method: "GET", Path: "/api/v1/posts/" + post.str("data.slug")})
	r.want(t, 200, map[string]any{"data.title": post.str("data.title")})
	if !strings.Contains(string(r.Body), post.str("data.body")) {
		t.Errorf("published %s, want the working copy's body %q", r.Body, post.str("data.body"))
	}
}

func firstLineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "was " + al[i] + "\nnow " + bl[i]
		}
	}
	return "(lengths differ)"
}
