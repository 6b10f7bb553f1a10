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
			if got := errs.KindOf(err); (err == nil) != (tt.want == errs.Internal) || (err != nil && got != tt.want) {
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
		Fields: content.Fields{Title: "Imported", Slug: "imported", Body: "Hello\n\n", Tags: []string{"A", "B"}},
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
