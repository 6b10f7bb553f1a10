package auth_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/app"
	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/store/storetest"
	"github.com/folio-cms/folio/pkg/webhook"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// services are the four services whose methods take a caller, on one
// database, with one user of each role.
type services struct {
	content *content.Service
	library *library.Service
	auth    *auth.Service
	hooks   *webhook.Service
	as      map[auth.Role]auth.Principal
}

func newServices(t *testing.T) *services {
	t.Helper()
	h, err := auth.NewHasher(10)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir, cfg.PublicURL, cfg.JWTSecret = t.TempDir(), "http://folio.test", strings.Repeat("k", 32)
	a, err := app.New(context.Background(), cfg, app.Options{Store: storetest.New(t, nil), Hasher: h})
	if err != nil {
		t.Fatal(err)
	}
	s := &services{content: a.Content, library: a.Library, auth: a.Auth, hooks: a.Webhooks, as: map[auth.Role]auth.Principal{}}
	for _, r := range auth.Roles {
		u, err := s.auth.CreateUser(context.Background(), auth.System, auth.NewUser{Email: string(r) + "@example.com", Role: r, Password: "a sturdy passphrase"})
		if err != nil {
			t.Fatal(err)
		}
		s.as[r] = auth.Principal{User: u}
	}
	return s
}

// Fixtures, made by folio itself (the system principal) before each call,
// so that a call that is allowed finds what it works on.

func (s *services) entry(t *testing.T, typ content.Type) content.Entry {
	t.Helper()
	e, err := s.content.Create(context.Background(), s.as[auth.RoleEditor], typ, content.Input{Fields: content.Fields{Title: "Someone else's"}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (s *services) trashed(t *testing.T, typ content.Type) content.Entry {
	t.Helper()
	e := s.entry(t, typ)
	if _, err := s.content.Trash(context.Background(), auth.System, typ, e.ID); err != nil {
		t.Fatal(err)
	}
	return e
}

func (s *services) item(t *testing.T) library.Item {
	t.Helper()
	it, _, err := s.library.Upload(context.Background(), s.as[auth.RoleEditor], bytes.NewReader(pngOf(t)), "x.png", "", "")
	if err != nil {
		t.Fatal(err)
	}
	return it
}

var pngSeed byte

// pngOf returns a small PNG, a different one each time.
func pngOf(t *testing.T) []byte {
	pngSeed++
	m := image.NewGray(image.Rect(0, 0, 8, 8))
	m.Pix[0] = pngSeed
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (s *services) user(t *testing.T) auth.User {
	t.Helper()
	u, err := s.auth.CreateUser(context.Background(), auth.System, auth.NewUser{
		Email: fmt.Sprintf("fixture-%d@example.com", time.Now().UnixNano()), Role: auth.RoleAuthor, NoPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (s *services) hook(t *testing.T) webhook.Webhook {
	t.Helper()
	name, url := "site", "https://93.184.215.14/hook"
	w, _, err := s.hooks.Create(context.Background(), auth.System, webhook.Input{Name: &name, URL: &url, Events: []string{webhook.All}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// call is one service method called as p.
type call func(t *testing.T, s *services, p auth.Principal) error

// check is a service method, who may call it, and a call of it.
type check struct {
	method  string // Type.Method
	allowed string // the roles that pass the permission check
	call    call
}

const everyone = "admin editor marketer author"

// entryChecks are the content methods for one entry type, on an entry
// another user (an editor) wrote.
func entryChecks(typ content.Type, readers, writers string) []check {
	ctx := context.Background()
	name := func(m string) string { return "content.Service." + m + "/" + string(typ) }
	return []check{
		{name("Get"), readers, func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.Get(ctx, p, typ, s.entry(t, typ).ID)
			return err
		}},
		{name("List"), readers, func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.List(ctx, p, typ, content.Query{Page: 1, PerPage: 10})
			return err
		}},
		{name("Revisions"), readers, func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.Revisions(ctx, p, typ, s.entry(t, typ).ID, 1, 10)
			return err
		}},
		{name("Revision"), readers, func(t *testing.T, s *services, p auth.Principal) error {
			revs, err := s.content.Revisions(ctx, auth.System, typ, s.entry(t, typ).ID, 1, 10)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.content.Revision(ctx, p, typ, revs.Items[0].EntryID, revs.Items[0].ID)
			return err
		}},
		{name("Create"), writers, func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.Create(ctx, p, typ, content.Input{Fields: content.Fields{Title: "New"}})
			return err
		}},
		{name("Update"), strings.TrimSuffix(writers, " author"), func(t *testing.T, s *services, p auth.Principal) error {
			e := s.entry(t, typ)
			_, err := s.content.Update(ctx, p, typ, e.ID, e.Version, content.Input{Fields: content.Fields{Title: "Edited"}})
			return err
		}},
		{name("RestoreRevision"), strings.TrimSuffix(writers, " author"), func(t *testing.T, s *services, p auth.Principal) error {
			revs, err := s.content.Revisions(ctx, auth.System, typ, s.entry(t, typ).ID, 1, 10)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.content.RestoreRevision(ctx, p, typ, revs.Items[0].EntryID, revs.Items[0].ID)
			return err
		}},
		{name("Apply"), strings.TrimSuffix(writers, " author"), func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.Apply(ctx, p, typ, s.entry(t, typ).ID, content.ActionPublish, content.ActionOptions{})
			return err
		}},
		{name("Trash"), strings.TrimSuffix(writers, " author"), func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.Trash(ctx, p, typ, s.entry(t, typ).ID)
			return err
		}},
		{name("Untrash"), strings.TrimSuffix(writers, " author"), func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.Untrash(ctx, p, typ, s.trashed(t, typ).ID)
			return err
		}},
		{name("Purge"), "admin", func(t *testing.T, s *services, p auth.Principal) error {
			return s.content.Purge(ctx, p, typ, s.trashed(t, typ).ID)
		}},
		{name("Upsert"), strings.TrimSuffix(writers, " author"), func(t *testing.T, s *services, p auth.Principal) error {
			_, _, err := s.content.Upsert(ctx, p, typ, content.Record{Fields: content.Fields{Title: "Imported", Slug: fmt.Sprintf("imported-%d", time.Now().UnixNano())},
				Status: content.Draft})
			return err
		}},
	}
}

// The readers and writers of each entry type, from README's table of roles
// (not from the permission table: that is what is being checked).
var entryRoles = map[content.Type][2]string{
	content.Post:      {everyone, "admin editor author"},
	content.CaseStudy: {"admin editor marketer", "admin editor marketer"},
	content.SitePage:  {everyone, "admin editor marketer"},
}

func otherChecks() []check {
	ctx := context.Background()
	return []check{
		{"content.Service.Scheduled", everyone, func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.Scheduled(ctx, p, 1, 10)
			return err
		}},
		{"content.Service.Trashed", everyone, func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.Trashed(ctx, p, 1, 10)
			return err
		}},
		{"content.Service.Stats", everyone, func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.Stats(ctx, p)
			return err
		}},
		{"content.Service.UpdateSite", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			title := "A site"
			_, err := s.content.UpdateSite(ctx, p, content.SitePatch{Title: &title})
			return err
		}},
		{"content.Service.AllTags", everyone, func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.content.AllTags(ctx, p)
			return err
		}},

		{"library.Service.Upload", everyone, func(t *testing.T, s *services, p auth.Principal) error {
			_, _, err := s.library.Upload(ctx, p, bytes.NewReader(pngOf(t)), "y.png", "", "")
			return err
		}},
		{"library.Service.List", everyone, func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.library.List(ctx, p, "", "", 1, 10)
			return err
		}},
		{"library.Service.Get", everyone, func(t *testing.T, s *services, p auth.Principal) error {
			_, _, err := s.library.Get(ctx, p, s.item(t).ID)
			return err
		}},
		{"library.Service.Update", "admin editor marketer", func(t *testing.T, s *services, p auth.Principal) error {
			alt := "new alt"
			_, err := s.library.Update(ctx, p, s.item(t).ID, &alt, nil)
			return err
		}},
		{"library.Service.Delete", "admin editor marketer", func(t *testing.T, s *services, p auth.Principal) error {
			return s.library.Delete(ctx, p, s.item(t).ID, false)
		}},
		{"library.Service.Delete/force", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			return s.library.Delete(ctx, p, s.item(t).ID, true)
		}},

		{"auth.Service.User", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.auth.User(ctx, p, s.user(t).ID)
			return err
		}},
		{"auth.Service.Users", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.auth.Users(ctx, p, "", 1, 10)
			return err
		}},
		{"auth.Service.CreateUser", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.auth.CreateUser(ctx, p, auth.NewUser{Email: fmt.Sprintf("new-%d@example.com", time.Now().UnixNano()), Role: auth.RoleAuthor, NoPassword: true})
			return err
		}},
		{"auth.Service.UpdateUser", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			name := "Renamed"
			_, err := s.auth.UpdateUser(ctx, p, s.user(t).ID, auth.UserPatch{Name: &name})
			return err
		}},
		{"auth.Service.DeleteUser", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			return s.auth.DeleteUser(ctx, p, s.user(t).ID)
		}},
		{"auth.Service.UpdateMe", everyone, func(t *testing.T, s *services, p auth.Principal) error {
			name := "Me"
			_, _, err := s.auth.UpdateMe(ctx, p, auth.MePatch{Name: &name}, auth.Client{})
			return err
		}},
		{"auth.Service.CreateAPIToken", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, _, err := s.auth.CreateAPIToken(ctx, p, "site", auth.ScopeContent, "")
			return err
		}},
		{"auth.Service.APITokens", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.auth.APITokens(ctx, p)
			return err
		}},
		{"auth.Service.DeleteAPIToken", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			tok, _, err := s.auth.CreateAPIToken(ctx, auth.System, "site", auth.ScopeContent, "")
			if err != nil {
				t.Fatal(err)
			}
			return s.auth.DeleteAPIToken(ctx, p, tok.ID)
		}},
		{"auth.Service.AuditLog", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.auth.AuditLog(ctx, p, auth.AuditFilter{Page: 1, PerPage: 10})
			return err
		}},

		{"webhook.Service.List", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.hooks.List(ctx, p)
			return err
		}},
		{"webhook.Service.Get", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.hooks.Get(ctx, p, s.hook(t).ID)
			return err
		}},
		{"webhook.Service.Create", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			name, url := "site", "https://93.184.215.14/hook"
			_, _, err := s.hooks.Create(ctx, p, webhook.Input{Name: &name, URL: &url, Events: []string{webhook.All}})
			return err
		}},
		{"webhook.Service.Update", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			name := "renamed"
			_, _, err := s.hooks.Update(ctx, p, s.hook(t).ID, webhook.Input{Name: &name})
			return err
		}},
		{"webhook.Service.Delete", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			return s.hooks.Delete(ctx, p, s.hook(t).ID)
		}},
		{"webhook.Service.Deliveries", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.hooks.Deliveries(ctx, p, s.hook(t).ID, webhook.DeliveryQuery{Page: 1, PerPage: 10})
			return err
		}},
		{"webhook.Service.Ping", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			_, err := s.hooks.Ping(ctx, p, s.hook(t).ID)
			return err
		}},
		{"webhook.Service.Redeliver", "admin", func(t *testing.T, s *services, p auth.Principal) error {
			w := s.hook(t)
			d, err := s.hooks.Ping(ctx, auth.System, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.hooks.Redeliver(ctx, p, w.ID, d.ID)
			return err
		}},
	}
}

// uncheckedMethods are the exported methods that take no caller, and why
// none is needed. A new method goes here only with a reason.
var uncheckedMethods = map[string]string{
	"content.Service.Published":        "public read: live content only",
	"content.Service.ListPublished":    "public read: live content only",
	"content.Service.Related":          "public read: live content only",
	"content.Service.Latest":           "public read: live content only (feeds)",
	"content.Service.Sitemap":          "public read: live content only",
	"content.Service.Redirects":        "public read: old slugs of live entries only",
	"content.Service.Facets":           "public read: counts over live case studies",
	"content.Service.Tags":             "public read: counts of live posts",
	"content.Service.Authors":          "public read: authors of live posts, with their counts",
	"content.Service.ListPublishedAny": "public read: live content only (the Ghost Content API)",
	"content.Service.Site":             "public read: the site settings, which are all public",
	"content.Service.Search":           "public read: live content only",
	"content.Service.All":              "folio's own: the export command",
	"content.Service.PublishDue":       "folio's own: a background job",
	"content.Service.PurgeTrash":       "folio's own: a background job",
	"content.Service.PruneRevisions":   "folio's own: a background job",
	"content.Service.EntryNoun":        "for the library: names a type",
	"content.Service.DetachMedia":      "for the library: runs inside a delete the library has checked",
	"library.Service.Open":             "public read: a file by its content hash",
	"library.Service.Ping":             "folio's own: /readyz asks whether the media store is there",
	"library.Service.StoreKind":        "folio's own: /readyz names the media store",
	"library.Service.Sweep":            "folio's own: the cleanup pass over files no item holds",
	"library.Service.Run":              "folio's own: a background job (the cleanup pass)",
	"auth.Service.Login":               "authentication itself",
	"auth.Service.Refresh":             "authentication itself",
	"auth.Service.Logout":              "authentication itself",
	"auth.Service.LogoutAccess":        "authentication itself: the access token is the caller",
	"auth.Service.Authenticate":        "authentication itself",
	"auth.Service.VerifyAPIToken":      "authentication itself",
	"auth.Service.EnsureAdmin":         "folio's own: the first admin at start",
	"auth.Service.EnsureAuthor":        "folio's own: authors an import names",
}

// TestEveryServiceMethodChecks calls every service method that takes a
// caller as each role and as a caller without a role, and holds each to
// the roles README's table gives it: the others must get a Forbidden from
// the service itself, so no method can forget the one permission check
// (the route-table test holds the routes to it; this holds the services,
// which the command line and the jobs call without routes). Every exported
// method must be listed here, or among the unchecked ones with a reason.
func TestEveryServiceMethodChecks(t *testing.T) {
	t.Parallel()
	checks := otherChecks()
	for _, typ := range content.Types {
		roles, ok := entryRoles[typ]
		if !ok {
			t.Fatalf("entryRoles: say who reads and writes entries of type %q", typ)
		}
		checks = append(checks, entryChecks(typ, roles[0], roles[1])...)
	}
	covered := map[string]bool{}
	for _, c := range checks {
		covered[strings.SplitN(c.method, "/", 2)[0]] = true
	}
	principal := reflect.TypeFor[auth.Principal]()
	for _, svc := range []any{&content.Service{}, &library.Service{}, &auth.Service{}, &webhook.Service{}} {
		typ := reflect.TypeOf(svc)
		pkg := strings.TrimPrefix(typ.Elem().PkgPath(), "github.com/folio-cms/folio/pkg/")
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			name := pkg + "." + typ.Elem().Name() + "." + m.Name
			takesCaller := false
			for j := range m.Type.NumIn() {
				takesCaller = takesCaller || m.Type.In(j) == principal
			}
			_, unchecked := uncheckedMethods[name]
			switch {
			case takesCaller && !covered[name]:
				t.Errorf("%s takes a caller but is not in this test: add it with the roles that may call it", name)
			case !takesCaller && !unchecked:
				t.Errorf("%s takes no caller, so it cannot check one: give it one (and a row here), or list it in uncheckedMethods with why", name)
			case takesCaller && unchecked:
				t.Errorf("%s takes a caller: check it, and take it out of uncheckedMethods", name)
			}
			delete(uncheckedMethods, name)
		}
	}
	for name := range uncheckedMethods {
		t.Errorf("uncheckedMethods lists %s, which is not a method any more", name)
	}

	s := newServices(t)
	callers := append([]auth.Role{""}, auth.Roles...)
	for _, c := range checks {
		for _, role := range callers {
			p := s.as[role]
			if role == "" {
				p = auth.Principal{User: auth.User{ID: s.as[auth.RoleAdmin].ID, Name: "no role"}} // someone real, without a role
			}
			err := c.call(t, s, p)
			want := role != "" && slices.Contains(strings.Fields(c.allowed), string(role))
			switch {
			case want && errs.Is(err, errs.Forbidden):
				t.Errorf("%s as %q: %v; want it allowed", c.method, role, err)
			case want && err != nil:
				t.Errorf("%s as %q: %v; the fixture should let it succeed", c.method, role, err)
			case !want && !errs.Is(err, errs.Forbidden):
				t.Errorf("%s as %q = %v; want forbidden", c.method, role, err)
			}
		}
	}
}

// TestAllowed: how far each scope reaches, on the author's posts.update
// (ScopeOwn) and the editor's (ScopeAny).
func TestAllowed(t *testing.T) {
	t.Parallel()
	me, other := int64(7), int64(8)
	author := auth.Principal{User: auth.User{ID: me, Role: auth.RoleAuthor}}
	editor := auth.Principal{User: auth.User{ID: me, Role: auth.RoleEditor}}
	tests := []struct {
		name         string
		rec          auth.Record
		author, edit bool
	}{
		{"no record in particular", auth.NoRecord, true, true},
		{"their own open record", auth.Record{Owner: &me}, true, true},
		{"their own closed record", auth.Record{Owner: &me, Closed: true}, false, true},
		{"someone else's", auth.Record{Owner: &other}, false, true},
		{"nobody's", auth.Record{}, false, true},
	}
	for _, tt := range tests {
		if got := auth.Allowed(author, auth.PermPostUpdate, tt.rec); got != tt.author {
			t.Errorf("author, %s: %v, want %v", tt.name, got, tt.author)
		}
		if got := auth.Allowed(editor, auth.PermPostUpdate, tt.rec); got != tt.edit {
			t.Errorf("editor, %s: %v, want %v", tt.name, got, tt.edit)
		}
		if auth.Allowed(author, auth.PermUsersManage, tt.rec) || auth.Allowed(auth.Principal{User: auth.User{ID: me}}, auth.PermSignedIn, tt.rec) {
			t.Errorf("%s: a permission the role lacks, or a caller without a role, passed", tt.name)
		}
		if err := auth.Check(author, auth.PermPostUpdate, tt.rec); (err == nil) != tt.author || (err != nil && !errs.Is(err, errs.Forbidden)) {
			t.Errorf("Check, author, %s = %v", tt.name, err)
		}
	}
	// Own needs a caller who is someone: an id of 0 owns nothing.
	if auth.Allowed(auth.Principal{User: auth.User{Role: auth.RoleAuthor}}, auth.PermPostUpdate, auth.Record{Owner: new(int64)}) {
		t.Error("a caller without an id owns the record of user 0")
	}
}
