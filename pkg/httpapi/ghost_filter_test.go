package httpapi

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
)

func TestParseGhostFilter(t *testing.T) {
	leaf := func(field string, values ...string) content.Cond {
		return content.Cond{Field: field, Op: "=", Values: values}
	}
	not := func(c content.Cond) content.Cond { c.Not = true; return c }
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want content.Cond
	}{
		{"tag:go", leaf("tag", "go")},
		{"tags:[go, rust]", leaf("tag", "go", "rust")},
		{"tag:-go", not(leaf("tag", "go"))},
		{"tag:-[go,rust]", not(leaf("tag", "go", "rust"))},
		{"featured:true", leaf("featured", "true")},
		{"slug:'hello-world'", leaf("slug", "hello-world")},
		{`slug:"it's"`, leaf("slug", "it's")},
		{"id:00000000000000000000002a", leaf("id", "42")},
		{"id:nope", leaf("id", "-1")},
		{"primary_tag:news", leaf("primary_tag", "news")},
		{"author:ada", leaf("author", "ada")},
		{"authors:[ada,bob]", leaf("author", "ada", "bob")},
		{"authors.slug:ada", leaf("author", "ada")},
		{"published_at:>'2026-05-01 10:00:00'", content.Cond{Field: "published_at", Op: ">", Time: at}},
		{"published_at:<='2026-05-01T10:00:00Z'", content.Cond{Field: "published_at", Op: "<=", Time: at}},
		{"published_at:>=2026-05-01", content.Cond{Field: "published_at", Op: ">=", Time: at.Add(-10 * time.Hour)}},
		{"tag:a+tag:b", content.Cond{Kids: []content.Cond{leaf("tag", "a"), leaf("tag", "b")}}},
		{"tag:a,tag:b", content.Cond{Any: true, Kids: []content.Cond{leaf("tag", "a"), leaf("tag", "b")}}},
		// + binds tighter than ,
		{"tag:a,tag:b+featured:true", content.Cond{Any: true, Kids: []content.Cond{leaf("tag", "a"), {Kids: []content.Cond{leaf("tag", "b"), leaf("featured", "true")}}}}},
		{"(tag:a,tag:b)+featured:true", content.Cond{Kids: []content.Cond{{Any: true, Kids: []content.Cond{leaf("tag", "a"), leaf("tag", "b")}}, leaf("featured", "true")}}},
		{" tag : go ", leaf("tag", "go")},
		// Every entry is public: a tag condition on no tags (none of none: all; any of none: nothing).
		{"visibility:public", not(content.Cond{Field: "tag", Op: "="})},
		{"visibility:paid", content.Cond{Field: "tag", Op: "="}},
		{"visibility:-public", content.Cond{Field: "tag", Op: "="}},
	} {
		got, err := parseGhostFilter(c.in, ghostPostFields)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%q (-want +got):\n%s", c.in, d)
		}
	}
	// Refusals: Ghost's 400 "Error parsing filter", saying where.
	for _, in := range []string{
		"", "tag", "tag:", "tag:go+", ",tag:go", "(tag:go", "tag:go)", "tag:[go", "tag:[]", "tag:'go",
		"title:go", "status:draft", "visibility:secret", "tag:~go", "featured:yes", "tag:>go",
		"published_at:'soon'", "published_at:[2026-01-01]", "published_at:-2026-01-01", "tags:[a,b]extra",
		"slug:a:b",
	} {
		_, err := parseGhostFilter(in, ghostPostFields)
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Message != "Error parsing filter" || len(e.Details) != 1 {
			t.Errorf("%q: want Ghost's filter error, got %v", in, err)
		}
	}
	// Tags filter on their own fields only.
	if _, err := parseGhostFilter("visibility:public+slug:[a,b]", ghostTagFields); err != nil {
		t.Errorf("tags: %v", err)
	}
	if _, err := parseGhostFilter("tag:go", ghostTagFields); err == nil {
		t.Errorf("tags have no tag field")
	}
}

func TestCaseStudyTagRewrite(t *testing.T) {
	c, err := parseGhostFilter("tag:[hash-case-study,news]+featured:true", ghostPostFields)
	if err != nil {
		t.Fatal(err)
	}
	if !mentionsTag(c, "hash-case-study") {
		t.Fatal("mentionsTag")
	}
	got := asTypeTag(c, "hash-case-study", content.CaseStudy)
	want := content.Cond{Kids: []content.Cond{
		{Any: true, Kids: []content.Cond{{Field: "type", Op: "=", Values: []string{"case_study"}}, {Field: "tag", Op: "=", Values: []string{"news"}}}},
		{Field: "featured", Op: "=", Values: []string{"true"}},
	}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	neg, _ := parseGhostFilter("tag:-hash-case-study", ghostPostFields)
	if mentionsTag(neg, "hash-case-study") {
		t.Error("tag:-hash-case-study does not ask for case studies")
	}
}

// TestEveryTypeHasAGhostKind: a new entry type says how the Ghost layer
// shows it, rather than being left out of it unnoticed.
func TestEveryTypeHasAGhostKind(t *testing.T) {
	for _, typ := range content.Types {
		k, ok := ghostKinds[typ]
		if !ok || (k.resource != "posts" && k.resource != "pages") || k.customExcerpt == nil {
			t.Errorf("%s: ghostKinds has %+v, want a resource and a custom excerpt", typ, k)
		}
	}
}
