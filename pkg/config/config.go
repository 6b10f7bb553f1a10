// Package config loads Folio's configuration from the environment and
// command-line flags. It is pure: no globals, no I/O beyond what it is given.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Public API access modes.
const (
	PublicOpen  = "open"  // published content is served to anyone
	PublicToken = "token" // every public endpoint needs an API token
)

// Config is the effective configuration of one folio process.
type Config struct {
	Addr          string   // listen address (FOLIO_ADDR)
	DataDir       string   // database, secrets and media (FOLIO_DATA_DIR)
	JWTSecret     string   // HS256 key; empty: generated once and kept in the data dir (FOLIO_JWT_SECRET)
	AdminEmail    string   // first admin's email when no user exists (FOLIO_ADMIN_EMAIL)
	AdminPassword string   // first admin's password; empty: generated and printed (FOLIO_ADMIN_PASSWORD)
	CORSOrigins   []string // origins allowed to call the public API (FOLIO_CORS_ORIGINS)
	// TrustedProxies are the reverse proxies (IPs or CIDRs) whose
	// X-Forwarded-For and X-Forwarded-Proto are believed (FOLIO_TRUSTED_PROXIES).
	TrustedProxies []string
	SiteURL        string        // the public site's base URL, for feeds and links (FOLIO_SITE_URL)
	PublicAPI      string        // "open" or "token" (FOLIO_PUBLIC_API)
	LogLevel       slog.Level    // debug, info, warn, error (FOLIO_LOG_LEVEL)
	LogFormat      string        // "text" or "json" (FOLIO_LOG_FORMAT)
	ShutdownGrace  time.Duration // how long in-flight requests may run after SIGTERM
	// PostPath and CaseStudyPath make a public address from a slug, on
	// SiteURL, for feeds and the sitemap (FOLIO_POST_PATH, FOLIO_CASE_STUDY_PATH).
	PostPath      string
	CaseStudyPath string
	// PublicCacheControl is sent with every public GET (FOLIO_PUBLIC_CACHE_CONTROL).
	PublicCacheControl string
	// CacheMB bounds the in-memory cache of public responses; 0 turns it
	// off (FOLIO_CACHE_MB).
	CacheMB int
	// PublicURL is how folio itself is reached from outside, for absolute
	// media URLs (FOLIO_PUBLIC_URL; default http://<addr>).
	PublicURL string
	// MaxUpload is the largest file an upload may carry, in bytes (FOLIO_MAX_UPLOAD).
	MaxUpload int64
	// DebugAddr, when set, serves Go's profiler (/debug/pprof/) on its own
	// listener, e.g. 127.0.0.1:6060; never on the public port (FOLIO_DEBUG_ADDR).
	DebugAddr string
	// TrashDays is how long entries stay in the trash (FOLIO_TRASH_DAYS).
	TrashDays int
	// RevisionDays prunes revisions older than this, beyond each entry's
	// newest 50 (FOLIO_REVISION_RETENTION_DAYS); 0 keeps them all.
	RevisionDays int
	// WebhookRetryBase is the wait after a webhook delivery's first failed
	// attempt, doubled after each further one (FOLIO_WEBHOOK_RETRY_BASE).
	WebhookRetryBase time.Duration
	// WebhookTimeout is how long a receiver has to answer a delivery
	// (FOLIO_WEBHOOK_TIMEOUT). A delivery is leased for this plus 5 s while
	// it is sent, so after a crash another process sends it again then.
	WebhookTimeout time.Duration
	// WebhookAllowPrivate lets webhooks reach loopback and private
	// addresses, for local development (FOLIO_WEBHOOK_ALLOW_PRIVATE).
	WebhookAllowPrivate bool
	// MetricsToken, when set, serves /metrics on the public port to callers
	// that send it as a Bearer token (FOLIO_METRICS_TOKEN).
	MetricsToken string
	// MetricsAddr, when set, serves /metrics without a token on its own
	// listener, e.g. 127.0.0.1:9464 (FOLIO_METRICS_ADDR).
	MetricsAddr string
}

// parseSize reads a byte size: a number with an optional KiB/MiB/GiB (or
// K/M/G, KB/MB/GB, all powers of 1024) suffix.
func parseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a size such as 10MiB", s)
	}
	return n * mult, nil
}

// SiteName is the public site's host name, for feed titles.
func (c Config) SiteName() string {
	if u, err := url.Parse(c.SiteURL); err == nil && u.Host != "" {
		return u.Host
	}
	return c.SiteURL
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Addr:               "127.0.0.1:8080",
		DataDir:            "./data",
		AdminEmail:         "admin@example.com",
		SiteURL:            "http://localhost:3000",
		PublicAPI:          PublicOpen,
		LogLevel:           slog.LevelInfo,
		LogFormat:          "text",
		ShutdownGrace:      10 * time.Second,
		TrashDays:          30,
		PostPath:           "/blog/{slug}",
		CaseStudyPath:      "/case-studies/{slug}",
		PublicCacheControl: "public, max-age=60, stale-while-revalidate=600",
		CacheMB:            48,
		MaxUpload:          10 << 20,
		WebhookRetryBase:   30 * time.Second,
		WebhookTimeout:     10 * time.Second,
	}
}

// Load returns the configuration: defaults, overridden by the environment
// (read through getenv), overridden by flags in args. The flags are
// registered on fs, so a subcommand may register its own flags on fs before
// calling Load and read its positional arguments from fs.Args() afterwards.
// Secrets (the JWT secret and the admin password) come from the environment
// only, so they never show in a process listing.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	c := Default()
	var problems []error
	str := func(key string, dst *string) {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			*dst = v
		}
	}
	str("FOLIO_ADDR", &c.Addr)
	str("FOLIO_DATA_DIR", &c.DataDir)
	str("FOLIO_JWT_SECRET", &c.JWTSecret)
	str("FOLIO_ADMIN_EMAIL", &c.AdminEmail)
	if v := getenv("FOLIO_ADMIN_PASSWORD"); v != "" {
		c.AdminPassword = v
	}
	str("FOLIO_SITE_URL", &c.SiteURL)
	str("FOLIO_PUBLIC_API", &c.PublicAPI)
	str("FOLIO_LOG_FORMAT", &c.LogFormat)
	str("FOLIO_POST_PATH", &c.PostPath)
	str("FOLIO_CASE_STUDY_PATH", &c.CaseStudyPath)
	str("FOLIO_PUBLIC_CACHE_CONTROL", &c.PublicCacheControl)
	str("FOLIO_DEBUG_ADDR", &c.DebugAddr)
	str("FOLIO_PUBLIC_URL", &c.PublicURL)
	str("FOLIO_METRICS_ADDR", &c.MetricsAddr)
	c.MetricsToken = strings.TrimSpace(getenv("FOLIO_METRICS_TOKEN"))
	if v := strings.TrimSpace(getenv("FOLIO_WEBHOOK_ALLOW_PRIVATE")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			problems = append(problems, fmt.Errorf("FOLIO_WEBHOOK_ALLOW_PRIVATE: want true or false"))
		}
		c.WebhookAllowPrivate = b
	}
	if v := strings.TrimSpace(getenv("FOLIO_MAX_UPLOAD")); v != "" {
		n, err := parseSize(v)
		if err != nil {
			problems = append(problems, fmt.Errorf("FOLIO_MAX_UPLOAD: %w", err))
		}
		c.MaxUpload = n
	}
	cors := getenv("FOLIO_CORS_ORIGINS")
	proxies := getenv("FOLIO_TRUSTED_PROXIES")
	level := getenv("FOLIO_LOG_LEVEL")
	durVar := func(key string, dst *time.Duration) {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				problems = append(problems, fmt.Errorf("%s: want a duration such as 30s or 2m: %w", key, err))
			}
			*dst = d
		}
	}
	durVar("FOLIO_SHUTDOWN_GRACE", &c.ShutdownGrace)
	durVar("FOLIO_WEBHOOK_RETRY_BASE", &c.WebhookRetryBase)
	durVar("FOLIO_WEBHOOK_TIMEOUT", &c.WebhookTimeout)

	intVar := func(key string, dst *int) {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				problems = append(problems, fmt.Errorf("%s: want a whole number, 0 or more", key))
			}
			*dst = n
		}
	}
	intVar("FOLIO_TRASH_DAYS", &c.TrashDays)
	intVar("FOLIO_REVISION_RETENTION_DAYS", &c.RevisionDays)
	intVar("FOLIO_CACHE_MB", &c.CacheMB)

	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address `host:port` (FOLIO_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "data `directory`: database, secrets, media (FOLIO_DATA_DIR)")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "how folio itself is reached from outside, for media `URL`s (FOLIO_PUBLIC_URL; default http://ADDR)")
	fs.StringVar(&c.SiteURL, "site-url", c.SiteURL, "public site base `URL`, for feeds and links (FOLIO_SITE_URL)")
	fs.StringVar(&c.PublicAPI, "public-api", c.PublicAPI, "public API access: open or token (FOLIO_PUBLIC_API)")
	fs.StringVar(&cors, "cors-origins", cors, "comma-separated `origins` allowed to call the public API (FOLIO_CORS_ORIGINS)")
	fs.StringVar(&proxies, "trusted-proxies", proxies, "comma-separated `IPs or CIDRs` of reverse proxies whose X-Forwarded-For is believed (FOLIO_TRUSTED_PROXIES)")
	fs.StringVar(&level, "log-level", orDefault(level, "info"), "log `level`: debug, info, warn, error (FOLIO_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (FOLIO_LOG_FORMAT)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}

	if err := c.LogLevel.UnmarshalText([]byte(orDefault(level, "info"))); err != nil {
		problems = append(problems, fmt.Errorf("log level %q: want debug, info, warn or error", level))
	}
	c.CORSOrigins = splitList(cors)
	c.TrustedProxies = splitList(proxies)
	problems = append(problems, c.validate()...)
	if len(problems) > 0 {
		return Config{}, errors.Join(problems...)
	}
	c.SiteURL = strings.TrimRight(c.SiteURL, "/")
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	c.AdminEmail = strings.ToLower(c.AdminEmail)
	return c, nil
}

func (c Config) validate() []error {
	var p []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		p = append(p, fmt.Errorf("address %q: %w", c.Addr, err))
	}
	if c.DebugAddr != "" {
		if _, _, err := net.SplitHostPort(c.DebugAddr); err != nil {
			p = append(p, fmt.Errorf("debug address %q: %w", c.DebugAddr, err))
		}
	}
	if strings.TrimSpace(c.DataDir) == "" {
		p = append(p, errors.New("data dir: must not be empty"))
	}
	if c.PublicAPI != PublicOpen && c.PublicAPI != PublicToken {
		p = append(p, fmt.Errorf("public API mode %q: want %q or %q", c.PublicAPI, PublicOpen, PublicToken))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		p = append(p, fmt.Errorf("log format %q: want text or json", c.LogFormat))
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p = append(p, fmt.Errorf("public URL %q: want an absolute http(s) URL", c.PublicURL))
		}
	}
	if c.MaxUpload < 1<<10 {
		p = append(p, errors.New("max upload: must be at least 1 KiB"))
	}
	if u, err := url.Parse(c.SiteURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p = append(p, fmt.Errorf("site URL %q: want an absolute http(s) URL", c.SiteURL))
	}
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); o != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "") {
			p = append(p, fmt.Errorf("CORS origin %q: want scheme://host[:port]", o))
		}
	}
	for _, tp := range c.TrustedProxies {
		if _, _, err := net.ParseCIDR(tp); net.ParseIP(tp) == nil && err != nil {
			p = append(p, fmt.Errorf("trusted proxy %q: want an IP address or a CIDR", tp))
		}
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		p = append(p, errors.New("JWT secret: must be at least 32 characters"))
	}
	for name, pattern := range map[string]string{"post path": c.PostPath, "case study path": c.CaseStudyPath} {
		if !strings.HasPrefix(pattern, "/") || !strings.Contains(pattern, "{slug}") {
			p = append(p, fmt.Errorf("%s %q: want a path starting with / that contains {slug}", name, pattern))
		}
	}
	if c.ShutdownGrace < 0 {
		p = append(p, errors.New("shutdown grace: must not be negative"))
	}
	if c.WebhookRetryBase <= 0 {
		p = append(p, errors.New("webhook retry base: must be more than 0"))
	}
	if c.WebhookTimeout < time.Second || c.WebhookTimeout > 5*time.Minute {
		p = append(p, errors.New("webhook timeout: must be from 1s to 5m"))
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			p = append(p, fmt.Errorf("metrics address %q: %w", c.MetricsAddr, err))
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		p = append(p, errors.New("metrics token: must be at least 16 characters"))
	}
	return p
}

// String describes the configuration for the start-up log, secrets masked.
func (c Config) String() string {
	mask := func(s string) string {
		if s == "" {
			return "(unset)"
		}
		return "****"
	}
	return fmt.Sprintf("public_url=%s max_upload=%d addr=%s data_dir=%s site_url=%s public_api=%s cors_origins=%s trusted_proxies=%s log_level=%s log_format=%s admin_email=%s admin_password=%s jwt_secret=%s shutdown_grace=%s trash_days=%d revision_retention_days=%d webhook_retry_base=%s webhook_timeout=%s webhook_allow_private=%t metrics_addr=%s metrics_token=%s",
		c.PublicURL, c.MaxUpload, c.Addr, c.DataDir, c.SiteURL, c.PublicAPI, strings.Join(c.CORSOrigins, ","), strings.Join(c.TrustedProxies, ","), c.LogLevel, c.LogFormat,
		c.AdminEmail, mask(c.AdminPassword), mask(c.JWTSecret), c.ShutdownGrace, c.TrashDays, c.RevisionDays,
		c.WebhookRetryBase, c.WebhookTimeout, c.WebhookAllowPrivate, c.MetricsAddr, mask(c.MetricsToken))
}

// LogValue makes slog print the masked form.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimRight(strings.TrimSpace(part), "/"); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func orDefault(s, d string) string {
	if strings.TrimSpace(s) == "" {
		return d
	}
	return strings.TrimSpace(s)
}
