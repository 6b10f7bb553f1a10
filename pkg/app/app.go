// Package app builds one Folio from its configuration: the store, the
// services and how they reach each other, the background work and the
// HTTP app. It is THE constructor: `folio` uses it for every command that
// opens the database, and the tests use it too, so the wiring they test is
// the wiring that ships. What a test changes comes in through Options.
package app

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/httpapi"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/metrics"
	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/webhook"
)

// Options are what differs between a real folio and a test; the zero
// value (plus Version, AdminUI and Spec) is `folio serve`.
type Options struct {
	Log     *slog.Logger // nil: slog.Default()
	Version string       // shown at /admin/config, in the metrics and in the webhook User-Agent
	AdminUI fs.FS        // the built admin app; nil serves none
	Spec    []byte       // api/openapi.yaml, served at /api/openapi.yaml and /api/docs

	// Store, when set, is used instead of opening the data dir's database
	// (tests use a copy of a migrated template); Close leaves it open.
	Store *store.Store
	// Now is the clock of the store, the services and access tokens; nil:
	// the real one. The webhook dispatcher always uses the real clock.
	Now func() time.Time
	// Hasher hashes passwords; nil: bcrypt at auth's default cost. Tests
	// share one of a lower cost.
	Hasher *auth.Hasher
	// WebhookPoll is how often the dispatcher looks at its queue when
	// nothing wakes it (0: its default).
	WebhookPoll time.Duration
}

// App is one wired Folio.
type App struct {
	Config     config.Config
	Log        *slog.Logger
	Store      *store.Store
	Auth       *auth.Service
	Content    *content.Service
	Library    *library.Service
	Webhooks   *webhook.Service
	Dispatcher *webhook.Dispatcher // delivers webhooks; Run starts it
	Jobs       *content.Jobs       // scheduled publishing, the trash, revisions; Run starts them
	Metrics    *metrics.Metrics
	HTTP       *httpapi.Server

	ownStore bool
}

// New wires a Folio for cfg. Nothing runs in the background until Run.
func New(ctx context.Context, cfg config.Config, opt Options) (_ *App, err error) {
	a := &App{Config: cfg, Log: opt.Log, Store: opt.Store}
	if a.Log == nil {
		a.Log = slog.Default()
	}
	if a.Store == nil {
		if cfg.DatabaseURL != "" {
			a.Store, err = store.OpenPostgres(ctx, cfg.DatabaseURL, store.Options{Now: opt.Now})
		} else {
			a.Store, err = store.Open(ctx, filepath.Join(cfg.DataDir, store.FileName), store.Options{Now: opt.Now})
		}
		if err != nil {
			return nil, err
		}
		a.ownStore = true
	}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	secret, err := auth.LoadOrCreateSecret(cfg.JWTSecret, cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("JWT secret: %w", err)
	}
	tokens, err := auth.NewTokens(secret, now)
	if err != nil {
		return nil, err
	}
	hasher := opt.Hasher
	if hasher == nil {
		if hasher, err = auth.NewHasher(0); err != nil {
			return nil, err
		}
	}
	st := a.Store
	a.Auth = &auth.Service{Store: st, Hasher: hasher, Tokens: tokens, Now: opt.Now}

	// Every change queues its webhook events in its own transaction; the
	// dispatcher delivers them, woken by the outbox.
	outbox := &webhook.Outbox{}
	guard := webhook.Guard{AllowPrivate: cfg.WebhookAllowPrivate}
	a.Webhooks = &webhook.Service{Store: st, Guard: guard, Outbox: outbox}
	a.Metrics = metrics.New(st, opt.Version)
	a.Dispatcher = &webhook.Dispatcher{
		Store: st, Log: a.Log, RetryBase: cfg.WebhookRetryBase, Client: guard.Client(cfg.WebhookTimeout), Poll: opt.WebhookPoll,
		UserAgent: "Folio-Webhooks/" + opt.Version, Observe: a.Metrics.ObserveWebhook,
	}
	outbox.Notify = a.Dispatcher.Notify

	// Entries use media items (for their pictures' URLs); the library asks
	// the entries to let go of an item deleted by force.
	storage, err := MediaStorage(cfg)
	if err != nil {
		return nil, err
	}
	urls := MediaURLs(cfg)
	a.Content = &content.Service{
		Store: st, Now: now, MediaURLs: urls, Events: outbox,
		Links: content.Links{Site: cfg.SiteURL, PostPath: cfg.PostPath, CaseStudyPath: cfg.CaseStudyPath, PagePath: cfg.PagePath},
	}
	a.Library = &library.Service{
		Store: st, Storage: storage, TmpDir: filepath.Join(cfg.DataDir, "tmp"),
		Limits: media.Limits{MaxBytes: cfg.MaxUpload}, URLs: urls, Events: outbox, Entries: a.Content,
		Now: opt.Now, Log: a.Log,
	}
	a.Jobs = &content.Jobs{
		Service: a.Content, Log: a.Log, Every: 15 * time.Second,
		TrashRetention: time.Duration(cfg.TrashDays) * 24 * time.Hour,
		RevisionDays:   cfg.RevisionDays, KeepRevisions: 50,
	}

	a.HTTP, err = httpapi.New(httpapi.Deps{
		Config: cfg, Content: a.Content, Library: a.Library, Auth: a.Auth, Webhooks: a.Webhooks, Dispatcher: a.Dispatcher,
		Freshness: st, Database: st, Log: a.Log, Version: opt.Version, AdminUI: opt.AdminUI, Spec: opt.Spec,
		Metrics: a.Metrics, MetricsHandler: a.Metrics.Handler(),
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Run does the background work until ctx ends: the jobs, the webhook
// dispatcher and the cleanup of media files. It returns when all have
// stopped.
func (a *App) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { a.Jobs.Run(ctx) })
	wg.Go(func() { a.Library.Run(ctx, 0) })
	a.Dispatcher.Run(ctx)
	wg.Wait()
}

// MediaStorage is the store of media files that cfg names: the data dir's
// media/ (FOLIO_MEDIA_STORE=local), or an S3-compatible bucket (s3).
func MediaStorage(cfg config.Config) (media.Storage, error) {
	if cfg.MediaStore != config.MediaS3 {
		return media.Local{Dir: filepath.Join(cfg.DataDir, "media")}, nil
	}
	return media.NewS3(media.S3Options{
		Endpoint: cfg.S3.Endpoint, Bucket: cfg.S3.Bucket, Region: cfg.S3.Region, Prefix: cfg.S3.Prefix, PathStyle: cfg.S3.PathStyle,
		AccessKeyID: cfg.S3.AccessKeyID, SecretAccessKey: cfg.S3.SecretAccessKey,
	})
}

// MediaURLs is where media files are served: FOLIO_MEDIA_PUBLIC_URL, or
// folio's own /media/.
func MediaURLs(cfg config.Config) library.URLs {
	if cfg.MediaPublicURL != "" {
		return library.URLs{Base: cfg.MediaPublicURL}
	}
	return library.URLs{Base: cfg.PublicURL + "/media"}
}

// Close closes the database, unless Options gave it.
func (a *App) Close() error {
	if !a.ownStore || a.Store == nil {
		return nil
	}
	return a.Store.Close()
}
