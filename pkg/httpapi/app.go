// Package httpapi is Folio's HTTP layer: the one route table, the JSON
// types of the API, decoding and validation of requests, authentication,
// and the one error handler. It is the only package that imports Fiber.
package httpapi

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/store"
)

// Deps are what the HTTP layer needs; main builds them.
type Deps struct {
	Config  config.Config
	Store   *store.Store
	Content *content.Service
	Auth    *auth.Service
	Log     *slog.Logger
	Version string
}

type api struct {
	cfg     config.Config
	store   *store.Store
	content *content.Service
	auth    *auth.Service
	log     *slog.Logger
	version string
	posts   entryAPI
	studies entryAPI
}

// maxRequestBody bounds every request body before a handler runs; JSON
// routes enforce their own, smaller limit so that they can answer with a
// logged, JSON 413.
const maxRequestBody = 4 << 20

// New builds the HTTP app: the route table behind the middleware.
func New(d Deps) *fiber.App {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	a := &api{
		cfg: d.Config, store: d.Store, content: d.Content, auth: d.Auth, log: d.Log, version: d.Version,
		posts: postAPI(), studies: caseStudyAPI(),
	}
	app := fiber.New(fiber.Config{
		AppName:               "folio",
		Immutable:             true, // Fiber reuses request buffers after a handler returns
		DisableStartupMessage: true,
		BodyLimit:             maxRequestBody,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		ErrorHandler:          a.writeError, // for what fails before the middleware runs
	})
	app.Use(a.observe)
	for _, r := range a.routes() {
		handlers := make([]fiber.Handler, 0, 3)
		if r.perm != public {
			handlers = append(handlers, a.require(r.perm))
		} else if r.noStore {
			handlers = append(handlers, noStore)
		}
		app.Add(r.method, r.path, append(handlers, r.handle)...)
	}
	return app
}
