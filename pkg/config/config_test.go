package config

import (
	"flag"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func load(args []string, env map[string]string) (Config, error) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return Load(fs, args, func(k string) string { return env[k] }, "serve")
}

func TestDefaults(t *testing.T) {
	c, err := load(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || c.PublicAPI != PublicOpen || c.LogLevel != slog.LevelInfo {
		t.Errorf("defaults = %+v", c)
	}
}

func TestFlagsOverrideEnv(t *testing.T) {
	env := map[string]string{
		"FOLIO_ADDR": "0.0.0.0:9000", "FOLIO_DATA_DIR": "/env", "FOLIO_LOG_LEVEL": "debug",
		"FOLIO_CORS_ORIGINS": "https://a.example.com, https://b.example.com/", "FOLIO_SITE_URL": "https://example.com/",
	}
	c, err := load([]string{"--data-dir", "/flag", "--log-level", "warn"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9000" || c.DataDir != "/flag" || c.LogLevel != slog.LevelWarn {
		t.Errorf("got addr=%s data=%s level=%s", c.Addr, c.DataDir, c.LogLevel)
	}
	if strings.Join(c.CORSOrigins, " ") != "https://a.example.com https://b.example.com" || c.SiteURL != "https://example.com" {
		t.Errorf("cors=%v site=%s", c.CORSOrigins, c.SiteURL)
	}
}

func TestInvalidValues(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"FOLIO_ADDR": "nonsense"}, nil, "address"},
		{map[string]string{"FOLIO_PUBLIC_API": "closed"}, nil, "public API"},
		{map[string]string{"FOLIO_LOG_LEVEL": "loud"}, nil, "log level"},
		{map[string]string{"FOLIO_SITE_URL": "example.com"}, nil, "site URL"},
		{map[string]string{"FOLIO_FEED_URL": "/feed.xml"}, nil, "feed URL"},
		{map[string]string{"FOLIO_JSON_FEED_URL": "ftp://example.com/feed.json"}, nil, "JSON feed URL"},
		{map[string]string{"FOLIO_CORS_ORIGINS": "https://a.example.com/path"}, nil, "CORS"},
		{map[string]string{"FOLIO_JWT_SECRET": "short"}, nil, "32"},
		{map[string]string{"FOLIO_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, nil, "trusted proxy \"proxy.local\""},
		{nil, []string{"--public-api", "x"}, "public API"},
		{nil, []string{"--no-such-flag"}, "not defined"},
		{map[string]string{"FOLIO_MAX_UPLOAD": "lots"}, nil, "FOLIO_MAX_UPLOAD"},
		{map[string]string{"FOLIO_PUBLIC_URL": "cms.example.com"}, nil, "public URL"},
		{map[string]string{"FOLIO_DATABASE_URL": "mysql://folio:pw@db/folio"}, nil, "database URL: want postgres://"},
	}
	for _, tt := range tests {
		if _, err := load(tt.args, tt.env); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("env %v args %v: error %v, want one mentioning %q", tt.env, tt.args, err, tt.want)
		}
	}
}

func TestStringMasksSecrets(t *testing.T) {
	c, err := load(nil, map[string]string{"FOLIO_JWT_SECRET": strings.Repeat("s", 40), "FOLIO_ADMIN_PASSWORD": "hunter2hunter2"})
	if err != nil {
		t.Fatal(err)
	}
	s := c.String()
	if strings.Contains(s, "sss") || strings.Contains(s, "hunter2") || !strings.Contains(s, "jwt_secret=****") {
		t.Errorf("String() = %s", s)
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "10MiB": 10 << 20, "10 MB": 10 << 20, "512k": 512 << 10, "1G": 1 << 30} {
		c, err := load(nil, map[string]string{"FOLIO_MAX_UPLOAD": in})
		if err != nil || c.MaxUpload != want {
			t.Errorf("FOLIO_MAX_UPLOAD=%s: %d, %v; want %d", in, c.MaxUpload, err, want)
		}
	}
	c, _ := load([]string{"--addr", "0.0.0.0:9000"}, nil)
	if c.PublicURL != "http://0.0.0.0:9000" {
		t.Errorf("default public URL = %q", c.PublicURL)
	}
}

// examples are a valid value of every setting, written as the log line
// shows it.
var examples = map[string]string{
	"FOLIO_ADDR": "0.0.0.0:9000", "FOLIO_DATA_DIR": "/var/lib/folio", "FOLIO_DATABASE_URL": "postgres://folio:hunter3@db.internal:5432/folio", "FOLIO_PUBLIC_URL": "https://cms.example.com",
	"FOLIO_SITE_URL": "https://example.com", "FOLIO_POST_PATH": "/posts/{slug}", "FOLIO_CASE_STUDY_PATH": "/work/{slug}", "FOLIO_PAGE_PATH": "/site{path}",
	"FOLIO_FEED_URL": "https://example.com/feed.xml", "FOLIO_JSON_FEED_URL": "https://example.com/feed.json",
	"FOLIO_PUBLIC_API": "token", "FOLIO_CORS_ORIGINS": "https://a.example.com,https://b.example.com", "FOLIO_TRUSTED_PROXIES": "10.0.0.1,192.168.0.0/16",
	"FOLIO_PUBLIC_CACHE_CONTROL": "public, max-age=5", "FOLIO_CACHE_MB": "7", "FOLIO_MAX_UPLOAD": "2MiB",
	"FOLIO_JWT_SECRET": strings.Repeat("j", 40), "FOLIO_ADMIN_EMAIL": "boss@example.com", "FOLIO_ADMIN_PASSWORD": " spaced out password ",
	"FOLIO_LOG_LEVEL": "debug", "FOLIO_LOG_FORMAT": "json", "FOLIO_SHUTDOWN_GRACE": "45s", "FOLIO_TRASH_DAYS": "3",
	"FOLIO_REVISION_RETENTION_DAYS": "90", "FOLIO_WEBHOOK_RETRY_BASE": "3m0s", "FOLIO_WEBHOOK_TIMEOUT": "20s", "FOLIO_WEBHOOK_ALLOW_PRIVATE": "true",
	"FOLIO_METRICS_ADDR": "127.0.0.1:9464", "FOLIO_METRICS_TOKEN": strings.Repeat("m", 20), "FOLIO_DEBUG_ADDR": "127.0.0.1:6060",
	"FOLIO_SEED_DIR": "content", "FOLIO_USER_PASSWORD": "another sturdy passphrase",
	"FOLIO_MEDIA_STORE": "s3", "FOLIO_S3_ENDPOINT": "http://127.0.0.1:9000", "FOLIO_S3_BUCKET": "folio-media", "FOLIO_S3_REGION": "eu-west-1",
	"FOLIO_S3_PREFIX": "sites/blog/", "FOLIO_S3_PATH_STYLE": "true", "FOLIO_S3_ACCESS_KEY_ID": "AKIAEXAMPLE0123456789",
	"FOLIO_S3_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FOLIO_MEDIA_PUBLIC_URL": "https://cdn.example.com/media",
}

// companions are the other settings an example needs to be valid.
var companions = map[string]map[string]string{
	"FOLIO_MEDIA_STORE": {"FOLIO_S3_BUCKET": "folio-media", "FOLIO_S3_ACCESS_KEY_ID": "id", "FOLIO_S3_SECRET_ACCESS_KEY": "key"},
}

// TestEverySettingEverywhere: each row of the table works from the
// environment and from its flag, shows in --help and in the log line
// (masked when secret), and differs from its default, so the row really
// reaches Config.
func TestEverySettingEverywhere(t *testing.T) {
	for _, st := range settings {
		ex, ok := examples[st.env]
		if !ok {
			t.Errorf("%s: add an example value to this test", st.env)
			continue
		}
		cmd := st.cmd
		if cmd == "" {
			cmd = "serve"
		}
		shown := st.logKey() + "=" + ex
		if strings.Contains(ex, " ") {
			shown = st.logKey() + "=" + strconv.Quote(ex)
		}
		if st.secret {
			shown = st.logKey() + "=****"
		}
		fs := flag.NewFlagSet("folio "+cmd, flag.ContinueOnError)
		var help strings.Builder
		fs.SetOutput(&help)
		env := func(k string) string {
			if k == st.env {
				return ex
			}
			return companions[st.env][k]
		}
		c, err := Load(fs, nil, env, cmd)
		if err != nil {
			t.Errorf("%s=%q: %v", st.env, ex, err)
			continue
		}
		if !strings.Contains(" "+c.String()+" ", " "+shown+" ") {
			t.Errorf("%s=%q: the log line does not show %q: %s", st.env, ex, shown, c)
		}
		if st.secret && strings.Contains(c.String(), strings.TrimSpace(ex)) {
			t.Errorf("%s: the log line shows the secret: %s", st.env, c)
		}
		if got := st.field(&c).String(); got != ex && !(st.env == "FOLIO_PUBLIC_URL" || st.env == "FOLIO_SITE_URL") {
			t.Errorf("%s=%q: Config holds %q", st.env, ex, got)
		}
		if d := Default(); st.field(&d).String() == ex {
			t.Errorf("%s: the example is the default; pick another", st.env)
		}
		fs.Usage()
		if !strings.Contains(help.String(), st.env) || (st.flag != "" && !strings.Contains(help.String(), "-"+st.flag)) {
			t.Errorf("%s: not in --help:\n%s", st.env, help.String())
		}
		if st.flag == "" {
			continue
		}
		fs = flag.NewFlagSet("folio "+cmd, flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c, err = Load(fs, []string{"--" + st.flag, ex}, func(k string) string { return companions[st.env][k] }, cmd)
		if err != nil || !strings.Contains(" "+c.String()+" ", " "+shown+" ") {
			t.Errorf("--%s %q: %v, log line %s", st.flag, ex, err, c)
		}
	}
	for env := range examples {
		if !slices.ContainsFunc(settings, func(s setting) bool { return s.env == env }) {
			t.Errorf("examples has %s, which is not a setting", env)
		}
	}
}

// TestCommandsTakeTheirOwnSettings: a command's settings are not flags of
// the others.
func TestCommandsTakeTheirOwnSettings(t *testing.T) {
	fs := flag.NewFlagSet("folio import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := Load(fs, []string{"--seed-dir", "x"}, func(string) string { return "" }, "import"); err == nil {
		t.Error("import took --seed-dir")
	}
	c, err := Load(flag.NewFlagSet("folio serve", flag.ContinueOnError), nil, func(string) string { return "" }, "serve")
	if err != nil || strings.Contains(c.String(), "user_password") || !strings.Contains(c.String(), "seed_dir=") {
		t.Errorf("serve's log line: %v %s", err, c)
	}
}

// TestREADMETable holds README's configuration table to the settings:
// every setting has a row with its flag and default, and every variable the
// table lists is a setting.
func TestREADMETable(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "\n## Configuration\n")
	if !ok {
		t.Fatal("README has no ## Configuration section")
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(after, "\n") {
		if strings.HasPrefix(line, "## ") {
			break
		}
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`FOLIO_") {
			continue
		}
		env := strings.Trim(strings.TrimSpace(cells[1]), "`")
		rows[env] = []string{strings.TrimSpace(cells[2]), strings.TrimSpace(cells[3])}
	}
	for _, st := range settings {
		row, ok := rows[st.env]
		if !ok {
			t.Errorf("README's configuration table has no row for %s", st.env)
			continue
		}
		delete(rows, st.env)
		flagCell, defCell := row[0], row[1]
		switch {
		case st.flag == "" && flagCell != "—":
			t.Errorf("README: %s has the flag %q, the table none", st.env, flagCell)
		case st.flag != "" && !strings.HasSuffix(strings.Trim(flagCell, "`"), "--"+st.flag):
			t.Errorf("README: %s has the flag %q, the table --%s", st.env, flagCell, st.flag)
		}
		if st.def != "" && !strings.Contains(defCell, "`"+st.def+"`") {
			t.Errorf("README: %s defaults to %q, the table to %q", st.env, defCell, st.def)
		}
	}
	for env := range rows {
		t.Errorf("README's configuration table lists %s, which is not a setting", env)
	}
}

// TestMediaStoreSettings: an S3 store needs a bucket and both keys, and
// says so; its endpoint, prefix and public URL are checked and tidied.
func TestMediaStoreSettings(t *testing.T) {
	s3 := func(extra map[string]string) map[string]string {
		env := map[string]string{"FOLIO_MEDIA_STORE": "s3", "FOLIO_S3_BUCKET": "media", "FOLIO_S3_ACCESS_KEY_ID": "id", "FOLIO_S3_SECRET_ACCESS_KEY": "secret"}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"FOLIO_MEDIA_STORE": "s3"}, "FOLIO_MEDIA_STORE=s3 needs FOLIO_S3_BUCKET"},
		{map[string]string{"FOLIO_MEDIA_STORE": "disk"}, `media store "disk": want local or s3`},
		{s3(map[string]string{"FOLIO_S3_SECRET_ACCESS_KEY": ""}), "needs FOLIO_S3_ACCESS_KEY_ID and FOLIO_S3_SECRET_ACCESS_KEY"},
		{s3(map[string]string{"FOLIO_S3_ACCESS_KEY_ID": "", "FOLIO_S3_SECRET_ACCESS_KEY": ""}), "needs FOLIO_S3_ACCESS_KEY_ID"},
		{s3(map[string]string{"FOLIO_S3_BUCKET": "My_Bucket"}), `S3 bucket "My_Bucket"`},
		{s3(map[string]string{"FOLIO_S3_ENDPOINT": "minio:9000"}), `S3 endpoint "minio:9000"`},
		{s3(map[string]string{"FOLIO_S3_ENDPOINT": "https://s3.example.com/bucket"}), "without a path"},
		{s3(map[string]string{"FOLIO_S3_PREFIX": "a/../b"}), `S3 prefix "a/../b"`},
		{s3(map[string]string{"FOLIO_S3_PREFIX": "a//b"}), `S3 prefix`},
		{s3(map[string]string{"FOLIO_S3_PATH_STYLE": "sometimes"}), "FOLIO_S3_PATH_STYLE"},
		{map[string]string{"FOLIO_MEDIA_PUBLIC_URL": "cdn.example.com"}, "media public URL"},
	} {
		if _, err := load(nil, tt.env); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one saying %q", tt.env, err, tt.want)
		}
	}
	c, err := load(nil, s3(map[string]string{"FOLIO_S3_PREFIX": "/sites/blog", "FOLIO_MEDIA_PUBLIC_URL": "https://cdn.example.com/media/"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.S3.Endpoint != DefaultS3Endpoint || c.S3.Prefix != "sites/blog/" || c.S3.Region != "us-east-1" || c.MediaPublicURL != "https://cdn.example.com/media" {
		t.Errorf("tidied: %+v, public %q", c.S3, c.MediaPublicURL)
	}
	if s := c.String(); strings.Contains(s, "secret_access_key=secret") || strings.Contains(s, "access_key_id=id") ||
		!strings.Contains(s, "s3_access_key_id=**** s3_secret_access_key=****") || !strings.Contains(s, "media_store=s3") {
		t.Errorf("log line: %s", s)
	}
	// The keys come from the environment only: they have no flag.
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := Load(fs, []string{"--s3-secret-access-key", "x"}, func(string) string { return "" }, "serve"); err == nil {
		t.Error("a flag took the secret key")
	}
}
