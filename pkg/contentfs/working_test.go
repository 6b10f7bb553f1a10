package contentfs

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/store/storetest"
)

// TestRoundTripWithUnpublishedChanges: a live entry whose working copy
// differs from its live version exports both (its file and
// <type>/working/<live slug>.md), an import stores both (the live version
// live, the working copy unpublished), and exporting again gives the same
// bytes for every file.
func TestRoundTripWithUnpublishedChanges(t *testing.T) {
	ctx := context.Background()
	src := content.New(storetest.New(t, nil))
	mk := func(typ content.Type, f content.Fields, changed content.Fields) {
		t.Helper()
		e, err := src.Create(ctx, auth.System, typ, content.Input{Fields: f})
		if err != nil {
			t.Fatal(err)
		}
		e, err = src.Apply(ctx, auth.System, typ, e.ID, content.ActionPublish, content.ActionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if changed.Title != "" {
			if _, err := src.Update(ctx, auth.System, typ, e.ID, e.Version, content.Input{Fields: changed}); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk(content.Post, content.Fields{Title: "Launch", Prose: content.Prose{Body: "Live words."}, PostFields: content.PostFields{Tags: []string{"Go"}}},
		content.Fields{Title: "Launch, revised", Slug: "launch-2", Prose: content.Prose{Body: "Unpublished words."}, PostFields: content.PostFields{Tags: []string{"Rust"}}})
	mk(content.Post, content.Fields{Title: "Unchanged"}, content.Fields{})
	mk(content.CaseStudy, content.Fields{Title: "Study", CaseStudyFields: content.CaseStudyFields{Client: "Acme", Summary: "Live."}},
		content.Fields{Title: "Study", CaseStudyFields: content.CaseStudyFields{Client: "Acme", Summary: "Not yet."}})
	mk(content.SitePage, content.Fields{Title: "Services", Prose: content.Prose{Body: "What we do."}}, content.Fields{})
	services := mustSlugID(t, src, content.SitePage, "services")
	mk(content.SitePage, content.Fields{Title: "Backend", Prose: content.Prose{Body: "APIs."}, PageFields: content.PageFields{ParentID: &services}},
		content.Fields{Title: "Backend", Prose: content.Prose{Body: "APIs and data."}, PageFields: content.PageFields{MenuOrder: 2}})

	dir1, dir2 := t.TempDir(), t.TempDir()
	if _, err := (&Sync{Content: src}).Export(ctx, dir1); err != nil {
		t.Fatal(err)
	}
	files := tree(t, dir1)
	for _, want := range []string{"posts/launch.md", "posts/working/launch.md", "posts/unchanged.md", "case-studies/study.md",
		"case-studies/working/study.md", "pages/services.md", "pages/backend.md", "pages/working/backend.md"} {
		if _, ok := files[want]; !ok {
			t.Errorf("the export has no %s; it has %v", want, keys(files))
		}
	}
	if len(files) != 8 {
		t.Errorf("the export has %d files, want 8: %v", len(files), keys(files))
	}
	dst := content.New(storetest.New(t, nil))
	sync := &Sync{Content: dst, Auth: &auth.Service{Store: dst.Store}}
	if _, err := sync.Import(ctx, dir1); err != nil {
		t.Fatalf("import: %v", err)
	}
	if _, err := sync.Export(ctx, dir2); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(files, tree(t, dir2)); d != "" {
		t.Errorf("export → import → export changed files (-first +second):\n%s", d)
	}
	// The import keeps the live version live and the changes unpublished.
	got, err := dst.Published(ctx, content.Post, "launch", false)
	if err != nil || got.Fields.Title != "Launch" || got.Fields.Body != "Live words." {
		t.Errorf("public launch = %q %q, %v; want the live version", got.Fields.Title, got.Fields.Body, err)
	}
	admin, err := dst.Get(ctx, auth.System, content.Post, got.ID)
	if err != nil || admin.Fields.Title != "Launch, revised" || !admin.HasUnpublishedChanges || admin.LiveVersion == nil {
		t.Errorf("admin launch = %q, has changes %v, live version %v, %v; want the working copy", admin.Fields.Title, admin.HasUnpublishedChanges, admin.LiveVersion, err)
	}
}

func mustSlugID(t *testing.T, s *content.Service, typ content.Type, slug string) int64 {
	t.Helper()
	e, err := s.Published(context.Background(), typ, slug, true)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// tree reads every file under dir, by its slash path.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
