package httpapi

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
)

// entryAPI is what differs between posts and case studies at the HTTP edge:
// their paths, how their bodies decode and how they are shown. The handlers
// below serve both types with it.
type entryAPI struct {
	typ        content.Type
	adminPath  string // e.g. /api/v1/admin/posts
	decode     func(c *fiber.Ctx) (in content.Input, version *int, err error)
	publicItem func(content.Entry) any
	publicFull func(content.Entry) any
	adminItem  func(content.Entry) any
	adminFull  func(content.Entry) any
	// filters reads the type's own public list filters.
	filters func(c *fiber.Ctx, q *content.Query) error
}

func postAPI() entryAPI {
	return entryAPI{
		typ:       content.Post,
		adminPath: "/api/v1/admin/posts",
		decode: func(c *fiber.Ctx) (content.Input, *int, error) {
			var b postWriteJSON
			err := decodeJSON(c, &b, false)
			return b.input(), b.Version, err
		},
		publicItem: func(e content.Entry) any { return postItemOut(e) },
		publicFull: func(e content.Entry) any { return postOut(e) },
		adminItem:  func(e content.Entry) any { return adminPostItemOut(e) },
		adminFull:  func(e content.Entry) any { return adminPostOut(e) },
		filters: func(c *fiber.Ctx, q *content.Query) error {
			if tag := c.Query("tag"); tag != "" {
				q.Tags = []string{tag}
			}
			return nil
		},
	}
}

func caseStudyAPI() entryAPI {
	return entryAPI{
		typ:       content.CaseStudy,
		adminPath: "/api/v1/admin/case-studies",
		decode: func(c *fiber.Ctx) (content.Input, *int, error) {
			var b caseStudyWriteJSON
			err := decodeJSON(c, &b, false)
			return b.input(), b.Version, err
		},
		publicItem: func(e content.Entry) any { return caseStudyItemOut(e) },
		publicFull: func(e content.Entry) any { return caseStudyOut(e) },
		adminItem:  func(e content.Entry) any { return adminCaseStudyItemOut(e) },
		adminFull:  func(e content.Entry) any { return adminCaseStudyOut(e) },
		filters: func(c *fiber.Ctx, q *content.Query) error {
			q.Industry = strings.TrimSpace(c.Query("industry"))
			q.Technology = strings.TrimSpace(c.Query("technology"))
			return nil
		},
	}
}

// ---- public ----

func (a *api) publicList(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := pageQuery(c)
		if err != nil {
			return err
		}
		if err := x.filters(c, &q); err != nil {
			return err
		}
		page, err := a.content.ListPublished(c.UserContext(), x.typ, q, previewing(c))
		if err != nil {
			return err
		}
		return c.JSON(listJSON{Data: mapItems(page.Items, x.publicItem), Meta: pageMeta(page)})
	}
}

func (a *api) publicGet(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		e, err := a.content.Published(c.UserContext(), x.typ, c.Params("slug"), previewing(c))
		if err != nil {
			return err
		}
		return c.JSON(itemJSON{Data: x.publicFull(e)})
	}
}

func (a *api) tags(c *fiber.Ctx) error {
	tags, err := a.content.Tags(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]tagCountJSON, len(tags))
	for i, t := range tags {
		out[i] = tagCountJSON{Slug: t.Slug, Name: t.Name, PostCount: t.PostCount}
	}
	return c.JSON(itemJSON{Data: out})
}

// ---- admin ----

func (a *api) adminList(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := pageQuery(c)
		if err != nil {
			return err
		}
		for _, s := range splitComma(c.Query("status")) {
			st := content.Status(s)
			if !content.ValidStatus(st) {
				return badParam("status", "must be one of "+strings.Join(content.StatusNames(), ", "))
			}
			q.Statuses = append(q.Statuses, st)
		}
		q.Q = strings.TrimSpace(c.Query("q"))
		page, err := a.content.List(c.UserContext(), principal(c), x.typ, q)
		if err != nil {
			return err
		}
		return c.JSON(listJSON{Data: mapItems(page.Items, x.adminItem), Meta: pageMeta(page)})
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
		return c.JSON(itemJSON{Data: x.adminFull(e)})
	}
}

func (a *api) create(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		in, version, err := x.decode(c)
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
		return c.Status(fiber.StatusCreated).JSON(itemJSON{Data: x.adminFull(e)})
	}
}

func (a *api) replace(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		in, version, err := x.decode(c)
		if err != nil {
			return err
		}
		if version == nil {
			return errs.New(errs.PreconditionRequired, "precondition_required",
				"Send the version you edited (\"version\": N) so that nobody's changes are overwritten.")
		}
		e, err := a.content.Update(c.UserContext(), principal(c), x.typ, id, *version, in)
		if err != nil {
			return err
		}
		return c.JSON(itemJSON{Data: x.adminFull(e)})
	}
}

func (a *api) remove(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		if err := a.content.Delete(c.UserContext(), principal(c), x.typ, id); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (a *api) publish(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var body publishJSON
		if err := decodeJSON(c, &body, true); err != nil {
			return err
		}
		at, err := parseTime("published_at", body.PublishedAt)
		if err != nil {
			return err
		}
		return a.apply(c, x, content.ActionPublish, content.ActionOptions{PublishedAt: at})
	}
}

func (a *api) unpublish(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return a.apply(c, x, content.ActionUnpublish, content.ActionOptions{})
	}
}

func (a *api) apply(c *fiber.Ctx, x entryAPI, action content.Action, opt content.ActionOptions) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	e, err := a.content.Apply(c.UserContext(), principal(c), x.typ, id, action, opt)
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: x.adminFull(e)})
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

func intParam(c *fiber.Ctx, name string, def, lo, hi int) (int, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badParam(name, "must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return n, nil
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

func badParam(name, msg string) error {
	e := errs.Newf(errs.Invalid, "invalid_parameter", "The query parameter %q is not valid: it %s.", name, msg)
	e.Details = []errs.Detail{{Field: name, Message: msg}}
	return e
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
