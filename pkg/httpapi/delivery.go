package httpapi

import (
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
// never stored by any cache.
func (a *api) deliver(c *fiber.Ctx) error {
	c.Vary(fiber.HeaderAuthorization)
	secret, given := apiTokenOf(c)
	if !given {
		if a.cfg.PublicAPI == config.PublicToken {
			return errs.New(errs.Unauthenticated, "api_token_required", "This API needs an API token: send \"Authorization: Bearer <token>\" or ?key=<token>.")
		}
		return c.Next()
	}
	tok, err := a.auth.VerifyAPIToken(c.UserContext(), secret)
	if err != nil {
		return err
	}
	if tok.Scope == auth.ScopePreview && c.Query("preview") == "1" {
		c.Locals(keyPreview, true)
		c.Set(fiber.HeaderCacheControl, "private, no-store")
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
