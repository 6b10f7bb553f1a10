package httpapi_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// ghostSchemas are api/ghost/*.json, the schemas of the Ghost Content
// API's answers, by file name.
var ghostSchemas = sync.OnceValues(func() (map[string]*openapi3.Schema, error) {
	files, err := filepath.Glob("../../api/ghost/*.json")
	if err != nil {
		return nil, err
	}
	out := map[string]*openapi3.Schema{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		s := &openapi3.Schema{}
		if err := json.Unmarshal(b, s); err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = s
	}
	return out, nil
})

// checkGhostSchema checks a Ghost answer against api/ghost/<name>.json.
func checkGhostSchema(t *testing.T, name string, r *resp) {
	t.Helper()
	schemas, err := ghostSchemas()
	if err != nil {
		t.Fatal(err)
	}
	s := schemas[name]
	if s == nil {
		t.Fatalf("no schema api/ghost/%s.json", name)
	}
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := s.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("the answer does not match api/ghost/%s.json: %v\n%.800s", name, err, r.Body)
	}
}

// TestGhostAnswersMatchTheSchemas holds every kind of answer to the
// schemas written from Ghost's documentation.
func TestGhostAnswersMatchTheSchemas(t *testing.T) {
	t.Parallel()
	e, key := ghostFixture(t)
	get := func(path string) *resp {
		r := e.do(req{Method: "GET", Path: "/ghost/api/content/" + path})
		return r
	}
	for _, c := range []struct{ schema, path string }{
		{"posts.browse", "posts/?include=tags,authors&formats=html,plaintext"},
		{"posts.browse", "posts/?filter=tag:hash-case-study&include=tags,authors"},
		{"posts.browse", "posts/?limit=all"},
		{"posts.browse", "posts/?limit=1&page=9"},
		{"posts.read", "posts/slug/go-tips/?include=tags,authors"},
		{"posts.read", "posts/slug/ledger/?include=tags"},
		{"pages.browse", "pages/?include=tags,authors"},
		{"pages.read", "pages/slug/about/"},
		{"tags.browse", "tags/?include=count.posts"},
		{"tags.read", "tags/slug/go/"},
		{"authors.browse", "authors/?include=count.posts"},
		{"authors.read", "authors/slug/test-editor/"},
		{"settings", "settings/"},
		{"errors", "posts/slug/nope/"},
		{"errors", "posts/?filter=nope:1"},
		{"errors", "posts/?limit=x"},
	} {
		sep := "?"
		if strings.Contains(c.path, "?") {
			sep = "&"
		}
		checkGhostSchema(t, c.schema, get(c.path+sep+"key="+key))
	}
}

// ghostClientDir holds the pinned @tryghost/content-api and check.mjs.
const ghostClientDir = "../../api/ghost/client"

// ensureGhostClient installs the pinned client when it is missing (the
// test task does it first: go tool task ghost:deps).
func ensureGhostClient(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(ghostClientDir, "node_modules", "@tryghost", "content-api")); err == nil {
		return
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = ghostClientDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("install @tryghost/content-api (npm ci in api/ghost/client): %v\n%s", err, out)
	}
}

// TestGhostClient runs Ghost's own client against a folio over real HTTP:
// browse with limit, page, include, filter, order, fields and formats;
// posts and pages by id and slug; tags, authors, settings; and errors as
// the client surfaces them.
func TestGhostClient(t *testing.T) {
	t.Parallel()
	ensureGhostClient(t)
	e, key := ghostFixture(t)
	base := e.serve()
	cmd := exec.Command("node", "check.mjs", base, key)
	cmd.Dir = ghostClientDir
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node check.mjs: %v\n%s", err, raw)
	}
	var out map[string]struct {
		Value any
		Meta  map[string]any
		Error map[string]any
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	at := func(name, path string) any {
		t.Helper()
		r, ok := out[name]
		if !ok {
			t.Fatalf("%s: not run", name)
		}
		if r.Error != nil && !strings.HasPrefix(path, "error") {
			t.Fatalf("%s: %v", name, r.Error)
		}
		v := any(map[string]any{"value": r.Value, "meta": r.Meta, "error": any(r.Error)})
		if r.Error != nil {
			b, _ := json.Marshal(r.Error)
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			v = map[string]any{"error": m}
		}
		for _, part := range strings.Split(path, ".") {
			switch cur := v.(type) {
			case map[string]any:
				v = cur[part]
			case []any:
				i := 0
				for _, ch := range part {
					i = i*10 + int(ch-'0')
				}
				if i >= len(cur) {
					return nil
				}
				v = cur[i]
			default:
				return nil
			}
		}
		return v
	}
	want := func(name, path string, v any) {
		t.Helper()
		if got := at(name, path); got != v {
			t.Errorf("%s %s = %#v, want %#v", name, path, got, v)
		}
	}
	want("browse", "meta.pagination.total", float64(3))
	want("browse", "meta.pagination.limit", float64(2))
	want("browse", "meta.pagination.next", float64(2))
	want("browse", "value.0.slug", "go-and-rust")
	want("browse", "value.0.primary_tag.slug", "rust")
	want("browse", "value.0.authors.0.slug", "test-editor")
	want("page2", "value.0.slug", "go-tips")
	want("page2", "meta.pagination.prev", float64(1))
	want("filter", "value.0.slug", "go-tips")
	want("filter", "value.0.html", nil) // fields: only id, title, slug
	want("formats", "meta.pagination.limit", "all")
	want("formats", "value.2.plaintext", "Go tips here.")
	want("formats", "value.2.html", nil)
	want("caseStudies", "value.0.slug", "ledger")
	want("caseStudies", "value.0.tags.0.name", "#case-study")
	want("caseStudies", "value.0.folio.case_study.industry", "Fintech")
	want("postBySlug", "value.title", "Go Tips")
	want("postBySlug", "value.primary_author.slug", "test-editor")
	want("postById", "value.slug", "go-and-rust")
	want("pages", "value.0.slug", "about")
	want("pageBySlug", "value.title", "About")
	want("pageById", "value.slug", "about")
	want("tags", "meta.pagination.total", float64(3))
	want("tags", "value.0.count.posts", float64(2))
	want("tagBySlug", "value.name", "Rust")
	want("authors", "value.0.count.posts", float64(3))
	want("authorBySlug", "value.slug", "test-editor")
	want("settings", "value.lang", "en")
	want("missing", "error.name", "NotFoundError")
	want("missing", "error.message", "Post not found.")
	want("badFilter", "error.name", "BadRequestError")
	want("badFilter", "error.message", "Error parsing filter")
}
