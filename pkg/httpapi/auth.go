package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
)

// refreshCookie holds the refresh token. It is HttpOnly (scripts can't read
// it), SameSite=Strict (other sites can't send it), limited to the auth
// routes, and Secure when served over TLS.
const (
	refreshCookie     = "folio_refresh"
	refreshCookiePath = "/api/v1/auth"
)

func client(c *fiber.Ctx) auth.Client {
	return auth.Client{IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)}
}

func (a *api) login(c *fiber.Ctx) error {
	var body loginJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	s, err := a.auth.Login(c.UserContext(), body.Email, body.Password, client(c))
	if err != nil {
		return err
	}
	return a.sendSession(c, s)
}

func (a *api) refresh(c *fiber.Ctx) error {
	s, err := a.auth.Refresh(c.UserContext(), c.Cookies(refreshCookie), client(c))
	if err != nil {
		clearRefreshCookie(c)
		return err
	}
	return a.sendSession(c, s)
}

// logout ends a session: the refresh cookie's (a stale cookie is fine: the
// session is over either way) and the access token's, so a client that
// keeps no cookie can sign out too. With neither there is nothing to end.
func (a *api) logout(c *fiber.Ctx) error {
	cookie := c.Cookies(refreshCookie)
	token, hasToken := bearer(c.Get(fiber.HeaderAuthorization))
	if cookie == "" && !hasToken {
		return errs.New(errs.Unauthenticated, "unauthenticated", "Nothing to sign out of: send the refresh cookie or an access token as \"Authorization: Bearer <token>\".")
	}
	if cookie != "" {
		if err := a.auth.Logout(c.UserContext(), cookie); err != nil {
			return err
		}
	}
	if hasToken {
		// Beside a cookie, a stale access token changes nothing: the cookie's session has ended.
		if err := a.auth.LogoutAccess(c.UserContext(), token, client(c)); err != nil && cookie == "" {
			return err
		}
	}
	clearRefreshCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}

// sendSession answers with a new access token and sets the refresh cookie.
func (a *api) sendSession(c *fiber.Ctx, s auth.Session) error {
	setRefreshCookie(c, s)
	return c.JSON(loginResponseJSON{
		AccessToken: s.AccessToken, TokenType: "Bearer", ExpiresIn: int(s.ExpiresIn.Seconds()), User: userOut(s.User),
		Permissions: auth.Reach(auth.Principal{User: s.User}),
	})
}

func setRefreshCookie(c *fiber.Ctx, s auth.Session) {
	c.Cookie(&fiber.Cookie{
		Name: refreshCookie, Value: s.RefreshToken, Path: refreshCookiePath, Expires: s.RefreshExpires,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https",
	})
}

func clearRefreshCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{
		Name: refreshCookie, Value: "", Path: refreshCookiePath, Expires: time.Unix(1, 0), MaxAge: -1,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https",
	})
}

func (a *api) me(c *fiber.Ctx) error {
	return c.JSON(itemJSON{Data: userOut(principal(c).User)})
}

// updateMe changes the caller's name or password. A new password ends every
// session of the user and starts a new one here: the response sets a new
// refresh cookie, and the client gets its next access token from refresh.
func (a *api) updateMe(c *fiber.Ctx) error {
	var body mePatchJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	prof, err := body.profile(c)
	if err != nil {
		return err
	}
	u, sess, err := a.auth.UpdateMe(c.UserContext(), principal(c),
		auth.MePatch{Name: body.Name, Password: body.Password, CurrentPassword: body.CurrentPassword, Profile: prof}, client(c))
	if err != nil {
		return err
	}
	if sess != nil {
		setRefreshCookie(c, *sess)
	}
	return c.JSON(itemJSON{Data: userOut(u)})
}
