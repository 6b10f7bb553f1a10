// Package webhooktest gives tests a real webhook receiver: an HTTP server
// on 127.0.0.1 that records every request and answers as told.
package webhooktest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/webhook"
)

// Request is one request the receiver got.
type Request struct {
	Path   string
	Header http.Header
	Body   []byte
	At     time.Time
}

// Payload decodes the request's body.
func (r Request) Payload(t testing.TB) webhook.Payload {
	t.Helper()
	var p webhook.Payload
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("webhook body %s: %v", r.Body, err)
	}
	return p
}

// Receiver records requests and answers the n-th (from 1) with the status
// Respond returns (200 when Respond is nil).
type Receiver struct {
	*httptest.Server
	mu      sync.Mutex
	got     []Request
	respond func(n int, r Request) int
	arrived chan struct{}
}

// New starts a receiver, closed when the test ends.
func New(t testing.TB, respond func(n int, r Request) int) *Receiver {
	rc := &Receiver{respond: respond, arrived: make(chan struct{}, 1000)}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req := Request{Path: r.URL.Path, Header: r.Header.Clone(), Body: body, At: time.Now()}
		rc.mu.Lock()
		rc.got = append(rc.got, req)
		n := len(rc.got)
		respond := rc.respond
		rc.mu.Unlock()
		select {
		case rc.arrived <- struct{}{}:
		default:
		}
		code := http.StatusOK
		if respond != nil {
			code = respond(n, req)
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, "answer "+http.StatusText(code))
	}))
	t.Cleanup(rc.Close)
	return rc
}

// SetRespond changes how the receiver answers from now on.
func (rc *Receiver) SetRespond(respond func(n int, r Request) int) {
	rc.mu.Lock()
	rc.respond = respond
	rc.mu.Unlock()
}

// Requests returns what the receiver got so far.
func (rc *Receiver) Requests() []Request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Request(nil), rc.got...)
}

// Wait waits up to 10 s until the receiver has had n requests, and returns
// them all.
func (rc *Receiver) Wait(t testing.TB, n int) []Request {
	t.Helper()
	return rc.WaitFor(t, n, 10*time.Second)
}

// WaitFor is Wait with another time limit.
func (rc *Receiver) WaitFor(t testing.TB, n int, limit time.Duration) []Request {
	t.Helper()
	deadline := time.After(limit)
	for len(rc.Requests()) < n {
		select {
		case <-rc.arrived:
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Fatalf("the webhook receiver got %d requests, want %d", len(rc.Requests()), n)
		}
	}
	return rc.Requests()
}

// Quiet checks that no request beyond the first n arrives within d.
func (rc *Receiver) Quiet(t testing.TB, n int, d time.Duration) {
	t.Helper()
	time.Sleep(d)
	if got := rc.Requests(); len(got) != n {
		t.Fatalf("the webhook receiver got %d requests, want %d", len(got), n)
	}
}
