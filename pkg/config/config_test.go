package config

import (
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
)

func load(args []string, env map[string]string) (Config, error) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return Load(fs, args, func(k string) string { return env[k] })
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
		{map[string]string{"FOLIO_CORS_ORIGINS": "https://a.example.com/path"}, nil, "CORS"},
		{map[string]string{"FOLIO_JWT_SECRET": "short"}, nil, "32"},
		{map[string]string{"FOLIO_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, nil, "trusted proxy \"proxy.local\""},
		{nil, []string{"--public-api", "x"}, "public API"},
		{nil, []string{"--no-such-flag"}, "not defined"},
		{map[string]string{"FOLIO_MAX_UPLOAD": "lots"}, nil, "FOLIO_MAX_UPLOAD"},
		{map[string]string{"FOLIO_PUBLIC_URL": "cms.example.com"}, nil, "public URL"},
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
