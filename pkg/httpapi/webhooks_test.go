package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/webhook"
	"github.com/folio-cms/folio/pkg/webhook/webhooktest"
)

// publicHookURL is a URL the SSRF guard accepts without DNS (nothing in
// the tests listens there; deliveries to it just fail).
const publicHookURL = "https://93.184.215.14/hook"

// localHooks lets webhooks reach the test receivers on 127.0.0.1 and
// retries quickly.
func localHooks(c *config.Config) {
	c.WebhookAllowPrivate = true
	c.WebhookRetryBase = 20 * time.Millisecond
}

// addHook creates a webhook to url for events and returns its id and secret.
func (e *env) addHook(url string, events ...string) (int, string) {
	e.t.Helper()
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/webhooks", As: auth.RoleAdmin,
		Body: map[string]any{"name": "frontend", "url": url, "events": events}})
	r.want(e.t, 201, nil)
	return r.num("data.id"), r.str("data.secret")
}

// events lists the event names and entry ids the receiver got, in order.
func events(t *testing.T, got []webhooktest.Request) []string {
	var out []string
	for _, r := range got {
		p := r.Payload(t)
		out = append(out, fmt.Sprintf("%s %d", p.Event, p.Data.ID))
	}
	return out
}

func TestWebhookCRUD(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/webhooks", As: auth.RoleAdmin, Body: map[string]any{
		"name": "Static site", "url": publicHookURL, "events": []string{"post.updated", "post.published", "post.published"},
	}})
	r.want(t, 201, map[string]any{"data.name": "Static site", "data.active": true, "data.events": []string{"post.published", "post.updated"},
		"data.pending_deliveries": 0, "data.disabled_reason": nil})
	id, secret := r.num("data.id"), r.str("data.secret")
	if !strings.HasPrefix(secret, "whsec_") || len(secret) < 40 || r.Header.Get("Location") != fmt.Sprintf("/api/v1/admin/webhooks/%d", id) {
		t.Fatalf("secret %q, location %q", secret, r.Header.Get("Location"))
	}
	// The secret is shown once: afterwards only its last characters.
	got := e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d", id), As: auth.RoleAdmin})
	got.want(t, 200, map[string]any{"data.secret_hint": "…" + secret[len(secret)-4:]})
	if strings.Contains(string(got.Body), secret) {
		t.Fatal("GET shows the secret")
	}
	list := e.do(req{Method: "GET", Path: "/api/v1/admin/webhooks", As: auth.RoleAdmin})
	if len(list.list("data")) != 1 || strings.Contains(string(list.Body), secret) {
		t.Fatalf("list %s", list.Body)
	}

	// Changing fields; rotating the secret shows the new one, once.
	p := e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d", id), As: auth.RoleAdmin,
		Body: map[string]any{"events": []string{"*"}, "active": false}})
	p.want(t, 200, map[string]any{"data.events": []string{"*"}, "data.active": false})
	if _, has := p.get("data.secret"); has {
		t.Error("a PATCH that keeps the secret must not show it")
	}
	rot := e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d", id), As: auth.RoleAdmin, Body: map[string]any{"rotate_secret": true}})
	rot.want(t, 200, nil)
	if s := rot.str("data.secret"); s == "" || s == secret {
		t.Errorf("rotated secret %q", s)
	}
	own := e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d", id), As: auth.RoleAdmin, Body: map[string]any{"secret": "my-own-secret-0123456789"}})
	own.want(t, 200, map[string]any{"data.secret": "my-own-secret-0123456789", "data.secret_hint": "…6789"})

	// Bad input: a clear 4xx naming the field, nothing stored.
	bad := []struct {
		body   any
		status int
		field  string
	}{
		{map[string]any{"url": publicHookURL, "events": []string{"*"}}, 422, "name"},
		{map[string]any{"name": "x", "events": []string{"*"}}, 422, "url"},
		{map[string]any{"name": "x", "url": publicHookURL}, 422, "events"},
		{map[string]any{"name": "x", "url": publicHookURL, "events": []string{}}, 422, "events"},
		{map[string]any{"name": "x", "url": publicHookURL, "events": []string{"post.created"}}, 422, "events"},
		{map[string]any{"name": "x", "url": "ftp://example.com/", "events": []string{"*"}}, 422, "url"},
		{map[string]any{"name": "x", "url": publicHookURL, "events": []string{"*"}, "secret": "short"}, 422, "secret"},
		{map[string]any{"name": "x", "url": publicHookURL, "events": []string{"*"}, "rotate_secret": true}, 422, "rotate_secret"},
		{map[string]any{"name": "x", "url": publicHookURL, "events": []string{"*"}, "id": 5}, 400, ""},
	}
	for _, b := range bad {
		r := e.do(req{Method: "POST", Path: "/api/v1/admin/webhooks", As: auth.RoleAdmin, Body: b.body})
		r.want(t, b.status, nil)
		if b.field != "" && !hasDetail(r, b.field) {
			t.Errorf("%v: no detail for %s: %s", b.body, b.field, r.Body)
		}
	}
	if n := len(e.do(req{Method: "GET", Path: "/api/v1/admin/webhooks", As: auth.RoleAdmin}).list("data")); n != 1 {
		t.Errorf("%d webhooks after bad requests, want 1", n)
	}

	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d", id), As: auth.RoleAdmin}).want(t, 204, nil)
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d", id), As: auth.RoleAdmin}).want(t, 404, nil)
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d", id), As: auth.RoleAdmin}).want(t, 404, nil)
}

// TestWebhookURLsIntoPrivateNetworksAre422: the SSRF guard, through the API.
func TestWebhookURLsIntoPrivateNetworksAre422(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, u := range []string{"http://127.0.0.1:8080/", "http://127.1/", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/",
		"http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://100.64.1.1/", "http://localhost/", "http://[::1]/"} {
		r := e.do(req{Method: "POST", Path: "/api/v1/admin/webhooks", As: auth.RoleAdmin, Body: map[string]any{"name": "x", "url": u, "events": []string{"*"}}})
		r.want(t, 422, map[string]any{"error.code": "validation_failed"})
		if !hasDetail(r, "url") {
			t.Errorf("%s: %s", u, r.Body)
		}
	}
	id, _ := e.addHook(publicHookURL, "*")
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d", id), As: auth.RoleAdmin,
		Body: map[string]any{"url": "http://192.168.1.1/"}}).want(t, 422, nil)
	e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d", id), As: auth.RoleAdmin}).want(t, 200, map[string]any{"data.url": publicHookURL})
}

// TestContentEventsReachTheReceiver walks an entry through its life and
// checks the events a frontend's receiver gets, in order, signed.
func TestContentEventsReachTheReceiver(t *testing.T) {
	t.Parallel()
	e := newEnv(t, localHooks)
	rc := webhooktest.New(t, nil)
	hookID, secret := e.addHook(rc.URL+"/hooks/folio", "*")

	id, _ := e.createPost(map[string]any{"title": "Launch notes", "body": "Hello."}) // a draft: no event
	post := fmt.Sprintf("/api/v1/admin/posts/%d", id)
	e.publishPost(id)
	got := rc.Wait(t, 1)
	p := got[0].Payload(t)
	if p.Event != "post.published" || p.Data.Type != "post" || p.Data.ID != int64(id) || p.Data.Slug != "launch-notes" ||
		p.Data.Title != "Launch notes" || p.Data.Status != "published" || p.Data.URL != "http://localhost:3000/blog/launch-notes" {
		t.Fatalf("payload %s", got[0].Body)
	}
	h := got[0].Header
	if h.Get("X-Folio-Event") != "post.published" || h.Get("X-Folio-Delivery") != p.ID || h.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", h)
	}
	if err := webhook.Verify(secret, h.Get("X-Folio-Signature"), got[0].Body, time.Now(), 5*time.Minute); err != nil {
		t.Errorf("signature: %v", err)
	}

	// Saves of a live post change its working copy (no event); each
	// publish of them is one update.
	e.do(req{Method: "PATCH", Path: post, As: auth.RoleEditor, Body: map[string]any{"title": "Launch notes, revised", "version": 2}}).want(t, 200, nil)
	e.publishPost(id)
	e.do(req{Method: "PATCH", Path: post, As: auth.RoleEditor, Body: map[string]any{"slug": "launch", "version": 4}}).want(t, 200, nil)
	e.do(req{Method: "PATCH", Path: post, As: auth.RoleEditor, Body: map[string]any{"body": "Hello again.", "version": 5}}).want(t, 200, nil)
	e.publishPost(id)
	// A write that fails (stale version) changes nothing and emits nothing.
	e.do(req{Method: "PATCH", Path: post, As: auth.RoleEditor, Body: map[string]any{"title": "Lost", "version": 2}}).want(t, 409, nil)
	e.do(req{Method: "POST", Path: post + "/unpublish", As: auth.RoleEditor}).want(t, 200, nil)
	e.do(req{Method: "PATCH", Path: post, As: auth.RoleEditor, Body: map[string]any{"title": "Draft edit", "version": 8}}).want(t, 200, nil) // not live: no event
	e.publishPost(id)
	e.do(req{Method: "DELETE", Path: post, As: auth.RoleEditor}).want(t, 204, nil)
	e.do(req{Method: "DELETE", Path: post + "?permanent=1", As: auth.RoleAdmin}).want(t, 204, nil) // already announced when trashed

	// A case study, and a scheduled post that goes live when its time comes.
	cs := e.publishStudy(map[string]any{"title": "Acme", "client": "Acme"})
	sid, _ := e.createPost(map[string]any{"title": "Later"})
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/schedule", sid), As: auth.RoleEditor,
		Body: map[string]any{"publish_at": e.clock.Now().Add(time.Hour).Format(time.RFC3339)}}).want(t, 200, nil)
	e.clock.Add(2 * time.Hour)
	if n, err := e.content.PublishDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("PublishDue = %d, %v", n, err)
	}

	want := []string{
		fmt.Sprintf("post.published %d", id),
		fmt.Sprintf("post.updated %d", id),
		fmt.Sprintf("post.updated %d", id),
		fmt.Sprintf("post.unpublished %d", id),
		fmt.Sprintf("post.published %d", id),
		fmt.Sprintf("post.deleted %d", id),
		fmt.Sprintf("case_study.published %d", cs),
		fmt.Sprintf("post.published %d", sid),
	}
	got = rc.Wait(t, len(want))
	rc.Quiet(t, len(want), 200*time.Millisecond)
	if g := events(t, got); strings.Join(g, ", ") != strings.Join(want, ", ") {
		t.Fatalf("events\n got %v\nwant %v", g, want)
	}
	if p := got[2].Payload(t); p.Data.Slug != "launch" || p.Data.PreviousURL != "http://localhost:3000/blog/launch-notes" {
		t.Errorf("slug change: %s", got[2].Body)
	}
	if p := got[5].Payload(t); p.Data.Status != "trashed" {
		t.Errorf("deleted: %s", got[5].Body)
	}
	if p := got[6].Payload(t); p.Data.URL != "http://localhost:3000/case-studies/acme" {
		t.Errorf("case study: %s", got[6].Body)
	}
	ids := map[string]bool{}
	for _, r := range got {
		if err := webhook.Verify(secret, r.Header.Get("X-Folio-Signature"), r.Body, time.Now(), 5*time.Minute); err != nil {
			t.Errorf("%s: %v", r.Body, err)
		}
		ids[r.Header.Get("X-Folio-Delivery")] = true
	}
	if len(ids) != len(want) {
		t.Errorf("%d distinct delivery ids for %d events", len(ids), len(want))
	}
	eventually(t, func() bool {
		r := e.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d/deliveries?status=delivered&per_page=100", hookID), As: auth.RoleAdmin})
		return r.num("meta.total") == len(want)
	})
}

// TestMediaDeletedEvent: deleting a file tells receivers (they may cache it).
func TestMediaDeletedEvent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, localHooks)
	rc := webhooktest.New(t, nil)
	e.addHook(rc.URL, "media.deleted")
	up := e.upload(auth.RoleEditor, "photo.png", pngBytes(40, 30), map[string]string{"alt": "A photo"})
	up.want(t, 201, nil)
	e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/media/%d", up.num("data.id")), As: auth.RoleEditor}).want(t, 204, nil)
	got := rc.Wait(t, 1)
	p := got[0].Payload(t)
	if p.Event != "media.deleted" || p.Data.Type != "media" || p.Data.ID != int64(up.num("data.id")) || p.Data.Title != "photo.png" ||
		p.Data.URL != up.str("data.url") {
		t.Errorf("payload %s", got[0].Body)
	}
}

// TestDeliveriesRedeliverAndPing covers the deliveries view: attempts with
// status codes and excerpts, a retried delivery, redelivery and ping.
func TestDeliveriesRedeliverAndPing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, localHooks)
	rc := webhooktest.New(t, func(n int, _ webhooktest.Request) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusAccepted
	})
	hook, _ := e.addHook(rc.URL, "post.published")
	base := fmt.Sprintf("/api/v1/admin/webhooks/%d", hook)
	e.publish(map[string]any{"title": "Retried"})
	got := rc.Wait(t, 3)
	if got[0].Header.Get("X-Folio-Delivery") != got[2].Header.Get("X-Folio-Delivery") {
		t.Error("retries must carry the same delivery id")
	}
	var list *resp
	eventually(t, func() bool {
		list = e.do(req{Method: "GET", Path: base + "/deliveries", As: auth.RoleAdmin})
		return list.str("data.0.status") == "delivered"
	})
	list.want(t, 200, map[string]any{"meta.total": 1, "data.0.event": "post.published", "data.0.attempt_count": 3,
		"data.0.attempts.0.status_code": 500, "data.0.attempts.0.response_excerpt": "answer Internal Server Error",
		"data.0.attempts.2.status_code": 202, "data.0.attempts.2.error": nil, "data.0.last_status_code": 202,
		"data.0.event_id": got[0].Header.Get("X-Folio-Delivery"), "data.0.next_attempt_at": nil})
	if !strings.Contains(list.str("data.0.attempts.0.error"), "500") {
		t.Errorf("attempt error %q", list.str("data.0.attempts.0.error"))
	}
	first := list.num("data.0.id")

	re := e.do(req{Method: "POST", Path: fmt.Sprintf("%s/deliveries/%d/redeliver", base, first), As: auth.RoleAdmin})
	re.want(t, 202, map[string]any{"data.redelivery_of": first, "data.status": "pending", "data.event_id": got[0].Header.Get("X-Folio-Delivery")})
	ping := e.do(req{Method: "POST", Path: base + "/ping", As: auth.RoleAdmin})
	ping.want(t, 202, map[string]any{"data.event": "ping", "data.payload.data.type": "webhook"})
	got = rc.Wait(t, 5)
	if got[3].Header.Get("X-Folio-Delivery") != got[0].Header.Get("X-Folio-Delivery") || got[4].Header.Get("X-Folio-Event") != "ping" {
		t.Errorf("redelivery then ping: %v / %v", got[3].Header, got[4].Header)
	}
	eventually(t, func() bool {
		return e.do(req{Method: "GET", Path: base, As: auth.RoleAdmin}).num("data.pending_deliveries") == 0
	})
	e.do(req{Method: "GET", Path: base, As: auth.RoleAdmin}).want(t, 200, map[string]any{"data.last_status_code": 202})

	// Filters and errors.
	e.do(req{Method: "GET", Path: base + "/deliveries?status=failed", As: auth.RoleAdmin}).want(t, 200, map[string]any{"meta.total": 0})
	e.do(req{Method: "GET", Path: base + "/deliveries?status=nope", As: auth.RoleAdmin}).want(t, 400, nil)
	other, _ := e.addHook(publicHookURL, "*")
	e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/webhooks/%d/deliveries/%d/redeliver", other, first), As: auth.RoleAdmin}).want(t, 404, nil)
	e.do(req{Method: "POST", Path: base + "/deliveries/abc/redeliver", As: auth.RoleAdmin}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/webhooks/999/deliveries", As: auth.RoleAdmin}).want(t, 404, nil)
	e.do(req{Method: "PATCH", Path: base, As: auth.RoleAdmin, Body: map[string]any{"active": false}}).want(t, 200, nil)
	e.do(req{Method: "POST", Path: base + "/ping", As: auth.RoleAdmin}).want(t, 409, map[string]any{"error.code": "webhook_inactive"})
}

// TestGoneDeactivatesThroughTheAPI: a 410 shows as a deactivated webhook
// with its reason; reactivating clears it.
func TestGoneDeactivatesThroughTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, localHooks)
	rc := webhooktest.New(t, func(int, webhooktest.Request) int { return http.StatusGone })
	hook, _ := e.addHook(rc.URL, "*")
	base := fmt.Sprintf("/api/v1/admin/webhooks/%d", hook)
	e.publish(map[string]any{"title": "One"})
	rc.Wait(t, 1)
	eventually(t, func() bool {
		return !e.do(req{Method: "GET", Path: base, As: auth.RoleAdmin}).obj("data")["active"].(bool)
	})
	r := e.do(req{Method: "GET", Path: base, As: auth.RoleAdmin})
	if !strings.Contains(r.str("data.disabled_reason"), "410 Gone") || r.num("data.failed_deliveries") != 1 {
		t.Errorf("after 410: %s", r.Body)
	}
	e.publish(map[string]any{"title": "Two"}) // an inactive webhook gets nothing
	rc.Quiet(t, 1, 100*time.Millisecond)
	e.do(req{Method: "PATCH", Path: base, As: auth.RoleAdmin, Body: map[string]any{"active": true}}).
		want(t, 200, map[string]any{"data.active": true, "data.disabled_reason": nil})
}

// TestReadiness reports the database, the data dir and the dispatcher.
func TestReadiness(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	eventually(t, func() bool {
		return e.do(req{Method: "GET", Path: "/readyz"}).Status == 200
	})
	e.do(req{Method: "GET", Path: "/readyz"}).want(t, 200, map[string]any{"status": "ok", "checks.database": "ok",
		"checks.data_dir": "ok", "checks.webhooks": "ok", "webhooks.running": true, "webhooks.pending": 0, "checks.media": "ok", "media.store": "local"})

	// A data dir that cannot take files (here: it is a file) fails readiness.
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := newEnv(t, func(c *config.Config) { c.DataDir = file })
	bad.do(req{Method: "GET", Path: "/readyz"}).want(t, 503, map[string]any{"status": "unavailable", "checks.data_dir": "not writable"})
}

// TestMetrics: off the public port unless a token is set; with it, they
// count requests by route pattern, never by raw path.
func TestMetrics(t *testing.T) {
	t.Parallel()
	closed := newEnv(t)
	closed.do(req{Method: "GET", Path: "/metrics"}).want(t, 404, nil)

	const token = "metrics-token-0123456789"
	e := newEnv(t, func(c *config.Config) { c.MetricsToken = token })
	e.do(req{Method: "GET", Path: "/metrics"}).want(t, 401, nil)
	e.do(req{Method: "GET", Path: "/metrics", Token: "wrong-token-0123456789"}).want(t, 401, nil)
	e.publish(map[string]any{"title": "Counted"})
	for _, slug := range []string{"counted", "nope-1", "nope-2"} {
		e.do(req{Method: "GET", Path: "/api/v1/posts/" + slug})
	}
	e.do(req{Method: "GET", Path: "/no/such/path", OffSpec: true})
	r := e.do(req{Method: "GET", Path: "/metrics", Token: token})
	r.want(t, 200, nil)
	body := string(r.Body)
	for _, want := range []string{
		`folio_http_requests_total{method="GET",route="/api/v1/posts/:slug",status="200"} 1`,
		`folio_http_requests_total{method="GET",route="/api/v1/posts/:slug",status="404"} 2`,
		`folio_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`folio_http_request_duration_seconds_bucket{method="POST",route="/api/v1/admin/posts/:id/publish",le="+Inf"} 1`,
		`folio_webhook_queue_depth 0`,
		`folio_scheduled_pending{type="post"} 0`,
		`go_sql_open_connections{db_name="writer"}`,
		`folio_webhook_attempts_total{outcome="delivered"} 0`,
		`folio_build_info{version="test"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "nope-1") {
		t.Error("a raw path leaked into the labels")
	}
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out waiting for a condition")
}
