package store

import (
	"time"

	"github.com/folio-cms/folio/pkg/errs"
)

// Webhooks returns every webhook, oldest first.
func (r Reader) Webhooks() ([]WebhookRow, error) {
	var rows []WebhookRow
	return rows, translate(r.db.Order("id").Find(&rows).Error)
}

// ActiveWebhooks returns the webhooks that receive events.
func (r Reader) ActiveWebhooks() ([]WebhookRow, error) {
	var rows []WebhookRow
	return rows, translate(r.db.Where("active = TRUE").Order("id").Find(&rows).Error)
}

// Webhook returns one webhook.
func (r Reader) Webhook(id int64) (WebhookRow, error) {
	var row WebhookRow
	return row, translate(r.db.Where("id = ?", id).Take(&row).Error)
}

// WebhookStats is how a webhook's deliveries are going.
type WebhookStats struct {
	WebhookID     int64
	Pending       int64
	Failed        int64
	LastAttemptAt *time.Time
	LastStatus    int    // the last attempt's HTTP status; 0 when it got none
	LastError     string // the last attempt's error, if any
}

// WebhookStats returns the delivery statistics of every webhook that has
// deliveries, by webhook id.
func (r Reader) WebhookStats() (map[int64]WebhookStats, error) {
	var counts []WebhookStats
	err := r.db.Raw(`SELECT webhook_id,
			SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
			SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed
		FROM webhook_deliveries GROUP BY webhook_id`).Scan(&counts).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[int64]WebhookStats, len(counts))
	for _, c := range counts {
		out[c.WebhookID] = c
	}
	var last []struct {
		WebhookID  int64
		StartedAt  time.Time
		StatusCode int
		Error      string
	}
	err = r.db.Raw(`SELECT d.webhook_id, a.started_at, a.status_code, a.error
		FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
		WHERE a.id IN (SELECT MAX(a2.id) FROM webhook_attempts a2
			JOIN webhook_deliveries d2 ON d2.id = a2.delivery_id GROUP BY d2.webhook_id)`).Scan(&last).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, l := range last {
		s := out[l.WebhookID]
		at := l.StartedAt
		s.WebhookID, s.LastAttemptAt, s.LastStatus, s.LastError = l.WebhookID, &at, l.StatusCode, l.Error
		out[l.WebhookID] = s
	}
	return out, nil
}

const deliverySelect = `SELECT d.*, e.event, e.uid, e.payload
	FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id `

// DeliveryFilter selects a webhook's deliveries.
type DeliveryFilter struct {
	WebhookID int64
	Status    string // pending, delivered or failed; empty: all
	Offset    int
	Limit     int
}

// Deliveries returns a page of a webhook's deliveries, newest first, and
// the total.
func (r Reader) Deliveries(f DeliveryFilter) ([]Delivery, int64, error) {
	where, args := `WHERE d.webhook_id = ?`, []any{f.WebhookID}
	if f.Status != "" {
		where += ` AND d.status = ?`
		args = append(args, f.Status)
	}
	var total int64
	if err := r.db.Raw(`SELECT COUNT(*) FROM webhook_deliveries d `+where, args...).Scan(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var rows []Delivery
	err := r.db.Raw(deliverySelect+where+` ORDER BY d.id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...).Scan(&rows).Error
	return rows, total, translate(err)
}

// Delivery returns one delivery with its event.
func (r Reader) Delivery(id int64) (Delivery, error) {
	var rows []Delivery
	if err := r.db.Raw(deliverySelect+`WHERE d.id = ?`, id).Scan(&rows).Error; err != nil {
		return Delivery{}, translate(err)
	}
	if len(rows) == 0 {
		return Delivery{}, errs.NotFoundf("No delivery with that id.")
	}
	return rows[0], nil
}

// Attempts returns the attempts of these deliveries, in order, by delivery.
func (r Reader) Attempts(deliveryIDs []int64) (map[int64][]AttemptRow, error) {
	out := make(map[int64][]AttemptRow, len(deliveryIDs))
	if len(deliveryIDs) == 0 {
		return out, nil
	}
	var rows []AttemptRow
	if err := r.db.Where("delivery_id IN ?", deliveryIDs).Order("delivery_id, attempt").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, a := range rows {
		out[a.DeliveryID] = append(out[a.DeliveryID], a)
	}
	return out, nil
}

// QueueHeads returns, for every active webhook with pending deliveries,
// the oldest one: deliveries to one webhook go strictly in order, so only
// the head of each queue may be attempted.
func (r Reader) QueueHeads() ([]Delivery, error) {
	var rows []Delivery
	err := r.db.Raw(deliverySelect + `WHERE d.id IN (
		SELECT (SELECT MIN(q.id) FROM webhook_deliveries q WHERE q.webhook_id = w.id AND q.status = 'pending')
		FROM webhooks w WHERE w.active = TRUE) ORDER BY d.id`).Scan(&rows).Error
	return rows, translate(err)
}

// QueueDepth counts the pending deliveries to active webhooks and says when
// the oldest was queued (zero when none).
func (r Reader) QueueDepth() (int64, time.Time, error) {
	var out struct {
		N      int64
		Oldest *time.Time
	}
	err := r.db.Raw(`SELECT COUNT(*) AS n, MIN(d.created_at) AS oldest FROM webhook_deliveries d
		JOIN webhooks w ON w.id = d.webhook_id WHERE w.active = TRUE AND d.status = 'pending'`).Scan(&out).Error
	if err != nil || out.Oldest == nil {
		return out.N, time.Time{}, translate(err)
	}
	return out.N, *out.Oldest, nil
}

// InsertWebhook stores a new webhook.
func (tx *Tx) InsertWebhook(row *WebhookRow) error {
	row.CreatedAt, row.UpdatedAt = tx.now, tx.now
	return translate(tx.db.Create(row).Error)
}

// UpdateWebhook saves every field of a webhook.
func (tx *Tx) UpdateWebhook(row *WebhookRow) error {
	row.UpdatedAt = tx.now
	res := tx.db.Model(&WebhookRow{}).Where("id = ?", row.ID).Select("*").Omit("id", "created_at", "created_by").Updates(row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return errs.NotFoundf("No webhook with that id.")
	}
	return nil
}

// DeleteWebhook deletes a webhook with its deliveries.
func (tx *Tx) DeleteWebhook(id int64) error {
	res := tx.db.Where("id = ?", id).Delete(&WebhookRow{})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return errs.NotFoundf("No webhook with that id.")
	}
	return tx.db.Exec(`DELETE FROM webhook_events WHERE id NOT IN (SELECT event_id FROM webhook_deliveries)`).Error
}

// InsertEvent puts an event into the outbox.
func (tx *Tx) InsertEvent(row *WebhookEventRow) error {
	row.CreatedAt = tx.now
	return translate(tx.db.Create(row).Error)
}

// InsertDelivery queues an event for a webhook, due at once (a delivery
// without a next attempt time is due; the dispatcher sets one on a retry).
func (tx *Tx) InsertDelivery(row *DeliveryRow) error {
	row.CreatedAt = tx.now
	row.Status = "pending"
	return translate(tx.db.Create(row).Error)
}

// DeliveryOutcome is what an attempt leaves a delivery as.
type DeliveryOutcome struct {
	Status        string     // pending (to retry), delivered or failed
	NextAttemptAt *time.Time // when to retry, for pending
}

// ClaimDelivery leases a delivery to owner until the given time, if it is
// still what the caller read (pending, after attempts attempts), due, the
// head of an active webhook's queue, and not leased to anyone else (an
// expired lease counts as none). It is one conditional UPDATE, so of
// several dispatchers on one database exactly one gets it; only that one
// may send it. now is the dispatcher's clock. It reports whether owner got
// the lease.
func (tx *Tx) ClaimDelivery(id int64, attempts int, owner string, now, until time.Time) (bool, error) {
	res := tx.db.Exec(`UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ?
		WHERE id = ? AND status = 'pending' AND attempts = ?
			AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
			AND (lease_until IS NULL OR lease_until <= ?)
			AND id = (SELECT MIN(q.id) FROM webhook_deliveries q WHERE q.webhook_id = webhook_deliveries.webhook_id AND q.status = 'pending')
			AND EXISTS (SELECT 1 FROM webhooks w WHERE w.id = webhook_deliveries.webhook_id AND w.active = TRUE)`,
		owner, until.UTC(), id, attempts, now.UTC(), now.UTC())
	return res.Error == nil && res.RowsAffected == 1, translate(res.Error)
}

// ReleaseDelivery gives up owner's lease on a delivery without an attempt
// (e.g. at shutdown), so another dispatcher may send it at once.
func (tx *Tx) ReleaseDelivery(id int64, owner string) error {
	return translate(tx.db.Exec(`UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL
		WHERE id = ? AND lease_owner = ?`, id, owner).Error)
}

// RecordAttempt stores owner's attempt at a pending delivery and its
// outcome, and ends the lease. It reports false, storing nothing, when the
// delivery is gone, no longer pending (its webhook was deleted meanwhile)
// or no longer leased to owner.
func (tx *Tx) RecordAttempt(a *AttemptRow, out DeliveryOutcome, owner string) (bool, error) {
	var completed *time.Time
	if out.Status != "pending" {
		completed = &tx.now
	}
	res := tx.db.Exec(`UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?,
			last_status_code = ?, last_error = ?, completed_at = ?, lease_owner = NULL, lease_until = NULL
		WHERE id = ? AND status = 'pending' AND attempts = ? AND lease_owner = ?`,
		out.Status, out.NextAttemptAt, a.StatusCode, a.Error, completed, a.DeliveryID, a.Attempt-1, owner)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, translate(res.Error)
	}
	return true, translate(tx.db.Create(a).Error)
}

// DeactivateWebhook stops deliveries to a webhook, saying why.
func (tx *Tx) DeactivateWebhook(id int64, reason string) error {
	return translate(tx.db.Exec(`UPDATE webhooks SET active = FALSE, disabled_reason = ?, updated_at = ? WHERE id = ?`,
		reason, tx.now, id).Error)
}

// PruneDeliveries deletes finished deliveries completed before t, with
// their attempts and the events no delivery refers to any more.
func (tx *Tx) PruneDeliveries(before time.Time) (int64, error) {
	res := tx.db.Exec(`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND completed_at < ?`, before)
	if res.Error != nil {
		return 0, translate(res.Error)
	}
	err := tx.db.Exec(`DELETE FROM webhook_events WHERE id NOT IN (SELECT event_id FROM webhook_deliveries)`).Error
	return res.RowsAffected, translate(err)
}
