package auth

import (
	"context"
	"encoding/json"
	"time"

	"github.com/folio-cms/folio/pkg/paging"
	"github.com/folio-cms/folio/pkg/store"
)

// Audit records in the audit log that p did action to a record, in tx: the
// transaction of the change itself, so that the two commit or fail
// together.
func Audit(tx *store.Tx, p Principal, action, recordType string, recordID int64, details any) error {
	row := store.AuditRow{Actor: p.Email, Action: action, RecordType: recordType, IP: p.IP}
	if p.ID != 0 {
		id := p.ID
		row.UserID = &id
	}
	if row.Actor == "" {
		row.Actor = p.Name
	}
	if recordID != 0 {
		row.RecordID = &recordID
	}
	if details != nil {
		if b, err := json.Marshal(details); err == nil {
			row.Details = string(b)
		}
	}
	return tx.AddAudit(row)
}

// AuditEntry is one entry of the audit log.
type AuditEntry struct {
	ID         int64
	UserID     *int64
	Actor      string
	Action     string
	RecordType string
	RecordID   *int64
	IP         string
	Details    json.RawMessage
	CreatedAt  time.Time
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	UserID     *int64
	RecordType string
	RecordID   *int64
	Page       int
	PerPage    int
}

// AuditLog returns a page of the audit log, newest first.
func (s *Service) AuditLog(ctx context.Context, actor Principal, f AuditFilter) (paging.Page[AuditEntry], error) {
	if err := Check(actor, PermAuditRead, NoRecord); err != nil {
		return paging.Page[AuditEntry]{}, err
	}
	rows, total, err := s.Store.Read(ctx).Audit(store.AuditFilter{
		UserID: f.UserID, RecordType: f.RecordType, RecordID: f.RecordID,
		Offset: (f.Page - 1) * f.PerPage, Limit: f.PerPage,
	})
	if err != nil {
		return paging.Page[AuditEntry]{}, err
	}
	out := make([]AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AuditEntry{ID: r.ID, UserID: r.UserID, Actor: r.Actor, Action: r.Action, RecordType: r.RecordType,
			RecordID: r.RecordID, IP: r.IP, Details: json.RawMessage(r.Details), CreatedAt: r.CreatedAt}
	}
	return paging.Page[AuditEntry]{Items: out, Total: total, Page: f.Page, PerPage: f.PerPage}, nil
}
