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

// TestSiteSettingsRoundTrip: the site settings go to site.yml on export,
// come back on import into a new installation, and export again byte for
// byte the same; importing the same file twice changes nothing.
func TestSiteSettingsRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := content.New(storetest.New(t, nil))
	title, desc, lang := "Northwind Labs: notes", "Backend systems, built and handed over.\nSince 2014.", "en-gb"
	nav := []content.NavLink{{Label: "Blog", URL: "/blog"}, {Label: "Say: hi #1", URL: "https://northwind.example/contact?x=1"}}
	soc := []content.SocialLink{{Network: "github", URL: "https://github.com/northwind"}}
	if _, err := src.UpdateSite(ctx, auth.System, content.SitePatch{Title: &title, Description: &desc, Language: &lang, Navigation: &nav, Social: &soc}); err != nil {
		t.Fatal(err)
	}
	dir1, dir2 := t.TempDir(), t.TempDir()
	if _, err := (&Sync{Content: src}).Export(ctx, dir1); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(filepath.Join(dir1, SiteFile))
	if err != nil {
		t.Fatal(err)
	}
	want := `title: 'Northwind Labs: notes'
description: |-
    Backend systems, built and handed over.
    Since 2014.
language: en-GB
navigation:
    - label: Blog
      url: /blog
    - label: 'Say: hi #1'
      url: https://northwind.example/contact?x=1
social:
    - network: github
      url: https://github.com/northwind
`
	if diff := cmp.Diff(want, string(first)); diff != "" {
		t.Errorf("site.yml (-want +got):\n%s", diff)
	}

	dst := content.New(storetest.New(t, nil))
	sync := &Sync{Content: dst, Auth: &auth.Service{Store: dst.Store}}
	rep, err := sync.Import(ctx, dir1)
	if err != nil || rep.Counts[content.Created] != 1 {
		t.Fatalf("import: %v %v", rep, err)
	}
	if rep, err := sync.Import(ctx, dir1); err != nil || rep.Counts[content.Unchanged] != 1 || rep.Counts[content.Updated] != 0 {
		t.Fatalf("import again: %v %v", rep, err)
	}
	if _, err := sync.Export(ctx, dir2); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(filepath.Join(dir2, SiteFile))
	if string(first) != string(second) {
		t.Errorf("export → import → export changed site.yml:\n%s", cmp.Diff(string(first), string(second)))
	}
	a, _ := src.Site(ctx)
	b, _ := dst.Site(ctx)
	a.UpdatedAt, b.UpdatedAt = nil, nil
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("settings lost on the way (-exported +imported):\n%s", diff)
	}
}

// TestSiteFileIsCheckedBeforeAnything: a bad site.yml stops the import
// before any entry is stored, and names the file and the field.
func TestSiteFileIsCheckedBeforeAnything(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "posts"), 0o755)
	os.WriteFile(filepath.Join(dir, "posts", "a.md"), []byte("---\ntitle: A\nslug: a\nstatus: draft\n---\n"), 0o644)
	svc := content.New(storetest.New(t, nil))
	sync := &Sync{Content: svc, Auth: &auth.Service{Store: svc.Store}}
	for _, bad := range []struct{ file, want string }{
		{"navigation:\n    - label: Blog\n      url: blog\n", "navigation[0].url"},
		{"colour: red\n", "field colour not found"},
		{"language: not a language\n", "language must be a BCP 47"},
	} {
		os.WriteFile(filepath.Join(dir, SiteFile), []byte(bad.file), 0o644)
		_, err := sync.Import(ctx, dir)
		if err == nil || !strings.Contains(err.Error(), SiteFile) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want an error about %s naming %s", bad.file, err, SiteFile, bad.want)
		}
		if strings.HasPrefix(bad.want, "navigation") && !errs.Is(errorsUnwrapAll(err), errs.Validation) {
			t.Errorf("%q: %v is not a validation error", bad.file, err)
		}
	}
	if all, _ := svc.All(ctx, content.Post); len(all) != 0 {
		t.Errorf("%d posts stored despite the bad site.yml", len(all))
	}
}

func errorsUnwrapAll(err error) error {
	for {
		j, ok := err.(interface{ Unwrap() []error })
		if !ok {
			return err
		}
		err = j.Unwrap()[0]
	}
}

// TestSampleSiteSettingsImport: the samples' site.yml imports.
func TestSampleSiteSettingsImport(t *testing.T) {
	ctx := context.Background()
	svc := content.New(storetest.New(t, nil))
	sync := &Sync{Content: svc, Auth: &auth.Service{Store: svc.Store}}
	if _, err := sync.Import(ctx, filepath.Join("..", "..", "content")); err != nil {
		t.Fatal(err)
	}
	s, err := svc.Site(ctx)
	if err != nil || s.Title != "Northwind Labs" || len(s.Navigation) == 0 {
		t.Fatalf("samples' site settings: %+v, %v", s, err)
	}
}
