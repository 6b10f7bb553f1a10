package contentfs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// roundTrip stores fields as the API would (content.Service.Create), and
// then checks the promise of the file format: anything the service
// accepted exports, re-imports into a new installation unchanged, and
// exports again byte for byte the same. A refusal must be a validation
// error (a 422 that says why), never anything else.
func roundTrip(t *testing.T, typ content.Type, f content.Fields) (accepted bool) {
	t.Helper()
	ctx := context.Background()
	src := content.New(storetest.New(t, nil))
	created, err := src.Create(ctx, auth.System, typ, content.Input{Fields: f})
	if err != nil {
		if !errs.Is(err, errs.Validation) {
			t.Fatalf("Create refused %+v with %v, want a validation error or success", f, err)
		}
		return false
	}
	dir1, dir2 := t.TempDir(), t.TempDir()
	if _, err := (&Sync{Content: src}).Export(ctx, dir1); err != nil {
		t.Fatalf("export: %v", err)
	}
	name := filepath.Join(Dir(typ), created.Fields.Slug+".md")
	first, err := os.ReadFile(filepath.Join(dir1, name))
	if err != nil {
		t.Fatal(err)
	}
	dst := content.New(storetest.New(t, nil))
	sync := &Sync{Content: dst, Auth: &auth.Service{Store: dst.Store}}
	if _, err := sync.Import(ctx, dir1); err != nil {
		t.Fatalf("the export of what the API accepted does not import: %v\nfields: %#v\nfile:\n%s", err, f, first)
	}
	if _, err := sync.Export(ctx, dir2); err != nil {
		t.Fatalf("export again: %v", err)
	}
	second, err := os.ReadFile(filepath.Join(dir2, name))
	if err != nil {
		t.Fatal(err)
	}
	if string(first) != string(second) {
		t.Fatalf("export → import → export changed the file (-first +second):\n%s", cmp.Diff(string(first), string(second)))
	}
	imported, err := dst.All(ctx, typ)
	if err != nil || len(imported) != 1 {
		t.Fatalf("imported %d entries, %v", len(imported), err)
	}
	if diff := cmp.Diff(created.Fields, imported[0].Fields); diff != "" {
		t.Fatalf("fields lost on the way (-created +imported):\n%s\nfile:\n%s", diff, first)
	}
	return true
}

// TestRoundTripOfTrickyContentThatIsAccepted: content near the format's
// edges is taken by the API and survives the round trip.
func TestRoundTripOfTrickyContentThatIsAccepted(t *testing.T) {
	for name, c := range map[string]struct {
		typ content.Type
		f   content.Fields
	}{
		"indented and deeper headings":        {content.CaseStudy, content.Fields{Title: "Sections", CaseStudyFields: content.CaseStudyFields{Challenge: " ## indented: not a section\n\n### Sub\n\n####### seven", Solution: "\t## tab", Results: "Text\n\n```md\n## Results\n```\n\n~~~~\n## inside tildes\n~~~~"}}},
		"line endings of every kind":          {content.Post, content.Fields{Title: "Windows", Prose: content.Prose{Body: "One.\r\n\r\nTwo.\r\r\nThree.\rFour"}}},
		"a body that looks like front matter": {content.Post, content.Fields{Title: "Rules", Prose: content.Prose{Body: "---\ntitle: injected\n---\n\nAfter a rule.\n\n---"}}},
		"YAML look-alikes":                    {content.Post, content.Fields{Title: "yes", Slug: "null", CoverImage: &content.Image{URL: "https://img.example.com/a.png", Alt: "alt: colon"}, Prose: content.Prose{Excerpt: ": colon 'quote' #hash"}, PostFields: content.PostFields{Tags: []string{"true", "1.5", "#hash"}}}},
		"a full case study":                   {content.CaseStudy, content.Fields{Title: "Acme", CaseStudyFields: content.CaseStudyFields{Client: "Acme", Industry: "Retail", Duration: "3 months", Services: []string{"Search"}, Technologies: []string{"Go"}, Summary: "Faster.", Challenge: "Slow.", Solution: "### Approach\n\nGo.", Results: "Fast.", Metrics: []content.Metric{{Label: "Speed", Value: "3x"}}, Testimonial: &content.Testimonial{Quote: "Great", Author: "Ann", Role: "CTO"}}}},
	} {
		t.Run(name, func(t *testing.T) {
			if !roundTrip(t, c.typ, c.f) {
				t.Fatalf("refused %+v", c.f)
			}
		})
	}
}

// FuzzExportImportRoundTrip feeds the round trip with fields; its seed
// corpus (below and testdata/fuzz) runs in the normal test suite.
func FuzzExportImportRoundTrip(f *testing.F) {
	type seed struct {
		study                                 bool
		title, slug, text, a, b, c, tags, alt string
		featured                              bool
	}
	seeds := []seed{
		{study: true, title: "Route planning", a: "Trucks ran half empty.", b: "## Approach\n\nA new Go service.", c: "Fuller trucks."},
		{study: true, title: "Unclosed fence", a: "```go\nfunc main() {", b: "Built it.", c: "Done."},
		{study: true, title: "Fenced heading", a: "```md\n## Solution inside a fence\n```", b: "### Approach\n\nSmall steps.", c: "~~~\n## Results\n~~~"},
		{study: true, title: "Level two in results", c: "## Numbers\n\nUp 20%."},
		{study: true, title: "Bare hashes", b: "##", c: "## "},
		{study: true, title: "Case in headings", a: "## challenge", b: "Text"},
		{study: true, title: "Empty sections"},
		{study: true, title: "Indented heading", a: " ## Not a section in a file\n\n####### seven", b: "\t## tab"},
		{title: "Windows endings", text: "Line one.\r\n\r\nLine two.\r\r\nLine three.\rfour"},
		{title: "Front matter look-alike", text: "---\ntitle: injected\n---\n\nBody after a rule.\n\n---"},
		{title: "yes", slug: "null", text: "# Title in the body\n\n## Part", tags: "true, 1.5,  spaced  ,#hash"},
		{title: ": colon 'quote' \"double\" #hash", text: "\u00a0 leading non-breaking space", alt: "alt: with colon"},
		{title: "Trailing spaces  ", text: "text with trailing spaces   \n\n\n\n  \t", featured: true},
		{title: "Unicode ✓ 日本語", text: "Emoji 🎉 and a zero width\u200bjoiner", tags: "Go,go,GO"},
		{study: true, title: "Control \x01 chars\x7f", a: "bell\x07 in text", b: "nul\x00byte", c: "form\ffeed"},
	}
	for _, s := range seeds {
		f.Add(s.study, s.title, s.slug, s.text, s.a, s.b, s.c, s.tags, s.alt, s.featured)
	}
	f.Fuzz(func(t *testing.T, study bool, title, slug, text, a, b, c, tags, alt string, featured bool) {
		// What reaches the service from JSON is valid UTF-8.
		v := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
		fields := content.Fields{Title: v(title), Slug: v(slug), Featured: featured}
		if alt != "" {
			fields.CoverImage = &content.Image{URL: "https://img.example.com/cover.png", Alt: v(alt)}
		}
		typ := content.Post
		if study {
			typ = content.CaseStudy
			fields.Challenge, fields.Solution, fields.Results = v(a), v(b), v(c)
			fields.Summary, fields.Client = v(text), v(tags)
			if tags != "" {
				fields.Services = strings.Split(v(tags), ",")
				fields.Metrics = []content.Metric{{Label: v(tags), Value: v(alt) + "1"}}
				fields.Testimonial = &content.Testimonial{Quote: v(a) + "q", Author: v(title) + "a", Role: v(b)}
			}
		} else {
			fields.Body, fields.Excerpt = v(text), v(a)
			if tags != "" {
				fields.Tags = strings.Split(v(tags), ",")
			}
		}
		roundTrip(t, typ, fields)
	})
}
