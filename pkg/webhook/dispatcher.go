package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/folio-cms/folio/pkg/store"
)

// Dispatcher delivers the outbox. Everything it knows is in the database:
// a delivery stays pending until an attempt succeeds or it gives up, so a
// restart or a crash resumes where it stopped (a request in flight at a
// crash is sent again, with the same X-Folio-Delivery id, once its lease
// has expired). Deliveries to one webhook go one at a time, in the order
// their events happened; a failing one holds back the later ones until it
// succeeds or gives up. Several dispatchers (processes) may share one
// database: before sending, a dispatcher leases the delivery in the
// database, and only the lease holder sends it and records the attempt.
type Dispatcher struct {
	Store  *store.Store
	Log    *slog.Logger
	Client *http.Client // normally Guard.Client(Timeout)

	// RetryBase is the wait after the first failed attempt; each further
	// failure doubles it, with ±20% jitter (FOLIO_WEBHOOK_RETRY_BASE).
	RetryBase time.Duration
	// MaxAttempts is how many attempts a delivery gets before it fails.
	MaxAttempts int
	// Concurrency is how many webhooks are delivered to at once.
	Concurrency int
	// Poll is how often the queue is checked when nothing wakes the
	// dispatcher (events written by another process, e.g. folio import).
	Poll time.Duration
	// Keep is how long finished deliveries are kept for the admin's view.
	Keep time.Duration
	// UserAgent is sent with every delivery.
	UserAgent string
	// Observe, when set, is told each attempt's outcome (delivered, retry,
	// failed, gone) and duration, for metrics.
	Observe func(outcome string, d time.Duration)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Lease is how long a delivery stays leased to this dispatcher while it
	// sends it; 0 means the client's timeout plus 5 s. It must outlast a
	// request: after a crash, others wait this long before sending again.
	Lease time.Duration

	once     sync.Once
	owner    string // names this dispatcher's leases
	wake     chan struct{}
	slots    chan struct{}
	running  atomic.Bool
	lastPass atomic.Int64 // unix nanos of the last completed pass over the queue
	lastErr  atomic.Pointer[string]
}

// The default settings.
const (
	DefaultRetryBase   = 30 * time.Second
	DefaultMaxAttempts = 10
	Timeout            = 10 * time.Second // a delivery must be answered within this
)

func (d *Dispatcher) init() {
	d.once.Do(func() {
		if d.RetryBase <= 0 {
			d.RetryBase = DefaultRetryBase
		}
		if d.MaxAttempts <= 0 {
			d.MaxAttempts = DefaultMaxAttempts
		}
		if d.Concurrency <= 0 {
			d.Concurrency = 4
		}
		if d.Poll <= 0 {
			d.Poll = 5 * time.Second
		}
		if d.Keep <= 0 {
			d.Keep = 30 * 24 * time.Hour
		}
		if d.Now == nil {
			d.Now = time.Now
		}
		if d.Log == nil {
			d.Log = slog.New(slog.DiscardHandler)
		}
		if d.Client == nil {
			d.Client = Guard{}.Client(Timeout)
		}
		if d.UserAgent == "" {
			d.UserAgent = "Folio-Webhooks/1"
		}
		if d.Lease <= 0 {
			d.Lease = d.Client.Timeout + 5*time.Second
			if d.Client.Timeout <= 0 {
				d.Lease = Timeout + 5*time.Second
			}
		}
		d.owner = uuid.NewString()
		d.wake = make(chan struct{}, 1)
		d.slots = make(chan struct{}, d.Concurrency)
	})
}

// Notify wakes the dispatcher: new deliveries are queued. It never blocks.
func (d *Dispatcher) Notify() {
	d.init()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends, then waits for the attempts in flight (which
// end with ctx; such an attempt is not counted and is made again later).
func (d *Dispatcher) Run(ctx context.Context) {
	d.init()
	d.running.Store(true)
	defer d.running.Store(false)
	var wg sync.WaitGroup
	defer wg.Wait()
	lastPrune := time.Time{}
	for {
		next, err := d.pass(ctx, &wg)
		if err != nil && ctx.Err() == nil {
			msg := err.Error()
			d.lastErr.Store(&msg)
			d.Log.Error("webhooks: read the queue", "error", err)
		} else if err == nil {
			d.lastErr.Store(nil)
			d.lastPass.Store(d.Now().UnixNano())
		}
		if now := d.Now(); now.Sub(lastPrune) > time.Hour {
			lastPrune = now
			d.prune(ctx)
		}
		wait := d.Poll
		if !next.IsZero() {
			wait = min(wait, max(next.Sub(d.Now()), 0))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-d.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// pass starts an attempt at the head of every queue that is due and not
// leased (being sent, by this dispatcher or another), and returns when the
// next head falls due or the next lease ends.
func (d *Dispatcher) pass(ctx context.Context, wg *sync.WaitGroup) (time.Time, error) {
	heads, err := d.Store.Read(ctx).QueueHeads()
	if err != nil {
		return time.Time{}, err
	}
	now := d.Now()
	var next time.Time
	later := func(t *time.Time) bool {
		if t == nil || !t.After(now) {
			return false
		}
		if next.IsZero() || t.Before(next) {
			next = *t
		}
		return true
	}
	for _, h := range heads {
		if later(h.NextAttemptAt) || later(h.LeaseUntil) {
			continue
		}
		select {
		case d.slots <- struct{}{}:
		default:
			return next, nil // all slots busy: a finishing attempt wakes us
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.attempt(ctx, h)
			<-d.slots
			d.Notify()
		}()
	}
	return next, nil
}

// claim leases a delivery to this dispatcher, in the database; false when
// another has it (or it changed since the queue was read).
func (d *Dispatcher) claim(ctx context.Context, h store.Delivery) bool {
	var ok bool
	err := d.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		now := d.Now()
		ok, err = tx.ClaimDelivery(h.ID, h.Attempts, d.owner, now, now.Add(d.Lease))
		return err
	})
	if err != nil && ctx.Err() == nil {
		d.Log.Error("webhooks: lease delivery", "webhook", h.WebhookID, "delivery", h.ID, "error", err)
	}
	return err == nil && ok
}

// release gives a lease back without an attempt.
func (d *Dispatcher) release(ctx context.Context, h store.Delivery) {
	err := d.Store.Write(context.WithoutCancel(ctx), func(tx *store.Tx) error { return tx.ReleaseDelivery(h.ID, d.owner) })
	if err != nil {
		d.Log.Error("webhooks: release lease", "webhook", h.WebhookID, "delivery", h.ID, "error", err)
	}
}

// result is what one HTTP attempt came to.
type result struct {
	status  int
	err     string
	excerpt string
	took    time.Duration
}

// attempt leases a delivery, makes one attempt at it and records it.
func (d *Dispatcher) attempt(ctx context.Context, h store.Delivery) {
	if !d.claim(ctx, h) {
		return // another dispatcher has it, or it changed since the pass read it
	}
	// Read both again now that the delivery is ours.
	r := d.Store.Read(ctx)
	w, err := r.Webhook(h.WebhookID)
	if err == nil {
		h, err = r.Delivery(h.ID)
	}
	if err != nil {
		if !store.IsNotFound(err) && ctx.Err() == nil {
			d.Log.Error("webhooks: load delivery", "webhook", h.WebhookID, "delivery", h.ID, "error", err)
		}
		d.release(ctx, h)
		return
	}
	started := d.Now()
	res := d.send(ctx, w, h)
	if ctx.Err() != nil {
		// Shutting down: not the receiver's fault. Give the lease back so that
		// another process (or this one, restarted) sends it again at once.
		d.release(ctx, h)
		return
	}
	n := h.Attempts + 1
	a := store.AttemptRow{DeliveryID: h.ID, Attempt: n, StartedAt: started.UTC(), DurationMS: res.took.Milliseconds(),
		StatusCode: res.status, Error: res.err, ResponseExcerpt: res.excerpt}
	outcome, out, reason := d.judge(res, n)
	recorded := false
	err = d.Store.Write(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		var err error
		recorded, err = tx.RecordAttempt(&a, out, d.owner)
		if err != nil || !recorded || reason == "" {
			return err
		}
		return tx.DeactivateWebhook(w.ID, reason)
	})
	if err != nil {
		d.Log.Error("webhooks: record attempt", "webhook", w.ID, "delivery", h.ID, "error", err)
		return
	}
	if !recorded {
		d.Log.Warn("webhooks: attempt not recorded: the delivery was deleted, or its lease ran out and another dispatcher took it over",
			"webhook", w.ID, "delivery", h.ID, "lease", d.Lease)
		return
	}
	if d.Observe != nil {
		d.Observe(outcome, res.took)
	}
	log := d.Log.With("webhook", w.ID, "delivery", h.ID, "event", h.Event, "event_id", h.UID, "attempt", n, "status", res.status, "took", res.took)
	switch outcome {
	case "delivered":
		log.Debug("webhook delivered")
	case "retry":
		log.Warn("webhook delivery failed; will retry", "error", res.err, "next_attempt_at", out.NextAttemptAt)
	case "failed":
		log.Error("webhook delivery failed; giving up", "error", res.err)
	case "gone":
		log.Warn("webhook receiver answered 410 Gone: webhook deactivated")
	}
}

// judge decides what an attempt's result means for the delivery: done,
// retry later, give up, or (410 Gone) give up and deactivate the webhook.
func (d *Dispatcher) judge(res result, attempt int) (string, store.DeliveryOutcome, string) {
	switch {
	case res.err == "" && res.status >= 200 && res.status < 300:
		return "delivered", store.DeliveryOutcome{Status: "delivered"}, ""
	case res.status == http.StatusGone:
		reason := fmt.Sprintf("The receiver answered 410 Gone on %s; reactivate the webhook to resume.", d.Now().UTC().Format(time.RFC3339))
		return "gone", store.DeliveryOutcome{Status: "failed"}, reason
	case attempt >= d.MaxAttempts:
		return "failed", store.DeliveryOutcome{Status: "failed"}, ""
	}
	next := d.Now().Add(Backoff(d.RetryBase, attempt, rand.Float64())).UTC()
	return "retry", store.DeliveryOutcome{Status: "pending", NextAttemptAt: &next}, ""
}

// Backoff is the wait after failed attempt n (1, 2, …): base doubled n-1
// times, times a jitter factor between 0.8 and 1.2 taken from r in [0, 1),
// so that receivers coming back up are not hit by every sender at once.
func Backoff(base time.Duration, n int, r float64) time.Duration {
	d := base << min(n-1, 20)
	return time.Duration(float64(d) * (0.8 + 0.4*r))
}

// excerptBytes is how much of a receiver's answer is kept, for the admin.
const excerptBytes = 512

// send makes the HTTP request of one attempt.
func (d *Dispatcher) send(ctx context.Context, w store.WebhookRow, h store.Delivery) result {
	body := []byte(h.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return result{err: "bad URL: " + err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", d.UserAgent)
	req.Header.Set("X-Folio-Event", h.Event)
	req.Header.Set("X-Folio-Delivery", h.UID)
	start := time.Now()
	req.Header.Set(SignatureHeader, Sign(w.Secret, d.Now(), body))
	resp, err := d.Client.Do(req)
	if err != nil {
		return result{err: describe(err, d.Client.Timeout), took: time.Since(start)}
	}
	defer resp.Body.Close()
	buf, _ := io.ReadAll(io.LimitReader(resp.Body, excerptBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	res := result{status: resp.StatusCode, excerpt: strings.ToValidUTF8(string(buf), "�"), took: time.Since(start)}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		res.err = "redirects are not followed (Location: " + truncate(resp.Header.Get("Location"), 200) + ")"
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		res.err = "the receiver answered " + resp.Status
	}
	return res
}

// describe turns a client error into a sentence for the admin.
func describe(err error, timeout time.Duration) string {
	var ue interface{ Timeout() bool }
	switch {
	case errors.Is(err, ErrRefused):
		msg := err.Error()
		if i := strings.Index(msg, ErrRefused.Error()+":"); i >= 0 {
			msg = msg[i+len(ErrRefused.Error())+1:]
		}
		return "refused by the SSRF guard:" + msg
	case errors.As(err, &ue) && ue.Timeout():
		return "no answer within " + timeout.String()
	}
	return err.Error()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// prune deletes finished deliveries older than Keep.
func (d *Dispatcher) prune(ctx context.Context) {
	var n int64
	err := d.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.PruneDeliveries(d.Now().Add(-d.Keep))
		return err
	})
	if err != nil && ctx.Err() == nil {
		d.Log.Error("webhooks: prune old deliveries", "error", err)
	} else if n > 0 {
		d.Log.Info("webhooks: pruned old deliveries", "count", n, "older_than", d.Keep)
	}
}

// Health is the dispatcher's state, for /readyz.
type Health struct {
	Running   bool
	LastPass  time.Time // when it last read the queue successfully
	LastError string    // the last error reading the queue, if the last pass failed
}

// Health reports whether the dispatcher runs and reads its queue.
func (d *Dispatcher) Health() Health {
	h := Health{Running: d.running.Load()}
	if n := d.lastPass.Load(); n != 0 {
		h.LastPass = time.Unix(0, n)
	}
	if e := d.lastErr.Load(); e != nil {
		h.LastError = *e
	}
	return h
}

// Queue counts the pending deliveries to active webhooks and says when the
// oldest was queued (zero when none).
func (d *Dispatcher) Queue(ctx context.Context) (pending int64, oldest time.Time, err error) {
	return d.Store.Read(ctx).QueueDepth()
}

// Healthy reports whether h shows a dispatcher that works: running, and
// having read the queue within the last few poll intervals.
func (d *Dispatcher) Healthy(h Health) bool {
	d.init()
	return h.Running && h.LastError == "" && d.Now().Sub(h.LastPass) < 3*d.Poll+10*time.Second
}
