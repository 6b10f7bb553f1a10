package httpapi

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
)

// public marks a route that needs no sign-in.
const public auth.Permission = ""

// route is one line of the route table.
type route struct {
	method  string
	path    string
	perm    auth.Permission // the permission a caller needs; public for none
	noStore bool            // public routes whose answers must never be cached
	deliver bool            // the public delivery API: API tokens and previews apply
	params  []string        // a delivery route's query parameters, besides key and preview: others are a 400
	page    bool            // not part of the JSON API (the admin app): not in the OpenAPI spec
	handle  fiber.Handler
}

// routes is THE route table: every route, with who may call it.
func (a *api) routes() []route {
	p, cs, pg := a.posts, a.studies, a.pages
	return append([]route{
		// The admin app (its own sign-in screen uses the auth API).
		{method: "GET", path: "/", perm: public, page: true, handle: toAdmin},
		{method: "GET", path: "/admin/*", perm: public, page: true, handle: a.serveAdmin},

		// Health.
		{method: "GET", path: "/healthz", perm: public, handle: a.healthz},
		{method: "GET", path: "/readyz", perm: public, handle: a.readyz},
		{method: "GET", path: "/metrics", perm: public, noStore: true, handle: a.metrics}, // FOLIO_METRICS_TOKEN as a Bearer token

		// Public delivery API: published content (and previews with a preview token).
		{method: "GET", path: "/api/v1/posts", perm: public, deliver: true, params: listParams("tag", "author"), handle: a.publicList(p)},
		{method: "GET", path: "/api/v1/posts/:slug", perm: public, deliver: true, handle: a.publicGet(p)},
		{method: "GET", path: "/api/v1/case-studies", perm: public, deliver: true, params: listParams("industry", "technology"), handle: a.publicList(cs)},
		{method: "GET", path: "/api/v1/case-studies/facets", perm: public, deliver: true, handle: a.facets}, // before :slug; "facets" is a reserved slug
		{method: "GET", path: "/api/v1/case-studies/:slug", perm: public, deliver: true, handle: a.publicGet(cs)},
		{method: "GET", path: "/api/v1/pages", perm: public, deliver: true, params: listParams("parent"), handle: a.publicList(pg)},
		{method: "GET", path: "/api/v1/pages/:slug", perm: public, deliver: true, handle: a.publicGet(pg)},
		{method: "GET", path: "/api/v1/posts/:slug/related", perm: public, deliver: true, params: []string{"limit"}, handle: a.related},
		{method: "GET", path: "/api/v1/tags", perm: public, deliver: true, handle: a.tags},
		{method: "GET", path: "/api/v1/search", perm: public, deliver: true, params: []string{"q", "type", "page", "per_page"}, handle: a.search},
		{method: "GET", path: "/api/v1/sitemap", perm: public, deliver: true, handle: a.sitemap},
		{method: "GET", path: "/api/v1/redirects", perm: public, deliver: true, handle: a.redirects},
		{method: "GET", path: "/api/v1/settings", perm: public, deliver: true, handle: a.site},
		{method: "GET", path: "/api/v1/feed.xml", perm: public, deliver: true, params: []string{"type"}, handle: a.feedXML},
		{method: "GET", path: "/api/v1/feed.json", perm: public, deliver: true, params: []string{"type"}, handle: a.feedJSON},

		// The contract, as a file and as a page.
		{method: "GET", path: "/api/openapi.yaml", perm: public, handle: a.openapi},
		{method: "GET", path: "/api/docs", perm: public, page: true, handle: a.docs},

		// Sign-in and sessions (the refresh token travels in a cookie).
		{method: "POST", path: "/api/v1/auth/login", perm: public, noStore: true, handle: a.login},
		{method: "POST", path: "/api/v1/auth/refresh", perm: public, noStore: true, handle: a.refresh},
		{method: "POST", path: "/api/v1/auth/logout", perm: public, noStore: true, handle: a.logout},
		{method: "GET", path: "/api/v1/auth/me", perm: auth.PermSignedIn, handle: a.me},
		{method: "PATCH", path: "/api/v1/auth/me", perm: auth.PermSignedIn, handle: a.updateMe},

		// Admin: across types.
		{method: "GET", path: "/api/v1/admin/stats", perm: auth.PermSignedIn, handle: a.stats},
		{method: "GET", path: "/api/v1/admin/config", perm: auth.PermSignedIn, handle: a.settings},
		{method: "GET", path: "/api/v1/admin/settings", perm: auth.PermSignedIn, handle: a.site},
		{method: "PATCH", path: "/api/v1/admin/settings", perm: auth.PermSiteManage, handle: a.updateSite},
		{method: "GET", path: "/api/v1/admin/tags", perm: auth.PermPostRead, handle: a.tags},
		{method: "GET", path: "/api/v1/admin/scheduled", perm: auth.PermSignedIn, handle: a.scheduled},
		{method: "GET", path: "/api/v1/admin/trash", perm: auth.PermSignedIn, handle: a.trash},

		// Admin: editor tools.
		{method: "POST", path: "/api/v1/admin/preview", perm: auth.PermSignedIn, handle: a.preview},

		// Admin: the media library; the files themselves are public.
		{method: "GET", path: "/api/v1/admin/media", perm: auth.PermMediaRead, handle: a.listMedia},
		{method: "POST", path: "/api/v1/admin/media", perm: auth.PermMediaUpload, handle: a.uploadMedia},
		{method: "GET", path: "/api/v1/admin/media/:id", perm: auth.PermMediaRead, handle: a.getMedia},
		{method: "PATCH", path: "/api/v1/admin/media/:id", perm: auth.PermMediaUpdate, handle: a.updateMedia},
		{method: "DELETE", path: "/api/v1/admin/media/:id", perm: auth.PermMediaDelete, handle: a.deleteMedia}, // ?force=1 also needs media.force_delete
		{method: "GET", path: "/media/*", perm: public, handle: a.serveMedia},

		// Admin: users, API tokens, audit log (admins only).
		{method: "GET", path: "/api/v1/admin/users", perm: auth.PermUsersManage, handle: a.listUsers},
		{method: "POST", path: "/api/v1/admin/users", perm: auth.PermUsersManage, handle: a.createUser},
		{method: "GET", path: "/api/v1/admin/users/:id", perm: auth.PermUsersManage, handle: a.getUser},
		{method: "PATCH", path: "/api/v1/admin/users/:id", perm: auth.PermUsersManage, handle: a.updateUser},
		{method: "DELETE", path: "/api/v1/admin/users/:id", perm: auth.PermUsersManage, handle: a.deleteUser},
		{method: "GET", path: "/api/v1/admin/tokens", perm: auth.PermTokensManage, handle: a.listTokens},
		{method: "POST", path: "/api/v1/admin/tokens", perm: auth.PermTokensManage, handle: a.createToken},
		{method: "DELETE", path: "/api/v1/admin/tokens/:id", perm: auth.PermTokensManage, handle: a.deleteToken},
		{method: "GET", path: "/api/v1/admin/audit", perm: auth.PermAuditRead, handle: a.auditLog},

		// Admin: webhooks and their deliveries (admins only).
		{method: "GET", path: "/api/v1/admin/webhooks", perm: auth.PermWebhooks, handle: a.listWebhooks},
		{method: "POST", path: "/api/v1/admin/webhooks", perm: auth.PermWebhooks, handle: a.createWebhook},
		{method: "GET", path: "/api/v1/admin/webhooks/:id", perm: auth.PermWebhooks, handle: a.getWebhook},
		{method: "PATCH", path: "/api/v1/admin/webhooks/:id", perm: auth.PermWebhooks, handle: a.updateWebhook},
		{method: "DELETE", path: "/api/v1/admin/webhooks/:id", perm: auth.PermWebhooks, handle: a.deleteWebhook},
		{method: "GET", path: "/api/v1/admin/webhooks/:id/deliveries", perm: auth.PermWebhooks, handle: a.listDeliveries},
		{method: "POST", path: "/api/v1/admin/webhooks/:id/deliveries/:delivery_id/redeliver", perm: auth.PermWebhooks, handle: a.redeliver},
		{method: "POST", path: "/api/v1/admin/webhooks/:id/ping", perm: auth.PermWebhooks, handle: a.pingWebhook},
	}, slices.Concat(a.ghostRoutes(), a.entryRoutes(p), a.entryRoutes(cs), a.entryRoutes(pg))...)
}

// entryRoutes are the admin routes of one entry type: posts and case
// studies have the same workflow, so their routes come from this one list.
func (a *api) entryRoutes(x entryAPI) []route {
	base, item, p := x.adminPath, x.adminPath+"/:id", x.perms
	routes := []route{
		{method: "GET", path: base, perm: p.Read, handle: a.adminList(x)},
		{method: "POST", path: base, perm: p.Create, handle: a.create(x)},
		{method: "GET", path: item, perm: p.Read, handle: a.adminGet(x)},
		{method: "PUT", path: item, perm: p.Update, handle: a.replace(x)},
		{method: "PATCH", path: item, perm: p.Update, handle: a.patch(x)},
		{method: "DELETE", path: item, perm: p.Delete, handle: a.remove(x)}, // ?permanent=1 also needs content.purge
		{method: "POST", path: item + "/restore", perm: p.Delete, handle: a.untrash(x)},
		{method: "GET", path: item + "/revisions", perm: p.Read, handle: a.revisions(x)},
		{method: "GET", path: item + "/revisions/:rev", perm: p.Read, handle: a.revision(x)},
		{method: "POST", path: item + "/revisions/:rev/restore", perm: p.Update, handle: a.restoreRevision(x)},
	}
	for _, act := range content.Actions {
		routes = append(routes, route{method: "POST", path: item + "/" + string(act), perm: content.ActionPerm(x.typ, act), handle: a.action(x, act)})
	}
	return routes
}

// listParams are the query parameters of a public list: paging, sorting,
// the filters every type has, and the type's own.
func listParams(own ...string) []string {
	return append([]string{"page", "per_page", "sort", "featured", "published_after", "published_before", "updated_after", "fields"}, own...)
}
