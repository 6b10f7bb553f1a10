package store

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/folio-cms/folio/pkg/errs"
)

// Entry returns the entry of type typ with the given id, with its body.
func (r Reader) Entry(typ string, id int64) (EntryRow, error) {
	return r.oneEntry(r.db.Where("id = ? AND type = ?", id, typ))
}

// EntryBySlug returns the entry of type typ with the given slug, with its body.
func (r Reader) EntryBySlug(typ, slug string) (EntryRow, error) {
	return r.oneEntry(r.db.Where("type = ? AND slug = ?", typ, slug))
}

// VisibleEntryBySlug returns the entry of type typ with the given slug,
// with its body, if it is visible to the public at time at.
func (r Reader) VisibleEntryBySlug(typ, slug string, at time.Time) (EntryRow, error) {
	return r.oneEntry(visible(r.db, at).Where("type = ? AND slug = ?", typ, slug))
}

func (r Reader) oneEntry(q *gorm.DB) (EntryRow, error) {
	var row EntryRow
	if err := q.Take(&row).Error; err != nil {
		return row, translate(err)
	}
	rows := []EntryRow{row}
	err := r.withBodies(rows)
	return rows[0], err
}

// withBodies fills in the bodies of entries read without them.
func (r Reader) withBodies(rows []EntryRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, row := range rows {
		ids[i] = row.ID
	}
	var bodies []BodyRow
	if err := r.db.Where("entry_id IN ?", ids).Find(&bodies).Error; err != nil {
		return translate(err)
	}
	byID := make(map[int64]BodyRow, len(bodies))
	for _, b := range bodies {
		byID[b.EntryID] = b
	}
	for i := range rows {
		rows[i].BodyRow = byID[rows[i].ID]
	}
	return nil
}

// SlugTaken reports whether an entry of type typ other than exceptID uses
// slug, as its slug (trashed entries keep theirs) or as an old slug.
func (r Reader) SlugTaken(typ, slug string, exceptID int64) (bool, error) {
	var n int64
	err := r.db.Raw(`SELECT
		(SELECT COUNT(*) FROM entries WHERE type = ? AND slug = ? AND id <> ?) +
		(SELECT COUNT(*) FROM slug_aliases WHERE type = ? AND slug = ? AND entry_id <> ?)`,
		typ, slug, exceptID, typ, slug, exceptID).Scan(&n).Error
	return n > 0, translate(err)
}

// AliasTarget returns the id of the entry that used to have slug, or 0.
func (r Reader) AliasTarget(typ, slug string) (int64, error) {
	var ids []int64
	err := r.db.Model(&SlugAliasRow{}).Where("type = ? AND slug = ?", typ, slug).Pluck("entry_id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, translate(err)
	}
	return ids[0], nil
}

// AddSlugAlias keeps an entry's old slug pointing at it.
func (tx *Tx) AddSlugAlias(typ, slug string, entryID int64) error {
	return translate(tx.db.Exec(`INSERT INTO slug_aliases (type, slug, entry_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (type, slug) DO UPDATE SET entry_id = excluded.entry_id`, typ, slug, entryID, tx.now).Error)
}

// RemoveSlugAlias drops an alias of an entry (it took the slug back).
func (tx *Tx) RemoveSlugAlias(typ, slug string, entryID int64) error {
	return translate(tx.db.Exec(`DELETE FROM slug_aliases WHERE type = ? AND slug = ? AND entry_id = ?`, typ, slug, entryID).Error)
}

// visible restricts a query to entries the public may see at time at.
// This is the one definition of "published" for reads.
func visible(db *gorm.DB, at time.Time) *gorm.DB {
	return db.Where(visibleSQL, at.UTC())
}

// visibleSQL is the condition behind visible, for raw queries; its one
// parameter is the time. A scheduled entry counts as published from its
// time on, to the second, whether or not the background job has run.
const visibleSQL = "entries.status IN ('published', 'scheduled') AND entries.published_at <= ? AND entries.trashed_at IS NULL"

// EntryFilter selects and orders entries for a list. Every field is applied
// as a bound parameter or chosen from an allow-list; nothing from a request
// is pasted into SQL.
type EntryFilter struct {
	Types        []string
	VisibleAt    *time.Time // public lists: only what is visible at this time
	Trashed      bool       // only entries in the trash (otherwise only those not in it)
	Statuses     []string   // admin lists
	Search       string     // admin search: full-text match, or for short text a title containing it (see MatchFilter)
	TagSlugs     []string   // any of these tags, by slug or name, ignoring case
	AuthorSlug   string
	AuthorID     *int64
	Featured     *bool
	Industry     string // case-insensitive equality
	Technology   string // any technology, case-insensitive equality
	ParentSlug   string // pages: only the children of the page with this slug
	After        *time.Time
	Before       *time.Time
	UpdatedAfter *time.Time // only entries whose updated_at is later
	Where        *Cond      // a condition tree (the Ghost Content API's filters)
	Sort         string     // a key of SortKeys; "" means -published_at
	Offset       int
	Limit        int
	Full         bool // include the bodies (feeds); lists leave them out
}

// SortKeys lists the accepted sort orders.
var SortKeys = map[string]string{
	"-published_at": "entries.published_at DESC, entries.id DESC",
	"published_at":  "entries.published_at ASC, entries.id ASC",
	"title":         "entries.title COLLATE NOCASE ASC, entries.id ASC",
	"-title":        "entries.title COLLATE NOCASE DESC, entries.id DESC",
	"updated_at":    "entries.updated_at ASC, entries.id ASC",
	"-updated_at":   "entries.updated_at DESC, entries.id DESC",
	"-trashed_at":   "entries.trashed_at DESC, entries.id DESC",
	"created_at":    "entries.created_at ASC, entries.id ASC",
	"-created_at":   "entries.created_at DESC, entries.id DESC",
	"menu_order":    "entries.menu_order ASC, entries.title COLLATE NOCASE ASC, entries.id ASC",
	"-menu_order":   "entries.menu_order DESC, entries.title COLLATE NOCASE DESC, entries.id DESC",
}

// Entries returns one page of entries matching f (without their bodies) and
// the number of entries matching f in all.
func (r Reader) Entries(f EntryFilter) ([]EntryRow, int64, error) {
	order, ok := SortKeys[f.Sort]
	if f.Sort == "" {
		order, ok = SortKeys["-published_at"], true
	}
	if !ok {
		return nil, 0, fmt.Errorf("store: unknown sort %q", f.Sort)
	}
	q := r.db.Model(&EntryRow{}).Where("entries.type IN ?", f.Types)
	if f.VisibleAt != nil {
		q = visible(q, *f.VisibleAt)
	}
	if f.Trashed {
		q = q.Where("entries.trashed_at IS NOT NULL")
	} else {
		q = q.Where("entries.trashed_at IS NULL")
	}
	if len(f.Statuses) > 0 {
		q = q.Where("entries.status IN ?", f.Statuses)
	}
	if f.Search != "" {
		if r.pg() {
			return nil, 0, notOnPostgres("search")
		}
		q = searchFilter(q, f.Search)
	}
	if len(f.TagSlugs) > 0 {
		tags := f.TagSlugs
		if r.pg() { // lower(column) IN the lowered list; NOCASE folds ASCII only
			tags = make([]string, len(f.TagSlugs))
			for i, s := range f.TagSlugs {
				tags[i] = asciiLower(s)
			}
		}
		q = q.Where("entries.id IN (SELECT et.entry_id FROM entry_tags et JOIN tags t ON t.id = et.tag_id WHERE "+r.nocase("t.slug")+" IN ? OR "+r.nocase("t.name")+" IN ?)", tags, tags)
	}
	if f.AuthorSlug != "" {
		q = q.Where("entries.author_id IN (SELECT id FROM users WHERE slug = ?)", f.AuthorSlug)
	}
	if f.AuthorID != nil {
		q = q.Where("entries.author_id = ?", *f.AuthorID)
	}
	if f.Featured != nil {
		q = q.Where("entries.featured = ?", *f.Featured)
	}
	if f.Industry != "" {
		q = q.Where("lower(entries.industry) = lower(?)", f.Industry)
	}
	if f.Technology != "" {
		q = q.Where("EXISTS (SELECT 1 FROM "+r.jsonValues("entries.technologies", "j")+" WHERE lower(j.value) = lower(?))", f.Technology)
	}
	if f.ParentSlug != "" {
		q = q.Where("entries.parent_id IN (SELECT p.id FROM entries p WHERE p.type = 'page' AND p.slug = ?)", f.ParentSlug)
	}
	if f.After != nil {
		q = q.Where("entries.published_at > ?", f.After.UTC())
	}
	if f.Before != nil {
		q = q.Where("entries.published_at < ?", f.Before.UTC())
	}
	if f.UpdatedAfter != nil {
		q = q.Where("entries.updated_at > ?", f.UpdatedAfter.UTC())
	}
	if f.Where != nil {
		var err error
		if q, err = f.Where.where(q); err != nil {
			return nil, 0, err
		}
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var rows []EntryRow
	if total > int64(f.Offset) {
		err := q.Order(r.order(order)).Offset(f.Offset).Limit(f.Limit).Find(&rows).Error
		if err != nil {
			return nil, 0, translate(err)
		}
		if f.Full {
			if err := r.withBodies(rows); err != nil {
				return nil, 0, err
			}
		}
	}
	return rows, total, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// EntryTags returns the tags of each of the given entries, in their order.
func (r Reader) EntryTags(entryIDs []int64) (map[int64][]EntryTag, error) {
	out := make(map[int64][]EntryTag, len(entryIDs))
	if len(entryIDs) == 0 {
		return out, nil
	}
	var rows []EntryTag
	err := r.db.Raw(`SELECT et.entry_id, t.id AS tag_id, t.slug, t.name FROM entry_tags et JOIN tags t ON t.id = et.tag_id
		WHERE et.entry_id IN ? ORDER BY et.entry_id, et.position`, entryIDs).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, t := range rows {
		out[t.EntryID] = append(out[t.EntryID], t)
	}
	return out, nil
}

// TagCounts returns every tag with the number of posts that carry it, by
// name: posts visible at *at, or with at nil every post not in the trash.
// With at set, a tag only drafts (or trashed posts) carry is left out: its
// name alone would tell the public what is not published yet.
func (r Reader) TagCounts(at *time.Time) ([]TagCount, error) {
	cond, args, having := "entries.trashed_at IS NULL", []any{}, ""
	if at != nil {
		cond, args, having = visibleSQL, []any{at.UTC()}, "HAVING COUNT(entries.id) > 0 "
	}
	var rows []TagCount
	err := r.db.Raw(`SELECT t.id, t.slug, t.name, COUNT(entries.id) AS post_count
		FROM tags t
		LEFT JOIN entry_tags et ON et.tag_id = t.id
		LEFT JOIN entries ON entries.id = et.entry_id AND entries.type = 'post' AND `+cond+`
		GROUP BY t.id, t.slug, t.name `+having+`ORDER BY `+r.nocase("t.name")+`, t.slug`, args...).Scan(&rows).Error
	return rows, translate(err)
}

// StatusCounts counts the entries not in the trash by type and status, and
// those in the trash by type (status "trashed").
func (r Reader) StatusCounts() (map[string]map[string]int, error) {
	var rows []struct {
		Type, Status string
		N            int
	}
	err := r.db.Raw(`SELECT type, CASE WHEN trashed_at IS NULL THEN status ELSE 'trashed' END AS status, COUNT(*) AS n
		FROM entries GROUP BY 1, 2`).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := map[string]map[string]int{}
	for _, row := range rows {
		if out[row.Type] == nil {
			out[row.Type] = map[string]int{}
		}
		out[row.Type][row.Status] = row.N
	}
	return out, nil
}

// InsertEntry stores a new entry and its body at version 1, and sets its id
// and timestamps.
func (tx *Tx) InsertEntry(row *EntryRow) error {
	row.ID = 0
	row.Version = 1
	row.CreatedAt, row.UpdatedAt = tx.now, tx.now
	// Columns left at their zero value take the column's default, the
	// same value: a row then inserts into a schema older than its struct
	// as long as it uses nothing newer (tests of migrations do).
	var omit []string
	if row.TypeData == "" {
		omit = append(omit, "TypeData")
	}
	if row.ParentID == nil && row.MenuOrder == 0 {
		omit = append(omit, "ParentID", "MenuOrder")
	}
	db := tx.db
	if len(omit) > 0 {
		db = db.Omit(omit...)
	}
	if err := db.Create(row).Error; err != nil {
		return translate(err)
	}
	row.EntryID = row.ID
	return translate(tx.db.Create(&row.BodyRow).Error)
}

// UpdateEntry writes every column of row (but its id, type and creation
// time) if the stored version is still base, and moves it to base+1. A
// version other than base is a Conflict; a missing row NotFound.
func (tx *Tx) UpdateEntry(row *EntryRow, base int) error {
	row.Version = base + 1
	row.UpdatedAt = tx.now
	res := tx.db.Model(&EntryRow{}).Where("id = ? AND type = ? AND version = ?", row.ID, row.Type, base).
		Select("*").Omit("id", "type", "created_at").Updates(row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		cur, err := tx.Entry(row.Type, row.ID)
		if err != nil {
			return err
		}
		return errs.New(errs.Conflict, "conflict", "The record was changed by someone else.").With("current_version", cur.Version)
	}
	row.EntryID = row.ID
	return translate(tx.db.Model(&BodyRow{}).Where("entry_id = ?", row.ID).Select("*").Omit("entry_id").Updates(&row.BodyRow).Error)
}

// Related returns up to limit posts visible at time *at (nil: any not in
// the trash, for previews) that share tags with post id, most shared tags
// first, then newest; when fewer share any, the newest other posts fill
// the list.
func (r Reader) Related(id int64, at *time.Time, limit int) ([]EntryRow, error) {
	scope := func() *gorm.DB {
		if at == nil {
			return r.db.Model(&EntryRow{}).Where("entries.trashed_at IS NULL")
		}
		return visible(r.db.Model(&EntryRow{}), *at)
	}
	var rows []EntryRow
	err := scope().
		Joins(`JOIN (SELECT b.entry_id AS id, COUNT(*) AS shared FROM entry_tags a
			JOIN entry_tags b ON b.tag_id = a.tag_id AND b.entry_id <> a.entry_id
			WHERE a.entry_id = ? GROUP BY b.entry_id) s ON s.id = entries.id`, id).
		Where("entries.type = 'post'").
		Order("s.shared DESC, entries.published_at DESC, entries.id DESC").Limit(limit).Find(&rows).Error
	if err != nil || len(rows) >= limit {
		return rows, translate(err)
	}
	skip := []int64{id}
	for _, row := range rows {
		skip = append(skip, row.ID)
	}
	var more []EntryRow
	err = scope().
		Where("entries.type = 'post' AND entries.id NOT IN ?", skip).
		Order("entries.published_at DESC, entries.id DESC").Limit(limit - len(rows)).Find(&more).Error
	return append(rows, more...), translate(err)
}

// SitemapEntry is one public address.
type SitemapEntry struct {
	ID          int64
	ParentID    *int64
	Type        string
	Slug        string
	PublishedAt time.Time
	UpdatedAt   time.Time
}

// Sitemap returns every entry visible at time at, newest first.
func (r Reader) Sitemap(at time.Time) ([]SitemapEntry, error) {
	var rows []SitemapEntry
	err := visible(r.db.Model(&EntryRow{}), at).Select("id", "parent_id", "type", "slug", "published_at", "updated_at").
		Order("published_at DESC, id DESC").Scan(&rows).Error
	return rows, translate(err)
}

// DueScheduled returns the ids of the scheduled entries whose time has come.
func (r Reader) DueScheduled(now time.Time) ([]EntryRow, error) {
	var rows []EntryRow
	err := r.db.Model(&EntryRow{}).Select("id", "type", "slug", "title", "published_at", "version").
		Where("status = 'scheduled' AND published_at <= ? AND trashed_at IS NULL", now).Order("published_at, id").Find(&rows).Error
	return rows, translate(err)
}

// ScheduledCounts counts the scheduled entries (not in the trash) by type,
// and how many of them are due at now but not yet flipped to published.
func (r Reader) ScheduledCounts(now time.Time) (map[string]int64, int64, error) {
	var rows []struct {
		Type string
		N    int64
		Due  int64
	}
	err := r.db.Raw(`SELECT type, COUNT(*) AS n, SUM(CASE WHEN published_at <= ? THEN 1 ELSE 0 END) AS due
		FROM entries WHERE status = 'scheduled' AND trashed_at IS NULL GROUP BY type`, now).Scan(&rows).Error
	out := map[string]int64{}
	var due int64
	for _, row := range rows {
		out[row.Type] = row.N
		due += row.Due
	}
	return out, due, translate(err)
}

// PublishDue turns one due scheduled entry into a published one, if it is
// still scheduled and due: a conditional UPDATE, so that when several
// processes run the job at once exactly one of them publishes it.
func (tx *Tx) PublishDue(id int64) (bool, error) {
	res := tx.db.Exec(`UPDATE entries SET status = 'published', version = version + 1, updated_at = ?, updated_by = NULL,
		first_published_at = COALESCE(first_published_at, published_at)
		WHERE id = ? AND status = 'scheduled' AND published_at <= ? AND trashed_at IS NULL`, tx.now, id, tx.now)
	return res.RowsAffected == 1, translate(res.Error)
}

// TrashedBefore returns the entries moved to the trash before a time.
func (r Reader) TrashedBefore(t time.Time) ([]EntryRow, error) {
	var rows []EntryRow
	err := r.db.Select("id", "type", "slug", "trashed_at").Where("trashed_at < ?", t).Find(&rows).Error
	return rows, translate(err)
}

// DeleteEntry removes an entry (and, by cascade, its tag links).
func (tx *Tx) DeleteEntry(typ string, id int64) error {
	res := tx.db.Where("id = ? AND type = ?", id, typ).Delete(&EntryRow{})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return errs.NotFoundf("Not found.")
	}
	return nil
}

// SetEntryTags replaces the tags of an entry with tags, in order, creating
// tags that do not exist yet (matched by slug; an existing tag keeps its name).
func (tx *Tx) SetEntryTags(entryID int64, tags []TagRow) error {
	if err := tx.db.Exec(`DELETE FROM entry_tags WHERE entry_id = ?`, entryID).Error; err != nil {
		return translate(err)
	}
	for i, t := range tags {
		var id int64
		err := tx.db.Raw(`SELECT id FROM tags WHERE slug = ?`, t.Slug).Scan(&id).Error
		if err != nil {
			return translate(err)
		}
		if id == 0 {
			row := TagRow{Slug: t.Slug, Name: t.Name, CreatedAt: tx.now}
			if err := tx.db.Create(&row).Error; err != nil {
				return translate(err)
			}
			id = row.ID
		}
		if err := tx.db.Exec(`INSERT INTO entry_tags (entry_id, tag_id, position) VALUES (?, ?, ?)`, entryID, id, i).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

// IsNotFound reports whether err says a record does not exist.
func IsNotFound(err error) bool {
	return errs.Is(err, errs.NotFound) || errors.Is(err, gorm.ErrRecordNotFound)
}

// AllEntries returns every entry of type typ that is not in the trash, with
// their bodies, by id.
func (r Reader) AllEntries(typ string) ([]EntryRow, error) {
	var rows []EntryRow
	if err := r.db.Where("type = ? AND trashed_at IS NULL", typ).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return rows, r.withBodies(rows)
}

// NextScheduled returns when the earliest scheduled entry (not in the
// trash) is due, or nil when none is scheduled.
func (r Reader) NextScheduled() (*time.Time, error) {
	var row EntryRow
	err := r.db.Model(&EntryRow{}).Select("published_at").
		Where("status = 'scheduled' AND trashed_at IS NULL AND published_at IS NOT NULL").
		Order("published_at").Limit(1).Find(&row).Error
	if err != nil {
		return nil, translate(err)
	}
	return row.PublishedAt, nil
}

// PageLink is what the path of a page is made from: its slug, its parent,
// and whether the public may see it.
type PageLink struct {
	ID          int64
	ParentID    *int64
	Slug        string
	Status      string
	PublishedAt *time.Time
	TrashedAt   *time.Time
}

// PageLinks returns every page (in the trash too) by id: sites have tens
// of pages, and a page's path and the check that parents make no cycle
// walk up through them.
func (r Reader) PageLinks() (map[int64]PageLink, error) {
	var rows []PageLink
	err := r.db.Model(&EntryRow{}).Select("id", "parent_id", "slug", "status", "published_at", "trashed_at").
		Where("type = 'page'").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[int64]PageLink, len(rows))
	for _, p := range rows {
		out[p.ID] = p
	}
	return out, nil
}

// RedirectRow is an old slug of an entry and the slug it has now.
type RedirectRow struct {
	Type     string
	OldSlug  string
	Slug     string
	ID       int64
	ParentID *int64 // pages: where the path goes through
}

// Redirects returns every old slug of the entries visible at at, with the
// slug each entry has now, by type and old slug.
func (r Reader) Redirects(at time.Time) ([]RedirectRow, error) {
	var rows []RedirectRow
	err := r.db.Raw(`SELECT a.type, a.slug AS old_slug, entries.slug, entries.id, entries.parent_id
		FROM slug_aliases a JOIN entries ON entries.id = a.entry_id AND entries.type = a.type
		WHERE `+visibleSQL+` AND a.slug <> entries.slug
		ORDER BY a.type, a.slug`, at.UTC()).Scan(&rows).Error
	return rows, translate(err)
}

// FacetCount is one value of a facet and how many entries have it.
type FacetCount struct {
	Name  string
	Count int64
}

// CaseStudyFacets counts the industries, technologies and services of the
// case studies visible at at: each value once per case study, values that
// differ only in case together (under their most used spelling), most used
// first, then by name.
func (r Reader) CaseStudyFacets(at time.Time) (industries, technologies, services []FacetCount, err error) {
	count := func(from, value string) ([]FacetCount, error) {
		var rows []FacetCount
		err := r.db.Raw(`WITH v AS (
				SELECT entries.id AS id, trim(`+value+`) AS name FROM entries`+from+`
				WHERE entries.type = 'case_study' AND `+visibleSQL+`),
			spelt AS (SELECT lower(name) AS k, name, COUNT(DISTINCT id) AS n FROM v WHERE name <> '' GROUP BY name)
			SELECT (SELECT s2.name FROM spelt s2 WHERE s2.k = spelt.k ORDER BY s2.n DESC, s2.name LIMIT 1) AS name,
				(SELECT COUNT(DISTINCT v.id) FROM v WHERE lower(v.name) = spelt.k) AS count
			FROM spelt GROUP BY k ORDER BY count DESC, name`, at.UTC()).Scan(&rows).Error
		return rows, translate(err)
	}
	if industries, err = count("", "entries.industry"); err != nil {
		return
	}
	if technologies, err = count(", "+r.jsonValues("entries.technologies", "j"), "j.value"); err != nil {
		return
	}
	services, err = count(", "+r.jsonValues("entries.services", "j"), "j.value")
	return
}

// AuthorCount is a user with the number of posts visible under their name.
type AuthorCount struct {
	ID        int64
	Slug      string
	Name      string
	PostCount int
}

// AuthorCounts returns every user with a post visible at at, with the
// number of those posts, by name. Users without one are left out: the
// public knows authors only by what they have published.
func (r Reader) AuthorCounts(at time.Time) ([]AuthorCount, error) {
	var rows []AuthorCount
	err := r.db.Raw(`SELECT u.id, u.slug, u.name, COUNT(entries.id) AS post_count
		FROM users u JOIN entries ON entries.author_id = u.id AND entries.type = 'post' AND `+visibleSQL+`
		GROUP BY u.id, u.slug, u.name ORDER BY lower(u.name), u.slug`, at.UTC()).Scan(&rows).Error
	return rows, translate(err)
}
