package httpapi

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/webhook"
)

// The JSON of webhooks and deliveries.

type webhookJSON struct {
	ID                int64      `json:"id"`
	Name              string     `json:"name"`
	URL               string     `json:"url"`
	Events            []string   `json:"events"`
	Active            bool       `json:"active"`
	DisabledReason    *string    `json:"disabled_reason"`
	SecretHint        string     `json:"secret_hint"`
	PendingDeliveries int64      `json:"pending_deliveries"`
	FailedDeliveries  int64      `json:"failed_deliveries"`
	LastAttemptAt     *time.Time `json:"last_attempt_at"`
	LastStatusCode    *int       `json:"last_status_code"`
	LastError         *string    `json:"last_error"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// webhookWithSecretJSON is a webhook as created, or with a new secret: the
// only time the secret is shown in full.
type webhookWithSecretJSON struct {
	webhookJSON
	Secret string `json:"secret"`
}

type webhookInputJSON struct {
	Name         *string   `json:"name"`
	URL          *string   `json:"url"`
	Events       *[]string `json:"events"`
	Active       *bool     `json:"active"`
	Secret       *string   `json:"secret"`
	RotateSecret bool      `json:"rotate_secret"`
}

type deliveryJSON struct {
	ID             int64           `json:"id"`
	WebhookID      int64           `json:"webhook_id"`
	EventID        string          `json:"event_id"`
	Event          string          `json:"event"`
	Status         string          `json:"status"`
	AttemptCount   int             `json:"attempt_count"`
	NextAttemptAt  *time.Time      `json:"next_attempt_at"`
	LastStatusCode *int            `json:"last_status_code"`
	LastError      *string         `json:"last_error"`
	RedeliveryOf   *int64          `json:"redelivery_of"`
	CreatedAt      time.Time       `json:"created_at"`
	CompletedAt    *time.Time      `json:"completed_at"`
	Payload        json.RawMessage `json:"payload"`
	Attempts       []attemptJSON   `json:"attempts"`
}

type attemptJSON struct {
	Attempt         int       `json:"attempt"`
	At              time.Time `json:"at"`
	DurationMS      int64     `json:"duration_ms"`
	StatusCode      *int      `json:"status_code"`
	Error           *string   `json:"error"`
	ResponseExcerpt string    `json:"response_excerpt"`
}

func nonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func webhookOut(w webhook.Webhook) webhookJSON {
	return webhookJSON{ID: w.ID, Name: w.Name, URL: w.URL, Events: w.Events, Active: w.Active,
		DisabledReason: nonZero(w.DisabledReason), SecretHint: w.SecretHint,
		PendingDeliveries: w.Stats.Pending, FailedDeliveries: w.Stats.Failed,
		LastAttemptAt: utc(w.Stats.LastAttemptAt), LastStatusCode: nonZero(w.Stats.LastStatus), LastError: nonZero(w.Stats.LastError),
		CreatedAt: w.CreatedAt.UTC(), UpdatedAt: w.UpdatedAt.UTC()}
}

func deliveryOut(d webhook.Delivery) deliveryJSON {
	out := deliveryJSON{ID: d.ID, WebhookID: d.WebhookID, EventID: d.EventID, Event: d.Event, Status: d.Status,
		AttemptCount: len(d.Attempts), NextAttemptAt: utc(d.NextAttemptAt), LastStatusCode: nonZero(d.LastStatusCode),
		LastError: nonZero(d.LastError), RedeliveryOf: d.RedeliveryOf, CreatedAt: d.CreatedAt.UTC(), CompletedAt: utc(d.CompletedAt),
		Payload: d.Payload, Attempts: make([]attemptJSON, len(d.Attempts))}
	for i, a := range d.Attempts {
		out.Attempts[i] = attemptJSON{Attempt: a.Attempt, At: a.At.UTC(), DurationMS: a.DurationMS, StatusCode: nonZero(a.StatusCode),
			Error: nonZero(a.Error), ResponseExcerpt: a.ResponseExcerpt}
	}
	return out
}

func (in webhookInputJSON) input() webhook.Input {
	out := webhook.Input{Name: in.Name, URL: in.URL, Active: in.Active, Secret: in.Secret, RotateSecret: in.RotateSecret}
	if in.Events != nil {
		out.Events = *in.Events
		if out.Events == nil {
			out.Events = []string{} // "events": null is an empty list: refused, not ignored
		}
	}
	return out
}

// The handlers.

func (a *api) listWebhooks(c *fiber.Ctx) error {
	hooks, err := a.webhooks.List(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := make([]webhookJSON, len(hooks))
	for i, w := range hooks {
		out[i] = webhookOut(w)
	}
	return c.JSON(itemJSON{Data: out})
}

func (a *api) createWebhook(c *fiber.Ctx) error {
	var body webhookInputJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	if body.RotateSecret {
		return errs.Validationf("rotate_secret", "applies only to an existing webhook")
	}
	in := body.input()
	if in.Events == nil {
		in.Events = []string{}
	}
	w, secret, err := a.webhooks.Create(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	c.Location("/api/v1/admin/webhooks/" + strconv.FormatInt(w.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(itemJSON{Data: webhookWithSecretJSON{webhookJSON: webhookOut(w), Secret: secret}})
}

func (a *api) getWebhook(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	w, err := a.webhooks.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: webhookOut(w)})
}

func (a *api) updateWebhook(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var body webhookInputJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	w, secret, err := a.webhooks.Update(c.UserContext(), principal(c), id, body.input())
	if err != nil {
		return err
	}
	if secret != "" {
		return c.JSON(itemJSON{Data: webhookWithSecretJSON{webhookJSON: webhookOut(w), Secret: secret}})
	}
	return c.JSON(itemJSON{Data: webhookOut(w)})
}

func (a *api) deleteWebhook(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := a.webhooks.Delete(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *api) listDeliveries(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	q, err := pageQuery(c)
	if err != nil {
		return err
	}
	status, err := queryEnum(c, "status", webhook.DeliveryStatuses...)
	if err != nil {
		return err
	}
	page, err := a.webhooks.Deliveries(c.UserContext(), principal(c), id, webhook.DeliveryQuery{Status: status, Page: q.Page, PerPage: q.PerPage})
	if err != nil {
		return err
	}
	out := make([]deliveryJSON, len(page.Items))
	for i, d := range page.Items {
		out[i] = deliveryOut(d)
	}
	return c.JSON(listJSON{Data: out, Meta: pageMeta(page)})
}

func (a *api) redeliver(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	did, err := strconv.ParseInt(c.Params("delivery_id"), 10, 64)
	if err != nil || did <= 0 {
		return errs.NotFoundf("This webhook has no delivery with that id.")
	}
	d, err := a.webhooks.Redeliver(c.UserContext(), principal(c), id, did)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(itemJSON{Data: deliveryOut(d)})
}

func (a *api) pingWebhook(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := a.webhooks.Ping(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(itemJSON{Data: deliveryOut(d)})
}
