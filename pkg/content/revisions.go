package content

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// AutosaveWindow is how long one user's autosaves keep folding into the
// same revision.
const AutosaveWindow = 5 * time.Minute

// Snapshot is what a revision keeps: every editable field and the workflow
// state at that version.
type Snapshot struct {
	Fields
	Status      Status     `json:"status"`
	PublishedAt *time.Time `json:"published_at"`
	AuthorID    *int64     `json:"author_id"`
}

// Revision is one saved state of an entry.
type Revision struct {
	ID        int64
	EntryID   int64
	Version   int
	Author    *Author // who saved it; nil for folio itself
	Kind      string
	Changed   []string // the fields that changed since the revision before
	CreatedAt time.Time
	UpdatedAt time.Time
	Snapshot  *Snapshot // only when one revision is asked for
	// WentLiveAt is when the state this revision holds became the live
	// version; nil when it never did.
	WentLiveAt *time.Time
}

// Summary says in a few words what the revision did.
func (r Revision) Summary() string {
	fields := strings.Join(r.Changed, ", ")
	switch r.Kind {
	case "create":
		return "Created"
	case "import":
		if fields == "" {
			return "Imported"
		}
		return "Imported; changed " + fields
	case "save", "autosave", "restore":
		verb := map[string]string{"save": "Saved", "autosave": "Autosaved", "restore": "Restored an earlier revision"}[r.Kind]
		if fields == "" {
			return verb + " (no changes)"
		}
		if r.Kind == "restore" {
			return verb + "; changed " + fields
		}
		return verb + ": " + fields
	case "trash":
		return "Moved to the trash"
	case "untrash":
		return "Restored from the trash"
	case "discard":
		return "Discarded the unpublished changes"
	}
	verb := map[string]string{"publish": "Published", "unpublish": "Unpublished", "schedule": "Scheduled",
		"unschedule": "Unscheduled", "submit": "Submitted for review", "archive": "Archived"}[r.Kind]
	if verb == "" {
		verb = r.Kind
	}
	return verb
}

// addRevision stores the revision of row's current state. An autosave folds
// into the same user's latest revision when that is an autosave less than
// AutosaveWindow old and nothing else was saved since; everything else
// starts a new revision.
func addRevision(tx *store.Tx, actor auth.Principal, row store.EntryRow, kind string) error {
	cur, err := hydrate(tx.Reader, []store.EntryRow{row}, true)
	if err != nil {
		return err
	}
	snap := snapshotOf(cur[0])
	body, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	latest, err := tx.LatestRevision(row.ID)
	if err != nil && !store.IsNotFound(err) {
		return err
	}
	var changed []string
	if err == nil {
		var prev Snapshot
		if err := json.Unmarshal([]byte(latest.Snapshot), &prev); err != nil {
			return fmt.Errorf("revision %d: %w", latest.ID, err)
		}
		changed = diff(prev, snap)
	}
	if kind == "autosave" && err == nil && latest.Kind == "autosave" && latest.UserID != nil && *latest.UserID == actor.ID &&
		tx.Now().Sub(latest.CreatedAt) < AutosaveWindow {
		var before []string
		_ = json.Unmarshal([]byte(latest.Changed), &before)
		latest.Version, latest.Snapshot, latest.Changed = row.Version, string(body), jsonList(union(before, changed))
		return tx.UpdateRevision(&latest)
	}
	rev := store.RevisionRow{EntryID: row.ID, Version: row.Version, UserID: actorID(actor), Kind: kind,
		Changed: jsonList(changed), Snapshot: string(body)}
	return tx.InsertRevision(&rev)
}

func snapshotOf(e Entry) Snapshot {
	s := Snapshot{Fields: e.Fields, Status: e.Status, PublishedAt: e.PublishedAt}
	if e.Author != nil {
		s.AuthorID = &e.Author.ID
	}
	return s
}

// diff names the top-level snapshot fields that differ, in a stable order.
func diff(a, b Snapshot) []string {
	am, bm := toMap(a), toMap(b)
	var out []string
	for k, v := range bm {
		if string(am[k]) != string(v) {
			out = append(out, k)
		}
	}
	for k := range am {
		if _, ok := bm[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func toMap(s Snapshot) map[string]json.RawMessage {
	b, _ := json.Marshal(s)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return m
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func jsonList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// Revisions returns a page of an entry's revisions, newest first.
func (s *Service) Revisions(ctx context.Context, actor auth.Principal, t Type, id int64, page, perPage int) (Page[Revision], error) {
	r := s.Store.Read(ctx)
	if err := s.canRead(r, actor, t, id); err != nil {
		return Page[Revision]{}, err
	}
	rows, total, err := r.Revisions(id, (page-1)*perPage, perPage)
	if err != nil {
		return Page[Revision]{}, err
	}
	revs, err := revisionsFromRows(r, rows)
	return Page[Revision]{Items: revs, Total: total, Page: page, PerPage: perPage}, err
}

// Revision returns one revision with its snapshot.
func (s *Service) Revision(ctx context.Context, actor auth.Principal, t Type, id, revID int64) (Revision, error) {
	r := s.Store.Read(ctx)
	if err := s.canRead(r, actor, t, id); err != nil {
		return Revision{}, err
	}
	row, err := r.Revision(id, revID)
	if store.IsNotFound(err) {
		return Revision{}, errs.NotFoundf("No revision %d of this %s.", revID, nounOf(t))
	}
	if err != nil {
		return Revision{}, err
	}
	revs, err := revisionsFromRows(r, []store.RevisionRow{row})
	if err != nil {
		return Revision{}, err
	}
	var snap Snapshot
	if err := json.Unmarshal([]byte(row.Snapshot), &snap); err != nil {
		return Revision{}, fmt.Errorf("revision %d: %w", row.ID, err)
	}
	revs[0].Snapshot = &snap
	return revs[0], nil
}

// RestoreRevision makes a revision's content the entry's current content,
// as a new version with a new revision; nothing is deleted. The status
// stays as it is.
func (s *Service) RestoreRevision(ctx context.Context, actor auth.Principal, t Type, id, revID int64) (Entry, error) {
	rev, err := s.Revision(ctx, actor, t, id, revID)
	if err != nil {
		return Entry{}, err
	}
	in := Input{Fields: rev.Snapshot.Fields}
	return s.save(ctx, actor, t, id, nil, in, "restore", map[string]any{"revision": rev.ID, "restored_version": rev.Version})
}

func (s *Service) canRead(r store.Reader, actor auth.Principal, t Type, id int64) error {
	k, err := specOf(t)
	if err != nil {
		return err
	}
	if err := authorize(actor, k.Perms.Read, nil); err != nil {
		return err
	}
	if _, err := r.Entry(string(t), id); store.IsNotFound(err) {
		return errNotFound(t)
	} else if err != nil {
		return err
	}
	return nil
}

func revisionsFromRows(r store.Reader, rows []store.RevisionRow) ([]Revision, error) {
	var ids []int64
	for _, row := range rows {
		if row.UserID != nil && !slices.Contains(ids, *row.UserID) {
			ids = append(ids, *row.UserID)
		}
	}
	users, err := r.UsersByID(ids)
	if err != nil {
		return nil, err
	}
	out := make([]Revision, len(rows))
	for i, row := range rows {
		rev := Revision{ID: row.ID, EntryID: row.EntryID, Version: row.Version, Kind: row.Kind, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt, WentLiveAt: row.WentLiveAt}
		_ = json.Unmarshal([]byte(row.Changed), &rev.Changed)
		if rev.Changed == nil {
			rev.Changed = []string{}
		}
		if row.UserID != nil {
			if u, ok := users[*row.UserID]; ok {
				rev.Author = &Author{ID: u.ID, Name: u.Name, Slug: u.Slug, Email: u.Email}
			}
		}
		out[i] = rev
	}
	return out, nil
}
