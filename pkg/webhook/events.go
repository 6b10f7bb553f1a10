// Package webhook tells other systems when content changes: an outbox
// written in the transaction of each change, a dispatcher that delivers it
// signed, in order, with retries that survive restarts, and the admin
// service that manages receivers and shows their deliveries.
package webhook

import (
	"crypto/rand"
	"encoding/json"
	"slices"
	"time"

	"github.com/folio-cms/folio/pkg/store"
)

// The verbs of content events: an entry of a type became visible to the
// public, changed while visible, stopped being visible, or was deleted.
const (
	Published   = "published"
	Updated     = "updated"
	Unpublished = "unpublished"
	Deleted     = "deleted"
)

// Ping is the test event an admin sends to check a receiver.
const Ping = "ping"

// All subscribes a webhook to every event.
const All = "*"

// Events lists every event a webhook can subscribe to.
var Events = []string{
	"post.published", "post.updated", "post.unpublished", "post.deleted",
	"case_study.published", "case_study.updated", "case_study.unpublished", "case_study.deleted",
	"page.published", "page.updated", "page.unpublished", "page.deleted",
	"media.deleted",
}

// Name is the event name of verb on entries of type typ, e.g. post.published.
func Name(typ, verb string) string { return typ + "." + verb }

// Payload is the JSON body of every delivery.
type Payload struct {
	ID        string    `json:"id"`
	Event     string    `json:"event"`
	CreatedAt time.Time `json:"created_at"`
	Data      Data      `json:"data"`
}

// Data says what the event is about.
type Data struct {
	Type   string `json:"type"` // post, case_study, page, media or webhook (ping)
	ID     int64  `json:"id"`
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Status string `json:"status"`
	URL    string `json:"url"` // where the public sees it (or saw it)
	// PreviousURL is the address a changed entry had before its slug
	// changed, for receivers that purge caches by address.
	PreviousURL string `json:"previous_url,omitempty"`
}

// Outbox queues events in the transaction of the change that causes them,
// so an event is stored exactly when its change is. The zero value and a
// nil *Outbox queue events too; Notify, when set, is called after the
// transaction commits (the dispatcher's wake-up).
type Outbox struct {
	Notify func()
}

// Enqueue queues event about data for every active webhook subscribed to it.
// With none, nothing is stored.
func (o *Outbox) Enqueue(tx *store.Tx, event string, data Data) error {
	hooks, err := tx.ActiveWebhooks()
	if err != nil {
		return err
	}
	var ids []int64
	for _, h := range hooks {
		if subscribed(h.Events, event) {
			ids = append(ids, h.ID)
		}
	}
	_, err = o.enqueue(tx, ids, event, data)
	return err
}

// enqueue stores the event and a delivery of it to each webhook in ids,
// and returns the deliveries.
func (o *Outbox) enqueue(tx *store.Tx, ids []int64, event string, data Data) ([]store.DeliveryRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	p := Payload{ID: "evt_" + rand.Text(), Event: event, CreatedAt: tx.Now().UTC(), Data: data}
	body, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	ev := store.WebhookEventRow{UID: p.ID, Event: event, Payload: string(body)}
	if err := tx.InsertEvent(&ev); err != nil {
		return nil, err
	}
	out := make([]store.DeliveryRow, len(ids))
	for i, id := range ids {
		out[i] = store.DeliveryRow{WebhookID: id, EventID: ev.ID}
		if err := tx.InsertDelivery(&out[i]); err != nil {
			return nil, err
		}
	}
	o.notifyAfter(tx)
	return out, nil
}

func (o *Outbox) notifyAfter(tx *store.Tx) {
	if o != nil && o.Notify != nil {
		tx.AfterCommit(o.Notify)
	}
}

// subscribed reports whether a webhook with the stored events list gets event.
func subscribed(eventsJSON, event string) bool {
	var events []string
	if json.Unmarshal([]byte(eventsJSON), &events) != nil {
		return false
	}
	return slices.Contains(events, All) || slices.Contains(events, event)
}
