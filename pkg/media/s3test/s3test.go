// Package s3test gives tests a real S3 server: versitygw (Apache-2.0) on
// its posix backend, in a temporary directory, listening on a free port of
// 127.0.0.1, like a throwaway database. Each test gets buckets of its own.
//
// versitygw is installed once into the module's bin/ (`go install`, the
// same as `go tool task test` does first); a test that cannot have it fails,
// it is never skipped.
//
// Call Cleanup from TestMain to stop the shared server and delete its
// files; the server also dies with the test binary.
package s3test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/folio-cms/folio/pkg/media"
)

// Version is the versitygw the tests run; Package is where it comes from.
const (
	Version = "v1.8.0"
	Package = "github.com/versity/versitygw/cmd/versitygw"
)

// The keys and region of every test server.
const (
	AccessKey = "folio-test-access"
	SecretKey = "folio-test-secret-0123456789"
	Region    = "us-east-1"
)

var (
	installOnce sync.Once
	binPath     string
	installErr  error
)

// Binary returns the path of versitygw Version: $FOLIO_VERSITYGW when set,
// else bin/versitygw-VERSION in the module, installed there first when it
// is missing.
func Binary() (string, error) {
	installOnce.Do(func() { binPath, installErr = install() })
	return binPath, installErr
}

func install() (string, error) {
	if p := os.Getenv("FOLIO_VERSITYGW"); p != "" {
		return p, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(root, "bin")
	target := filepath.Join(bin, "versitygw-"+Version)
	if _, err := os.Stat(target); err == nil {
		return target, nil
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return "", err
	}
	// Several test binaries may get here at once: one installs.
	lock, err := os.OpenFile(filepath.Join(bin, ".versitygw.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	if _, err := os.Stat(target); err == nil {
		return target, nil
	}
	gobin, err := os.MkdirTemp(bin, ".versitygw-install-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(gobin)
	cmd := exec.Command("go", "install", Package+"@"+Version)
	cmd.Env = append(os.Environ(), "GOBIN="+gobin, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("install versitygw %s (go install %s@%s): %v\n%s", Version, Package, Version, err, out)
	}
	if err := os.Rename(filepath.Join(gobin, "versitygw"), target); err != nil {
		return "", err
	}
	return target, nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("s3test: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Server is one running versitygw.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	addr     string
	dir      string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	logs *bytes.Buffer
}

var (
	sharedOnce sync.Once
	shared     *Server
	sharedErr  error
)

// Shared returns the test binary's server, started at its first use.
func Shared(t testing.TB) *Server {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = start() })
	if sharedErr != nil {
		t.Fatalf("start the S3 test server: %v", sharedErr)
	}
	return shared
}

// Cleanup stops the shared server and deletes its files. Call it from
// TestMain after m.Run.
func Cleanup() {
	if shared != nil {
		shared.stop()
		os.RemoveAll(shared.dir)
	}
}

// Start starts a server of the test's own, which it may stop and start
// again (Stop, Restart) to see what folio does without S3. It is stopped
// at the end of the test.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := start()
	if err != nil {
		t.Fatalf("start the S3 test server: %v", err)
	}
	t.Cleanup(func() { s.stop(); os.RemoveAll(s.dir) })
	return s
}

func start() (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "folio-s3test-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir}
	for try := 0; ; try++ {
		s.addr, err = freeAddr()
		if err == nil {
			err = s.run(bin)
		}
		if err == nil || try == 4 {
			break
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.Endpoint = "http://" + s.addr
	return s, nil
}

// run starts versitygw on s.addr and waits until it answers.
func (s *Server) run(bin string) error {
	data := filepath.Join(s.dir, "buckets")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return err
	}
	cmd := exec.Command(bin, "--port", s.addr, "--access", AccessKey, "--secret", SecretKey, "--region", Region, "--quiet", "posix", data)
	cmd.Env = []string{"HOME=" + s.dir, "PATH=" + os.Getenv("PATH")}
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = &lockedWriter{w: logs, mu: &s.mu}, &lockedWriter{w: logs, mu: &s.mu}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // dies with the test binary
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-done:
			s.mu.Lock()
			defer s.mu.Unlock()
			return fmt.Errorf("versitygw exited at start: %s", strings.TrimSpace(logs.String()))
		default:
		}
		if res, err := http.Get("http://" + s.addr + "/"); err == nil {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-done
			return fmt.Errorf("versitygw did not answer on %s within 20 s: %s", s.addr, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	s.cmd, s.done, s.logs = cmd, done, logs
	s.mu.Unlock()
	return nil
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Stop kills the server (SIGKILL: it answers nothing more, at once). Its
// buckets stay on disk for Restart.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	s.stop()
}

func (s *Server) stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd != nil {
		cmd.Process.Kill()
		<-done
	}
}

// Restart starts the stopped server again, on the same address and files.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	var lastErr error
	for try := 0; try < 50; try++ { // the port may take a moment to be free again
		if lastErr = s.run(bin); lastErr == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("restart the S3 test server: %v", lastErr)
}

// Logs returns what the server printed.
func (s *Server) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.logs == nil {
		return ""
	}
	return s.logs.String()
}

// Client returns a plain S3 client of the server, for tests that look at
// the bucket behind folio's back.
func (s *Server) Client(t testing.TB) *minio.Client {
	t.Helper()
	c, err := minio.New(s.addr, &minio.Options{Creds: credentials.NewStaticV4(AccessKey, SecretKey, ""), Region: Region, BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Bucket is a bucket of a test's own on a server.
type Bucket struct {
	Server *Server
	Name   string
	Prefix string // "" or a folder ending in "/"
}

var bucketSeq struct {
	sync.Mutex
	n int
}

// NewBucket creates a new, empty bucket on the shared server.
func NewBucket(t testing.TB) Bucket { t.Helper(); return Shared(t).Bucket(t) }

// Bucket creates a new, empty bucket on s.
func (s *Server) Bucket(t testing.TB) Bucket {
	t.Helper()
	bucketSeq.Lock()
	bucketSeq.n++
	n := bucketSeq.n
	bucketSeq.Unlock()
	var rnd [4]byte
	rand.Read(rnd[:])
	name := fmt.Sprintf("t%d-%s", n, hex.EncodeToString(rnd[:]))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Client(t).MakeBucket(ctx, name, minio.MakeBucketOptions{Region: Region}); err != nil {
		t.Fatalf("make bucket %s: %v\n%s", name, err, s.Logs())
	}
	return Bucket{Server: s, Name: name}
}

// WithPrefix returns the bucket seen through a folder, as FOLIO_S3_PREFIX
// makes it.
func (b Bucket) WithPrefix(prefix string) Bucket { b.Prefix = prefix; return b }

// Options are the media.S3Options of the bucket.
func (b Bucket) Options() media.S3Options {
	return media.S3Options{Endpoint: b.Server.Endpoint, Bucket: b.Name, Region: Region, Prefix: b.Prefix, PathStyle: true,
		AccessKeyID: AccessKey, SecretAccessKey: SecretKey}
}

// Store returns a media.S3 on the bucket.
func (b Bucket) Store(t testing.TB) *media.S3 {
	t.Helper()
	s, err := media.NewS3(b.Options())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Env is the bucket as folio's settings: FOLIO_MEDIA_STORE=s3 and the
// FOLIO_S3_* variables.
func (b Bucket) Env() map[string]string {
	return map[string]string{
		"FOLIO_MEDIA_STORE": "s3", "FOLIO_S3_ENDPOINT": b.Server.Endpoint, "FOLIO_S3_BUCKET": b.Name, "FOLIO_S3_REGION": Region,
		"FOLIO_S3_PREFIX": b.Prefix, "FOLIO_S3_PATH_STYLE": "true", "FOLIO_S3_ACCESS_KEY_ID": AccessKey, "FOLIO_S3_SECRET_ACCESS_KEY": SecretKey,
	}
}

// Keys lists the bucket's object names (prefix included), sorted.
func (b Bucket) Keys(t testing.TB) []string {
	t.Helper()
	var out []string
	for obj := range b.Server.Client(t).ListObjects(context.Background(), b.Name, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		out = append(out, obj.Key)
	}
	return out
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// ClosedEndpoint returns the address of a port on 127.0.0.1 where nothing
// listens: an S3 store that cannot be reached.
func ClosedEndpoint(t testing.TB) string {
	t.Helper()
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// Refusing puts a proxy in front of the bucket's server that answers the
// requests refuse picks with 403 AccessDenied, as a bucket policy that
// denies them would, and passes the others through. It returns the bucket
// as seen through the proxy.
func (b Bucket) Refusing(t testing.TB, refuse func(r *http.Request) bool) Bucket {
	t.Helper()
	target, err := url.Parse(b.Server.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse(r) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><Resource>%s</Resource></Error>`, r.URL.Path)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	// A server value for the proxy's address only: it cannot be stopped.
	b.Server = &Server{Endpoint: srv.URL, addr: strings.TrimPrefix(srv.URL, "http://"), dir: b.Server.dir}
	return b
}
