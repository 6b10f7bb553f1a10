package content

import (
	"strings"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// SitePage is a standalone page of the site (About, Services, Contact): a
// Markdown body, optionally below a parent page, in a menu order. (Page is
// a page of a list.)
const SitePage Type = "page"

// PageFields are a page's own fields besides its Prose.
type PageFields struct {
	ParentID  *int64 `json:"parent_id,omitempty"`  // the page above it; nil: a top-level page
	MenuOrder int    `json:"menu_order,omitempty"` // its place among its siblings, lowest first
}

// Limits of a page's own fields.
const (
	MaxMenuOrder = 1_000_000 // either way
	MaxPageDepth = 10        // pages above a page, at most
)

var pageSpec = register(&Spec{
	Type: SitePage, Noun: "page", Plural: "pages", SlugBase: "page", Dir: "pages",
	Perms: Perms{auth.PermPageRead, auth.PermPageCreate, auth.PermPageUpdate, auth.PermPageDelete,
		auth.PermPageSubmit, auth.PermPagePublish},
	keep: func(f Fields) Fields {
		out := f.shared()
		out.Prose, out.PageFields = f.Prose, f.PageFields
		return out
	},
	normalize: func(f *Fields) { normalizeProse(&f.Prose) },
	validate: func(v *errs.Fields, f Fields) {
		validateProse(v, f.Prose)
		if f.ParentID != nil && *f.ParentID <= 0 {
			v.Add("parent_id", "must be the id of a page")
		}
		if f.MenuOrder < -MaxMenuOrder || f.MenuOrder > MaxMenuOrder {
			v.Addf("menu_order", "must be between %d and %d", -MaxMenuOrder, MaxMenuOrder)
		}
	},
	derive:      func(f Fields) (Derived, error) { return deriveProse(f.Prose) },
	markdown:    func(f Fields) map[string]string { return map[string]string{"body": f.Body} },
	excerpt:     proseExcerpt,
	check:       checkParent,
	attach:      attachPaths,
	pathOf:      pagePath,
	linkPattern: func(l Links) string { return l.PagePath },
})

// checkParent refuses a parent that is not a page, is in the trash, is the
// page itself or lies below it (a cycle), or that puts the page deeper than
// MaxPageDepth: each is a 422 of parent_id.
func checkParent(tx *store.Tx, id int64, f Fields) error {
	if f.ParentID == nil {
		return nil
	}
	links, err := tx.PageLinks()
	if err != nil {
		return err
	}
	p, ok := links[*f.ParentID]
	switch {
	case !ok:
		return errs.Validationf("parent_id", "no page has id %d", *f.ParentID)
	case p.ID == id:
		return errs.Validationf("parent_id", "must not be the page itself")
	case p.TrashedAt != nil:
		return errs.Validationf("parent_id", "is in the trash: restore it first, or choose another parent")
	}
	depth := 1
	for cur, seen := p, map[int64]bool{}; cur.ParentID != nil && !seen[cur.ID]; depth++ {
		seen[cur.ID] = true
		if *cur.ParentID == id {
			return errs.Validationf("parent_id", "would make a cycle: page %q is below this page", p.Slug)
		}
		if cur, ok = links[*cur.ParentID]; !ok {
			break
		}
	}
	if depth > MaxPageDepth {
		return errs.Validationf("parent_id", "would put the page more than %d levels deep", MaxPageDepth)
	}
	return nil
}

// linkVisible reports whether the public sees page l at time at.
func linkVisible(l store.PageLink, at time.Time) bool {
	return (l.Status == string(Published) || l.Status == string(Scheduled)) && l.PublishedAt != nil &&
		!l.PublishedAt.After(at) && l.TrashedAt == nil
}

// pathIn makes the path of page id from the slugs of its parents and its
// own: /services/backend. With at set (what the public sees), parents the
// public can't see at that time are left out, so that no unpublished slug
// shows; the parent's slug is "" then too.
func pathIn(links map[int64]store.PageLink, id int64, slug string, parent *int64, at *time.Time) (path, parentSlug string) {
	parts := []string{slug}
	seen := map[int64]bool{id: true}
	for depth := 0; parent != nil && !seen[*parent] && depth < MaxPageDepth; depth++ {
		p, ok := links[*parent]
		if !ok {
			break
		}
		seen[p.ID] = true
		if at == nil || linkVisible(p, *at) {
			if depth == 0 {
				parentSlug = p.Slug
			}
			parts = append(parts, p.Slug)
		}
		parent = p.ParentID
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString("/" + parts[i])
	}
	return b.String(), parentSlug
}

// attachPaths sets the path and the parent's slug of pages read for the
// admin (at nil) or the public (at: the time of the read).
func attachPaths(r store.Reader, entries []*Entry, at *time.Time) error {
	links, err := r.PageLinks()
	if err != nil {
		return err
	}
	for _, e := range entries {
		e.Path, e.ParentSlug = pathIn(links, e.ID, e.Fields.Slug, e.Fields.ParentID, at)
	}
	return nil
}

// pagePath is the path of the page in row, for its public address.
func pagePath(r store.Reader, row store.EntryRow, at *time.Time) (string, error) {
	links, err := r.PageLinks()
	if err != nil {
		return "", err
	}
	path, _ := pathIn(links, row.ID, row.Slug, row.ParentID, at)
	return path, nil
}
