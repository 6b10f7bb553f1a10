package content

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// Action is a step of the workflow, e.g. publish.
type Action string

// The actions.
const (
	ActionPublish   Action = "publish"
	ActionUnpublish Action = "unpublish"
)

// transition is one row of THE transition table: from which statuses an
// action may start, where it leads, and which permission of the entry's type
// it needs.
type transition struct {
	from []Status
	to   Status
	perm func(kind) auth.Permission
}

var transitions = map[Action]transition{
	ActionPublish:   {from: []Status{Draft}, to: Published, perm: func(k kind) auth.Permission { return k.publish }},
	ActionUnpublish: {from: []Status{Published}, to: Draft, perm: func(k kind) auth.Permission { return k.publish }},
}

// ActionOptions carries what some actions take.
type ActionOptions struct {
	// PublishedAt backdates a publication (publish); nil means now.
	PublishedAt *time.Time
}

// Apply performs a workflow action on an entry and returns it updated.
func (s *Service) Apply(ctx context.Context, actor auth.Principal, t Type, id int64, a Action, opt ActionOptions) (Entry, error) {
	k, err := kindOf(t)
	if err != nil {
		return Entry{}, err
	}
	tr, ok := transitions[a]
	if !ok {
		return Entry{}, fmt.Errorf("content: unknown action %q", a)
	}
	now := s.now()
	if opt.PublishedAt != nil && opt.PublishedAt.After(now) {
		return Entry{}, errs.Validationf("published_at", "must not be in the future")
	}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.Entry(string(t), id)
		if err != nil {
			return err
		}
		if err := authorize(actor, tr.perm(k), &row); err != nil {
			return err
		}
		if !slices.Contains(tr.from, Status(row.Status)) {
			return errs.Newf(errs.Conflict, "invalid_transition", "Cannot %s a %s that is %s.", a, k.noun, row.Status).
				With("status", row.Status)
		}
		row.Status = string(tr.to)
		switch tr.to {
		case Published:
			at := now.Truncate(time.Second)
			if opt.PublishedAt != nil {
				at = opt.PublishedAt.UTC().Truncate(time.Second)
			}
			row.PublishedAt = &at
		case Draft:
			row.PublishedAt = nil
		}
		if err := tx.UpdateEntry(&row, row.Version); err != nil {
			return err
		}
		return audit(tx, actor, t, string(a), id, map[string]any{"status": row.Status, "version": row.Version})
	})
	if err != nil {
		return Entry{}, err
	}
	return s.load(ctx, t, id)
}
