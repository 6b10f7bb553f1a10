// Command folio is a self-hosted headless CMS for articles and case studies:
// one binary that stores Markdown in SQLite, renders it to safe HTML, and
// serves it as a JSON API plus a small admin app.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	adminui "github.com/folio-cms/folio/admin-ui"
	apispec "github.com/folio-cms/folio/api"
	"github.com/folio-cms/folio/pkg/app"
	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/contentfs"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e *env, args []string) error
}

// env is what every command gets: its output streams and environment.
type env struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}

var commands = []command{
	{"serve", "[flags]", "run the HTTP server (API and admin app)", cmdServe},
	{"import", "[flags] DIR", "import posts and case studies from DIR/posts and DIR/case-studies", cmdImport},
	{"export", "[flags] DIR", "export every post and case study to DIR in the import format", cmdExport},
	{"user", "create --email E --role R [--password P]", "manage users", cmdUser},
	{"backup", "[flags] FILE.tar.gz", "write a consistent backup (database, media, manifest), also while serving", cmdBackup},
	{"restore", "FILE.tar.gz --data-dir DIR [--force]", "verify a backup and restore it into a data dir", cmdRestore},
	{"doctor", "[flags]", "check config, permissions, database integrity, migrations and media", cmdDoctor},
	{"media", "migrate --to s3|local [flags]", "copy the media files into S3 (or back), resumably", cmdMedia},
	{"version", "", "print the version", cmdVersion},
}

// errUsage means the command line was wrong; usage has been printed.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			switch {
			case err == nil, errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			}
			fmt.Fprintf(stderr, "folio %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "folio: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Folio is a headless CMS for articles and case studies.\n\nUsage:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  folio %-8s %-42s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintf(w, "\nRun \"folio COMMAND --help\" for a command's flags. Configuration comes from FOLIO_*\nenvironment variables; flags override them (see README).\n")
}

// newFlags returns a flag set for a command whose help explains it.
func newFlags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("folio "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: folio %s %s\n\n%s\n\nFlags:\n", name, args, about)
		fs.PrintDefaults()
	}
	return fs
}

// open loads the configuration of command and wires folio for it, with
// the one constructor the tests use too.
func open(ctx context.Context, e *env, command string, fs *flag.FlagSet, args []string) (*app.App, error) {
	cfg, err := config.Load(fs, args, e.getenv, command)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		fmt.Fprintf(e.stderr, "folio: configuration: %v\n", err)
		return nil, errUsage
	}
	return app.New(ctx, cfg, app.Options{Log: newLogger(cfg, e.stderr), Version: buildVersion(), AdminUI: adminui.FS(), Spec: apispec.Spec})
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[flags]", "Runs the HTTP server: the public API, the admin API and the admin app.")
	a, err := open(ctx, e, "serve", fs, args)
	if err != nil {
		return err
	}
	defer a.Close()
	a.Log.Info("starting folio", "version", buildVersion(), "config", a.Config)
	if err := checkMediaStore(ctx, a); err != nil {
		return err
	}

	created, password, err := a.Auth.EnsureAdmin(ctx, a.Config.AdminEmail, a.Config.AdminPassword)
	if err != nil {
		return fmt.Errorf("create the first admin: %w", err)
	}
	if created {
		shown := password
		if a.Config.AdminPassword != "" {
			shown = "(the one in FOLIO_ADMIN_PASSWORD)"
		}
		fmt.Fprintf(e.stdout, "\nCreated the first admin user.\n  email:    %s\n  password: %s\nSign in at http://%s/admin/ and keep the password somewhere safe: it is not shown again.\n\n", a.Config.AdminEmail, shown, a.Config.Addr)
	}
	if a.Config.SeedDir != "" {
		if err := seedIfEmpty(ctx, a, a.Config.SeedDir); err != nil {
			return err
		}
	}

	// The background work runs until the HTTP server has drained, so that
	// requests finishing during shutdown still get their events queued.
	var bg sync.WaitGroup
	bgCtx, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	bg.Go(func() { a.Run(bgCtx) })
	defer func() { stopBG(); bg.Wait() }()

	srv := a.HTTP
	errc := make(chan error, 1)
	if a.Config.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.Metrics.Handler())
		ms := &http.Server{Addr: a.Config.MetricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { a.Log.Warn("metrics listener stopped", "error", ms.ListenAndServe()) }()
		defer ms.Close()
		a.Log.Info("metrics listening", "addr", "http://"+a.Config.MetricsAddr+"/metrics")
	}
	if a.Config.DebugAddr != "" {
		dbg := &http.Server{Addr: a.Config.DebugAddr, Handler: debugMux(), ReadHeaderTimeout: 10 * time.Second}
		go func() { a.Log.Warn("debug listener stopped", "error", dbg.ListenAndServe()) }()
		defer dbg.Close()
		a.Log.Info("profiler listening", "addr", "http://"+a.Config.DebugAddr+"/debug/pprof/")
	}
	go func() { errc <- srv.Listen(a.Config.Addr) }()
	a.Log.Info("listening", "addr", "http://"+a.Config.Addr)
	select {
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", a.Config.Addr, err)
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: finishing in-flight requests", "grace", a.Config.ShutdownGrace)
	if err := srv.ShutdownWithTimeout(a.Config.ShutdownGrace); err != nil {
		a.Log.Warn("shutdown: some requests did not finish in time", "error", err)
	}
	stopBG()
	bg.Wait()
	if err := a.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	a.Log.Info("stopped")
	return nil
}

// checkMediaStore looks at the media store before serving: a bucket that
// does not exist or refuses folio's keys is a configuration to correct, so
// folio does not start; one that cannot be reached now may be back soon,
// so folio starts, and /readyz and uploads say what is wrong meanwhile.
func checkMediaStore(ctx context.Context, a *app.App) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	err := a.Library.Ping(ctx)
	var ue *media.UnavailableError
	switch {
	case err == nil:
		a.Log.Info("media store", "store", a.Library.StoreKind(), "at", fmt.Sprint(a.Library.Storage))
		return nil
	case errors.As(err, &ue) && ue.Unreachable:
		a.Log.Warn("the media store cannot be reached; uploads and /media/ answer 503 until it can", "error", err)
		return nil
	}
	return fmt.Errorf("the media store: %w (see FOLIO_MEDIA_STORE and FOLIO_S3_* in the README)", err)
}

// seedIfEmpty imports the sample content when there is no content yet.
func seedIfEmpty(ctx context.Context, a *app.App, dir string) error {
	for _, t := range content.Types {
		page, err := a.Content.List(ctx, auth.System, t, content.Query{Page: 1, PerPage: 1})
		if err != nil || page.Total > 0 {
			return err
		}
	}
	rep, err := (&contentfs.Sync{Content: a.Content, Auth: a.Auth}).Import(ctx, dir)
	if err != nil {
		return fmt.Errorf("import samples from %s: %w", dir, err)
	}
	a.Log.Info("imported sample content", "dir", dir, "result", rep.String())
	return nil
}

// debugMux serves Go's profiler.
func debugMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// cmdSync makes the import and export commands, which differ only in
// their direction.
func cmdSync(name, about, done string, do func(*contentfs.Sync, context.Context, string) (contentfs.Report, error)) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		fs := newFlags(e, name, "[flags] DIR", about)
		a, err := open(ctx, e, name, fs, args)
		if err != nil {
			return err
		}
		defer a.Close()
		if fs.NArg() != 1 {
			fs.Usage()
			return errUsage
		}
		rep, err := do(&contentfs.Sync{Content: a.Content, Auth: a.Auth}, ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %s\n", done, rep)
		return nil
	}
}

var (
	cmdImport = cmdSync("import", "Imports DIR/posts/*.md and DIR/case-studies/*.md (see content/README.md).\nEntries are matched by slug: importing the same files again changes nothing.",
		"imported", (*contentfs.Sync).Import)
	cmdExport = cmdSync("export", "Writes every post and case study to DIR/posts and DIR/case-studies in the import format.",
		"exported", (*contentfs.Sync).Export)
)

func cmdUser(ctx context.Context, e *env, args []string) error {
	const about = "Creates a user. The password comes from --password or FOLIO_USER_PASSWORD;\nwithout either, one is generated and printed."
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintf(e.stdout, "Usage: folio user create --email E --role R [--name N] [--password P]\n\n%s\n", about)
			return nil
		}
		fmt.Fprintf(e.stderr, "Usage: folio user create --email E --role R [--name N] [--password P]\n")
		return errUsage
	}
	fs := newFlags(e, "user create", "--email E --role R [--name N] [--password P]", about)
	email := fs.String("email", "", "the user's `email` (required)")
	role := fs.String("role", "", "the user's `role`: "+roleList()+" (required)")
	name := fs.String("name", "", "display `name` (default: from the email)")
	a, err := open(ctx, e, "user create", fs, args[1:])
	if err != nil {
		return err
	}
	defer a.Close()
	if *email == "" || *role == "" {
		fs.Usage()
		return errUsage
	}
	pw, generated := a.Config.UserPassword, false
	if pw == "" {
		pw, generated = auth.GeneratePassword(), true
	}
	u, err := a.Auth.CreateUser(ctx, auth.System, auth.NewUser{Email: *email, Name: *name, Role: auth.Role(*role), Password: pw})
	if err != nil {
		return errors.New(errs.Describe(err))
	}
	fmt.Fprintf(e.stdout, "created user %d: %s (%s, %s)\n", u.ID, u.Email, u.Name, u.Role)
	if generated {
		fmt.Fprintf(e.stdout, "password: %s\n", pw)
	}
	return nil
}

func cmdVersion(_ context.Context, e *env, _ []string) error {
	fmt.Fprintf(e.stdout, "folio %s (schema %d)\n", buildVersion(), store.SchemaVersion())
	return nil
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func roleList() string {
	names := make([]string, len(auth.Roles))
	for i, r := range auth.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
