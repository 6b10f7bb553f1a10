package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/auth"
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
	handle  fiber.Handler
}

// routes is THE route table: every route, with who may call it.
func (a *api) routes() []route {
	p, cs := a.posts, a.studies
	return []route{
		// Health.
		{method: "GET", path: "/healthz", perm: public, handle: a.healthz},
		{method: "GET", path: "/readyz", perm: public, handle: a.readyz},

		// Public delivery API: published content (and previews with a preview token).
		{method: "GET", path: "/api/v1/posts", perm: public, deliver: true, handle: a.publicList(p)},
		{method: "GET", path: "/api/v1/posts/:slug", perm: public, deliver: true, handle: a.publicGet(p)},
		{method: "GET", path: "/api/v1/case-studies", perm: public, deliver: true, handle: a.publicList(cs)},
		{method: "GET", path: "/api/v1/case-studies/:slug", perm: public, deliver: true, handle: a.publicGet(cs)},
		{method: "GET", path: "/api/v1/tags", perm: public, deliver: true, handle: a.tags},

		// Sign-in and sessions (the refresh token travels in a cookie).
		{method: "POST", path: "/api/v1/auth/login", perm: public, noStore: true, handle: a.login},
		{method: "POST", path: "/api/v1/auth/refresh", perm: public, noStore: true, handle: a.refresh},
		{method: "POST", path: "/api/v1/auth/logout", perm: public, noStore: true, handle: a.logout},
		{method: "GET", path: "/api/v1/auth/me", perm: auth.PermSignedIn, handle: a.me},
		{method: "PATCH", path: "/api/v1/auth/me", perm: auth.PermSignedIn, handle: a.updateMe},

		// Admin: posts.
		{method: "GET", path: "/api/v1/admin/posts", perm: auth.PermPostRead, handle: a.adminList(p)},
		{method: "POST", path: "/api/v1/admin/posts", perm: auth.PermPostCreate, handle: a.create(p)},
		{method: "GET", path: "/api/v1/admin/posts/:id", perm: auth.PermPostRead, handle: a.adminGet(p)},
		{method: "PUT", path: "/api/v1/admin/posts/:id", perm: auth.PermPostUpdate, handle: a.replace(p)},
		{method: "DELETE", path: "/api/v1/admin/posts/:id", perm: auth.PermPostDelete, handle: a.remove(p)},
		{method: "POST", path: "/api/v1/admin/posts/:id/publish", perm: auth.PermPostPublish, handle: a.publish(p)},
		{method: "POST", path: "/api/v1/admin/posts/:id/unpublish", perm: auth.PermPostPublish, handle: a.unpublish(p)},

		// Admin: case studies.
		{method: "GET", path: "/api/v1/admin/case-studies", perm: auth.PermCaseStudyRead, handle: a.adminList(cs)},
		{method: "POST", path: "/api/v1/admin/case-studies", perm: auth.PermCaseStudyCreate, handle: a.create(cs)},
		{method: "GET", path: "/api/v1/admin/case-studies/:id", perm: auth.PermCaseStudyRead, handle: a.adminGet(cs)},
		{method: "PUT", path: "/api/v1/admin/case-studies/:id", perm: auth.PermCaseStudyUpdate, handle: a.replace(cs)},
		{method: "DELETE", path: "/api/v1/admin/case-studies/:id", perm: auth.PermCaseStudyDelete, handle: a.remove(cs)},
		{method: "POST", path: "/api/v1/admin/case-studies/:id/publish", perm: auth.PermCaseStudyPublish, handle: a.publish(cs)},
		{method: "POST", path: "/api/v1/admin/case-studies/:id/unpublish", perm: auth.PermCaseStudyPublish, handle: a.unpublish(cs)},

		// Admin: editor tools.
		{method: "POST", path: "/api/v1/admin/preview", perm: auth.PermSignedIn, handle: a.preview},

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
	}
}
