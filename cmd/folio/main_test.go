package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write from the server goroutine and
// read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// folio runs a command in-process and returns its exit code and output.
func folio(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncBuffer
	code := run(context.Background(), args, envOf(vars), &out, &errOut)
	return code, out.String(), errOut.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// server is a `folio serve` running in-process.
type server struct {
	addr   string
	cancel context.CancelFunc
	done   chan int
	out    *syncBuffer
	errOut *syncBuffer
}

func startServe(t *testing.T, vars map[string]string, args ...string) *server {
	t.Helper()
	s := &server{addr: freeAddr(t), done: make(chan int, 1), out: &syncBuffer{}, errOut: &syncBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() {
		s.done <- run(ctx, append([]string{"serve", "--addr", s.addr}, args...), envOf(vars), s.out, s.errOut)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			res.Body.Close()
			break
		}
		select {
		case code := <-s.done:
			t.Fatalf("serve exited with %d before it was ready:\n%s%s", code, s.out, s.errOut)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not answer /healthz in time:\n%s", s.errOut)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			t.Errorf("serve did not stop")
		}
	})
	return s
}

// stop sends the shutdown signal and returns the exit code.
func (s *server) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code // for Cleanup
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s")
		return -1
	}
}

func TestServeFirstAdminSeedAndShutdown(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	vars := map[string]string{"FOLIO_DATA_DIR": data, "FOLIO_ADMIN_EMAIL": "Boss@Example.com"}
	s := startServe(t, vars, "--seed-dir", "../../content")

	// The first run prints the admin's email and a generated password, which works.
	out := s.out.String()
	if !strings.Contains(out, "boss@example.com") {
		t.Fatalf("stdout does not show the admin email:\n%s", out)
	}
	var password string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "password:" {
			password = f[1]
		}
	}
	if len(password) < 20 {
		t.Fatalf("no generated password in stdout:\n%s", out)
	}
	body, _ := json.Marshal(map[string]string{"email": "boss@example.com", "password": password})
	res, err := http.Post("http://"+s.addr+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login with the printed password: %d", res.StatusCode)
	}
	// The samples were imported: published posts are served, the draft is not.
	res, err = http.Get("http://" + s.addr + "/api/v1/posts?per_page=100")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Meta struct{ Total int } `json:"meta"`
	}
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	if list.Meta.Total < 4 {
		t.Errorf("public posts after seeding = %d, want at least 4", list.Meta.Total)
	}
	// One log line per request, with its request id.
	if !strings.Contains(s.errOut.String(), "msg=request") || !strings.Contains(s.errOut.String(), "request_id=") {
		t.Errorf("no request log lines:\n%s", s.errOut)
	}
	// The JWT secret was generated into the data dir, readable by us only.
	fi, err := os.Stat(filepath.Join(data, "jwt_secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("jwt_secret: %v, mode %v; want mode 0600", err, fi.Mode().Perm())
	}

	// Graceful shutdown: a request in flight when the signal comes still gets
	// its answer, new connections are refused, and the exit code is 0.
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	half := `{"markdown":"# in flight"}`
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: folio\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(half)+10, half[:5])
	time.Sleep(100 * time.Millisecond) // the server is now reading this request
	s.cancel()
	time.Sleep(200 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		c.Close()
		t.Errorf("the server still accepts connections after the signal")
	}
	fmt.Fprintf(conn, "%s          ", half[5:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 { // the body is not a login, but it was answered
		t.Errorf("in-flight request: %d, want 400", resp.StatusCode)
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("exit code %d, want 0:\n%s", code, s.errOut)
	}
	// The database was closed cleanly: the WAL was checkpointed away.
	if fi, err := os.Stat(filepath.Join(data, "folio.db-wal")); err == nil && fi.Size() > 0 {
		t.Errorf("folio.db-wal has %d bytes after a clean shutdown", fi.Size())
	}

	// A second run creates no admin and prints no password, and seeds nothing.
	s2 := startServe(t, vars, "--seed-dir", "../../content")
	if strings.Contains(s2.out.String(), "password") {
		t.Errorf("second run printed a password:\n%s", s2.out)
	}
	if strings.Contains(s2.errOut.String(), "imported sample content") {
		t.Errorf("second run imported the samples again")
	}
	if code := s2.stop(t); code != 0 {
		t.Errorf("second run exit code %d", code)
	}
}

func TestServeUsesConfiguredAdminPassword(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"FOLIO_DATA_DIR": t.TempDir(), "FOLIO_ADMIN_PASSWORD": "a configured passphrase"}
	s := startServe(t, vars)
	if out := s.out.String(); strings.Contains(out, "a configured passphrase") || !strings.Contains(out, "FOLIO_ADMIN_PASSWORD") {
		t.Errorf("stdout should point at FOLIO_ADMIN_PASSWORD without echoing it:\n%s", out)
	}
	if strings.Contains(s.errOut.String(), "a configured passphrase") {
		t.Errorf("the log shows the admin password")
	}
	body, _ := json.Marshal(map[string]string{"email": "admin@example.com", "password": "a configured passphrase"})
	res, err := http.Post("http://"+s.addr+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("login with FOLIO_ADMIN_PASSWORD: %d", res.StatusCode)
	}
}

func TestImportExportRoundTrip(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"FOLIO_DATA_DIR": t.TempDir()}
	code, out, errOut := folio(t, vars, "import", "../../content")
	if code != 0 || !strings.Contains(out, "0 updated, 0 unchanged") {
		t.Fatalf("first import: %d %s %s", code, out, errOut)
	}
	if code, out, _ := folio(t, vars, "import", "../../content"); code != 0 || !strings.Contains(out, "0 created, 0 updated") {
		t.Fatalf("second import changed something: %s", out)
	}
	first, second := t.TempDir(), t.TempDir()
	if code, out, errOut := folio(t, vars, "export", first); code != 0 {
		t.Fatalf("export: %s %s", out, errOut)
	}
	vars2 := map[string]string{"FOLIO_DATA_DIR": t.TempDir()}
	if code, out, errOut := folio(t, vars2, "import", first); code != 0 {
		t.Fatalf("import of the export: %s %s", out, errOut)
	}
	if code, out, errOut := folio(t, vars2, "export", second); code != 0 {
		t.Fatalf("second export: %s %s", out, errOut)
	}
	a, b := readTree(t, first), readTree(t, second)
	if len(a) < 8 {
		t.Fatalf("export wrote %d files, want every sample", len(a))
	}
	for name, data := range a {
		if b[name] != data {
			t.Errorf("%s differs between the two exports", name)
		}
	}
	// The samples in content/ are already in the canonical form.
	samples := readTree(t, "../../content")
	delete(samples, "README.md")
	for name, data := range samples {
		if a[name] != data {
			t.Errorf("content/%s is not what export writes for it", name)
		}
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestImportRefusesBrokenFilesAndWritesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "posts"), 0o755)
	os.WriteFile(filepath.Join(dir, "posts", "good.md"), []byte("---\ntitle: Good\nslug: good\nstatus: draft\n---\n\nFine.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "posts", "typo.md"), []byte("---\ntitle: Typo\nslug: typo\nstatus: draft\ntagz: [a]\n---\n\nx\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "posts", "bad-slug.md"), []byte("---\ntitle: Bad\nslug: Bad Slug\nstatus: draft\n---\n\nx\n"), 0o644)
	vars := map[string]string{"FOLIO_DATA_DIR": t.TempDir()}
	code, _, errOut := folio(t, vars, "import", dir)
	if code != 1 || !strings.Contains(errOut, "typo.md") || !strings.Contains(errOut, "tagz") || !strings.Contains(errOut, "bad-slug.md: slug") {
		t.Fatalf("import of broken files: exit %d, stderr:\n%s", code, errOut)
	}
	out := t.TempDir()
	folio(t, vars, "export", out)
	if files := readTree(t, out); len(files) != 0 {
		t.Errorf("a failed import stored %d entries", len(files))
	}
}

func TestUserCreate(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"FOLIO_DATA_DIR": t.TempDir()}
	code, out, errOut := folio(t, vars, "user", "create", "--email", "Ed@Example.com", "--role", "editor")
	if code != 0 || !strings.Contains(out, "ed@example.com") || !strings.Contains(out, "password: ") {
		t.Fatalf("user create: %d\n%s%s", code, out, errOut)
	}
	vars["FOLIO_USER_PASSWORD"] = "from the environment"
	code, out, _ = folio(t, vars, "user", "create", "--email", "m@example.com", "--role", "marketer")
	if code != 0 || strings.Contains(out, "password") {
		t.Fatalf("user create with FOLIO_USER_PASSWORD: %d %s", code, out)
	}
	if code, _, errOut := folio(t, vars, "user", "create", "--email", "ed@example.com", "--role", "editor"); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("duplicate email: %d %s", code, errOut)
	}
	if code, _, errOut := folio(t, vars, "user", "create", "--email", "x@example.com", "--role", "king"); code != 1 || !strings.Contains(errOut, "role") {
		t.Errorf("unknown role: %d %s", code, errOut)
	}
	if code, _, errOut := folio(t, vars, "user", "create", "--email", "y@example.com", "--role", "author", "--password", "short"); code != 1 || !strings.Contains(errOut, "password") {
		t.Errorf("short password: %d %s", code, errOut)
	}
	if code, _, _ := folio(t, vars, "user", "create", "--role", "author"); code != 2 {
		t.Errorf("missing email: exit %d, want 2", code)
	}
}

func TestHelpAndVersion(t *testing.T) {
	t.Parallel()
	if code, out, _ := folio(t, nil, "--help"); code != 0 || !strings.Contains(out, "folio serve") || !strings.Contains(out, "folio import") {
		t.Errorf("--help: %d\n%s", code, out)
	}
	for _, cmd := range []string{"serve", "import", "export"} {
		code, _, errOut := folio(t, nil, cmd, "--help")
		if code != 0 || !strings.Contains(errOut, "Usage: folio "+cmd) || !strings.Contains(errOut, "-data-dir") {
			t.Errorf("%s --help: %d\n%s", cmd, code, errOut)
		}
	}
	if code, out, _ := folio(t, nil, "user", "--help"); code != 0 || !strings.Contains(out, "--email") {
		t.Errorf("user --help: %d %s", code, out)
	}
	if code, out, _ := folio(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "folio ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errOut := folio(t, nil, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: %d %s", code, errOut)
	}
	if code, _, errOut := folio(t, map[string]string{"FOLIO_PUBLIC_API": "sometimes"}, "serve"); code != 2 || !strings.Contains(errOut, "public API mode") {
		t.Errorf("bad config: %d %s", code, errOut)
	}
}

// TestRefusesToStartWithoutFTS5 builds folio without the sqlite_fts5 tag,
// as someone running a plain `go build` would, and checks that it refuses to
// start and says how to fix it.
func TestRefusesToStartWithoutFTS5(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "folio-without-fts5")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--data-dir", t.TempDir(), "--addr", freeAddr(t))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	err := cmd.Run()
	if err == nil {
		t.Fatal("folio without FTS5 started")
	}
	if !strings.Contains(stderr.String(), "sqlite_fts5") {
		t.Errorf("the refusal does not name the build tag:\n%s", stderr.String())
	}
}
