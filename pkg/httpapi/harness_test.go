package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	adminui "github.com/folio-cms/folio/admin-ui"
	apispec "github.com/folio-cms/folio/api"
	"github.com/folio-cms/folio/pkg/app"
	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/httpapi"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/media/s3test"
	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/store/storetest"
	"github.com/folio-cms/folio/pkg/webhook"
)

func TestMain(m *testing.M) {
	code := storetest.Main(m)
	s3test.Cleanup()
	os.Exit(code)
}

// mediaStores are the stores every media test runs on.
var mediaStores = []string{config.MediaLocal, config.MediaS3}

// forEachStore runs test on each media store, in parallel.
func forEachStore(t *testing.T, test func(t *testing.T, store string)) {
	for _, s := range mediaStores {
		t.Run(s, func(t *testing.T) {
			t.Parallel()
			test(t, s)
		})
	}
}

// onStore sets the media store: the data dir's media/, or a new bucket of
// the shared S3 test server.
func onStore(t testing.TB, store string) func(*config.Config) {
	if store != config.MediaS3 {
		return func(*config.Config) {}
	}
	return onBucket(s3test.NewBucket(t))
}

// onBucket puts the media in the bucket, as FOLIO_MEDIA_STORE=s3 and the
// FOLIO_S3_* settings would.
func onBucket(b s3test.Bucket) func(*config.Config) {
	return func(c *config.Config) {
		c.MediaStore = config.MediaS3
		c.S3 = config.S3{Endpoint: b.Server.Endpoint, Bucket: b.Name, Region: s3test.Region, Prefix: b.Prefix, PathStyle: true,
			AccessKeyID: s3test.AccessKey, SecretAccessKey: s3test.SecretKey}
	}
}

// testSecret signs the test app's access tokens.
var testSecret = []byte("test-secret-0123456789-0123456789-abcdef")

type configT = config.Config

// clock is a settable clock shared by the store, the services and tokens.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// env is one Folio, wired as main wires it, on its own database.
type env struct {
	t       testing.TB
	app     *httpapi.Server
	store   *store.Store
	auth    *auth.Service
	content *content.Service
	library *library.Service
	hooks   *webhook.Service
	clock   *clock
	cfg     config.Config
	tokens  map[auth.Role]string
	users   map[auth.Role]auth.User
}

var hasher = sync.OnceValue(func() *auth.Hasher {
	h, err := auth.NewHasher(10) // the lowest cost bcrypt allows, to keep tests quick
	if err != nil {
		panic(err)
	}
	return h
})

// newEnv starts a Folio with one user of each role, built by the one
// constructor main uses, from a configuration loaded the way main loads
// it. What differs: the database (a copy of a migrated template), the data
// dir (a temporary one), the clock (settable; it starts at the real time,
// truncated to the second), the bcrypt cost, and webhook timing. The
// webhook dispatcher runs in the background with the real clock (retries
// wait in real time); the jobs do not run (tests call them).
func newEnv(t testing.TB, opts ...func(*config.Config)) *env {
	t.Helper()
	clk := &clock{now: time.Now().UTC().Truncate(time.Second)}
	vars := map[string]string{"FOLIO_DATA_DIR": t.TempDir(), "FOLIO_PUBLIC_URL": "http://folio.test", "FOLIO_JWT_SECRET": string(testSecret),
		"FOLIO_WEBHOOK_TIMEOUT": "2s"}
	cfg, err := config.Load(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return vars[k] }, "serve")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		o(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, err := app.New(context.Background(), cfg, app.Options{
		Log: log, Version: "test", AdminUI: adminui.FS(), Spec: apispec.Spec,
		Store: storetest.New(t, clk.Now), Now: clk.Now, Hasher: hasher(),
		WebhookPoll: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Dispatcher.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	e := &env{
		t: t, app: a.HTTP, store: a.Store, auth: a.Auth, content: a.Content, library: a.Library, hooks: a.Webhooks,
		clock: clk, cfg: cfg, tokens: map[auth.Role]string{}, users: map[auth.Role]auth.User{},
	}
	for _, r := range auth.Roles {
		e.users[r], e.tokens[r] = e.newUser(r)
	}
	return e
}

const testPassword = "correct horse battery staple"

// testPasswordHash is testPassword hashed once for every test user.
var testPasswordHash = sync.OnceValue(func() string {
	h, err := hasher().Hash(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// newUser creates an active user of the given role, whose password is
// testPassword, and returns it with an access token.
func (e *env) newUser(role auth.Role) (auth.User, string) {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.auth.CreateUser(ctx, auth.System, auth.NewUser{
		Email: fmt.Sprintf("%s-%d@example.com", role, time.Now().UnixNano()), Name: "Test " + string(role),
		Role: role, NoPassword: true, // then set the shared hash: one bcrypt per test binary, not per user
	})
	if err != nil {
		e.t.Fatalf("create %s: %v", role, err)
	}
	err = e.store.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.User(u.ID)
		if err != nil {
			return err
		}
		h := testPasswordHash()
		row.PasswordHash, row.Disabled = &h, false
		return tx.UpdateUser(&row)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	u.Disabled, u.HasPassword = false, true
	tok, _, err := e.auth.Tokens.Issue(u.ID, 0, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return u, tok
}

// tokenVersion reads a user's current token version (0 for a deleted user).
func (e *env) tokenVersion(id int64) int {
	row, err := e.store.Read(context.Background()).User(id)
	if err != nil {
		return 0
	}
	return row.TokenVersion
}

// req describes one request. Body may be a string (sent as is) or any
// value (sent as JSON); JSON bodies get Content-Type application/json
// unless Headers say otherwise.
type req struct {
	Method  string
	Path    string
	Body    any
	Token   string // "Bearer" access token; empty: none
	As      auth.Role
	Headers map[string]string
	// OffSpec marks a request to a path spelled in a way the spec doesn't
	// list (e.g. /API/V1/...): the response is checked for the error shape only.
	OffSpec bool
}

// resp is a response, with its body decoded when it is JSON.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   any
}

// do sends r to the app and checks the response against api/openapi.yaml.
func (e *env) do(r req) *resp {
	e.t.Helper()
	var body io.Reader = http.NoBody
	var raw []byte
	switch b := r.Body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	hr := httptest.NewRequest(r.Method, r.Path, body)
	if raw != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	token := r.Token
	if token == "" && r.As != "" {
		// A fresh token at the env's clock, so tests may move the clock
		// freely; e.tokens keeps the ones issued when the env started.
		u := e.users[r.As]
		var err error
		if token, _, err = e.auth.Tokens.Issue(u.ID, e.tokenVersion(u.ID), ""); err != nil {
			e.t.Fatal(err)
		}
	}
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range r.Headers {
		hr.Header.Set(k, v)
	}
	res, err := e.app.Test(hr, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer res.Body.Close()
	out := &resp{Status: res.StatusCode, Header: res.Header}
	if out.Body, err = io.ReadAll(res.Body); err != nil {
		e.t.Fatal(err)
	}
	plain := out.Body
	switch res.Header.Get("Content-Encoding") {
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(out.Body))
		if err == nil {
			plain, err = io.ReadAll(zr)
		}
		if err != nil {
			e.t.Fatalf("%s %s: bad gzip: %v", r.Method, r.Path, err)
		}
	case "br":
		var err error
		if plain, err = io.ReadAll(brotli.NewReader(bytes.NewReader(out.Body))); err != nil {
			e.t.Fatalf("%s %s: bad brotli: %v", r.Method, r.Path, err)
		}
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && len(plain) > 0 {
		if err := json.Unmarshal(plain, &out.JSON); err != nil {
			e.t.Fatalf("%s %s: response is not JSON: %v\n%s", r.Method, r.Path, err, out.Body)
		}
	}
	if r.OffSpec {
		checkErrorShape(e.t, r.Method, r.Path, out)
	} else {
		decoded := *out
		decoded.Body = plain
		checkContract(e.t, r.Method, r.Path, raw, hr.Header, &decoded)
	}
	return out
}

// get reads a value from the decoded JSON by a dotted path such as
// "data.tags.0.slug"; it reports false when the path does not exist.
func (r *resp) get(path string) (any, bool) {
	var cur any = r.JSON
	for _, part := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			var ok bool
			if cur, ok = v[part]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// str, num and list read typed values (zero values when absent).
func (r *resp) str(path string) string { v, _ := r.get(path); s, _ := v.(string); return s }
func (r *resp) num(path string) int    { v, _ := r.get(path); f, _ := v.(float64); return int(f) }
func (r *resp) list(path string) []any { v, _ := r.get(path); l, _ := v.([]any); return l }
func (r *resp) obj(path string) map[string]any {
	v, _ := r.get(path)
	m, _ := v.(map[string]any)
	return m
}

// want fails the test unless the response has the status and, for every
// path in fields, the value (compared as JSON).
func (r *resp) want(t testing.TB, status int, fields map[string]any) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.Status, status, r.Body)
	}
	for path, want := range fields {
		got, ok := r.get(path)
		if !ok {
			t.Errorf("%s: missing; body: %s", path, r.Body)
			continue
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if !bytes.Equal(gb, wb) {
			t.Errorf("%s = %s, want %s", path, gb, wb)
		}
	}
}

// ---- the contract: every response is checked against api/openapi.yaml ----

var spec = sync.OnceValues(func() (routers.Router, error) {
	openapi3filter.RegisterBodyDecoder("application/atom+xml", openapi3filter.FileBodyDecoder)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../../api/openapi.yaml")
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("api/openapi.yaml is not a valid OpenAPI document: %w", err)
	}
	return gorillamux.NewRouter(doc)
})

// checkContract fails the test when a response (or, for a success, its
// request) does not match the spec, or when a route the app answered is not
// in the spec at all.
func checkContract(t testing.TB, method, path string, reqBody []byte, reqHeader http.Header, r *resp) {
	t.Helper()
	router, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	hr := httptest.NewRequest(method, path, bytes.NewReader(reqBody))
	hr.Header = reqHeader.Clone()
	route, params, err := router.FindRoute(hr)
	if err != nil {
		// Not a route of the spec: only the app's own 404/405 may answer.
		if r.Status != http.StatusNotFound && r.Status != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: answered %d but the route is not in api/openapi.yaml (%v)", method, path, r.Status, err)
		}
		checkErrorShape(t, method, path, r)
		return
	}
	in := &openapi3filter.RequestValidationInput{
		Request: hr, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	ctx := context.Background()
	if r.Status < 300 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			t.Errorf("%s %s: the request the app accepted does not match api/openapi.yaml: %v", method, path, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: r.Status, Header: r.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	out.SetBodyBytes(r.Body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("%s %s: response %d does not match api/openapi.yaml: %v\nbody: %.600s", method, path, r.Status, err, r.Body)
	}
	if r.Status >= 400 {
		checkErrorShape(t, method, path, r)
	}
}

func checkErrorShape(t testing.TB, method, path string, r *resp) {
	t.Helper()
	if r.Status < 400 {
		return
	}
	if strings.HasPrefix(path, "/ghost/api/content/") {
		// The Ghost Content API answers errors as Ghost does.
		if r.str("errors.0.message") == "" || r.str("errors.0.type") == "" {
			t.Errorf("%s %s: error %d without Ghost's error shape: %s", method, path, r.Status, r.Body)
		}
		return
	}
	if r.str("error.code") == "" || r.str("error.message") == "" {
		t.Errorf("%s %s: error %d without the error shape: %s", method, path, r.Status, r.Body)
	}
	if _, ok := r.get("error.details"); !ok {
		t.Errorf("%s %s: error %d without details: %s", method, path, r.Status, r.Body)
	}
}

// cookie returns the Set-Cookie of the response with the given name.
func (r *resp) cookie(name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// login signs in through the API and returns the response (with the
// refresh cookie set).
func (e *env) login(email, password string) *resp {
	e.t.Helper()
	return e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": email, "password": password}})
}
