package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSeveralServesStartTogetherOnAnEmptyDataDir: three `folio serve`
// started at once on one empty data dir all come up (migrations run under
// a lock and skip what another applied; the first admin and the JWT secret
// are made once), and between them there is exactly one admin, one secret
// and one copy of the samples. Several tries, each on a new data dir.
func TestSeveralServesStartTogetherOnAnEmptyDataDir(t *testing.T) {
	content, _ := filepath.Abs("../../content")
	for try := 0; try < 4; try++ {
		dir := t.TempDir()
		env := []string{"FOLIO_TEST_EXEC_MAIN=1", "HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH"),
			"FOLIO_DATA_DIR=" + dir, "FOLIO_ADMIN_EMAIL=admin@example.com", "FOLIO_ADMIN_PASSWORD=a sturdy passphrase",
			"FOLIO_LOG_LEVEL=warn"}
		procs := make([]*process, 3)
		var start sync.WaitGroup
		start.Add(1)
		var launched sync.WaitGroup
		for i := range procs {
			p := &process{addr: freeAddr(t), logs: &syncBuffer{}}
			p.cmd = exec.Command(os.Args[0], "serve", "--addr", p.addr, "--seed-dir", content)
			p.cmd.Env, p.cmd.Stdout, p.cmd.Stderr = env, p.logs, p.logs
			procs[i] = p
			launched.Add(1)
			go func() {
				defer launched.Done()
				start.Wait()
				if err := p.cmd.Start(); err != nil {
					t.Error(err)
				}
			}()
		}
		start.Done() // all at once
		launched.Wait()
		exited := make([]chan error, len(procs))
		for i, p := range procs {
			exited[i] = make(chan error, 1)
			go func() { exited[i] <- p.cmd.Wait() }()
			t.Cleanup(func() { _ = p.cmd.Process.Kill(); <-exited[i] })
		}
		for i, p := range procs {
			waitReady(t, p, exited[i])
		}

		admins := 0
		for _, p := range procs {
			admins += strings.Count(p.logs.String(), "Created the first admin user.")
		}
		if admins != 1 {
			t.Fatalf("try %d: %d processes created a first admin, want 1", try, admins)
		}
		token := procs[2].login(t, "admin@example.com", "a sturdy passphrase")
		var users struct {
			Data []struct{ Email, Role string } `json:"data"`
		}
		procs[0].call(t, "GET", "/api/v1/admin/users?per_page=100", token, nil, &users) // every process takes the others' tokens: one secret
		var roles []string
		for _, u := range users.Data {
			if u.Role == "admin" {
				roles = append(roles, u.Email)
			}
		}
		if len(roles) != 1 || roles[0] != "admin@example.com" {
			t.Errorf("try %d: admins %v, want the one first admin", try, roles)
		}
		samples, _ := filepath.Glob(filepath.Join(content, "posts", "*.md"))
		var posts struct {
			Meta struct{ Total int } `json:"meta"`
		}
		if code := procs[1].call(t, "GET", "/api/v1/admin/posts?per_page=1", token, nil, &posts); code != 200 || posts.Meta.Total != len(samples) {
			t.Errorf("try %d: %d posts (%d), want the %d samples once", try, posts.Meta.Total, code, len(samples))
		}
		for _, p := range procs {
			_ = p.cmd.Process.Kill()
		}
	}
}

// waitReady waits until p answers /readyz with 200, failing if it exits.
func waitReady(t *testing.T, p *process, exited chan error) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("folio on %s exited (%v) before it was ready:\n%s", p.addr, err, p.logs)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+p.addr+"/readyz", nil)
		res, err := http.DefaultClient.Do(req)
		cancel()
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("folio on %s did not get ready:\n%s", p.addr, p.logs)
		}
	}
}
