package httpapi

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

func (a *api) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz reports whether folio can serve: the database answers.
func (a *api) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	checks := fiber.Map{"database": "ok"}
	status := "ok"
	if err := a.store.Ping(ctx); err != nil {
		a.log.Error("readiness: database", "error", err)
		checks["database"] = "unavailable"
		status = "unavailable"
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.JSON(fiber.Map{"status": status, "checks": checks})
}
