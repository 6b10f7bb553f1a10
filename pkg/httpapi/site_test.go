package httpapi_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

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
