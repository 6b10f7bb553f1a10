package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/media/s3test"
	"github.com/folio-cms/folio/pkg/webhook/webhooktest"
)

// TestMain lets a test run folio as a real process: the test binary
// re-executes itself with FOLIO_TEST_EXEC_MAIN=1 and then behaves as the
// folio binary, so a test can kill it with SIGKILL mid-flight.
func TestMain(m *testing.M) {
	if os.Getenv("FOLIO_TEST_EXEC_MAIN") == "1" {
		main()
		return
	}
	code := m.Run()
	s3test.Cleanup()
	os.Exit(code)
}

// process is folio running as a child process.
type process struct {
	cmd  *exec.Cmd
	addr string
	logs *syncBuffer // written by exec's copying goroutines
}

func startProcess(t *testing.T, env map[string]string, args ...string) *process {
	t.Helper()
	p := &process{addr: freeAddr(t), logs: &syncBuffer{}}
	p.cmd = exec.Command(os.Args[0], append([]string{"serve", "--addr", p.addr}, args...)...)
	p.cmd.Env = []string{"FOLIO_TEST_EXEC_MAIN=1", "HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() })
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if res, err := http.Get("http://" + p.addr + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("folio did not get ready:\n%s", p.logs)
		}
	}
}

// call sends a JSON request to the process and decodes the answer into out.
func (p *process) call(t *testing.T, method, path, token string, body, out any) int {
	t.Helper()
	var b bytes.Buffer
	if body != nil {
		_ = json.NewEncoder(&b).Encode(body)
	}
	req, _ := http.NewRequest(method, "http://"+p.addr+path, &b)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if out != nil {
		_ = json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

func (p *process) login(t *testing.T, email, password string) string {
	t.Helper()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if code := p.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password}, &out); code != 200 {
		t.Fatalf("login: %d", code)
	}
	return out.AccessToken
}

// TestDeliveryPendingAcrossAKillIsDeliveredAfterRestart: folio is killed
// (SIGKILL: no shutdown, no cleanup) while a webhook request is in flight;
// after a restart the same event (same X-Folio-Delivery) is delivered.
func TestDeliveryPendingAcrossAKillIsDeliveredAfterRestart(t *testing.T) {
	hang := make(chan struct{})
	rc := webhooktest.New(t, func(n int, r webhooktest.Request) int {
		if n == 1 {
			<-hang // the first request never gets an answer from this receiver
		}
		return http.StatusOK
	})
	defer close(hang)
	env := map[string]string{
		"FOLIO_DATA_DIR": t.TempDir(), "FOLIO_ADMIN_EMAIL": "admin@example.com", "FOLIO_ADMIN_PASSWORD": "a sturdy passphrase",
		"FOLIO_WEBHOOK_ALLOW_PRIVATE": "true", "FOLIO_LOG_LEVEL": "warn",
		"FOLIO_WEBHOOK_TIMEOUT": "2s", // the killed process's lease runs out 7 s after it took it
	}
	p := startProcess(t, env)
	token := p.login(t, "admin@example.com", "a sturdy passphrase")
	if code := p.call(t, "POST", "/api/v1/admin/webhooks", token, map[string]any{"name": "site", "url": rc.URL, "events": []string{"*"}}, nil); code != 201 {
		t.Fatalf("create webhook: %d", code)
	}
	var post struct {
		Data struct {
			ID int `json:"id"`
		} `json:"data"`
	}
	if code := p.call(t, "POST", "/api/v1/admin/posts", token, map[string]any{"title": "Crash test"}, &post); code != 201 {
		t.Fatalf("create post: %d", code)
	}
	if code := p.call(t, "POST", fmt.Sprintf("/api/v1/admin/posts/%d/publish", post.Data.ID), token, nil, nil); code != 200 {
		t.Fatalf("publish: %d", code)
	}
	first := rc.Wait(t, 1)[0]
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()

	p2 := startProcess(t, env)
	got := rc.WaitFor(t, 2, 20*time.Second)
	if got[1].Header.Get("X-Folio-Delivery") != first.Header.Get("X-Folio-Delivery") || string(got[1].Body) != string(first.Body) {
		t.Fatalf("after the restart: %s %s; want the same event as %s", got[1].Header.Get("X-Folio-Delivery"), got[1].Body, first.Body)
	}
	if ev := got[1].Payload(t); ev.Event != "post.published" || ev.Data.ID != int64(post.Data.ID) {
		t.Errorf("payload %s", got[1].Body)
	}
	// The restarted folio records it as delivered.
	token = p2.login(t, "admin@example.com", "a sturdy passphrase")
	var ds struct {
		Data []struct {
			Status string `json:"status"`
		} `json:"data"`
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		p2.call(t, "GET", "/api/v1/admin/webhooks/1/deliveries", token, nil, &ds)
		if len(ds.Data) == 1 && ds.Data[0].Status == "delivered" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries %+v\n%s", ds, strings.TrimSpace(p2.logs.String()))
		}
	}
}
