package httpapi

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/paging"
)

// entryAPI is what differs between posts and case studies at the HTTP edge:
// their paths, how their bodies decode and how they are shown. Every
// handler below serves both types with it.
type entryAPI struct {
	typ        content.Type
	publicPath string // e.g. /api/v1/posts
	adminPath  string // e.g. /api/v1/admin/posts
	perms      content.Perms
	// decode reads a write body (POST, PUT, a merged PATCH) strictly.
	decode func(body []byte) (in content.Input, version *int, err error)
	// fields shows editable fields in the write-body shape (PATCH bases,
	// revision snapshots).
	fields     func(f content.Fields, authorID *int64) any
	publicItem func(content.Entry) any
	publicFull func(content.Entry) any
	// adminItem and adminFull show an entry to a caller of the admin API
	// (whose allowed_actions it carries).
	adminItem func(content.Entry, auth.Principal) any
	adminFull func(content.Entry, auth.Principal) any
	// filters reads the type's own public list filters.
	filters func(c *fiber.Ctx, q *content.Query) error
	// itemFields are the top-level fields of a published item (publicFull),
	// for ?fields=: a list can carry everything a single item has, so a
	// static build needs one request per page of items, not one per item.
	itemFields []string
	// listFields are those of the list item (publicItem): naming any other
	// in fields= reads the entries' rendered text too.
	listFields []string
	// markdown names the Markdown fields and the answer field of each's
	// HTML: a PATCH may send them as splices (splice.go).
	markdown map[string]string
	// sorts are the orders a public list accepts besides publicSorts, and
	// defaultSort its order when none is asked for ("": -published_at).
	sorts       []string
	defaultSort string
}

func postAPI() entryAPI {
	return entryAPI{
		typ: content.Post, publicPath: "/api/v1/posts", adminPath: "/api/v1/admin/posts", perms: content.PermsOf(content.Post),
		decode: func(body []byte) (content.Input, *int, error) {
			var b postWriteJSON
			err := decodeStrict(body, &b)
			return b.input(), b.Version, err
		},
		fields:     func(f content.Fields, author *int64) any { return postFieldsOut(f, author) },
		publicItem: func(e content.Entry) any { return postListItemJSON{postItemOut(e), e.UpdatedAt.UTC()} },
		publicFull: func(e content.Entry) any { return postOut(e) },
		adminItem:  func(e content.Entry, v auth.Principal) any { return adminPostItemOut(e, v) },
		adminFull:  func(e content.Entry, v auth.Principal) any { return adminPostOut(e, v) },
		filters: func(c *fiber.Ctx, q *content.Query) error {
			var err error
			if q.Tags, err = queryList(c, "tag"); err != nil {
				return err
			}
			q.Author, err = queryText(c, "author")
			return err
		},
		itemFields: jsonFields(postJSON{}),
		listFields: jsonFields(postListItemJSON{}),
		markdown:   map[string]string{"body": "html"},
	}
}

func caseStudyAPI() entryAPI {
	return entryAPI{
		typ: content.CaseStudy, publicPath: "/api/v1/case-studies", adminPath: "/api/v1/admin/case-studies", perms: content.PermsOf(content.CaseStudy),
		decode: func(body []byte) (content.Input, *int, error) {
			var b caseStudyWriteJSON
			err := decodeStrict(body, &b)
			return b.input(), b.Version, err
		},
		fields:     func(f content.Fields, _ *int64) any { return caseStudyFieldsOut(f) },
		publicItem: func(e content.Entry) any { return caseStudyListItemJSON{caseStudyItemOut(e), e.UpdatedAt.UTC()} },
		publicFull: func(e content.Entry) any { return caseStudyOut(e) },
		adminItem:  func(e content.Entry, v auth.Principal) any { return adminCaseStudyItemOut(e, v) },
		adminFull:  func(e content.Entry, v auth.Principal) any { return adminCaseStudyOut(e, v) },
		filters: func(c *fiber.Ctx, q *content.Query) error {
			var err error
			if q.Industry, err = queryText(c, "industry"); err != nil {
				return err
			}
			q.Technology, err = queryText(c, "technology")
			return err
		},
		itemFields: jsonFields(caseStudyJSON{}),
		listFields: jsonFields(caseStudyListItemJSON{}),
		markdown:   map[string]string{"challenge": "challenge_html", "solution": "solution_html", "results": "results_html"},
	}
}

func pageAPI() entryAPI {
	return entryAPI{
		typ: content.SitePage, publicPath: "/api/v1/pages", adminPath: "/api/v1/admin/pages", perms: content.PermsOf(content.SitePage),
		decode: func(body []byte) (content.Input, *int, error) {
			var b pageWriteJSON
			err := decodeStrict(body, &b)
			return b.input(), b.Version, err
		},
		fields:     func(f content.Fields, _ *int64) any { return pageFieldsOut(f) },
		publicItem: func(e content.Entry) any { return pageListItemJSON{pageItemOut(e), e.UpdatedAt.UTC()} },
		publicFull: func(e content.Entry) any { return pageOut(e) },
		adminItem:  func(e content.Entry, v auth.Principal) any { return adminPageItemOut(e, v) },
		adminFull:  func(e content.Entry, v auth.Principal) any { return adminPageOut(e, v) },
		filters: func(c *fiber.Ctx, q *content.Query) error {
			var err error
			q.Parent, err = queryText(c, "parent")
			return err
		},
		itemFields:  jsonFields(pageJSON{}),
		listFields:  jsonFields(pageListItemJSON{}),
		markdown:    map[string]string{"body": "html"},
		sorts:       []string{"menu_order", "-menu_order"},
		defaultSort: "menu_order",
	}
}

// ---- admin ----

// adminSorts are the orders an admin list accepts; the default is
// -updated_at (what was worked on last comes first).
var adminSorts = []string{"-updated_at", "updated_at", "-published_at", "published_at", "title", "-title", "-created_at", "created_at"}

func (a *api) adminList(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := pageQuery(c)
		if err != nil {
			return err
		}
		statuses, err := queryList(c, "status", content.StatusNames()...)
		if err != nil {
			return err
		}
		for _, s := range statuses {
			q.Statuses = append(q.Statuses, content.Status(s))
		}
		if q.Q, err = queryText(c, "q"); err != nil {
			return err
		}
		if len(q.Q) > 200 {
			return badParam("q", "must be at most 200 characters")
		}
		if q.Sort, err = queryEnum(c, "sort", adminSorts...); err != nil {
			return err
		}
		if err := x.filters(c, &q); err != nil {
			return err
		}
		mine, err := queryFlag(c, "mine")
		if err != nil {
			return err
		}
		if q.Unpublished, err = queryFlag(c, "has_unpublished_changes"); err != nil {
			return err
		}
		if mine {
			id := principal(c).ID
			q.AuthorID = &id
		}
		page, err := a.content.List(c.UserContext(), principal(c), x.typ, q)
		if err != nil {
			return err
		}
		viewer := principal(c)
		return c.JSON(listJSON{Data: mapItems(page.Items, func(e content.Entry) any { return x.adminItem(e, viewer) }), Meta: pageMeta(page)})
	}
}

func (a *api) adminGet(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		e, err := a.content.Get(c.UserContext(), principal(c), x.typ, id)
		if err != nil {
			return err
		}
		// An open editor asks every few seconds whether the entry changed:
		// the same version is a 304, without encoding or sending the entry.
		if etagMatches(c.Get(fiber.HeaderIfNoneMatch), versionETag(e)) {
			c.Set(fiber.HeaderETag, versionETag(e))
			return c.SendStatus(fiber.StatusNotModified)
		}
		return sendEntry(c, x, e)
	}
}

// versionETag is an entry's version as an ETag: every change of an entry,
// its status included, makes a new version.
func versionETag(e content.Entry) string { return `"` + strconv.Itoa(e.Version) + `"` }

// sendEntry answers with one entry as the editor sees it, and its version
// as the ETag (send it back as If-Match to save).
func sendEntry(c *fiber.Ctx, x entryAPI, e content.Entry) error {
	c.Set(fiber.HeaderETag, versionETag(e))
	return c.JSON(itemJSON{Data: x.adminFull(e, principal(c))})
}

func (a *api) create(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body, err := jsonBody(c)
		if err != nil {
			return err
		}
		in, version, err := x.decode(body)
		if err != nil {
			return err
		}
		if version != nil {
			return errs.New(errs.Invalid, "unknown_field", "A new record has no version yet: leave \"version\" out.")
		}
		e, err := a.content.Create(c.UserContext(), principal(c), x.typ, in)
		if err != nil {
			return err
		}
		c.Location(x.adminPath + "/" + strconv.FormatInt(e.ID, 10))
		c.Status(fiber.StatusCreated)
		return sendEntry(c, x, e)
	}
}

// replace is PUT: every editable field, based on a version.
func (a *api) replace(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		body, err := jsonBody(c)
		if err != nil {
			return err
		}
		in, version, err := x.decode(body)
		if err != nil {
			return err
		}
		base, err := baseVersion(c, version)
		if err != nil {
			return err
		}
		e, err := a.content.Update(c.UserContext(), principal(c), x.typ, id, base, in)
		if err != nil {
			return err
		}
		return sendEntry(c, x, e)
	}
}

// patch is PATCH: a JSON merge patch (RFC 7396) of the editable fields,
// for autosave. It is applied to the current fields and then saved like a
// PUT, so every rule holds the same; autosaves of one user fold into one
// revision for a while.
func (a *api) patch(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		body, err := jsonBody(c)
		if err != nil {
			return err
		}
		var patch map[string]any
		if err := json.Unmarshal(body, &patch); err != nil || patch == nil {
			return errs.New(errs.Invalid, "invalid_json", "A merge patch must be a JSON object.")
		}
		cur, err := a.content.Get(c.UserContext(), principal(c), x.typ, id)
		if err != nil {
			return err
		}
		var authorID *int64
		if cur.Author != nil {
			authorID = &cur.Author.ID
		}
		splices, err := takeSplices(patch, x.markdown)
		if err != nil {
			return err
		}
		var doc map[string]any
		curJSON, _ := json.Marshal(x.fields(cur.Fields, authorID))
		_ = json.Unmarshal(curJSON, &doc)
		sent := map[string]string{} // the spliced texts, as the client has them now
		for field, sp := range splices {
			base, _ := doc[field].(string)
			if sent[field], err = sp.apply(field, base); err != nil {
				return err
			}
			doc[field] = sent[field]
		}
		merged, _ := json.Marshal(mergePatch(doc, patch))
		in, version, err := x.decode(merged)
		if err != nil {
			return err
		}
		base, err := baseVersion(c, version)
		if err != nil {
			return err
		}
		in.Autosave = true
		e, err := a.content.Update(c.UserContext(), principal(c), x.typ, id, base, in)
		if err != nil {
			return err
		}
		if len(splices) == 0 {
			return sendEntry(c, x, e)
		}
		before := map[string]string{}
		if b, err := json.Marshal(x.adminFull(cur, principal(c))); err == nil {
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			for _, html := range x.markdown {
				before[html], _ = m[html].(string)
			}
		}
		c.Set(fiber.HeaderETag, versionETag(e))
		return sendSpliced(c, x, sent, before, x.adminFull(e, principal(c)))
	}
}

// mergePatch applies an RFC 7396 merge patch: members of an object patch
// replace (recursively for objects) or, when null, remove those of target;
// anything else replaces target.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = mergePatch(t[k], v)
		}
	}
	return t
}

// baseVersion is the version a write is based on: If-Match ("N", as the
// ETag of the admin GET) or "version" in the body. Neither is a 428.
func baseVersion(c *fiber.Ctx, bodyVersion *int) (int, error) {
	if h := strings.TrimSpace(c.Get(fiber.HeaderIfMatch)); h != "" {
		v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
		if err != nil || v < 1 {
			e := errs.New(errs.Invalid, "invalid_precondition", `If-Match must be the version as an ETag, such as "3".`)
			e.Details = []errs.Detail{{Field: "If-Match", Message: `must look like "3"`}}
			return 0, e
		}
		return v, nil
	}
	if bodyVersion != nil {
		return *bodyVersion, nil
	}
	return 0, errs.New(errs.PreconditionRequired, "precondition_required",
		`Say which version you edited (If-Match: "N" or "version": N) so that nobody's changes are overwritten.`)
}

// remove moves an entry to the trash, or with ?permanent=1 deletes it for
// good (admins only).
func (a *api) remove(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		permanent, err := queryFlag(c, "permanent")
		if err != nil {
			return err
		}
		if permanent {
			err = a.content.Purge(c.UserContext(), principal(c), x.typ, id)
		} else {
			_, err = a.content.Trash(c.UserContext(), principal(c), x.typ, id)
		}
		if err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (a *api) untrash(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		e, err := a.content.Untrash(c.UserContext(), principal(c), x.typ, id)
		if err != nil {
			return err
		}
		return sendEntry(c, x, e)
	}
}

// action performs one workflow action; publish and schedule take a body.
func (a *api) action(x entryAPI, act content.Action) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		var opt content.ActionOptions
		switch act {
		case content.ActionPublish:
			var body publishJSON
			if err := decodeJSON(c, &body, true); err != nil {
				return err
			}
			if opt.PublishedAt, err = parseTime("published_at", body.PublishedAt); err != nil {
				return err
			}
		case content.ActionSchedule:
			var body scheduleJSON
			if err := decodeJSON(c, &body, false); err != nil {
				return err
			}
			if opt.PublishAt, err = parseTime("publish_at", body.PublishAt); err != nil {
				return err
			}
		default:
			if err := decodeJSON(c, &struct{}{}, true); err != nil {
				return err
			}
		}
		e, err := a.content.Apply(c.UserContext(), principal(c), x.typ, id, act, opt)
		if err != nil {
			return err
		}
		return sendEntry(c, x, e)
	}
}

// discard drops a live entry's unpublished changes.
func (a *api) discard(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		if err := decodeJSON(c, &struct{}{}, true); err != nil {
			return err
		}
		e, err := a.content.Discard(c.UserContext(), principal(c), x.typ, id)
		if err != nil {
			return err
		}
		return sendEntry(c, x, e)
	}
}

func (a *api) revisions(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		q, err := pageQuery(c)
		if err != nil {
			return err
		}
		page, err := a.content.Revisions(c.UserContext(), principal(c), x.typ, id, q.Page, q.PerPage)
		if err != nil {
			return err
		}
		out := make([]revisionJSON, len(page.Items))
		for i, r := range page.Items {
			out[i] = revisionOut(r)
		}
		return c.JSON(listJSON{Data: out, Meta: pageMeta(page)})
	}
}

func (a *api) revision(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, rev, err := idAndRevision(c)
		if err != nil {
			return err
		}
		r, err := a.content.Revision(c.UserContext(), principal(c), x.typ, id, rev)
		if err != nil {
			return err
		}
		return c.JSON(itemJSON{Data: fullRevisionJSON{revisionJSON: revisionOut(r), Snapshot: snapshotJSON{
			Status: r.Snapshot.Status, PublishedAt: utc(r.Snapshot.PublishedAt), Fields: x.fields(r.Snapshot.Fields, r.Snapshot.AuthorID),
		}}})
	}
}

func (a *api) restoreRevision(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, rev, err := idAndRevision(c)
		if err != nil {
			return err
		}
		e, err := a.content.RestoreRevision(c.UserContext(), principal(c), x.typ, id, rev)
		if err != nil {
			return err
		}
		return sendEntry(c, x, e)
	}
}

func idAndRevision(c *fiber.Ctx) (int64, int64, error) {
	id, err := idParam(c)
	if err != nil {
		return 0, 0, err
	}
	rev, err := strconv.ParseInt(c.Params("rev"), 10, 64)
	if err != nil || rev <= 0 {
		return 0, 0, errs.NotFoundf("No such revision.")
	}
	return id, rev, nil
}

// stats counts entries by status, for the dashboard.
func (a *api) stats(c *fiber.Ctx) error {
	counts, err := a.content.Stats(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := map[string]map[string]int{}
	for t, m := range counts {
		out[string(t)] = m
	}
	return c.JSON(itemJSON{Data: out})
}

// scheduled lists what is coming, soonest first, across both types.
func (a *api) scheduled(c *fiber.Ctx) error {
	return a.entrySummaries(c, a.content.Scheduled)
}

// trash lists the trash, most recently trashed first, across both types.
func (a *api) trash(c *fiber.Ctx) error {
	return a.entrySummaries(c, a.content.Trashed)
}

func (a *api) entrySummaries(c *fiber.Ctx, list func(ctx context.Context, actor auth.Principal, page, perPage int) (paging.Page[content.Entry], error)) error {
	q, err := pageQuery(c)
	if err != nil {
		return err
	}
	page, err := list(c.UserContext(), principal(c), q.Page, q.PerPage)
	if err != nil {
		return err
	}
	out := make([]entrySummaryJSON, len(page.Items))
	for i, e := range page.Items {
		out[i] = entrySummaryOut(e, principal(c))
	}
	return c.JSON(listJSON{Data: out, Meta: pageMeta(page)})
}

func (a *api) preview(c *fiber.Ctx) error {
	var body previewJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	r, err := content.Preview(body.Markdown)
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: previewResultJSON{
		HTML: r.HTML, TOC: r.TOC, Excerpt: r.Excerpt, WordCount: r.WordCount, ReadingTimeMinutes: r.ReadingTime,
	}})
}

// ---- helpers ----

func mapItems(entries []content.Entry, f func(content.Entry) any) []any {
	out := make([]any, len(entries))
	for i, e := range entries {
		out[i] = f(e)
	}
	return out
}

// idParam reads the :id path parameter; anything but a positive integer is
// simply a resource that does not exist.
func idParam(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundf("No such resource.")
	}
	return id, nil
}

// Paging limits.
const (
	defaultPerPage = 20
	maxPerPage     = 100
)

// pageQuery reads page and per_page: bad values are a 400 naming the
// parameter, never silently clamped.
func pageQuery(c *fiber.Ctx) (content.Query, error) {
	q := content.Query{Page: 1, PerPage: defaultPerPage}
	var err error
	if q.Page, err = intParam(c, "page", 1, 1, 1_000_000); err != nil {
		return q, err
	}
	if q.PerPage, err = intParam(c, "per_page", defaultPerPage, 1, maxPerPage); err != nil {
		return q, err
	}
	return q, nil
}

// parseTime reads an optional RFC 3339 time from a body field.
func parseTime(field string, s *string) (*time.Time, error) {
	if s == nil {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return nil, errs.Validationf(field, "must be an RFC 3339 time such as 2026-05-01T09:00:00Z")
	}
	return &t, nil
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
