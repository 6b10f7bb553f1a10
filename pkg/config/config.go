// Package config loads Folio's configuration from the environment and
// command-line flags, all from one table of settings (settings.go). It is
// pure: no state, no I/O beyond what it is given.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Media stores (FOLIO_MEDIA_STORE).
const (
	MediaLocal = "local" // the data dir's media/
	MediaS3    = "s3"    // an S3-compatible bucket
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
	DatabaseURL   string   // PostgreSQL (postgres://…); empty: the SQLite file in DataDir (FOLIO_DATABASE_URL)
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
	// PagePath makes a page's public address from its path (or slug)
	// (FOLIO_PAGE_PATH).
	PagePath string
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
	// MediaStore is where media files are kept: MediaLocal or MediaS3
	// (FOLIO_MEDIA_STORE); S3 says which bucket, with FOLIO_S3_*.
	MediaStore string
	S3         S3
	// MediaPublicURL, when set, is where the media files are served from
	// instead of folio's /media/ (FOLIO_MEDIA_PUBLIC_URL): media URLs are
	// built on it, and /media/ redirects there.
	MediaPublicURL string
	// FeedURL and JSONFeedURL are where the site serves the feeds of posts,
	// for their self links (FOLIO_FEED_URL, FOLIO_JSON_FEED_URL); empty:
	// folio's own addresses.
	FeedURL, JSONFeedURL string
	// SeedDir, for serve: samples to import into an empty database (FOLIO_SEED_DIR).
	SeedDir string
	// UserPassword, for user create: the new user's password (FOLIO_USER_PASSWORD).
	UserPassword string

	command string // the command it was loaded for; its settings are logged
}

// S3 says which S3-compatible bucket holds the media (FOLIO_S3_*). The
// keys come from the environment only.
type S3 struct {
	Endpoint        string // e.g. https://s3.eu-west-1.amazonaws.com; empty: AWS
	Bucket          string
	Region          string
	Prefix          string // "" or a folder ending in "/"
	PathStyle       bool   // ENDPOINT/BUCKET/KEY rather than BUCKET.ENDPOINT/KEY
	AccessKeyID     string
	SecretAccessKey string
}

// DefaultS3Endpoint is the endpoint used when FOLIO_S3_ENDPOINT is not set.
const DefaultS3Endpoint = "https://s3.amazonaws.com"

// SiteName is the public site's host name, for feed titles.
func (c Config) SiteName() string {
	if u, err := url.Parse(c.SiteURL); err == nil && u.Host != "" {
		return u.Host
	}
	return c.SiteURL
}

// Default returns the configuration used when nothing is set: the
// defaults of the table of settings.
func Default() Config {
	var c Config
	for _, st := range settings {
		if st.def != "" {
			if err := st.field(&c).Set(st.def); err != nil {
				panic(fmt.Sprintf("config: the default of %s: %v", st.env, err))
			}
		}
	}
	return c
}

// Load returns the configuration of command ("serve", "user create", …):
// the table's defaults, overridden by the environment (read through
// getenv), overridden by flags in args. The flags are registered on fs, so
// a subcommand may register its own flags on fs before calling Load and
// read its positional arguments from fs.Args() afterwards; fs's usage
// gains a list of every setting the command takes. Secrets come from the
// environment only, so they never show in a process listing.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string, command string) (Config, error) {
	c := Default()
	c.command = command
	envProblems := map[string]error{} // a flag given for the same setting forgives them
	for _, st := range settings {
		if !st.takenBy(command) {
			continue
		}
		v := getenv(st.env)
		if !st.raw {
			v = strings.TrimSpace(v)
		}
		if v == "" {
			continue
		}
		if err := st.field(&c).Set(v); err != nil {
			envProblems[st.env] = fmt.Errorf("%s: %w", st.env, err)
		}
	}
	flags := map[string]*flagValue{}
	for _, st := range settings {
		if st.flag == "" || !st.takenBy(command) {
			continue
		}
		f := &flagValue{s: st.field(&c).String()}
		flags[st.env] = f
		usage := st.usage + " (" + st.env
		if st.defDoc != "" {
			usage += "; default " + st.defDoc
		}
		fs.Var(f, st.flag, usage+")")
	}
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		writeHelp(fs.Output(), command)
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	var problems []error
	for _, st := range settings {
		if f := flags[st.env]; f != nil && f.set {
			delete(envProblems, st.env)
			if err := st.field(&c).Set(f.s); err != nil {
				problems = append(problems, fmt.Errorf("--%s: %w", st.flag, err))
			}
		}
		if err := envProblems[st.env]; err != nil {
			problems = append(problems, err)
		}
	}
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
	c.MediaPublicURL = strings.TrimRight(c.MediaPublicURL, "/")
	if c.MediaStore == MediaS3 {
		c.tidyS3()
	}
	return c, nil
}

// flagValue holds a flag's text until every flag is parsed; the setting
// parses it then, so that a bad value is reported like a bad variable.
type flagValue struct {
	s   string
	set bool
}

func (f *flagValue) Set(s string) error { f.s, f.set = s, true; return nil }
func (f *flagValue) String() string {
	if f == nil {
		return ""
	}
	return f.s
}

// writeHelp lists every setting command takes, for its --help.
func writeHelp(w io.Writer, command string) {
	fmt.Fprintf(w, "\nSettings (environment variables; a flag, where there is one, overrides its variable):\n")
	for _, st := range settings {
		if !st.takenBy(command) {
			continue
		}
		line := strings.ReplaceAll(st.usage, "`", "")
		if st.flag != "" {
			line += "; flag --" + st.flag
		}
		switch {
		case st.def != "":
			line += "; default " + st.def
		case st.defDoc != "":
			line += "; default " + st.defDoc
		}
		if st.secret {
			line += "; secret, masked in the log"
		}
		fmt.Fprintf(w, "  %-30s %s\n", st.env, line)
	}
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
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			p = append(p, errors.New("database URL: want postgres://user:password@host:port/database (or postgresql://…)"))
		}
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
	if pp := c.PagePath; !(strings.HasPrefix(pp, "{path}") || strings.HasPrefix(pp, "/") && strings.Contains(pp, "{")) ||
		!strings.Contains(pp, "{path}") && !strings.Contains(pp, "{slug}") {
		p = append(p, fmt.Errorf("page path %q: want {path}, or a path starting with / that contains {path} or {slug}", pp))
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
	p = append(p, c.validateMedia()...)
	p = append(p, c.validateFeeds()...)
	return p
}

func (c *Config) tidyS3() {
	if c.S3.Endpoint == "" {
		c.S3.Endpoint = DefaultS3Endpoint
	}
	c.S3.Endpoint = strings.TrimRight(c.S3.Endpoint, "/")
	if c.S3.Prefix = strings.Trim(c.S3.Prefix, "/"); c.S3.Prefix != "" {
		c.S3.Prefix += "/"
	}
}

// WithMediaStore returns the configuration with its media in the store
// named (MediaLocal or MediaS3), checked as Load checks FOLIO_MEDIA_STORE:
// for `folio media migrate --to`, which names a store other than the one
// folio serves from.
func (c Config) WithMediaStore(store string) (Config, error) {
	c.MediaStore = store
	if p := c.validateMedia(); len(p) > 0 {
		return Config{}, errors.Join(p...)
	}
	if store == MediaS3 {
		c.tidyS3()
	}
	return c, nil
}

// validateFeeds checks the feeds' addresses, when set.
func (c Config) validateFeeds() []error {
	var p []error
	for name, v := range map[string]string{"feed URL": c.FeedURL, "JSON feed URL": c.JSONFeedURL} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p = append(p, fmt.Errorf("%s %q: want an absolute http(s) URL such as https://example.com/feed.xml", name, v))
		}
	}
	return p
}

// validateMedia checks the media store's settings: an S3 store needs a
// bucket, its keys and a usable endpoint.
func (c Config) validateMedia() []error {
	var p []error
	if c.MediaPublicURL != "" {
		if u, err := url.Parse(c.MediaPublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			p = append(p, fmt.Errorf("media public URL %q: want an absolute http(s) URL such as https://cdn.example.com/media", c.MediaPublicURL))
		}
	}
	switch c.MediaStore {
	case MediaLocal:
		return p
	case MediaS3:
	default:
		return append(p, fmt.Errorf("media store %q: want %s or %s", c.MediaStore, MediaLocal, MediaS3))
	}
	if c.S3.Bucket == "" {
		p = append(p, errors.New("FOLIO_MEDIA_STORE=s3 needs FOLIO_S3_BUCKET: the bucket that holds the media files"))
	} else if !validBucket(c.S3.Bucket) {
		p = append(p, fmt.Errorf("S3 bucket %q: a bucket name is 3 to 63 lowercase letters, digits, dots and hyphens", c.S3.Bucket))
	}
	if (c.S3.AccessKeyID == "") != (c.S3.SecretAccessKey == "") || c.S3.AccessKeyID == "" {
		p = append(p, errors.New("FOLIO_MEDIA_STORE=s3 needs FOLIO_S3_ACCESS_KEY_ID and FOLIO_S3_SECRET_ACCESS_KEY, both from the environment"))
	}
	if c.S3.Endpoint != "" {
		if u, err := url.Parse(c.S3.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			p = append(p, fmt.Errorf("S3 endpoint %q: want http(s)://host[:port], without a path", c.S3.Endpoint))
		}
	}
	if pre := strings.Trim(c.S3.Prefix, "/"); pre != "" {
		for seg := range strings.SplitSeq(pre, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "\\\x00") {
				p = append(p, fmt.Errorf("S3 prefix %q: want a folder such as folio/, without empty, . or .. parts or backslashes", c.S3.Prefix))
				break
			}
		}
	}
	return p
}

// validBucket holds a bucket name to S3's rules (the DNS-compatible ones).
func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 || strings.Contains(b, "..") {
		return false
	}
	for i, r := range b {
		alnum := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')
		if !alnum && ((r != '.' && r != '-') || i == 0 || i == len(b)-1) {
			return false
		}
	}
	return true
}

// String describes the configuration for the start-up log: every setting
// the command takes, in the table's order, secrets masked.
func (c Config) String() string {
	var b strings.Builder
	for _, st := range settings {
		if !st.takenBy(c.command) {
			continue
		}
		v := st.field(&c).String()
		switch {
		case st.secret:
			v = mask(v)
		case strings.ContainsAny(v, " \"\\"):
			v = strconv.Quote(v)
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(st.logKey() + "=" + v)
	}
	return b.String()
}

func mask(s string) string {
	if s == "" {
		return "(unset)"
	}
	return "****"
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
