package webhook_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/store/storetest"
	"github.com/folio-cms/folio/pkg/webhook"
	"github.com/folio-cms/folio/pkg/webhook/webhooktest"
)

type fixture struct {
	st     *store.Store
	outbox *webhook.Outbox
	svc    *webhook.Service
}

func newFixture(t *testing.T) *fixture {
	st := storetest.New(t, nil)
	outbox := &webhook.Outbox{}
	return &fixture{st: st, outbox: outbox, svc: &webhook.Service{Store: st, Guard: webhook.Guard{AllowPrivate: true}, Outbox: outbox}}
}

// start runs a dispatcher on the fixture's store until the test ends or
// stop is called.
func (f *fixture) start(t *testing.T, d *webhook.Dispatcher) (stop func()) {
	d.Store = f.st
	if d.RetryBase == 0 {
		d.RetryBase = 20 * time.Millisecond
	}
	if d.Client == nil {
		d.Client = webhook.Guard{AllowPrivate: true}.Client(2 * time.Second)
	}
	d.Poll = 50 * time.Millisecond
	f.outbox.Notify = d.Notify
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

func (f *fixture) hook(t *testing.T, url string, events ...string) (webhook.Webhook, string) {
	t.Helper()
	name := "receiver"
	if len(events) == 0 {
		events = []string{webhook.All}
	}
	w, secret, err := f.svc.Create(context.Background(), auth.System, webhook.Input{Name: &name, URL: &url, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	return w, secret
}

// emit queues an event in a write transaction of its own.
func (f *fixture) emit(t *testing.T, event string, id int64) {
	t.Helper()
	err := f.st.Write(context.Background(), func(tx *store.Tx) error {
		return f.outbox.Enqueue(tx, event, webhook.Data{Type: "post", ID: id, Slug: "s", Title: "T", Status: "published", URL: "https://site.test/blog/s"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) deliveries(t *testing.T, id int64) []webhook.Delivery {
	t.Helper()
	page, err := f.svc.Deliveries(context.Background(), auth.System, id, webhook.DeliveryQuery{Page: 1, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting: %s", what)
}

// TestRetriesUntilSuccessWithStableIDAndValidSignatures: a receiver that
// fails twice gets the same event three times — same X-Folio-Delivery,
// same body, a fresh valid signature each time — with growing waits.
func TestRetriesUntilSuccessWithStableIDAndValidSignatures(t *testing.T) {
	f := newFixture(t)
	rc := webhooktest.New(t, func(n int, _ webhooktest.Request) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusNoContent
	})
	w, secret := f.hook(t, rc.URL+"/hook")
	var outcomes []string
	var mu sync.Mutex
	f.start(t, &webhook.Dispatcher{RetryBase: 50 * time.Millisecond, Observe: func(o string, _ time.Duration) {
		mu.Lock()
		outcomes = append(outcomes, o)
		mu.Unlock()
	}})
	f.emit(t, "post.published", 7)

	got := rc.Wait(t, 3)
	id := got[0].Header.Get("X-Folio-Delivery")
	if !strings.HasPrefix(id, "evt_") {
		t.Fatalf("X-Folio-Delivery %q", id)
	}
	for i, r := range got {
		if r.Header.Get("X-Folio-Delivery") != id || string(r.Body) != string(got[0].Body) {
			t.Errorf("attempt %d: id %q body %s; want the first's", i+1, r.Header.Get("X-Folio-Delivery"), r.Body)
		}
		if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Folio-Event") != "post.published" {
			t.Errorf("attempt %d: headers %v", i+1, r.Header)
		}
		if err := webhook.Verify(secret, r.Header.Get("X-Folio-Signature"), r.Body, time.Now(), 5*time.Minute); err != nil {
			t.Errorf("attempt %d: signature: %v", i+1, err)
		}
	}
	// Backoff: the second wait is about twice the first (jitter ±20%).
	if d1, d2 := got[1].At.Sub(got[0].At), got[2].At.Sub(got[1].At); d1 < 40*time.Millisecond || d2 < 80*time.Millisecond {
		t.Errorf("waits %v then %v; want ≥ 40 ms then ≥ 80 ms", d1, d2)
	}
	p := got[0].Payload(t)
	if p.ID != id || p.Event != "post.published" || p.Data.ID != 7 || p.Data.URL != "https://site.test/blog/s" {
		t.Errorf("payload %+v", p)
	}
	eventually(t, "delivery marked delivered", func() bool {
		ds := f.deliveries(t, w.ID)
		return len(ds) == 1 && ds[0].Status == "delivered"
	})
	d := f.deliveries(t, w.ID)[0]
	if len(d.Attempts) != 3 || d.Attempts[0].StatusCode != 500 || d.Attempts[2].StatusCode != 204 ||
		!strings.Contains(d.Attempts[0].ResponseExcerpt, "Internal Server Error") || d.Attempts[0].Error == "" || d.Attempts[2].Error != "" {
		t.Errorf("attempts %+v", d.Attempts)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(outcomes, ",") != "retry,retry,delivered" {
		t.Errorf("observed %v", outcomes)
	}
}

// TestOrderPerWebhook: a failing delivery holds back the later ones, so a
// receiver sees events in the order they happened, even across retries.
func TestOrderPerWebhook(t *testing.T) {
	f := newFixture(t)
	rc := webhooktest.New(t, func(n int, _ webhooktest.Request) int {
		if n <= 2 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	f.hook(t, rc.URL)
	for i := int64(1); i <= 5; i++ {
		f.emit(t, "post.updated", i) // queued before the dispatcher starts: all due at once
	}
	f.start(t, &webhook.Dispatcher{Concurrency: 4})
	got := rc.Wait(t, 7)
	var seen []int64
	for _, r := range got {
		seen = append(seen, r.Payload(t).Data.ID)
	}
	want := []int64{1, 1, 1, 2, 3, 4, 5}
	if len(seen) != len(want) {
		t.Fatalf("order %v, want %v", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Fatalf("order %v, want %v", seen, want)
		}
	}
}

// TestGoneDeactivates: 410 means the receiver is gone for good: the
// webhook is deactivated, and its later deliveries wait (in order) for an
// admin to reactivate it.
func TestGoneDeactivates(t *testing.T) {
	f := newFixture(t)
	gone := true
	var mu sync.Mutex
	rc := webhooktest.New(t, func(int, webhooktest.Request) int {
		mu.Lock()
		defer mu.Unlock()
		if gone {
			return http.StatusGone
		}
		return http.StatusOK
	})
	w, _ := f.hook(t, rc.URL)
	f.start(t, &webhook.Dispatcher{})
	f.emit(t, "post.published", 1)
	rc.Wait(t, 1)
	eventually(t, "webhook deactivated", func() bool {
		got, _ := f.svc.Get(context.Background(), auth.System, w.ID)
		return !got.Active && strings.Contains(got.DisabledReason, "410")
	})
	f.emit(t, "post.updated", 2) // not queued for an inactive webhook
	time.Sleep(200 * time.Millisecond)
	if n := len(rc.Requests()); n != 1 {
		t.Fatalf("requests after 410: %d, want 1", n)
	}
	ds := f.deliveries(t, w.ID)
	if len(ds) != 1 || ds[0].Status != "failed" || ds[0].LastStatusCode != 410 {
		t.Fatalf("deliveries %+v", ds)
	}

	mu.Lock()
	gone = false
	mu.Unlock()
	active := true
	if _, _, err := f.svc.Update(context.Background(), auth.System, w.ID, webhook.Input{Active: &active}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Redeliver(context.Background(), auth.System, w.ID, ds[0].ID); err != nil {
		t.Fatal(err)
	}
	got := rc.Wait(t, 2)
	if got[1].Header.Get("X-Folio-Delivery") != got[0].Header.Get("X-Folio-Delivery") {
		t.Errorf("a redelivery must carry the event's id")
	}
	after, _ := f.svc.Get(context.Background(), auth.System, w.ID)
	if !after.Active || after.DisabledReason != "" {
		t.Errorf("after reactivating: %+v", after)
	}
}

// TestGivesUpAfterMaxAttempts, then moves on to the next delivery.
func TestGivesUpAfterMaxAttempts(t *testing.T) {
	f := newFixture(t)
	rc := webhooktest.New(t, func(_ int, r webhooktest.Request) int {
		if strings.Contains(string(r.Body), `"id":1,`) {
			return http.StatusBadRequest
		}
		return http.StatusOK
	})
	w, _ := f.hook(t, rc.URL)
	f.emit(t, "post.updated", 1)
	f.emit(t, "post.updated", 2)
	f.start(t, &webhook.Dispatcher{MaxAttempts: 3, RetryBase: 5 * time.Millisecond})
	got := rc.Wait(t, 4)
	if p := got[3].Payload(t); p.Data.ID != 2 {
		t.Errorf("fourth request carries entry %d, want 2 (after 3 attempts at 1)", p.Data.ID)
	}
	eventually(t, "first failed, second delivered", func() bool {
		ds := f.deliveries(t, w.ID) // newest first
		return len(ds) == 2 && ds[1].Status == "failed" && len(ds[1].Attempts) == 3 && ds[0].Status == "delivered"
	})
}

// TestPendingSurvivesRestart: deliveries live in the database; a new
// dispatcher (after a restart) delivers what the old one could not.
func TestPendingSurvivesRestart(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	up := false
	rc := webhooktest.New(t, func(int, webhooktest.Request) int {
		mu.Lock()
		defer mu.Unlock()
		if up {
			return http.StatusOK
		}
		return http.StatusBadGateway
	})
	w, _ := f.hook(t, rc.URL)
	stop := f.start(t, &webhook.Dispatcher{RetryBase: time.Hour}) // the retry would be far off
	f.emit(t, "post.published", 1)
	rc.Wait(t, 1)
	eventually(t, "first attempt recorded", func() bool {
		ds := f.deliveries(t, w.ID)
		return len(ds) == 1 && len(ds[0].Attempts) == 1
	})
	stop()
	mu.Lock()
	up = true
	mu.Unlock()
	// The new dispatcher's clock is two hours on, so the retry is due.
	f.start(t, &webhook.Dispatcher{Now: func() time.Time { return time.Now().Add(2 * time.Hour) }})
	got := rc.Wait(t, 2)
	if got[1].Header.Get("X-Folio-Delivery") != got[0].Header.Get("X-Folio-Delivery") {
		t.Error("the delivery after the restart must carry the same id")
	}
	eventually(t, "delivered after restart", func() bool {
		ds := f.deliveries(t, w.ID)
		return ds[0].Status == "delivered" && len(ds[0].Attempts) == 2
	})
}

// TestRolledBackWriteEmitsNothing: the event is part of the transaction.
func TestRolledBackWriteEmitsNothing(t *testing.T) {
	f := newFixture(t)
	rc := webhooktest.New(t, nil)
	w, _ := f.hook(t, rc.URL)
	notified := 0
	f.outbox.Notify = func() { notified++ }
	boom := errors.New("boom")
	err := f.st.Write(context.Background(), func(tx *store.Tx) error {
		if err := f.outbox.Enqueue(tx, "post.published", webhook.Data{Type: "post", ID: 1}); err != nil {
			return err
		}
		return boom // the change fails after its event was queued
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if ds := f.deliveries(t, w.ID); len(ds) != 0 || notified != 0 {
		t.Fatalf("after a rollback: %d deliveries, %d notifications", len(ds), notified)
	}
	f.emit(t, "post.published", 1)
	if ds := f.deliveries(t, w.ID); len(ds) != 1 || notified != 1 {
		t.Fatalf("after a commit: %d deliveries, %d notifications", len(ds), notified)
	}
}

// TestSubscriptionsFilterEvents: a webhook gets only what it subscribed to
// (pings always).
func TestSubscriptionsFilterEvents(t *testing.T) {
	f := newFixture(t)
	rc := webhooktest.New(t, nil)
	w, _ := f.hook(t, rc.URL, "case_study.published")
	f.emit(t, "post.published", 1)
	f.emit(t, "case_study.published", 2)
	if _, err := f.svc.Ping(context.Background(), auth.System, w.ID); err != nil {
		t.Fatal(err)
	}
	ds := f.deliveries(t, w.ID)
	if len(ds) != 2 || ds[0].Event != "ping" || ds[1].Event != "case_study.published" {
		t.Fatalf("deliveries %+v", ds)
	}
}

// TestRefusedAtConnect: with the guard on, a webhook whose address became
// internal after it was saved fails at connect time, and says why.
func TestRefusedAtConnect(t *testing.T) {
	f := newFixture(t)
	rc := webhooktest.New(t, nil)
	w, _ := f.hook(t, rc.URL) // saved while private addresses were allowed
	f.start(t, &webhook.Dispatcher{Client: webhook.Guard{}.Client(2 * time.Second), RetryBase: time.Hour})
	f.emit(t, "post.published", 1)
	eventually(t, "attempt refused", func() bool {
		ds := f.deliveries(t, w.ID)
		return len(ds) == 1 && len(ds[0].Attempts) == 1
	})
	a := f.deliveries(t, w.ID)[0].Attempts[0]
	if !strings.Contains(a.Error, "SSRF guard") || !strings.Contains(a.Error, "loopback") || a.StatusCode != 0 {
		t.Errorf("attempt %+v", a)
	}
	if n := len(rc.Requests()); n != 0 {
		t.Errorf("the receiver was reached %d times", n)
	}
}

// TestSlowReceiverTimesOut: no answer within the client's timeout is a
// failed attempt.
func TestSlowReceiverTimesOut(t *testing.T) {
	f := newFixture(t)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	w, _ := f.hook(t, srv.URL)
	f.start(t, &webhook.Dispatcher{Client: webhook.Guard{AllowPrivate: true}.Client(100 * time.Millisecond), RetryBase: time.Hour})
	f.emit(t, "post.published", 1)
	eventually(t, "attempt timed out", func() bool {
		ds := f.deliveries(t, w.ID)
		return len(ds) == 1 && len(ds[0].Attempts) == 1
	})
	if a := f.deliveries(t, w.ID)[0].Attempts[0]; !strings.Contains(a.Error, "no answer within") {
		t.Errorf("attempt %+v", a)
	}
}

// TestTwoDispatchersOnOneDatabaseSendEachEventOnce: two processes (two
// stores on one database file, each with its own dispatcher) deliver one
// outbox. A delivery is leased in the database before it is sent, so
// every event reaches the receiver exactly once, in order, and each is
// recorded as delivered after one attempt.
func TestTwoDispatchersOnOneDatabaseSendEachEventOnce(t *testing.T) {
	f := newFixture(t)
	other, err := f.st.Reopen(context.Background(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	rc := webhooktest.New(t, func(int, webhooktest.Request) int {
		time.Sleep(2 * time.Millisecond) // long enough for the other dispatcher to try the same head
		return http.StatusNoContent
	})
	w, _ := f.hook(t, rc.URL)
	w2, _ := f.hook(t, rc.URL+"/second")
	const n = 30
	for i := int64(1); i <= n; i++ {
		f.emit(t, "post.updated", i)
	}
	run := func(st *store.Store) {
		d := &webhook.Dispatcher{Store: st, Client: webhook.Guard{AllowPrivate: true}.Client(2 * time.Second), Poll: 5 * time.Millisecond, Concurrency: 4}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); d.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	run(f.st)
	run(other)
	got := rc.Wait(t, 2*n)
	rc.Quiet(t, 2*n, 300*time.Millisecond) // and no more
	seen := map[string]int{}
	order := map[string][]int64{}
	for _, r := range got {
		seen[r.Header.Get("X-Folio-Delivery")+" "+r.Path]++
		order[r.Path] = append(order[r.Path], r.Payload(t).Data.ID)
	}
	for k, c := range seen {
		if c > 1 {
			t.Errorf("%s sent %d times", k, c)
		}
	}
	for path, ids := range order {
		for i, id := range ids {
			if id != int64(i+1) {
				t.Fatalf("%s got events in the order %v", path, ids)
			}
		}
	}
	eventually(t, "every delivery recorded once", func() bool {
		for _, id := range []int64{w.ID, w2.ID} {
			ds := f.deliveries(t, id)
			if len(ds) != n {
				return false
			}
			for _, d := range ds {
				if d.Status != "delivered" || len(d.Attempts) != 1 {
					return false
				}
			}
		}
		return true
	})
}
