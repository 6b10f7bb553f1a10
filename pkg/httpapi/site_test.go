package httpapi_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
)

// TestSiteSettings: unset, every setting is null or empty; an admin's
// PATCH sets them (the logo as a picture with its variants), the public
// answer shows them at once (its cached copy dropped), and leaving a field
// out keeps it while null unsets it.
func TestSiteSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	empty := map[string]any{"data": map[string]any{"title": nil, "description": nil, "logo": nil, "icon": nil,
		"navigation": []any{}, "social": []any{}, "language": nil, "updated_at": nil}}
	r := e.do(req{Method: "GET", Path: "/api/v1/settings"})
	r.want(t, 200, empty)
	etag := r.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on /api/v1/settings")
	}
	e.do(req{Method: "GET", Path: "/api/v1/settings", Headers: map[string]string{"If-None-Match": etag}}).want(t, 304, nil)

	logo := e.upload(auth.RoleEditor, "logo.png", pngBytes(1200, 400), map[string]string{"alt": "Northwind"})
	logo.want(t, 201, nil)
	id := logo.num("data.id")
	r = e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", As: auth.RoleAdmin, Body: map[string]any{
		"title": "  Northwind  Notes ", "description": "Notes on building software.", "logo": id,
		"navigation": []any{map[string]any{"label": "Blog", "url": "/blog"}, map[string]any{"label": "Docs", "url": "https://docs.northwind.example/"}},
		"social":     []any{map[string]any{"network": "GitHub", "url": "https://github.com/northwind"}},
		"language":   "en-gb",
	}})
	r.want(t, 200, map[string]any{
		"data.title": "Northwind Notes", "data.description": "Notes on building software.", "data.language": "en-GB",
		"data.logo.media_id": id, "data.logo.alt": "Northwind", "data.logo.width": 1200, "data.icon": nil,
		"data.navigation": []any{map[string]any{"label": "Blog", "url": "/blog"}, map[string]any{"label": "Docs", "url": "https://docs.northwind.example/"}},
		"data.social":     []any{map[string]any{"network": "github", "url": "https://github.com/northwind"}},
	})
	if len(r.list("data.logo.variants")) == 0 || r.str("data.updated_at") == "" {
		t.Errorf("the logo has no variants, or no updated_at: %s", r.Body)
	}
	pub := e.do(req{Method: "GET", Path: "/api/v1/settings", Headers: map[string]string{"If-None-Match": etag}})
	pub.want(t, 200, map[string]any{"data.title": "Northwind Notes", "data.logo.media_id": id, "data.navigation.1.label": "Docs"})
	if pub.Header.Get("ETag") == etag {
		t.Error("the ETag did not change with the settings")
	}
	e.do(req{Method: "GET", Path: "/api/v1/admin/settings", As: auth.RoleAuthor}).want(t, 200, map[string]any{"data.title": "Northwind Notes"})

	// Left out: kept. null, "" and []: unset. The order of links is kept.
	r = e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", As: auth.RoleAdmin, Body: map[string]any{
		"description": nil, "logo": nil, "social": []any{}, "language": "",
		"navigation": []any{map[string]any{"label": "Docs", "url": "https://docs.northwind.example/"}, map[string]any{"label": "Blog", "url": "/blog"}},
	}})
	r.want(t, 200, map[string]any{"data.title": "Northwind Notes", "data.description": nil, "data.logo": nil, "data.social": []any{}, "data.language": nil,
		"data.navigation.0.label": "Docs", "data.navigation.1.label": "Blog"})

	audit := e.do(req{Method: "GET", Path: "/api/v1/admin/audit?record_type=site", As: auth.RoleAdmin})
	audit.want(t, 200, map[string]any{"data.0.action": "site.update", "data.0.details.fields": []any{"description", "language", "logo", "navigation", "social"}})
	if n := len(audit.list("data")); n != 2 {
		t.Errorf("audit has %d site.update entries, want 2", n)
	}
}

// TestSiteSettingsValidation: each bad field is named in one 422; nothing
// is stored when any field is bad; only admins may change the settings.
func TestSiteSettingsValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	doc := e.upload(auth.RoleEditor, "a.pdf", pdfBytes(), nil)
	doc.want(t, 201, nil)
	r := e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", As: auth.RoleAdmin, Body: map[string]any{
		"title": strings.Repeat("x", 201), "description": "ok", "logo": 999999, "icon": doc.num("data.id"),
		"navigation": []any{map[string]any{"label": "", "url": "javascript:alert(1)"}, map[string]any{"label": "Ok", "url": "//evil.example"}},
		"social":     []any{map[string]any{"network": "my network", "url": "ftp://x"}},
		"language":   "not a language!",
	}})
	r.want(t, 422, map[string]any{"error.code": "validation_failed"})
	got := map[string]bool{}
	for _, d := range r.list("error.details") {
		got[d.(map[string]any)["field"].(string)] = true
	}
	for _, f := range []string{"title", "language", "navigation[0].label", "navigation[0].url", "navigation[1].url", "social[0].network", "social[0].url"} {
		if !got[f] {
			t.Errorf("no detail for %s: %s", f, r.Body)
		}
	}
	// The media ids are checked once the fields are well-formed.
	r = e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", As: auth.RoleAdmin, Body: map[string]any{"title": "Fine", "logo": 999999, "icon": doc.num("data.id")}})
	r.want(t, 422, map[string]any{"error.details": []any{
		map[string]any{"field": "logo", "message": "no media item has id 999999"},
		map[string]any{"field": "icon", "message": "must be an image, not a document"},
	}})
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", As: auth.RoleAdmin, Body: map[string]any{"logo": 0}}).want(t, 422, map[string]any{"error.details.0.field": "logo"})
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", As: auth.RoleAdmin, Body: map[string]any{"navigation": []any{map[string]any{"label": "x"}}, "color": "red"}}).
		want(t, 400, map[string]any{"error.code": "unknown_field"})
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", As: auth.RoleAdmin, Body: map[string]any{"navigation": []any{nil}}}).
		want(t, 422, map[string]any{"error.details.0.field": "navigation[0]"})
	e.do(req{Method: "GET", Path: "/api/v1/settings"}).want(t, 200, map[string]any{"data.title": nil})

	for _, role := range []auth.Role{auth.RoleEditor, auth.RoleMarketer, auth.RoleAuthor} {
		e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", As: role, Body: map[string]any{"title": "Mine"}}).want(t, 403, nil)
	}
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", Body: map[string]any{"title": "Mine"}}).want(t, 401, nil)
	e.do(req{Method: "GET", Path: "/api/v1/settings"}).want(t, 200, map[string]any{"data.title": nil})
}

// TestFeedsUseTheSiteSettings: the feeds' titles, descriptions, icons and
// language come from the site settings, and fall back to the host name.
func TestFeedsUseTheSiteSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.SiteURL = "https://northwind.example" })
	e.publish(map[string]any{"title": "A post"})
	type atomFeed struct {
		Lang     string `xml:"lang,attr"`
		Title    string `xml:"title"`
		Subtitle string `xml:"subtitle"`
		Icon     string `xml:"icon"`
		Logo     string `xml:"logo"`
		Author   struct {
			Name string `xml:"name"`
		} `xml:"author"`
	}
	atom := func(path string) atomFeed {
		t.Helper()
		r := e.do(req{Method: "GET", Path: path})
		var f atomFeed
		if err := xml.Unmarshal(r.Body, &f); r.Status != 200 || err != nil {
			t.Fatalf("%s: %d %v\n%s", path, r.Status, err, r.Body)
		}
		return f
	}
	jsonFeed := func(path string) map[string]any {
		t.Helper()
		r := e.do(req{Method: "GET", Path: path})
		var f map[string]any
		if err := json.Unmarshal(r.Body, &f); r.Status != 200 || err != nil {
			t.Fatalf("%s: %d %v", path, r.Status, err)
		}
		return f
	}
	if f := atom("/api/v1/feed.xml"); f.Title != "northwind.example" || f.Subtitle != "" || f.Author.Name != "northwind.example" || f.Lang != "" {
		t.Errorf("atom without settings: %+v", f)
	}
	if f := jsonFeed("/api/v1/feed.json"); f["title"] != "northwind.example" || f["description"] != nil || f["language"] != nil {
		t.Errorf("json feed without settings: %v", f)
	}

	icon := e.upload(auth.RoleEditor, "icon.png", pngBytes(64, 64), nil)
	icon.want(t, 201, nil)
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/settings", As: auth.RoleAdmin, Body: map[string]any{
		"title": "Northwind & Co", "description": "Notes <on> software.", "language": "en-GB", "icon": icon.num("data.id"), "logo": icon.num("data.id"),
	}}).want(t, 200, nil)
	iconURL := icon.str("data.url")

	f := atom("/api/v1/feed.xml")
	if f.Title != "Northwind & Co" || f.Subtitle != "Notes <on> software." || f.Author.Name != "Northwind & Co" || f.Lang != "en-GB" || f.Icon != iconURL || f.Logo != iconURL {
		t.Errorf("atom with settings: %+v (icon %s)", f, iconURL)
	}
	if f := atom("/api/v1/feed.xml?type=case_study"); f.Title != "Northwind & Co: case studies" || f.Subtitle != "Notes <on> software." {
		t.Errorf("case study atom with settings: %+v", f)
	}
	j := jsonFeed("/api/v1/feed.json")
	want := map[string]any{"title": "Northwind & Co", "description": "Notes <on> software.", "language": "en-GB", "icon": iconURL, "favicon": iconURL}
	for k, v := range want {
		if j[k] != v {
			t.Errorf("json feed %s = %v, want %v", k, j[k], v)
		}
	}
	if a := fmt.Sprint(j["authors"]); a != "[map[name:Northwind & Co]]" {
		t.Errorf("json feed authors = %s", a)
	}
}

// TestTagsAsResources: GET /api/v1/tags/{slug} serves a tag on a published
// post (a draft's tag is a 404 like a missing one); editors set its
// description, which the lists and the item show; authors and marketers
// may not; bad input is a 422; the change is audited and the public answer
// fresh at once.
func TestTagsAsResources(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(map[string]any{"title": "Live", "tags": []string{"Databases"}})
	e.createPost(map[string]any{"title": "Secret", "tags": []string{"Unannounced"}})

	r := e.do(req{Method: "GET", Path: "/api/v1/tags/databases"})
	r.want(t, 200, map[string]any{"data": map[string]any{"slug": "databases", "name": "Databases", "description": nil, "post_count": 1}})
	etag := r.Header.Get("ETag")
	draft := e.do(req{Method: "GET", Path: "/api/v1/tags/unannounced"})
	missing := e.do(req{Method: "GET", Path: "/api/v1/tags/no-such-tag"})
	draft.want(t, 404, map[string]any{"error.code": "not_found"})
	if string(draft.Body) != string(missing.Body) {
		t.Errorf("a draft's tag answers %s, a missing one %s", draft.Body, missing.Body)
	}

	e.do(req{Method: "PATCH", Path: "/api/v1/admin/tags/databases", As: auth.RoleEditor, Body: map[string]any{"description": "  Choosing, running and migrating them. "}}).
		want(t, 200, map[string]any{"data": map[string]any{"slug": "databases", "name": "Databases", "description": "Choosing, running and migrating them.", "post_count": 1}})
	pub := e.do(req{Method: "GET", Path: "/api/v1/tags/databases", Headers: map[string]string{"If-None-Match": etag}})
	pub.want(t, 200, map[string]any{"data.description": "Choosing, running and migrating them."})
	e.do(req{Method: "GET", Path: "/api/v1/tags"}).want(t, 200, map[string]any{"data.0.description": "Choosing, running and migrating them."})
	// An editor may describe a tag only drafts carry; the public still sees nothing of it.
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/tags/unannounced", As: auth.RoleAdmin, Body: map[string]any{"description": "Soon."}}).
		want(t, 200, map[string]any{"data.post_count": 1, "data.description": "Soon."})
	e.do(req{Method: "GET", Path: "/api/v1/tags/unannounced"}).want(t, 404, nil)

	e.do(req{Method: "PATCH", Path: "/api/v1/admin/tags/databases", As: auth.RoleEditor, Body: map[string]any{"description": strings.Repeat("x", 1001)}}).
		want(t, 422, map[string]any{"error.details.0.field": "description"})
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/tags/databases", As: auth.RoleEditor, Body: map[string]any{}}).
		want(t, 422, map[string]any{"error.details.0.field": "description"})
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/tags/databases", As: auth.RoleEditor, Body: map[string]any{"description": 5}}).
		want(t, 422, map[string]any{"error.details.0.field": "description"})
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/tags/no-such-tag", As: auth.RoleEditor, Body: map[string]any{"description": "x"}}).want(t, 404, nil)
	for _, role := range []auth.Role{auth.RoleAuthor, auth.RoleMarketer} {
		e.do(req{Method: "PATCH", Path: "/api/v1/admin/tags/databases", As: role, Body: map[string]any{"description": "Mine"}}).want(t, 403, nil)
	}
	audit := e.do(req{Method: "GET", Path: "/api/v1/admin/audit?record_type=tag", As: auth.RoleAdmin})
	audit.want(t, 200, map[string]any{"data.0.action": "tag.update", "data.0.details.slug": "unannounced", "data.1.details.slug": "databases"})
	// null removes it; saying the same again changes (and audits) nothing.
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/tags/databases", As: auth.RoleEditor, Body: map[string]any{"description": nil}}).want(t, 200, map[string]any{"data.description": nil})
	e.do(req{Method: "PATCH", Path: "/api/v1/admin/tags/databases", As: auth.RoleEditor, Body: map[string]any{"description": ""}}).want(t, 200, map[string]any{"data.description": nil})
	if n := len(e.do(req{Method: "GET", Path: "/api/v1/admin/audit?record_type=tag", As: auth.RoleAdmin}).list("data")); n != 3 {
		t.Errorf("%d tag.update entries, want 3", n)
	}
}

// TestAuthorsAsResources: users edit their public profile (admins anyone's,
// each user their own); GET /api/v1/authors lists the users with a
// published post and GET /api/v1/authors/{slug} serves one, with the
// avatar as a picture and never the email; a user without a published
// post is a 404.
func TestAuthorsAsResources(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	writer, token := e.newUser(auth.RoleEditor)
	quiet, quietToken := e.newUser(auth.RoleAuthor)
	avatar := e.upload(auth.RoleEditor, "me.png", pngBytes(800, 800), map[string]string{"alt": "A portrait"})
	avatar.want(t, 201, nil)
	doc := e.upload(auth.RoleEditor, "cv.pdf", pdfBytes(), nil)
	doc.want(t, 201, nil)

	me := e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: token, Body: map[string]any{
		"bio": " Databases, and the people who run them. ", "website": "https://writer.example/", "avatar_id": avatar.num("data.id")}})
	me.want(t, 200, map[string]any{"data.bio": "Databases, and the people who run them.", "data.website": "https://writer.example/", "data.avatar_id": avatar.num("data.id")})
	e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: quietToken, Body: map[string]any{"bio": "Not yet published."}}).want(t, 200, nil)
	r := e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: token, Body: map[string]any{"website": "javascript:alert(1)", "avatar_id": doc.num("data.id"), "bio": strings.Repeat("x", 2001)}})
	r.want(t, 422, nil)
	got := map[string]bool{}
	for _, d := range r.list("error.details") {
		got[d.(map[string]any)["field"].(string)] = true
	}
	if !got["website"] || !got["avatar"] || !got["bio"] {
		t.Errorf("details = %s", r.Body)
	}
	e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: token, Body: map[string]any{"avatar_id": 0}}).want(t, 422, map[string]any{"error.details.0.field": "avatar_id"})

	r = e.do(req{Method: "POST", Path: "/api/v1/admin/posts", Token: token, Body: map[string]any{"title": "By the writer"}})
	r.want(t, 201, nil)
	e.publishPost(r.num("data.id"))
	e.clock.Add(time.Minute)
	e.do(req{Method: "POST", Path: "/api/v1/admin/posts", Token: quietToken, Body: map[string]any{"title": "A draft"}}).want(t, 201, nil)

	list := e.do(req{Method: "GET", Path: "/api/v1/authors"})
	list.want(t, 200, map[string]any{"data.0.slug": writer.Slug, "data.0.name": writer.Name, "data.0.post_count": 1,
		"data.0.bio": "Databases, and the people who run them.", "data.0.website": "https://writer.example/",
		"data.0.avatar.media_id": avatar.num("data.id"), "data.0.avatar.alt": "A portrait", "data.0.avatar.width": 800})
	if n := len(list.list("data")); n != 1 {
		t.Errorf("%d authors listed, want only the one with a published post: %s", n, list.Body)
	}
	if strings.Contains(string(list.Body), "@") || strings.Contains(string(list.Body), quiet.Slug) {
		t.Errorf("the authors list shows an email or a user without a published post: %s", list.Body)
	}
	one := e.do(req{Method: "GET", Path: "/api/v1/authors/" + writer.Slug})
	one.want(t, 200, map[string]any{"data.slug": writer.Slug, "data.post_count": 1, "data.avatar.media_id": avatar.num("data.id")})
	if len(one.list("data.avatar.variants")) == 0 || strings.Contains(string(one.Body), writer.Email) {
		t.Errorf("author: %s", one.Body)
	}
	unpublished := e.do(req{Method: "GET", Path: "/api/v1/authors/" + quiet.Slug})
	missing := e.do(req{Method: "GET", Path: "/api/v1/authors/no-such-author"})
	unpublished.want(t, 404, map[string]any{"error.code": "not_found"})
	if string(unpublished.Body) != string(missing.Body) {
		t.Errorf("a user without a published post answers %s, a missing one %s", unpublished.Body, missing.Body)
	}

	// An admin edits anyone's profile; null removes; the public answer follows at once.
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", writer.ID), As: auth.RoleAdmin, Body: map[string]any{"avatar_id": nil, "website": nil}}).
		want(t, 200, map[string]any{"data.avatar_id": nil, "data.website": nil, "data.bio": "Databases, and the people who run them."})
	e.do(req{Method: "GET", Path: "/api/v1/authors/" + writer.Slug}).want(t, 200, map[string]any{"data.avatar": nil, "data.website": nil})
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", writer.ID), As: auth.RoleEditor, Body: map[string]any{"bio": "x"}}).want(t, 403, nil)
}
