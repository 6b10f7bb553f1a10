package httpapi

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/errs"
)

const keyPreview ctxKey = 100

// deliver guards the public delivery API. An API token may come as
// "Authorization: Bearer <token>" or ?key=<token>; a bad one is refused
// even where none is needed. With FOLIO_PUBLIC_API=token a valid token is
// required. A preview-scope token together with ?preview=1 switches on
// preview (drafts and scheduled items are shown), and such answers are
// never stored by any cache; ?preview=1 without a token is a 401, with a
// content-scope token a 403 (preview_not_allowed).
func (a *api) deliver(c *fiber.Ctx) error {
	c.Vary(fiber.HeaderAuthorization)
	preview, err := queryFlag(c, "preview")
	if err != nil {
		return err
	}
	secret, given := apiTokenOf(c)
	if !given {
		if a.cfg.PublicAPI == config.PublicToken {
			return errs.New(errs.Unauthenticated, "api_token_required", "This API needs an API token: send \"Authorization: Bearer <token>\" or ?key=<token>.")
		}
		if preview {
			return errs.New(errs.Unauthenticated, "preview_token_required", "A preview needs a preview token: send \"Authorization: Bearer <token>\" or ?key=<token> with ?preview=1.")
		}
		return a.cached(c)
	}
	tok, err := a.auth.VerifyAPIToken(c.UserContext(), secret)
	if err != nil {
		return err
	}
	if preview && tok.Scope != auth.ScopePreview {
		// Saying so beats answering the published content as if it were
		// the preview the frontend asked for.
		return errs.New(errs.Forbidden, "preview_not_allowed", "This API token may read published content only: previews need a token with the preview scope.")
	}
	if preview {
		c.Locals(keyPreview, true)
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		return c.Next() // previews are never cached, here or anywhere
	}
	return a.cached(c)
}

// cors answers the CORS of the public API: origins in FOLIO_CORS_ORIGINS
// (or any, with "*") may read it from a browser; other origins get no CORS
// headers at all. The admin and auth routes never get this middleware, so
// no setting opens them to other origins.
func (a *api) cors(c *fiber.Ctx) error {
	origin := c.Get(fiber.HeaderOrigin)
	if len(a.cfg.CORSOrigins) > 0 {
		c.Vary(fiber.HeaderOrigin)
	}
	allowed := origin != "" && (slices.Contains(a.cfg.CORSOrigins, "*") || slices.Contains(a.cfg.CORSOrigins, origin))
	if allowed {
		if slices.Contains(a.cfg.CORSOrigins, "*") {
			c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
		} else {
			c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
		}
	}
	if c.Method() == fiber.MethodOptions {
		if allowed {
			c.Set(fiber.HeaderAccessControlAllowMethods, "GET, HEAD, OPTIONS")
			c.Set(fiber.HeaderAccessControlAllowHeaders, "Authorization, If-None-Match, Accept, Accept-Encoding")
			c.Set(fiber.HeaderAccessControlMaxAge, "600")
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
	if allowed {
		c.Set(fiber.HeaderAccessControlExposeHeaders, "ETag, Location, X-Request-ID")
	}
	return c.Next()
}

// apiTokenOf finds an API token in the request.
func apiTokenOf(c *fiber.Ctx) (string, bool) {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		t, ok := bearer(h)
		return t, ok || h != ""
	}
	if k := c.Query("key"); k != "" {
		return k, true
	}
	return "", false
}

// previewing reports whether this public request may see unpublished content.
func previewing(c *fiber.Ctx) bool {
	p, _ := c.Locals(keyPreview).(bool)
	return p
}

// alwaysAccepted are the query parameters every delivery route takes: the
// API token and the preview switch.
var alwaysAccepted = []string{"key", "preview"}

// knownParams refuses a query parameter the route does not take, naming it
// and listing those it does: a misspelt filter (?tags=go, ?perpage=50)
// would otherwise be ignored, and the answer look right while it is not.
func knownParams(params []string) fiber.Handler {
	accepted := slices.Concat(params, alwaysAccepted)
	list := strings.Join(accepted, ", ")
	return func(c *fiber.Ctx) error {
		var unknown string
		c.Context().QueryArgs().VisitAll(func(k, _ []byte) {
			if unknown == "" && !slices.Contains(accepted, string(k)) {
				unknown = string(k)
			}
		})
		if unknown == "" {
			return c.Next()
		}
		msg := "is not a parameter of this endpoint, which accepts " + list
		e := errs.Newf(errs.Invalid, "unknown_parameter", "The query parameter %q is not known here: this endpoint accepts %s.", unknown, list)
		e.Details = []errs.Detail{{Field: unknown, Message: msg}}
		return e.With("accepted", accepted)
	}
}
