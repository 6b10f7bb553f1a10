package webhook

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/paging"
	"github.com/folio-cms/folio/pkg/store"
)

// Service manages webhooks (admins only) and shows their deliveries.
type Service struct {
	Store  *store.Store
	Guard  Guard
	Outbox *Outbox // for pings and redeliveries: wakes the dispatcher
}

// Webhook is a receiver of events, as admins see it. The secret itself is
// only ever returned by the call that set it.
type Webhook struct {
	ID             int64
	Name           string
	URL            string
	Events         []string
	Active         bool
	DisabledReason string
	SecretHint     string // the secret's last characters, to tell secrets apart
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Stats          Stats
}

// Stats is how a webhook's deliveries are going.
type Stats struct {
	Pending       int64
	Failed        int64
	LastAttemptAt *time.Time
	LastStatus    int    // the last attempt's HTTP status; 0 when it got none
	LastError     string // the last attempt's error, if any
}

// Input is what an admin sends to create or change a webhook; nil fields
// are left as they are (on create: name, URL and events are required).
type Input struct {
	Name         *string
	URL          *string
	Events       []string
	Active       *bool
	Secret       *string // a secret of one's own; default: generated
	RotateSecret bool    // generate a new secret
}

// Delivery is one event on its way to one webhook, with every attempt.
type Delivery struct {
	ID             int64
	WebhookID      int64
	EventID        string // the event's unique id, sent as X-Folio-Delivery
	Event          string
	Status         string // pending, delivered or failed
	NextAttemptAt  *time.Time
	LastStatusCode int
	LastError      string
	RedeliveryOf   *int64
	CreatedAt      time.Time
	CompletedAt    *time.Time
	Payload        json.RawMessage
	Attempts       []Attempt
}

// Attempt is one try at a delivery.
type Attempt struct {
	Attempt         int
	At              time.Time
	DurationMS      int64
	StatusCode      int
	Error           string
	ResponseExcerpt string
}

// DeliveryStatuses are the states of a delivery.
var DeliveryStatuses = []string{"pending", "delivered", "failed"}

var errNotFound = errs.NotFoundf("No webhook with that id.")

// allowed asks the one permission check whether actor manages webhooks.
// Webhooks are shared, nobody's records: only those who may manage every
// one manage any.
func allowed(actor auth.Principal) error {
	if !auth.Allowed(actor, auth.PermWebhooks, auth.Record{}) {
		return errs.New(errs.Forbidden, "forbidden", "Only admins manage webhooks.")
	}
	return nil
}

// List returns every webhook with its delivery statistics.
func (s *Service) List(ctx context.Context, actor auth.Principal) ([]Webhook, error) {
	if err := allowed(actor); err != nil {
		return nil, err
	}
	r := s.Store.Read(ctx)
	rows, err := r.Webhooks()
	if err != nil {
		return nil, err
	}
	stats, err := r.WebhookStats()
	if err != nil {
		return nil, err
	}
	out := make([]Webhook, len(rows))
	for i, row := range rows {
		out[i] = fromRow(row, stats[row.ID])
	}
	return out, nil
}

// Get returns one webhook.
func (s *Service) Get(ctx context.Context, actor auth.Principal, id int64) (Webhook, error) {
	if err := allowed(actor); err != nil {
		return Webhook{}, err
	}
	return s.get(ctx, id)
}

func (s *Service) get(ctx context.Context, id int64) (Webhook, error) {
	r := s.Store.Read(ctx)
	row, err := r.Webhook(id)
	if store.IsNotFound(err) {
		return Webhook{}, errNotFound
	} else if err != nil {
		return Webhook{}, err
	}
	stats, err := r.WebhookStats()
	if err != nil {
		return Webhook{}, err
	}
	return fromRow(row, stats[id]), nil
}

// Create adds a webhook and returns it with its secret, shown this once.
func (s *Service) Create(ctx context.Context, actor auth.Principal, in Input) (Webhook, string, error) {
	if err := allowed(actor); err != nil {
		return Webhook{}, "", err
	}
	row := store.WebhookRow{Active: true, Events: "[]", CreatedBy: actorID(actor)}
	secret, err := s.apply(ctx, &row, in, true)
	if err != nil {
		return Webhook{}, "", err
	}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertWebhook(&row); err != nil {
			return err
		}
		return auth.Audit(tx, actor, "webhook.create", "webhook", row.ID, map[string]any{"name": row.Name, "url": row.URL, "events": row.Events})
	})
	if err != nil {
		return Webhook{}, "", err
	}
	w, err := s.get(ctx, row.ID)
	return w, secret, err
}

// Update changes a webhook. It returns the new secret when one was set
// or generated, and "" otherwise. Reactivating a webhook resumes its
// pending deliveries, in order.
func (s *Service) Update(ctx context.Context, actor auth.Principal, id int64, in Input) (Webhook, string, error) {
	if err := allowed(actor); err != nil {
		return Webhook{}, "", err
	}
	row, err := s.Store.Read(ctx).Webhook(id)
	if store.IsNotFound(err) {
		return Webhook{}, "", errNotFound
	} else if err != nil {
		return Webhook{}, "", err
	}
	secret, err := s.apply(ctx, &row, in, false)
	if err != nil {
		return Webhook{}, "", err
	}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateWebhook(&row); store.IsNotFound(err) {
			return errNotFound
		} else if err != nil {
			return err
		}
		changed := changes(in)
		if row.Active {
			s.Outbox.notifyAfter(tx)
		}
		return auth.Audit(tx, actor, "webhook.update", "webhook", id, map[string]any{"changed": changed})
	})
	if err != nil {
		return Webhook{}, "", err
	}
	w, err := s.get(ctx, id)
	return w, secret, err
}

// changes names the fields an update sets, for the audit log (never the secret).
func changes(in Input) []string {
	var out []string
	for name, set := range map[string]bool{"name": in.Name != nil, "url": in.URL != nil, "events": in.Events != nil,
		"active": in.Active != nil, "secret": in.Secret != nil || in.RotateSecret} {
		if set {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// apply validates in and sets it on row; it returns the secret when it
// set one.
func (s *Service) apply(ctx context.Context, row *store.WebhookRow, in Input, create bool) (string, error) {
	var f errs.Fields
	if in.Name != nil || create {
		name := ""
		if in.Name != nil {
			name = strings.TrimSpace(*in.Name)
		}
		switch n := utf8.RuneCountInString(name); {
		case n == 0:
			f.Add("name", "is required")
		case n > 100:
			f.Add("name", "must be at most 100 characters")
		}
		row.Name = name
	}
	if in.URL != nil || create {
		u := ""
		if in.URL != nil {
			u = strings.TrimSpace(*in.URL)
		}
		switch {
		case u == "":
			f.Add("url", "is required")
		case len(u) > 2000:
			f.Add("url", "must be at most 2000 characters")
		default:
			if err := s.Guard.CheckURL(ctx, u); err != nil {
				f.Add("url", err.Error())
			}
		}
		row.URL = u
	}
	if in.Events != nil || create {
		events, msg := normalizeEvents(in.Events)
		if msg != "" {
			f.Add("events", msg)
		}
		b, _ := json.Marshal(events)
		row.Events = string(b)
	}
	if in.Active != nil {
		row.Active = *in.Active
		if row.Active {
			row.DisabledReason = ""
		}
	}
	var secret string
	switch {
	case in.Secret != nil && in.RotateSecret:
		f.Add("rotate_secret", "cannot be combined with secret")
	case in.Secret != nil:
		secret = *in.Secret
		if n := len(secret); n < 16 || n > 200 || strings.TrimSpace(secret) != secret {
			f.Add("secret", "must be 16 to 200 characters, without leading or trailing spaces")
		}
	case in.RotateSecret || create:
		secret = NewSecret()
	}
	if secret != "" {
		row.Secret = secret
	}
	return secret, f.Err()
}

// normalizeEvents checks a subscription list and puts it in a canonical
// order; ["*"] subscribes to everything.
func normalizeEvents(in []string) ([]string, string) {
	if len(in) == 0 {
		return []string{}, `must list at least one event (or "*" for all)`
	}
	var out []string
	for _, e := range in {
		switch {
		case e == All:
			return []string{All}, ""
		case !slices.Contains(Events, e):
			return []string{}, "unknown event " + strings.ToValidUTF8(e, "?") + "; known: " + strings.Join(Events, ", ")
		case !slices.Contains(out, e):
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return slices.Index(Events, a) - slices.Index(Events, b) })
	return out, ""
}

// Delete removes a webhook and its deliveries.
func (s *Service) Delete(ctx context.Context, actor auth.Principal, id int64) error {
	if err := allowed(actor); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.Webhook(id)
		if store.IsNotFound(err) {
			return errNotFound
		} else if err != nil {
			return err
		}
		if err := tx.DeleteWebhook(id); err != nil {
			return err
		}
		return auth.Audit(tx, actor, "webhook.delete", "webhook", id, map[string]any{"name": row.Name, "url": row.URL})
	})
}

// DeliveryQuery selects a page of deliveries.
type DeliveryQuery struct {
	Status        string
	Page, PerPage int
}

// Deliveries returns a page of a webhook's deliveries, newest first, with
// their attempts.
func (s *Service) Deliveries(ctx context.Context, actor auth.Principal, id int64, q DeliveryQuery) (paging.Page[Delivery], error) {
	if err := allowed(actor); err != nil {
		return paging.Page[Delivery]{}, err
	}
	if q.Status != "" && !slices.Contains(DeliveryStatuses, q.Status) {
		return paging.Page[Delivery]{}, errs.Validationf("status", "must be one of %s", strings.Join(DeliveryStatuses, ", "))
	}
	page := paging.Page[Delivery]{Page: q.Page, PerPage: q.PerPage}
	err := s.Store.View(ctx, func(r store.Reader) error {
		if _, err := r.Webhook(id); store.IsNotFound(err) {
			return errNotFound
		} else if err != nil {
			return err
		}
		rows, total, err := r.Deliveries(store.DeliveryFilter{WebhookID: id, Status: q.Status, Offset: (q.Page - 1) * q.PerPage, Limit: q.PerPage})
		if err != nil {
			return err
		}
		page.Total = total
		page.Items, err = withAttempts(r, rows)
		return err
	})
	if err != nil {
		return paging.Page[Delivery]{}, err
	}
	return page, nil
}

func withAttempts(r store.Reader, rows []store.Delivery) ([]Delivery, error) {
	ids := make([]int64, len(rows))
	for i, d := range rows {
		ids[i] = d.ID
	}
	attempts, err := r.Attempts(ids)
	if err != nil {
		return nil, err
	}
	out := make([]Delivery, len(rows))
	for i, d := range rows {
		out[i] = deliveryFromRow(d, attempts[d.ID])
	}
	return out, nil
}

// delivery returns one delivery of webhook id, as r sees it.
func delivery(r store.Reader, id, deliveryID int64) (Delivery, error) {
	d, err := r.Delivery(deliveryID)
	if store.IsNotFound(err) || (err == nil && d.WebhookID != id) {
		return Delivery{}, errs.NotFoundf("This webhook has no delivery with that id.")
	} else if err != nil {
		return Delivery{}, err
	}
	out, err := withAttempts(r, []store.Delivery{d})
	if err != nil {
		return Delivery{}, err
	}
	return out[0], nil
}

// Redeliver queues an event of a webhook's again, as a new delivery with
// the same event id (receivers that already have it can tell), behind the
// webhook's other pending deliveries.
func (s *Service) Redeliver(ctx context.Context, actor auth.Principal, id, deliveryID int64) (Delivery, error) {
	if err := allowed(actor); err != nil {
		return Delivery{}, err
	}
	// The answer is the delivery as queued, read in the transaction that
	// queued it: the dispatcher may have sent it by the time we answer.
	var queued Delivery
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		d, err := tx.Delivery(deliveryID)
		if store.IsNotFound(err) || (err == nil && d.WebhookID != id) {
			return errs.NotFoundf("This webhook has no delivery with that id.")
		} else if err != nil {
			return err
		}
		row := store.DeliveryRow{WebhookID: id, EventID: d.EventID, RedeliveryOf: &d.ID}
		if err := tx.InsertDelivery(&row); err != nil {
			return err
		}
		if queued, err = delivery(tx.Reader, id, row.ID); err != nil {
			return err
		}
		s.Outbox.notifyAfter(tx)
		return auth.Audit(tx, actor, "webhook.redeliver", "webhook", id, map[string]any{"delivery": deliveryID, "event": d.UID})
	})
	if err != nil {
		return Delivery{}, err
	}
	return queued, nil
}

// Ping queues a test event for a webhook, whatever it subscribes to.
func (s *Service) Ping(ctx context.Context, actor auth.Principal, id int64) (Delivery, error) {
	if err := allowed(actor); err != nil {
		return Delivery{}, err
	}
	var queued Delivery
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		w, err := tx.Webhook(id)
		if store.IsNotFound(err) {
			return errNotFound
		} else if err != nil {
			return err
		}
		if !w.Active {
			return errs.New(errs.Conflict, "webhook_inactive", "This webhook is not active: activate it to ping it.")
		}
		ds, err := s.Outbox.enqueue(tx, []int64{id}, Ping, Data{Type: "webhook", ID: id, Title: w.Name, Status: "active", URL: w.URL})
		if err != nil {
			return err
		}
		queued, err = delivery(tx.Reader, id, ds[0].ID)
		return err
	})
	if err != nil {
		return Delivery{}, err
	}
	return queued, nil
}

func fromRow(row store.WebhookRow, st store.WebhookStats) Webhook {
	stats := Stats{Pending: st.Pending, Failed: st.Failed, LastAttemptAt: st.LastAttemptAt, LastStatus: st.LastStatus, LastError: st.LastError}
	var events []string
	_ = json.Unmarshal([]byte(row.Events), &events)
	hint := row.Secret
	if len(hint) > 4 {
		hint = "…" + hint[len(hint)-4:]
	}
	return Webhook{ID: row.ID, Name: row.Name, URL: row.URL, Events: events, Active: row.Active, DisabledReason: row.DisabledReason,
		SecretHint: hint, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt, Stats: stats}
}

func deliveryFromRow(d store.Delivery, attempts []store.AttemptRow) Delivery {
	out := Delivery{ID: d.ID, WebhookID: d.WebhookID, EventID: d.UID, Event: d.Event, Status: d.Status,
		NextAttemptAt: d.NextAttemptAt, LastStatusCode: d.LastStatusCode, LastError: d.LastError, RedeliveryOf: d.RedeliveryOf,
		CreatedAt: d.CreatedAt, CompletedAt: d.CompletedAt, Payload: json.RawMessage(d.Payload), Attempts: make([]Attempt, len(attempts))}
	if d.Status != "pending" {
		out.NextAttemptAt = nil
	}
	for i, a := range attempts {
		out.Attempts[i] = Attempt{Attempt: a.Attempt, At: a.StartedAt, DurationMS: a.DurationMS, StatusCode: a.StatusCode,
			Error: a.Error, ResponseExcerpt: a.ResponseExcerpt}
	}
	return out
}

func actorID(actor auth.Principal) *int64 {
	if actor.ID == 0 {
		return nil
	}
	id := actor.ID
	return &id
}
