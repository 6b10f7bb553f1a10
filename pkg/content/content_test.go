package content_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

type fixture struct {
	svc   *content.Service
	users map[auth.Role]auth.Principal
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), users: map[auth.Role]auth.Principal{}}
	st := storetest.New(t, func() time.Time { return f.now })
	f.svc = &content.Service{Store: st, Now: func() time.Time { return f.now }}
	h, _ := auth.NewHasher(10)
	as := &auth.Service{Store: st, Hasher: h}
	for _, r := range auth.Roles {
		u, err := as.CreateUser(context.Background(), auth.System, auth.NewUser{Email: string(r) + "@example.com", Role: r, NoPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		f.users[r] = auth.Principal{User: u}
	}
	return f
}

func (f *fixture) create(t *testing.T, as auth.Role, typ content.Type, title string) content.Entry {
	t.Helper()
	e, err := f.svc.Create(context.Background(), f.users[as], typ, content.Input{Fields: content.Fields{Title: title}})
	if err != nil {
		t.Fatalf("create %s as %s: %v", typ, as, err)
	}
	return e
}

// TestOwnership is the table of who may change what: authors change their
// own drafts only; editors everything; marketers case studies only.
func TestOwnership(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	own := f.create(t, auth.RoleAuthor, content.Post, "Mine")
	others := f.create(t, auth.RoleEditor, content.Post, "Theirs")
	published := f.create(t, auth.RoleAuthor, content.Post, "Mine but live")
	if _, err := f.svc.Apply(ctx, f.users[auth.RoleEditor], content.Post, published.ID, content.ActionPublish, content.ActionOptions{}); err != nil {
		t.Fatal(err)
	}
	study := f.create(t, auth.RoleMarketer, content.CaseStudy, "Study")

	tests := []struct {
		name string
		as   auth.Role
		typ  content.Type
		id   int64
		want errs.Kind // Internal means success here
	}{
		{"author edits own draft", auth.RoleAuthor, content.Post, own.ID, errs.Internal},
		{"author edits another's draft", auth.RoleAuthor, content.Post, others.ID, errs.Forbidden},
		{"author edits own published post", auth.RoleAuthor, content.Post, published.ID, errs.Forbidden},
		{"editor edits any post", auth.RoleEditor, content.Post, own.ID, errs.Internal},
		{"marketer edits a post", auth.RoleMarketer, content.Post, others.ID, errs.Forbidden},
		{"marketer edits a case study", auth.RoleMarketer, content.CaseStudy, study.ID, errs.Internal},
		{"author edits a case study", auth.RoleAuthor, content.CaseStudy, study.ID, errs.Forbidden},
		{"admin edits anything", auth.RoleAdmin, content.CaseStudy, study.ID, errs.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur, err := f.svc.Get(ctx, f.users[auth.RoleAdmin], tt.typ, tt.id)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.Update(ctx, f.users[tt.as], tt.typ, tt.id, cur.Version, content.Input{Fields: cur.Fields})
			if (err == nil) != (tt.want == errs.Internal) || (err != nil && !errs.Is(err, tt.want)) {
				t.Errorf("Update as %s = %v, want kind %v", tt.as, err, tt.want)
			}
		})
	}
	// Only those who may edit every post may reassign one.
	editorID := f.users[auth.RoleEditor].ID
	cur, _ := f.svc.Get(ctx, f.users[auth.RoleAdmin], content.Post, own.ID)
	if _, err := f.svc.Update(ctx, f.users[auth.RoleAuthor], content.Post, own.ID, cur.Version, content.Input{Fields: cur.Fields, AuthorID: &editorID}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("author reassigning a post: %v, want Forbidden", err)
	}
	got, err := f.svc.Update(ctx, f.users[auth.RoleEditor], content.Post, own.ID, cur.Version, content.Input{Fields: cur.Fields, AuthorID: &editorID})
	if err != nil || got.Author == nil || got.Author.ID != editorID {
		t.Errorf("editor reassigning a post: %v, author %+v", err, got.Author)
	}
	missing := int64(9999)
	if _, err := f.svc.Update(ctx, f.users[auth.RoleEditor], content.Post, own.ID, got.Version, content.Input{Fields: cur.Fields, AuthorID: &missing}); !errs.Is(err, errs.Validation) {
		t.Errorf("unknown author: %v, want Validation", err)
	}
	// Authors cannot publish.
	if _, err := f.svc.Apply(ctx, f.users[auth.RoleAuthor], content.Post, own.ID, content.ActionPublish, content.ActionOptions{}); !errs.Is(err, errs.Forbidden) {
		t.Errorf("author publishing: %v, want Forbidden", err)
	}
}

func TestSlugFallbacks(t *testing.T) {
	f := newFixture(t)
	if e := f.create(t, auth.RoleEditor, content.Post, "!!!"); e.Fields.Slug != "post" {
		t.Errorf("slug of %q = %q, want post", "!!!", e.Fields.Slug)
	}
	if e := f.create(t, auth.RoleEditor, content.Post, "???"); e.Fields.Slug != "post-2" {
		t.Errorf("second slug = %q, want post-2", e.Fields.Slug)
	}
	if e := f.create(t, auth.RoleEditor, content.CaseStudy, "%%%"); e.Fields.Slug != "case-study" {
		t.Errorf("case study slug = %q, want case-study", e.Fields.Slug)
	}
}

func TestUpsertIsIdempotent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	author := f.users[auth.RoleAuthor].ID
	rec := content.Record{
		Status: content.Published, PublishedAt: &at, AuthorID: &author,
		Fields: content.Fields{Title: "Imported", Slug: "imported", Prose: content.Prose{Body: "Hello\n\n"}, PostFields: content.PostFields{Tags: []string{"A", "B"}}},
	}
	steps := []struct {
		change func(*content.Record)
		want   content.Outcome
	}{
		{func(*content.Record) {}, content.Created},
		{func(*content.Record) {}, content.Unchanged},
		{func(r *content.Record) { r.Fields.Body = "Hello" }, content.Unchanged}, // trailing whitespace is not content
		{func(r *content.Record) { r.Fields.Tags = []string{"B", "A"} }, content.Updated},
		{func(r *content.Record) { r.Status, r.PublishedAt = content.Draft, nil }, content.Updated},
		{func(r *content.Record) {}, content.Unchanged},
	}
	for i, s := range steps {
		s.change(&rec)
		got, e, err := f.svc.Upsert(ctx, auth.System, content.Post, rec)
		if err != nil || got != s.want {
			t.Fatalf("step %d: Upsert = %s, %v; want %s", i, got, err, s.want)
		}
		if e.Fields.Slug != "imported" {
			t.Fatalf("step %d: slug %q", i, e.Fields.Slug)
		}
	}
	page, _ := f.svc.List(ctx, f.users[auth.RoleAdmin], content.Post, content.Query{Page: 1, PerPage: 10})
	if page.Total != 1 || page.Items[0].Version != 3 {
		t.Errorf("after the upserts: %d posts, version %d; want 1 post at version 3", page.Total, page.Items[0].Version)
	}
}

// TestSaveWithoutChangesStoresNothing: pressing Save again, or restoring
// the revision that is already current, adds no version and no revision.
func TestSaveWithoutChangesStoresNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.users[auth.RoleAdmin]
	fields := content.Fields{Title: "Twice", SEO: content.SEO{MetaTitle: "Twice"}, Prose: content.Prose{Body: "Same text.\n\n## A heading"}, PostFields: content.PostFields{Tags: []string{"Go"}}}
	e, err := f.svc.Create(ctx, admin, content.Post, content.Input{Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	revisions := func() []content.Revision {
		t.Helper()
		p, err := f.svc.Revisions(ctx, admin, content.Post, e.ID, 1, 50)
		if err != nil {
			t.Fatal(err)
		}
		return p.Items
	}
	fields.Slug = e.Fields.Slug
	for _, autosave := range []bool{false, true, false} {
		got, err := f.svc.Update(ctx, admin, content.Post, e.ID, 1, content.Input{Fields: fields, Autosave: autosave})
		if err != nil {
			t.Fatalf("save without changes (autosave %v): %v", autosave, err)
		}
		if got.Version != 1 || got.Fields.Body != fields.Body {
			t.Fatalf("save without changes: version %d, body %q; want version 1 and the same body", got.Version, got.Fields.Body)
		}
	}
	// Without a slug the current one is kept: that is no change either.
	noSlug := fields
	noSlug.Slug = ""
	if got, err := f.svc.Update(ctx, admin, content.Post, e.ID, 1, content.Input{Fields: noSlug}); err != nil || got.Version != 1 {
		t.Fatalf("save without a slug: version %d, %v", got.Version, err)
	}
	if revs := revisions(); len(revs) != 1 || revs[0].Kind != "create" {
		t.Fatalf("revisions after saves without changes: %+v, want only the create", revs)
	}
	// A real change is still a new version and revision; restoring the
	// revision that equals the current text adds nothing.
	changed := fields
	changed.Body += "\n\nMore."
	v2, err := f.svc.Update(ctx, admin, content.Post, e.ID, 1, content.Input{Fields: changed})
	if err != nil || v2.Version != 2 {
		t.Fatalf("a real change: version %d, %v", v2.Version, err)
	}
	revs := revisions()
	if len(revs) != 2 {
		t.Fatalf("revisions: %d, want 2", len(revs))
	}
	restored, err := f.svc.RestoreRevision(ctx, admin, content.Post, e.ID, revs[0].ID) // the latest: the current text
	if err != nil || restored.Version != 2 {
		t.Fatalf("restore the current revision: version %d, %v", restored.Version, err)
	}
	if n := len(revisions()); n != 2 {
		t.Fatalf("revisions after restoring the current one: %d, want 2", n)
	}
	// A stale base is still a conflict, even when nothing would change.
	if _, err := f.svc.Update(ctx, admin, content.Post, e.ID, 1, content.Input{Fields: changed}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("stale save: %v, want a conflict", err)
	}
}
