// Package httpapi is Folio's HTTP layer: the one route table, the JSON
// types of the API, decoding and validation of requests, authentication,
// and the one error handler. It is the only package that imports Fiber.
package httpapi

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/webhook"
)

// Deps are what the HTTP layer needs; main builds them.
type Deps struct {
	Config  config.Config
	Content *content.Service
	Library *library.Service
	Auth    *auth.Service
	// Freshness tells the public response cache when its answers go
	// stale; Database answers /readyz's database check. The store is both.
	Freshness Freshness
	Database  Pinger
	Log       *slog.Logger
	Version   string
	// AdminUI is the built admin app (adminui.FS()); nil serves none.
	AdminUI fs.FS
	// Spec is api/openapi.yaml (api.Spec), published at /api/openapi.yaml
	// and as a page at /api/docs.
	Spec []byte
	// Webhooks manages webhooks; Dispatcher delivers them (its health is
	// part of /readyz; nil: not running in this process).
	Webhooks   *webhook.Service
	Dispatcher *webhook.Dispatcher
	// Metrics records every request; MetricsHandler serves them at
	// /metrics to callers with FOLIO_METRICS_TOKEN. Both may be nil.
	Metrics        Metrics
	MetricsHandler http.Handler
}

// Freshness tells the public response cache when what it holds may be
// stale.
type Freshness interface {
	// Generation changes whenever the content may have: after every
	// write, this process's at once, other processes' soon after. It is
	// asked on every public read, so it must be cheap.
	Generation() uint64
	// NextVisibilityChange is the next time after now at which an entry
	// becomes public by itself (a scheduled publication), zero if none.
	NextVisibilityChange(ctx context.Context, now time.Time) (time.Time, error)
}

// Pinger says whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Metrics is told about every request, by route pattern.
type Metrics interface {
	ObserveRequest(route, method string, status int, d time.Duration)
}

type api struct {
	cfg      config.Config
	fresh    Freshness
	db       Pinger
	content  *content.Service
	library  *library.Service
	auth     *auth.Service
	log      *slog.Logger
	version  string
	posts    entryAPI
	studies  entryAPI
	pages    entryAPI
	admin    *adminApp
	spec     []byte
	docsPage []byte
	cache    *responseCache
	webhooks *webhook.Service
	dispatch *webhook.Dispatcher
	metricsR Metrics
	metricsH fiber.Handler
	allow    allowTable
}

// maxRequestBody is what fasthttp reads ahead before a handler runs; bodies
// are streamed and every route reads them through its own limit.
const maxRequestBody = 1 << 20

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// Server is the HTTP app: Listen, ShutdownWithTimeout, and for tests Test
// and Handler. (It is Fiber's app; the name lets pkg/app hold one without
// importing Fiber.)
type Server = fiber.App

// New builds the HTTP app: the route table behind the middleware.
func New(d Deps) (*Server, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	admin, err := loadAdminApp(d.AdminUI)
	if err != nil {
		return nil, fmt.Errorf("load the admin app: %w", err)
	}
	a := &api{
		cfg: d.Config, fresh: d.Freshness, db: d.Database, content: d.Content, library: d.Library, auth: d.Auth, log: d.Log, version: d.Version,
		posts: postAPI(), studies: caseStudyAPI(), pages: pageAPI(), admin: admin, spec: d.Spec,
		cache:    newResponseCache(d.Config.CacheMB << 20),
		webhooks: d.Webhooks, dispatch: d.Dispatcher, metricsR: d.Metrics,
	}
	if d.MetricsHandler != nil {
		a.metricsH = adaptor.HTTPHandler(d.MetricsHandler)
	}
	if len(d.Spec) > 0 {
		if a.docsPage, err = renderDocs(d.Spec); err != nil {
			return nil, err
		}
	}
	app := fiber.New(fiber.Config{
		AppName:               "folio",
		Immutable:             true, // Fiber reuses request buffers after a handler returns
		DisableStartupMessage: true,
		BodyLimit:             maxRequestBody,
		// Bodies are streamed to handlers, which read them through their own
		// limits: uploads go to disk as they arrive, never whole into memory.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		ReadTimeout:                  30 * time.Second,
		WriteTimeout:                 60 * time.Second,
		IdleTimeout:                  120 * time.Second,
		ErrorHandler:                 a.writeError, // for what fails before the middleware runs
		// Believe X-Forwarded-For/-Proto only from the configured proxies.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.Config.TrustedProxies,
		ProxyHeader:             proxyHeader(d.Config.TrustedProxies),
	})
	app.Server().ExpectHandler = a.expect
	app.Use(a.observe, compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	routes := a.routes()
	a.allow = newAllowTable(routes)
	for _, r := range routes {
		handlers := make([]fiber.Handler, 0, 4)
		handlers = append(handlers, routeLabel(r.path))
		switch {
		case r.perm != public:
			handlers = append(handlers, a.require(r.perm))
		case r.noStore:
			handlers = append(handlers, noStore)
		case r.deliver:
			handlers = append(handlers, a.cors, knownParams(r.params), a.deliver)
			app.Options(r.path, a.cors) // CORS preflight
		}
		handlers = append(handlers, r.handle)
		if r.method == fiber.MethodGet {
			app.Get(r.path, handlers...) // and HEAD
		} else {
			app.Add(r.method, r.path, handlers...)
		}
	}
	return app, nil
}
