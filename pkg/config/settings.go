package config

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// setting is one row of THE table of settings: its environment variable,
// its flag (if it has one), what it means, its default, and where it lives
// in Config. The table drives the environment, the flags, --help, the
// masked log line and Default(); a test holds README's table to it.
type setting struct {
	env   string // FOLIO_…
	flag  string // the flag's name without dashes; "" for the environment only
	usage string // one line for --help; a `word` in backquotes names the flag's argument
	def   string // the default, as one would write it in the environment; "" for none
	// defDoc says what happens without a value, where that is not a
	// default one could write (a generated secret, a value made of another).
	defDoc string
	// secret settings are masked in the log line. Give them no flag: a
	// flag shows in every process listing.
	secret bool
	raw    bool   // taken as set, spaces and all (passwords); others are trimmed
	cmd    string // the only command that takes it ("user create"); "" for every command
	field  func(*Config) value
}

// settings is THE table. Its order is the order of --help and the log line.
var settings = []setting{
	{env: "FOLIO_ADDR", flag: "addr", usage: "listen address `host:port`", def: "127.0.0.1:8080", field: func(c *Config) value { return (*text)(&c.Addr) }},
	{env: "FOLIO_DATA_DIR", flag: "data-dir", usage: "data `directory`: database, secrets, media", def: "./data", field: func(c *Config) value { return (*text)(&c.DataDir) }},
	// The URL may carry a password: masked in the log line.
	{env: "FOLIO_DATABASE_URL", flag: "database-url", secret: true, usage: "a PostgreSQL database `URL` (postgres://user:password@host:5432/folio) for several replicas on one database",
		defDoc: "the SQLite file folio.db in the data dir", field: func(c *Config) value { return (*text)(&c.DatabaseURL) }},
	{env: "FOLIO_PUBLIC_URL", flag: "public-url", usage: "how folio itself is reached from outside, for media `URL`s",
		defDoc: "http://ADDR", field: func(c *Config) value { return (*text)(&c.PublicURL) }},
	{env: "FOLIO_SITE_URL", flag: "site-url", usage: "public site base `URL`, for feeds and links", def: "http://localhost:3000", field: func(c *Config) value { return (*text)(&c.SiteURL) }},
	{env: "FOLIO_POST_PATH", usage: "where the site shows a post ({slug} is replaced), for feeds and the sitemap", def: "/blog/{slug}",
		field: func(c *Config) value { return (*text)(&c.PostPath) }},
	{env: "FOLIO_CASE_STUDY_PATH", usage: "where the site shows a case study ({slug} is replaced)", def: "/case-studies/{slug}",
		field: func(c *Config) value { return (*text)(&c.CaseStudyPath) }},
	{env: "FOLIO_PAGE_PATH", usage: "where the site shows a page ({path} is replaced by its path such as /services/backend, {slug} by its slug)", def: "{path}",
		field: func(c *Config) value { return (*text)(&c.PagePath) }},
	{env: "FOLIO_FEED_URL", usage: "where the site serves the Atom feed of posts, for its self link (default: folio's own /api/v1/feed.xml)",
		field: func(c *Config) value { return (*text)(&c.FeedURL) }},
	{env: "FOLIO_JSON_FEED_URL", usage: "where the site serves the JSON feed of posts, for its feed_url (default: folio's own /api/v1/feed.json)",
		field: func(c *Config) value { return (*text)(&c.JSONFeedURL) }},
	{env: "FOLIO_PUBLIC_API", flag: "public-api", usage: "public API `access`: open or token", def: PublicOpen, field: func(c *Config) value { return (*text)(&c.PublicAPI) }},
	{env: "FOLIO_CORS_ORIGINS", flag: "cors-origins", usage: "comma-separated `origins` allowed to call the public API",
		field: func(c *Config) value { return (*list)(&c.CORSOrigins) }},
	{env: "FOLIO_TRUSTED_PROXIES", flag: "trusted-proxies", usage: "comma-separated `IPs or CIDRs` of reverse proxies whose X-Forwarded-For is believed",
		field: func(c *Config) value { return (*list)(&c.TrustedProxies) }},
	{env: "FOLIO_PUBLIC_CACHE_CONTROL", usage: "Cache-Control of public answers", def: "public, max-age=60, stale-while-revalidate=600",
		field: func(c *Config) value { return (*text)(&c.PublicCacheControl) }},
	{env: "FOLIO_CACHE_MB", usage: "memory for cached public answers, in MB; 0 turns the cache off", def: "48", field: func(c *Config) value { return (*count)(&c.CacheMB) }},
	{env: "FOLIO_MAX_UPLOAD", usage: "the largest file an upload may carry, e.g. 10MiB", def: "10MiB", field: func(c *Config) value { return (*size)(&c.MaxUpload) }},
	{env: "FOLIO_MEDIA_STORE", usage: "where media files are kept: local (the data dir's media/) or s3 (an S3-compatible bucket)", def: MediaLocal,
		field: func(c *Config) value { return (*text)(&c.MediaStore) }},
	{env: "FOLIO_S3_ENDPOINT", usage: "the S3 endpoint, e.g. https://s3.eu-west-1.amazonaws.com, http://127.0.0.1:9000 (MinIO) or https://ACCOUNT.r2.cloudflarestorage.com",
		defDoc: "https://s3.amazonaws.com", field: func(c *Config) value { return (*text)(&c.S3.Endpoint) }},
	{env: "FOLIO_S3_BUCKET", usage: "the bucket that holds the media files (required with FOLIO_MEDIA_STORE=s3)", field: func(c *Config) value { return (*text)(&c.S3.Bucket) }},
	{env: "FOLIO_S3_REGION", usage: "the bucket's region (auto for R2)", def: "us-east-1", field: func(c *Config) value { return (*text)(&c.S3.Region) }},
	{env: "FOLIO_S3_PREFIX", usage: "a folder inside the bucket for folio's files, e.g. folio/", field: func(c *Config) value { return (*text)(&c.S3.Prefix) }},
	{env: "FOLIO_S3_PATH_STYLE", usage: "address the bucket as ENDPOINT/BUCKET (MinIO and most self-hosted servers) instead of BUCKET.ENDPOINT", def: "false",
		field: func(c *Config) value { return (*boolean)(&c.S3.PathStyle) }},
	{env: "FOLIO_S3_ACCESS_KEY_ID", secret: true, usage: "the access key id for the bucket", field: func(c *Config) value { return (*text)(&c.S3.AccessKeyID) }},
	{env: "FOLIO_S3_SECRET_ACCESS_KEY", secret: true, usage: "the secret access key for the bucket", field: func(c *Config) value { return (*text)(&c.S3.SecretAccessKey) }},
	{env: "FOLIO_MEDIA_PUBLIC_URL", usage: "where the media files are served from instead of folio (a CDN or the bucket's public address, with the prefix); /media/ redirects there",
		field: func(c *Config) value { return (*text)(&c.MediaPublicURL) }},
	{env: "FOLIO_JWT_SECRET", secret: true, usage: "key for access tokens (at least 32 characters)",
		defDoc: "generated once and kept in the data dir", field: func(c *Config) value { return (*text)(&c.JWTSecret) }},
	{env: "FOLIO_ADMIN_EMAIL", usage: "email of the first admin, created when there is no user", def: "admin@example.com", field: func(c *Config) value { return (*text)(&c.AdminEmail) }},
	{env: "FOLIO_ADMIN_PASSWORD", secret: true, raw: true, usage: "password of the first admin",
		defDoc: "generated and printed once", field: func(c *Config) value { return (*text)(&c.AdminPassword) }},
	{env: "FOLIO_LOG_LEVEL", flag: "log-level", usage: "log `level`: debug, info, warn, error", def: "info", field: func(c *Config) value { return (*level)(&c.LogLevel) }},
	{env: "FOLIO_LOG_FORMAT", flag: "log-format", usage: "log `format`: text or json", def: "text", field: func(c *Config) value { return (*text)(&c.LogFormat) }},
	{env: "FOLIO_SHUTDOWN_GRACE", usage: "how long in-flight requests may run after SIGINT or SIGTERM", def: "10s", field: func(c *Config) value { return (*duration)(&c.ShutdownGrace) }},
	{env: "FOLIO_TRASH_DAYS", usage: "days an item stays in the trash; 0 keeps it", def: "30", field: func(c *Config) value { return (*count)(&c.TrashDays) }},
	{env: "FOLIO_REVISION_RETENTION_DAYS", usage: "prune revisions older than this many days, beyond each item's newest 50; 0 keeps all", def: "0",
		field: func(c *Config) value { return (*count)(&c.RevisionDays) }},
	{env: "FOLIO_WEBHOOK_RETRY_BASE", usage: "wait before a failed webhook delivery's first retry, doubled for each further one", def: "30s",
		field: func(c *Config) value { return (*duration)(&c.WebhookRetryBase) }},
	{env: "FOLIO_WEBHOOK_TIMEOUT", usage: "how long a receiver has to answer a webhook delivery (from 1s to 5m)", def: "10s",
		field: func(c *Config) value { return (*duration)(&c.WebhookTimeout) }},
	{env: "FOLIO_WEBHOOK_ALLOW_PRIVATE", usage: "let webhooks reach loopback and private addresses (local development only)", def: "false",
		field: func(c *Config) value { return (*boolean)(&c.WebhookAllowPrivate) }},
	{env: "FOLIO_METRICS_ADDR", usage: "serve /metrics without a token on this separate address, e.g. 127.0.0.1:9464",
		field: func(c *Config) value { return (*text)(&c.MetricsAddr) }},
	{env: "FOLIO_METRICS_TOKEN", secret: true, usage: "serve /metrics on the main port to callers sending this Bearer token (at least 16 characters)",
		field: func(c *Config) value { return (*text)(&c.MetricsToken) }},
	{env: "FOLIO_DEBUG_ADDR", usage: "serve Go's profiler (/debug/pprof/) on this separate address, e.g. 127.0.0.1:6060",
		field: func(c *Config) value { return (*text)(&c.DebugAddr) }},
	{env: "FOLIO_SEED_DIR", flag: "seed-dir", cmd: "serve", usage: "when the database has no content, import the samples in this `directory`",
		field: func(c *Config) value { return (*text)(&c.SeedDir) }},
	{env: "FOLIO_USER_PASSWORD", flag: "password", cmd: "user create", secret: true, raw: true, usage: "the user's `password`",
		defDoc: "generated and printed", field: func(c *Config) value { return (*text)(&c.UserPassword) }},
}

// logKey is a setting's name in the log line: its variable without FOLIO_,
// in lower case.
func (s setting) logKey() string { return strings.ToLower(strings.TrimPrefix(s.env, "FOLIO_")) }

// takenBy reports whether command takes the setting.
func (s setting) takenBy(command string) bool { return s.cmd == "" || s.cmd == command }

// value is a setting's place in Config: it parses a value into it and
// shows what it holds.
type value interface {
	Set(string) error
	String() string
}

type text string

func (v *text) Set(s string) error { *v = text(s); return nil }
func (v *text) String() string     { return string(*v) }

// list is a comma-separated list; trailing slashes are dropped (origins).
type list []string

func (v *list) Set(s string) error { *v = splitList(s); return nil }
func (v *list) String() string     { return strings.Join(*v, ",") }

// count is a whole number, 0 or more.
type count int

func (v *count) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("want a whole number, 0 or more")
	}
	*v = count(n)
	return nil
}
func (v *count) String() string { return strconv.Itoa(int(*v)) }

// size is a number of bytes, written with an optional KiB/MiB/GiB suffix.
type size int64

func (v *size) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*v = size(n)
	return nil
}
func (v *size) String() string { return formatSize(int64(*v)) }

type duration time.Duration

func (v *duration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 30s or 2m: %w", err)
	}
	*v = duration(d)
	return nil
}
func (v *duration) String() string { return time.Duration(*v).String() }

type boolean bool

func (v *boolean) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	*v = boolean(b)
	return nil
}
func (v *boolean) String() string { return strconv.FormatBool(bool(*v)) }

type level slog.Level

func (v *level) Set(s string) error {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return fmt.Errorf("log level %q: want debug, info, warn or error", s)
	}
	*v = level(l)
	return nil
}
func (v *level) String() string { return strings.ToLower(slog.Level(*v).String()) }

// parseSize reads a byte size: a number with an optional KiB/MiB/GiB (or
// K/M/G, KB/MB/GB, all powers of 1024) suffix.
func parseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	mult := int64(1)
	for _, u := range sizeUnits {
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

var sizeUnits = []struct {
	suffix string
	mult   int64
}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}

// formatSize writes n the way parseSize reads it: in the largest unit that
// divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		name string
		mult int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}
