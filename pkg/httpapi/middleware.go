package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyPrincipal
	keyBody  // the request body, once read
	keyRoute // the route pattern that matched, for metrics
	keyDrain // the body was refused as too large: discard the rest after the answer
)

// routeLabel remembers which route pattern a request matched.
func routeLabel(path string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(keyRoute, path)
		return c.Next()
	}
}

// A client may pass its own request id (e.g. from a proxy) if it is sane.
var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,64}$`)

// observe is the outermost middleware: it gives the request an id (also
// sent back as X-Request-ID), turns a panic into a 500, writes the error
// response for any error the chain returns, and logs one line.
func (a *api) observe(c *fiber.Ctx) (err error) {
	start := time.Now()
	id := c.Get(fiber.HeaderXRequestID)
	if !saneRequestID.MatchString(id) {
		id = newRequestID()
	}
	c.Locals(keyRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")

	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		err = c.Next()
	}()
	if err != nil {
		if werr := a.writeError(c, err); werr != nil {
			a.log.Error("write error response", "request_id", id, "error", werr)
		}
	}
	if drain, _ := c.Locals(keyDrain).(bool); drain {
		a.lingerClose(c)
	}
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	attrs := []slog.Attr{
		slog.String("request_id", id),
		slog.String("method", c.Method()),
		slog.String("path", c.Path()),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.Int("bytes", len(c.Response().Body())),
		slog.String("ip", c.IP()),
	}
	if p, ok := c.Locals(keyPrincipal).(auth.Principal); ok {
		attrs = append(attrs, slog.Int64("user_id", p.ID))
	}
	a.log.LogAttrs(c.UserContext(), level, "request", attrs...)
	if a.metricsR != nil {
		route, _ := c.Locals(keyRoute).(string)
		if route == "" {
			route = "unmatched" // 404s, bad methods: never the raw path, which would explode the label set
		}
		a.metricsR.ObserveRequest(route, c.Method(), status, time.Since(start))
	}
	return nil
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func requestIDOf(c *fiber.Ctx) string {
	id, _ := c.Locals(keyRequestID).(string)
	return id
}

// noStore marks a response as private and never cacheable (auth and admin).
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// require authenticates the bearer token and checks that the caller's role
// grants perm (at least for their own records). It is attached to each
// admin route itself, so every path variant that reaches a route also
// reaches its check.
func (a *api) require(perm auth.Permission) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		token, ok := bearer(c.Get(fiber.HeaderAuthorization))
		if !ok {
			return errs.New(errs.Unauthenticated, "unauthenticated", "Sign in first: send an access token as \"Authorization: Bearer <token>\".")
		}
		p, err := a.auth.Authenticate(c.UserContext(), token, client(c))
		if err != nil {
			return err
		}
		c.Locals(keyPrincipal, p)
		if !auth.Allowed(p, perm, auth.NoRecord) {
			return errs.New(errs.Forbidden, "forbidden", "Your role does not allow this.")
		}
		return c.Next()
	}
}

// bearer extracts the token from an Authorization header.
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// principal returns the authenticated caller of an admin route.
func principal(c *fiber.Ctx) auth.Principal {
	p, _ := c.Locals(keyPrincipal).(auth.Principal)
	return p
}
