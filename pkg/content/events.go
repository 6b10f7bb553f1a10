package content

import (
	"strings"

	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/webhook"
)

// Links makes an entry's address on the public site, for webhook payloads,
// feeds and the sitemap: Site + the type's path pattern with {slug} (and,
// for pages, {path}) replaced.
type Links struct {
	Site          string // e.g. https://example.com
	PostPath      string // e.g. /blog/{slug}
	CaseStudyPath string // e.g. /work/{slug}
	PagePath      string // e.g. {path}, which is /services/backend
}

// URL returns the public address of the entry of type t with slug (and,
// for a page, path).
func (l Links) URL(t Type, slug, path string) string {
	p := l.Path(t, slug, path)
	if p == "" {
		return ""
	}
	return l.Site + p
}

// Path returns where on the public site the entry of type t with slug
// (and, for a page, path) is shown (e.g. /blog/{slug}), or "" when the
// type has no address.
func (l Links) Path(t Type, slug, path string) string {
	k := specs[t]
	if k == nil {
		return ""
	}
	pattern := k.linkPattern(l)
	if pattern == "" {
		return ""
	}
	return strings.NewReplacer("{slug}", slug, "{path}", path).Replace(pattern)
}

// live reports whether the public sees an entry in row's state as its
// status says: published and not in the trash. (A scheduled entry becomes
// live when PublishDue flips it, which is when its event fires.)
func live(row *store.EntryRow) bool {
	return row != nil && row.Status == string(Published) && row.TrashedAt == nil
}

// announce queues the webhook event that a change of an entry from before
// (nil: it did not exist) to after means for the public, if any: it became
// visible (published), changed while visible (updated), stopped being
// visible (unpublished), or was moved to the trash (deleted).
func (s *Service) announce(tx *store.Tx, before *store.EntryRow, after store.EntryRow) error {
	var verb string
	switch {
	case after.TrashedAt != nil && (before == nil || before.TrashedAt == nil):
		verb = webhook.Deleted
	case !live(before) && live(&after):
		verb = webhook.Published
	case live(before) && live(&after):
		verb = webhook.Updated
	case live(before) && !live(&after):
		verb = webhook.Unpublished
	default:
		return nil
	}
	shown := after
	if verb == webhook.Unpublished {
		// What disappears is what the public saw: its address, not that of
		// a working copy folded into the entry as it left (a new slug).
		shown = *before
		shown.Status = after.Status
	}
	data, err := s.eventData(tx.Reader, shown)
	if err != nil {
		return err
	}
	if verb == webhook.Deleted {
		data.Status = "trashed"
	}
	if verb == webhook.Updated && (before.Slug != after.Slug || !sameParent(before.ParentID, after.ParentID)) {
		prev, err := s.eventData(tx.Reader, *before)
		if err != nil {
			return err
		}
		if prev.URL != data.URL {
			data.PreviousURL = prev.URL
		}
	}
	return s.Events.Enqueue(tx, webhook.Name(after.Type, verb), data)
}

// announcePurge queues the deleted event of an entry deleted for good,
// unless it was in the trash (its deletion was announced then).
func (s *Service) announcePurge(tx *store.Tx, row store.EntryRow) error {
	if row.TrashedAt != nil {
		return nil
	}
	data, err := s.eventData(tx.Reader, row)
	if err != nil {
		return err
	}
	data.Status = "deleted"
	return s.Events.Enqueue(tx, webhook.Name(row.Type, webhook.Deleted), data)
}

func (s *Service) eventData(r store.Reader, row store.EntryRow) (webhook.Data, error) {
	var path string
	if k := specs[Type(row.Type)]; k != nil && k.pathOf != nil {
		var err error
		// The parents' slugs whatever their status: webhook consumers are
		// trusted with the admin's view.
		if path, err = k.pathOf(r, row, nil); err != nil {
			return webhook.Data{}, err
		}
	}
	return webhook.Data{Type: row.Type, ID: row.ID, Slug: row.Slug, Title: row.Title, Status: row.Status,
		URL: s.Links.URL(Type(row.Type), row.Slug, path)}, nil
}

func sameParent(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
