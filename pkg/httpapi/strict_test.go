package httpapi_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/folio-cms/folio/pkg/auth"
)

// TestNullOnlyWhereTheSpecSaysNullable: a JSON null for a field the
// contract does not call nullable is a 422 naming the field, at any depth;
// where it is nullable, null is taken (and clears).
func TestNullOnlyWhereTheSpecSaysNullable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "Base", "cover_image": map[string]string{"url": "https://img.example.com/a.png", "alt": "A"}})
	refused := []struct {
		name, method, path, body, field string
	}{
		{"preview markdown", "POST", "/api/v1/admin/preview", `{"markdown":null}`, "markdown"},
		{"post version", "POST", "/api/v1/admin/posts", `{"title":"x","version":null}`, "version"},
		{"post title", "POST", "/api/v1/admin/posts", `{"title":null}`, "title"},
		{"post featured", "POST", "/api/v1/admin/posts", `{"title":"x","featured":null}`, "featured"},
		{"a tag", "POST", "/api/v1/admin/posts", `{"title":"x","tags":["go",null]}`, "tags[1]"},
		{"inside a testimonial", "POST", "/api/v1/admin/case-studies", `{"title":"x","testimonial":{"quote":null,"author":"a"}}`, "testimonial.quote"},
		{"inside an image", "POST", "/api/v1/admin/posts", `{"title":"x","cover_image":{"url":null,"alt":"a"}}`, "cover_image.url"},
		{"a metric", "POST", "/api/v1/admin/case-studies", `{"title":"x","metrics":[{"label":"Speed","value":null}]}`, "metrics[0].value"},
		{"put version", "PUT", fmt.Sprintf("/api/v1/admin/posts/%d", id), `{"title":"x","version":null}`, "version"},
		{"schedule time", "POST", fmt.Sprintf("/api/v1/admin/posts/%d/schedule", id), `{"publish_at":null}`, "publish_at"},
		{"me name", "PATCH", "/api/v1/auth/me", `{"name":null}`, "name"},
		{"user role", "PATCH", fmt.Sprintf("/api/v1/admin/users/%d", e.users[auth.RoleAuthor].ID), `{"role":null}`, "role"},
		{"webhook url", "POST", "/api/v1/admin/webhooks", `{"name":"n","url":null,"events":["*"]}`, "url"},
		{"login password", "POST", "/api/v1/auth/login", `{"email":"a@example.com","password":null}`, "password"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(req{Method: tt.method, Path: tt.path, As: auth.RoleAdmin, Body: tt.body})
			r.want(t, 422, map[string]any{"error.code": "validation_failed", "error.details.0.field": tt.field, "error.details.0.message": "must not be null"})
		})
	}
	// A body that is null (or not an object) at all.
	for _, body := range []string{`null`, `[]`, `"x"`} {
		e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", As: auth.RoleEditor, Body: body}).
			want(t, 400, map[string]any{"error.code": "invalid_json", "error.message": "The request body must be a JSON object."})
	}
	// Where the contract says nullable, null is taken and clears.
	r := e.do(req{Method: "PUT", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor,
		Body: `{"title":"Base","version":1,"cover_image":null,"seo":null,"author_id":null}`})
	r.want(t, 200, map[string]any{"data.cover_image": nil, "data.title": "Base", "data.version": 2})
	r = e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleEditor,
		Body: `{"title":"Study","testimonial":null,"logo":null,"cover_image":null,"seo":null}`})
	r.want(t, 201, map[string]any{"data.testimonial": nil, "data.logo": nil})
	// Optional texts are null when empty, and null (or "") clears them.
	r = e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleEditor,
		Body: `{"title":"Quoted","testimonial":{"quote":"Q","author":"A","role":null},"seo":{"meta_title":null,"canonical_url":""}}`})
	r.want(t, 201, map[string]any{"data.testimonial": map[string]any{"quote": "Q", "author": "A", "role": nil},
		"data.seo": map[string]any{"meta_title": nil, "meta_description": nil, "canonical_url": nil, "og_image": nil}, "data.client": nil, "data.summary": nil})
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/publish", id), As: auth.RoleEditor, Body: `{"published_at":null}`}).
		want(t, 200, map[string]any{"data.status": "published"})
	// A merge patch's null removes the member (RFC 7396): a nullable one is cleared…
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor, Body: `{"version":3,"excerpt":"Short."}`}).
		want(t, 200, map[string]any{"data.excerpt": "Short."})
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor, Body: `{"version":4,"excerpt":null}`}).
		want(t, 200, map[string]any{"data.excerpt": ""})
	// …and a required one is then missing.
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor, Body: `{"version":5,"title":null}`}).
		want(t, 422, map[string]any{"error.details.0.field": "title"})
}

// TestEnumQueryParametersAcceptExactlyWhatTheyList: an enum parameter given
// with an empty or unknown value is a 400 whose message lists exactly the
// values that are accepted; each listed value is accepted.
func TestEnumQueryParametersAcceptExactlyWhatTheyList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, localHooks)
	id, _ := e.createPost(map[string]any{"title": "Target"})
	mid := e.upload(auth.RoleEditor, "a.png", pngBytes(8, 8), nil).num("data.id")
	hook, _ := e.addHook("http://127.0.0.1:9/never", "post.published")
	params := []struct {
		path, name string
		values     []string
		as         auth.Role
		list       string // as the message lists them
	}{
		{"/api/v1/posts", "featured", []string{"true", "false"}, "", "true, false"},
		{"/api/v1/posts", "preview", []string{"0", "false"}, "", "1, 0, true, false"}, // 1 and true need a preview token (TestPreviewTokens)
		{"/api/v1/posts", "sort", []string{"-published_at", "title"}, "", "-published_at, published_at, title, -title, updated_at, -updated_at"},
		{"/api/v1/search?q=target", "type", []string{"post", "case_study", "page"}, "", "post, case_study, page"},
		{"/api/v1/admin/posts", "mine", []string{"1", "0", "true", "false"}, auth.RoleEditor, "1, 0, true, false"},
		{"/api/v1/admin/posts", "has_unpublished_changes", []string{"1", "0", "true", "false"}, auth.RoleEditor, "1, 0, true, false"},
		{"/api/v1/admin/posts", "status", []string{"draft", "draft,published"}, auth.RoleEditor, "draft, in_review, scheduled, published, archived"},
		{"/api/v1/admin/media", "type", []string{"image", "document"}, auth.RoleEditor, "image, document"},
		{fmt.Sprintf("/api/v1/admin/webhooks/%d/deliveries", hook), "status", []string{"pending", "delivered", "failed"}, auth.RoleAdmin, "pending, delivered, failed"},
	}
	for _, p := range params {
		t.Run(p.name+" on "+p.path, func(t *testing.T) {
			sep := "?"
			if strings.Contains(p.path, "?") {
				sep = "&"
			}
			for _, bad := range []string{"", "zzz", "TRUE", "yes"} {
				if slices.Contains(p.values, bad) {
					continue
				}
				r := e.do(req{Method: "GET", Path: p.path + sep + p.name + "=" + bad, As: p.as})
				r.want(t, 400, map[string]any{"error.code": "invalid_parameter", "error.details.0.field": p.name})
				if msg := r.str("error.details.0.message"); !strings.Contains(msg, p.list) {
					t.Errorf("%s=%q: message %q does not list %q", p.name, bad, msg, p.list)
				}
			}
			for _, good := range p.values {
				e.do(req{Method: "GET", Path: p.path + sep + p.name + "=" + good, As: p.as}).want(t, 200, nil)
			}
		})
	}
	// The two DELETE flags: an empty or unknown value is refused and nothing is deleted.
	for _, bad := range []string{"", "zzz", "yes"} {
		r := e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/posts/%d?permanent=%s", id, bad), As: auth.RoleAdmin})
		r.want(t, 400, map[string]any{"error.details.0.field": "permanent", "error.details.0.message": "must be one of 1, 0, true, false (or left out)"})
		r = e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/media/%d?force=%s", mid, bad), As: auth.RoleAdmin})
		r.want(t, 400, map[string]any{"error.details.0.field": "force", "error.details.0.message": "must be one of 1, 0, true, false (or left out)"})
	}
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/posts/%d", id), As: auth.RoleEditor}).want(t, 200, map[string]any{"data.trashed_at": nil})
	// A parameter given twice is ambiguous.
	e.do(req{Method: "GET", Path: "/api/v1/posts?featured=true&featured=false"}).
		want(t, 400, map[string]any{"error.details.0.field": "featured", "error.details.0.message": "must be given once"})
	// Numbers: an empty value is no number either.
	e.do(req{Method: "GET", Path: "/api/v1/posts?page="}).want(t, 400, map[string]any{"error.details.0.field": "page"})
}

// TestCaseStudySectionsMustSurviveTheirFile: a section the export format
// could not give back whole (a level-2 heading of its own, a code fence
// left open) is refused up front with a 422 that says why; ### headings and
// fenced "##" lines are fine.
func TestCaseStudySectionsMustSurviveTheirFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleEditor,
		Body: map[string]any{"title": "Route planning", "solution": "## Approach\n\nA new Go service."}})
	r.want(t, 422, map[string]any{"error.code": "validation_failed", "error.details.0.field": "solution"})
	if msg := r.str("error.details.0.message"); !strings.Contains(msg, `"## Approach"`) || !strings.Contains(msg, "###") {
		t.Errorf("message %q should name the heading and say to use ###", msg)
	}
	r = e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleEditor,
		Body: map[string]any{"title": "Code", "challenge": "```go\nfunc main() {"}})
	r.want(t, 422, map[string]any{"error.details.0.field": "challenge"})
	if msg := r.str("error.details.0.message"); !strings.Contains(msg, "never closed") {
		t.Errorf("message %q should say the code block is never closed", msg)
	}
	e.do(req{Method: "POST", Path: "/api/v1/admin/case-studies", As: auth.RoleEditor,
		Body: map[string]any{"title": "Fine", "solution": "### Approach\n\n```md\n## not a heading here\n```"}}).
		want(t, 201, map[string]any{"data.solution": "### Approach\n\n```md\n## not a heading here\n```"})
}

// TestFieldsParameterListsItsValuesInTheContract: the contract's `fields`
// of each public list names exactly the fields the server accepts.
func TestFieldsParameterListsItsValuesInTheContract(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	doc, err := openapi3.NewLoader().LoadFromFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/posts", "/api/v1/case-studies"} {
		msg := e.do(req{Method: "GET", Path: path + "?fields=zzz"}).str("error.details.0.message")
		list, ok := strings.CutPrefix(msg, "must be one or more of ")
		list, _, _ = strings.Cut(list, ", separated by commas")
		if !ok {
			t.Fatalf("%s: message %q", path, msg)
		}
		served := strings.Split(list, ", ")
		var spec []string
		for _, p := range doc.Paths.Find(path).Get.Parameters {
			if p.Value.Name == "fields" {
				pattern := p.Value.Schema.Value.Pattern // ^(a|b)(,(a|b))*$
				alt, _, _ := strings.Cut(strings.TrimPrefix(pattern, "^("), ")")
				spec = strings.Split(alt, "|")
			}
		}
		if !slices.Equal(served, spec) {
			t.Errorf("%s: the server takes fields %v, the contract lists %v", path, served, spec)
		}
	}
}

// TestUnknownQueryParametersAreRefused: on the delivery API a parameter the
// endpoint does not take is a 400 that names it and lists the accepted
// ones; key and preview are taken everywhere; the known ones still work.
func TestUnknownQueryParametersAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, _ := e.createPost(map[string]any{"title": "Live", "body": "Text.", "tags": []string{"Go"}})
	e.publishPost(id)
	cases := []struct{ path, unknown, accepted string }{
		{"/api/v1/posts?tags=go", "tags", "page, per_page, sort, featured, published_after, published_before, updated_after, fields, tag, author, key, preview"},
		{"/api/v1/posts?page=1&perpage=50", "perpage", "page, per_page"},
		{"/api/v1/case-studies?industries=fintech", "industries", "industry, technology, key, preview"},
		{"/api/v1/posts/live?fields=slug", "fields", "key, preview"},
		{"/api/v1/posts/live/related?limit=2&offset=1", "offset", "limit, key, preview"},
		{"/api/v1/search?q=live&query=live", "query", "q, type, page, per_page, key, preview"},
		{"/api/v1/tags?sort=name", "sort", "key, preview"},
		{"/api/v1/feed.xml?kind=post", "kind", "type, key, preview"},
		{"/api/v1/sitemap?page=2", "page", "key, preview"},
	}
	for _, c := range cases {
		r := e.do(req{Method: "GET", Path: c.path})
		r.want(t, 400, map[string]any{"error.code": "unknown_parameter", "error.details.0.field": c.unknown})
		if msg := r.str("error.message"); !strings.Contains(msg, `"`+c.unknown+`"`) || !strings.Contains(msg, c.accepted) {
			t.Errorf("%s: message %q does not name %q and list %q", c.path, msg, c.unknown, c.accepted)
		}
		if acc, _ := r.get("error.accepted"); !slices.Contains(acc.([]any), any("key")) || !slices.Contains(acc.([]any), any("preview")) {
			t.Errorf("%s: accepted = %v, want key and preview among them", c.path, acc)
		}
	}
	// What the endpoints take is still taken, key and preview included.
	for _, path := range []string{
		"/api/v1/posts?tag=go&per_page=5&sort=title&fields=slug,title", "/api/v1/posts/live?preview=0",
		"/api/v1/posts/live/related?limit=2", "/api/v1/search?q=live&type=post", "/api/v1/tags?preview=false",
		"/api/v1/sitemap", "/api/v1/feed.json",
	} {
		e.do(req{Method: "GET", Path: path}).want(t, 200, nil)
	}
	e.do(req{Method: "GET", Path: "/api/v1/posts?key=folio_nonsense"}).want(t, 401, nil)
}

// TestPartialItemsAreTheirItemsFields: a public list's items are its list
// item or, with `fields`, a partial one; `fields` can name every field of
// the single item (issue 19: a static build fetches html and all from the
// lists), so both must have each of them (the partial one none required), each the single
// item's own schema, so that a generated client (api/client-check) gets
// typed fields from either (an untyped partial item made every list item
// an empty object to TypeScript). The preview-only status is in the
// partial item (a preview adds it) but is not a fields= value.
func TestPartialItemsAreTheirItemsFields(t *testing.T) {
	t.Parallel()
	doc, err := openapi3.NewLoader().LoadFromFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dataOf := func(op *openapi3.Operation) *openapi3.SchemaRef {
		return op.Responses.Status(200).Value.Content.Get("application/json").Schema.Value.Properties["data"]
	}
	for _, path := range []string{"/api/v1/posts", "/api/v1/case-studies", "/api/v1/pages"} {
		op := doc.Paths.Find(path).Get
		var fields []string
		for _, p := range op.Parameters {
			if p.Value.Name == "fields" {
				alt, _, _ := strings.Cut(strings.TrimPrefix(p.Value.Schema.Value.Pattern, "^("), ")")
				fields = strings.Split(alt, "|")
			}
		}
		single := dataOf(doc.Paths.Find(path + "/{slug}").Get)
		singleNames := slices.Sorted(maps.Keys(single.Value.Properties))
		items := dataOf(op).Value.Items
		if len(items.Value.AnyOf) != 2 {
			t.Fatalf("%s: items are %d schemas, want the item and the partial item", path, len(items.Value.AnyOf))
		}
		item, partial := items.Value.AnyOf[0], items.Value.AnyOf[1]
		// The plain item types the single item's fields too (optional), so
		// that a client reads them from either kind of item.
		if got := slices.Sorted(maps.Keys(item.Value.Properties)); !slices.Equal(got, singleNames) {
			t.Errorf("%s: %s has fields %v, %s has %v", path, item.Ref, got, single.Ref, singleNames)
		}
		if got := slices.Sorted(maps.Keys(partial.Value.Properties)); !slices.Equal(got, singleNames) {
			t.Errorf("%s: %s has fields %v, %s has %v", path, partial.Ref, got, single.Ref, singleNames)
		}
		// A preview's own state is added to every item, never selected.
		selectable := slices.DeleteFunc(slices.Clone(singleNames), func(n string) bool { return n == "status" || n == "has_unpublished_changes" })
		if got := slices.Sorted(slices.Values(fields)); !slices.Equal(got, selectable) {
			t.Errorf("%s: fields= takes %v, the single item has %v (the preview state aside)", path, got, selectable)
		}
		if len(partial.Value.Required) != 0 || partial.Value.MinProps != 1 {
			t.Errorf("%s: %s requires %v (min %d properties), want none required and at least one", path, partial.Ref, partial.Value.Required, partial.Value.MinProps)
		}
		for name, s := range partial.Value.Properties {
			if want := single.Ref + "/properties/" + name; s.Ref != want {
				t.Errorf("%s: %s.%s is %q, want a $ref to %s", path, partial.Ref, name, s.Ref, want)
			}
		}
	}
}
