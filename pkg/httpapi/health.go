package httpapi

import (
	"context"
	"crypto/subtle"
	"os"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/errs"
)

func (a *api) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz reports whether folio can serve and do its work: the database
// answers, the data dir takes writes (uploads, the database's journal), the
// media store is there (S3: the bucket answers), and the webhook
// dispatcher runs and reads its queue. Any failing check makes
// it a 503, so a load balancer stops sending traffic.
func (a *api) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	checks := fiber.Map{}
	var failed []errs.Detail
	fail := func(name, state string, err error) {
		a.log.Error("readiness: "+name, "state", state, "error", err)
		checks[name] = state
		failed = append(failed, errs.Detail{Field: name, Message: state})
	}
	checks["database"] = "ok"
	if err := a.db.Ping(ctx); err != nil {
		fail("database", "unavailable", err)
	}
	if a.cfg.DataDir != "" {
		checks["data_dir"] = "ok"
		if err := writable(a.cfg.DataDir); err != nil {
			fail("data_dir", "not writable", err)
		}
	}
	if a.library != nil {
		checks["media"] = "ok"
		if err := a.library.Ping(ctx); err != nil {
			fail("media", "unavailable", err)
		}
	}
	out := fiber.Map{"checks": checks}
	if a.library != nil {
		out["media"] = fiber.Map{"store": a.library.StoreKind()}
	}
	if a.dispatch != nil {
		h := a.dispatch.Health()
		checks["webhooks"] = "ok"
		if !a.dispatch.Healthy(h) {
			state := "not running"
			if h.Running {
				state = "stalled"
			}
			fail("webhooks", state, nil)
		}
		wh := fiber.Map{"running": h.Running, "last_pass_at": nil, "last_error": nil, "pending": 0, "oldest_pending_at": nil}
		if !h.LastPass.IsZero() {
			wh["last_pass_at"] = h.LastPass.UTC()
		}
		if h.LastError != "" {
			wh["last_error"] = h.LastError
		}
		if n, oldest, err := a.dispatch.Queue(ctx); err == nil {
			wh["pending"] = n
			if !oldest.IsZero() {
				wh["oldest_pending_at"] = oldest.UTC()
			}
		}
		out["webhooks"] = wh
	}
	out["status"] = "ok"
	if len(failed) > 0 {
		out["status"] = "unavailable"
		out["error"] = fiber.Map{"code": "not_ready", "message": "Folio is not ready: see details.", "details": failed}
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.JSON(out)
}

// writable checks that dir takes a new file.
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".readyz-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_, werr := f.Write([]byte("ok"))
	cerr := f.Close()
	rerr := os.Remove(filepath.Clean(name))
	if werr != nil {
		return werr
	}
	if cerr != nil {
		return cerr
	}
	return rerr
}

// metrics serves the Prometheus metrics on the public port, to callers
// that send FOLIO_METRICS_TOKEN as a Bearer token. Without a token
// configured they are not served here (see FOLIO_METRICS_ADDR).
func (a *api) metrics(c *fiber.Ctx) error {
	if a.cfg.MetricsToken == "" || a.metricsH == nil {
		return errs.NotFoundf("Metrics are not served on this port: set FOLIO_METRICS_TOKEN (and send it as a Bearer token), or FOLIO_METRICS_ADDR for a private listener.")
	}
	token, ok := bearer(c.Get(fiber.HeaderAuthorization))
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(a.cfg.MetricsToken)) != 1 {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
		return errs.New(errs.Unauthenticated, "unauthenticated", "Send the metrics token as \"Authorization: Bearer <token>\".")
	}
	return a.metricsH(c)
}
