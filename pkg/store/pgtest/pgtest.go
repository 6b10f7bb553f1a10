// Package pgtest gives tests a throwaway PostgreSQL cluster: Debian's
// binaries (/usr/lib/postgresql/<version>/bin) run initdb into a temporary
// directory, and the server listens on 127.0.0.1 on a free port, with its
// unix socket in that directory and fsync off (nothing in it needs to
// survive a crash). One cluster serves a whole test binary: it starts on
// first use and stops in Main. Tests get databases cloned from a template
// (CREATE DATABASE … TEMPLATE), which costs milliseconds.
//
// initdb refuses to run as root. When the tests run as root, the cluster
// runs as the unprivileged user "postgres" (which Debian's package creates),
// or FOLIO_TEST_PG_USER; as any other user it runs as that user.
//
// When no PostgreSQL is installed, tests that need it are skipped with a
// message saying how to install it, unless FOLIO_TEST_PG=require (which
// `go tool task test` sets), where they fail instead.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// superuser is the cluster's superuser role (initdb -U), trusted on 127.0.0.1.
const superuser = "folio"

// Cluster is one running PostgreSQL server.
type Cluster struct {
	dir  string
	port int
	cmd  *exec.Cmd
	done chan error // the server's exit
	seq  atomic.Int64
}

var (
	once    sync.Once
	shared  *Cluster
	errOnce error
)

// ErrNotInstalled means no PostgreSQL server binaries were found.
var ErrNotInstalled = errors.New("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `go tool task test:deps:pg`, or apt-get install postgresql")

// Required reports whether tests must fail, not skip, without PostgreSQL.
func Required() bool { return os.Getenv("FOLIO_TEST_PG") == "require" }

// Shared returns the test binary's cluster, starting it on first use.
func Shared() (*Cluster, error) {
	once.Do(func() { shared, errOnce = Start() })
	return shared, errOnce
}

// Need returns the shared cluster, or skips t (fails it when Required)
// when PostgreSQL is not installed; any other failure fails t.
func Need(t testing.TB) *Cluster {
	t.Helper()
	c, err := Shared()
	if errors.Is(err, ErrNotInstalled) && !Required() {
		t.Skip(err.Error())
	}
	if err != nil {
		t.Fatalf("start PostgreSQL: %v", err)
	}
	return c
}

// Main runs a package's tests and then stops the shared cluster, if one
// was started; call it from TestMain (storetest.Main does).
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops the shared cluster and removes its directory.
func Stop() {
	if shared != nil {
		shared.Stop()
	}
}

// binDir finds the newest installed server's bin directory.
func binDir() (string, error) {
	if d := os.Getenv("FOLIO_TEST_PG_BIN"); d != "" {
		return d, nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		if p, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
		return "", ErrNotInstalled
	}
	version := func(p string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
		return n
	}
	sort.Slice(found, func(i, j int) bool { return version(found[i]) > version(found[j]) })
	return filepath.Dir(found[0]), nil
}

// runAs returns the credentials to run the server with: nil (ourselves)
// unless we are root.
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	name := os.Getenv("FOLIO_TEST_PG_USER")
	if name == "" {
		name = "postgres"
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("the tests run as root, and initdb refuses root: need an unprivileged user %q to run PostgreSQL as (FOLIO_TEST_PG_USER names another): %w", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

// Start makes and starts a new cluster; Stop it when done.
func Start() (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	cred, err := runAs()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "folio-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", superuser,
		"--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		// Older initdb without --locale=C.UTF-8 support or --no-instructions.
		initdb = exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", superuser,
			"--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
		initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		initdb.Dir = dir
		if out2, err2 := initdb.CombinedOutput(); err2 != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("initdb: %v\n%s\n%s", err, out, out2)
		}
	}
	var last error
	for range 5 { // a free port may be taken before the server binds it
		if last = c.start(bin, cred); last == nil {
			return c, nil
		}
	}
	os.RemoveAll(dir)
	return nil, last
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start runs the server on a free port and waits until it answers.
func (c *Cluster) start(bin string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	logPath := filepath.Join(c.dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	if cred != nil {
		_ = logFile.Chown(int(cred.Uid), int(cred.Gid))
	}
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", filepath.Join(c.dir, "data"),
		"-h", "127.0.0.1", "-p", strconv.Itoa(port), "-k", c.dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200", "-c", "shared_buffers=32MB",
		"-c", "log_min_messages=warning", "-c", "TimeZone=UTC")
	c.cmd.Dir = c.dir
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	// The server dies with the test binary (SIGQUIT: immediate shutdown).
	// The parent-death signal belongs to the thread that started the
	// process, so that thread stays locked to a goroutine that waits for
	// the server for as long as it runs.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	started := make(chan error, 1)
	c.done = make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := c.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.done <- c.cmd.Wait()
		logFile.Close()
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		cancel()
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		select {
		case werr := <-c.done:
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("postgres exited (%v): %s", werr, log)
		default:
		}
		if time.Now().After(deadline) {
			c.Stop()
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("postgres did not answer within 30 s: %v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop shuts the server down (fast shutdown) and removes its directory.
func (c *Cluster) Stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		_ = c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	}
	os.RemoveAll(c.dir)
}

// URL is the connection URL of database name, as the superuser.
func (c *Cluster) URL(name string) string {
	u := url.URL{Scheme: "postgres", User: url.User(superuser), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)), Path: "/" + name}
	u.RawQuery = "sslmode=disable"
	return u.String()
}

// Exec runs statements on the maintenance database "postgres".
func (c *Cluster) Exec(ctx context.Context, stmts ...string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%w\n in: %s", err, s)
		}
	}
	return nil
}

// NewName returns a database name not used before in this cluster.
func (c *Cluster) NewName(prefix string) string {
	return fmt.Sprintf("%s_%d_%d", prefix, os.Getpid(), c.seq.Add(1))
}

// CreateDatabase creates an empty database and returns its URL.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	if err := c.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	return c.URL(name), nil
}

// Clone creates database name as a copy of template (which must have no
// open connections) and returns its URL.
func (c *Cluster) Clone(ctx context.Context, template, name string) (string, error) {
	stmt := `CREATE DATABASE ` + pgx.Identifier{name}.Sanitize() + ` TEMPLATE ` + pgx.Identifier{template}.Sanitize()
	var err error
	for range 50 {
		// Another clone of the same template running at this instant makes
		// CREATE DATABASE fail with "source database is being accessed".
		if err = c.Exec(ctx, stmt); err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return "", err
	}
	return c.URL(name), nil
}

// Drop drops database name, closing its connections.
func (c *Cluster) Drop(ctx context.Context, name string) error {
	return c.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`)
}

// Database gives t a fresh database cloned from template, dropped when
// t ends, and returns its URL.
func (c *Cluster) Database(t testing.TB, template string) string {
	t.Helper()
	name := c.NewName("t")
	u, err := c.Clone(context.Background(), template, name)
	if err != nil {
		t.Fatalf("clone database %s: %v", template, err)
	}
	t.Cleanup(func() {
		if err := c.Drop(context.Background(), name); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return u
}
