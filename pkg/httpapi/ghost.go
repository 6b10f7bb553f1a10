package httpapi

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
)

// The Ghost Content API (/ghost/api/content/): Ghost frontends and Ghost's
// own client @tryghost/content-api read Folio's live content through it,
// with a Ghost content key (POST /api/v1/admin/tokens with "format":
// "ghost") as ?key=. Posts are Folio's posts, and its case studies under
// the internal tag #case-study (left out unless a filter names the tag);
// pages are its pages. Answers, parameters and errors are Ghost 5's.

const ghostBase = "/ghost/api/content"

// caseStudyTag is the internal tag case studies carry as Ghost posts.
var caseStudyTag = content.Tag{Slug: "hash-case-study", Name: "#case-study"}

// ghostKind is how one Folio entry type shows in Ghost's Content API: the
// one table of what differs by type here, in the order of content.Types.
type ghostKind struct {
	resource string // "posts" or "pages"
	// tag, when set, is the internal tag the type is known by among its
	// resource's items: left out of a browse unless a filter names it,
	// and second to an untagged item of the same slug.
	tag *content.Tag
	// customExcerpt is the field Ghost's custom_excerpt shows.
	customExcerpt func(content.Fields) string
	// folio, when set, is what the type adds in the item's folio object.
	folio func(a *api, e content.Entry) *ghostFolioJSON
}

var ghostKinds = map[content.Type]ghostKind{
	content.Post:     {resource: "posts", customExcerpt: func(f content.Fields) string { return f.Excerpt }},
	content.SitePage: {resource: "pages", customExcerpt: func(f content.Fields) string { return f.Excerpt }},
	content.CaseStudy: {resource: "posts", tag: &caseStudyTag,
		customExcerpt: func(f content.Fields) string { return f.Summary },
		folio: func(a *api, e content.Entry) *ghostFolioJSON {
			return &ghostFolioJSON{Type: e.Type, CaseStudy: a.studies.publicFull(e)}
		}},
}

// ghostTypes are the entry types a Ghost resource serves: with browse,
// those with an internal tag only when filter names it (filter is then
// rewritten so that the tag stands for the type).
func ghostTypes(res string, browse bool, filter *content.Cond) ([]content.Type, *content.Cond) {
	var types []content.Type
	for _, t := range content.Types {
		k, ok := ghostKinds[t]
		if !ok || k.resource != res {
			continue
		}
		if browse && k.tag != nil {
			if filter == nil || !mentionsTag(*filter, k.tag.Slug) {
				continue
			}
			w := asTypeTag(*filter, k.tag.Slug, t)
			filter = &w
		}
		types = append(types, t)
	}
	return types, filter
}

// ghostBrowseParams and ghostReadParams are the query parameters Ghost
// documents for a browse and a read.
var (
	ghostBrowseParams = []string{"limit", "page", "include", "fields", "formats", "filter", "order"}
	ghostReadParams   = []string{"include", "fields", "formats", "slug"} // Ghost's client repeats the slug as ?slug=
)

// ghostRoutes are the Ghost Content API's routes: browse, read by id and
// read by slug of each resource, and the settings.
func (a *api) ghostRoutes() []route {
	var out []route
	for _, res := range []string{"posts", "pages", "tags", "authors"} {
		base := ghostBase + "/" + res
		out = append(out,
			route{method: "GET", path: base + "/", perm: public, deliver: true, params: ghostBrowseParams, handle: a.ghostBrowse(res)},
			route{method: "GET", path: base + "/slug/:slug/", perm: public, deliver: true, params: ghostReadParams, handle: a.ghostRead(res, "slug")},
			route{method: "GET", path: base + "/:id/", perm: public, deliver: true, params: ghostReadParams, handle: a.ghostRead(res, "id")},
		)
	}
	return append(out, route{method: "GET", path: ghostBase + "/settings/", perm: public, deliver: true, handle: a.ghostSettings})
}

// ghostParams are a request's Ghost parameters, validated.
type ghostParams struct {
	limit, page int // limit 0: all
	include     []string
	fields      []string
	html, plain bool
	filter      *content.Cond
	order       string // a store sort key, or for tags and authors "name", "-count"…
}

// ghostInvalid is Ghost's 422 for a parameter that fails validation.
func ghostInvalid(param, why string) error {
	e := errs.Newf(errs.Validation, "ghost_validation", "Validation (%s) failed for %s", why, param)
	e.Details = []errs.Detail{{Field: param, Message: "Validation (" + why + ") failed for " + param}}
	return e
}

// ghostIncludes are what each resource may include.
var ghostIncludes = map[string][]string{
	"posts": {"tags", "authors"}, "pages": {"tags", "authors"},
	"tags": {"count.posts"}, "authors": {"count.posts"},
}

// ghostOrders are the orders each resource takes: Ghost's field and
// direction → the store's sort key (entries) or a key of ghostSortIndex.
var ghostOrders = map[string]map[string]string{
	"entries": {
		"published_at desc": "-published_at", "published_at asc": "published_at",
		"title asc": "title", "title desc": "-title",
		"updated_at asc": "updated_at", "updated_at desc": "-updated_at",
		"created_at asc": "created_at", "created_at desc": "-created_at",
	},
	"lists": {
		"name asc": "name", "name desc": "-name", "slug asc": "slug", "slug desc": "-slug",
		"count.posts desc": "-count", "count.posts asc": "count",
	},
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func ghostParamsOf(c *fiber.Ctx, res string, browse bool) (ghostParams, error) {
	p := ghostParams{limit: 15, page: 1, html: true}
	args := c.Context().QueryArgs()
	if browse {
		switch l := string(args.Peek("limit")); {
		case l == "" && !args.Has("limit"):
		case l == "all":
			p.limit = 0
		default:
			n, err := strconv.Atoi(l)
			if err != nil || n < 1 {
				return p, ghostInvalid("limit", "matches")
			}
			p.limit = min(n, 100) // Ghost's ceiling
		}
		if args.Has("page") {
			n, err := strconv.Atoi(string(args.Peek("page")))
			if err != nil || n < 1 {
				return p, ghostInvalid("page", "matches")
			}
			p.page = n
		}
	}
	for _, inc := range splitList(string(args.Peek("include"))) {
		if !slices.Contains(ghostIncludes[res], inc) {
			return p, ghostInvalid("include", "AllowedValues")
		}
		p.include = append(p.include, inc)
	}
	p.fields = splitList(string(args.Peek("fields")))
	if args.Has("formats") {
		p.html = false
		for _, f := range splitList(string(args.Peek("formats"))) {
			switch f {
			case "html":
				p.html = true
			case "plaintext":
				p.plain = true
			default:
				return p, ghostInvalid("formats", "AllowedValues")
			}
		}
	}
	if !browse {
		return p, nil
	}
	orders := ghostOrders["entries"]
	if res == "tags" || res == "authors" {
		orders = ghostOrders["lists"]
	}
	if o := strings.Join(strings.Fields(strings.ToLower(string(args.Peek("order")))), " "); o != "" {
		if !strings.Contains(o, " ") {
			o += " asc"
		}
		key, ok := orders[o]
		if !ok {
			return p, ghostInvalid("order", "matches")
		}
		p.order = key
	}
	if f := string(args.Peek("filter")); strings.TrimSpace(f) != "" {
		fields := ghostPostFields
		switch res {
		case "tags":
			fields = ghostTagFields
		case "authors":
			fields = ghostAuthorFields
		}
		cond, err := parseGhostFilter(f, fields)
		if err != nil {
			return p, err
		}
		p.filter = &cond
	}
	return p, nil
}

// ghostNotFound is Ghost's 404 for a resource.
func ghostNotFound(res string) error {
	noun := strings.TrimSuffix(res, "s")
	return errs.New(errs.NotFound, "not_found", strings.ToUpper(noun[:1])+noun[1:]+" not found.")
}

func (a *api) ghostBrowse(res string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := ghostParamsOf(c, res, true)
		if err != nil {
			return err
		}
		switch res {
		case "tags":
			return a.ghostTags(c, p, nil)
		case "authors":
			return a.ghostAuthors(c, p, nil)
		}
		types, where := ghostTypes(res, true, p.filter)
		q := content.Query{Page: p.page, PerPage: p.limit, Sort: p.order, Where: where}
		if q.Sort == "" {
			q.Sort = "-published_at" // pages too: Ghost orders them newest first
		}
		if p.limit == 0 {
			q.Page, q.PerPage = 1, -1
		}
		q.Full = p.html || p.plain
		page, err := a.content.ListPublishedAny(c.UserContext(), types, q, previewing(c))
		if err != nil {
			return err
		}
		items := make([]json.RawMessage, len(page.Items))
		for i, e := range page.Items {
			items[i] = ghostProject(a.ghostEntry(e, p), p.fields)
		}
		return ghostSend(c, res, items, ghostPagination(p, page.Total))
	}
}

// ghostPagination is Ghost's meta.pagination.
func ghostPagination(p ghostParams, total int64) *ghostMetaJSON {
	m := ghostPaginationJSON{Page: p.page, Limit: p.limit, Total: total, Pages: 1}
	if p.limit == 0 {
		m.Limit = "all"
	} else if total > 0 {
		m.Pages = int((total + int64(p.limit) - 1) / int64(p.limit))
	}
	if p.page < m.Pages {
		m.Next = p.page + 1
	}
	if p.page > 1 {
		m.Prev = p.page - 1
	}
	return &ghostMetaJSON{Pagination: m}
}

func ghostSend(c *fiber.Ctx, res string, items []json.RawMessage, meta *ghostMetaJSON) error {
	out := map[string]any{res: items}
	if meta != nil {
		out["meta"] = meta
	}
	return c.JSON(out)
}

func (a *api) ghostRead(res, by string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := ghostParamsOf(c, res, false)
		if err != nil {
			return err
		}
		key := c.Params(by)
		match := content.Cond{Field: by, Op: "=", Values: []string{key}}
		if by == "id" {
			match.Values = []string{strconv.FormatInt(ghostIDValue(key), 10)}
		}
		switch res {
		case "tags":
			return a.ghostTags(c, p, &match)
		case "authors":
			return a.ghostAuthors(c, p, &match)
		}
		types, _ := ghostTypes(res, false, nil)
		// Posts and case studies are both Ghost posts; by slug, a post
		// comes first should a case study have the same slug.
		q := content.Query{Page: 1, PerPage: 2, Sort: "-published_at", Where: &match, Full: true}
		page, err := a.content.ListPublishedAny(c.UserContext(), types, q, previewing(c))
		if err != nil {
			return err
		}
		if len(page.Items) == 0 {
			return ghostNotFound(res)
		}
		e := page.Items[0]
		for _, it := range page.Items {
			if ghostKinds[it.Type].tag == nil {
				e = it
				break
			}
		}
		// A read needs what a list leaves out (pages' paths, resolved media).
		return ghostSend(c, res, []json.RawMessage{ghostProject(a.ghostEntry(e, p), p.fields)}, nil)
	}
}

// ghostProject keeps the asked-for fields of a Ghost object (all without
// any); names Ghost has but Folio lacks are left out, as Ghost leaves out
// unknown ones.
func ghostProject(v any, fields []string) json.RawMessage {
	b, _ := json.Marshal(v)
	if len(fields) == 0 {
		return b
	}
	var all map[string]json.RawMessage
	_ = json.Unmarshal(b, &all)
	var known []string
	for _, f := range fields {
		if _, ok := all[f]; ok && !slices.Contains(known, f) {
			known = append(known, f)
		}
	}
	return project(v, known, false, content.Entry{})
}

// ghostTime is how Ghost writes times: milliseconds and +00:00.
func ghostTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05.000-07:00")
	return &s
}

// ghostUUID is a stable UUID for an entry (Ghost posts have one; Folio
// entries have their id): a name-based (version 5 style) UUID of it.
func ghostUUID(id int64) string {
	h := sha1.Sum([]byte("folio:entry:" + strconv.FormatInt(id, 10)))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (a *api) ghostTagOut(t content.Tag, visibility string, count *int) ghostTagJSON {
	out := ghostTagJSON{ID: ghostID(t.ID), Name: t.Name, Slug: t.Slug, Visibility: visibility}
	if visibility == "public" {
		out.URL = a.cfg.SiteURL + "/tag/" + t.Slug + "/"
	} else {
		out.URL = a.cfg.SiteURL + "/404/"
	}
	if count != nil {
		out.Count = &ghostCountJSON{Posts: *count}
	}
	return out
}

func (a *api) ghostAuthorOut(au content.Author, count *int) ghostAuthorJSON {
	out := ghostAuthorJSON{ID: ghostID(au.ID), Name: au.Name, Slug: au.Slug, URL: a.cfg.SiteURL + "/author/" + au.Slug + "/"}
	if count != nil {
		out.Count = &ghostCountJSON{Posts: *count}
	}
	return out
}

// ghostProfileOut is an author's public profile as a Ghost author: the
// avatar as profile_image, bio and website as given.
func (a *api) ghostProfileOut(au content.AuthorProfile, count *int) ghostAuthorJSON {
	out := a.ghostAuthorOut(content.Author{ID: au.ID, Name: au.Name, Slug: au.Slug}, count)
	out.Bio, out.Website = strOrNil(au.Bio), strOrNil(au.Website)
	if au.Avatar != nil {
		out.ProfileImage = strOrNil(au.Avatar.URL)
	}
	return out
}

// ghostEntry is a post, case study or page as a Ghost post or page.
func (a *api) ghostEntry(e content.Entry, p ghostParams) ghostPostJSON {
	f, kind := e.Fields, ghostKinds[e.Type]
	out := ghostPostJSON{
		ID: ghostID(e.ID), UUID: ghostUUID(e.ID), Title: f.Title, Slug: f.Slug, CommentID: ghostID(e.ID),
		Featured: f.Featured, Visibility: "public",
		CreatedAt: *ghostTime(&e.CreatedAt), UpdatedAt: *ghostTime(&e.UpdatedAt), PublishedAt: ghostTime(e.PublishedAt),
		CustomExcerpt: strOrNil(kind.customExcerpt(f)), Excerpt: e.Excerpt(), ReadingTime: e.Derived.ReadingTime,
		URL:          a.content.Links.URL(e.Type, f.Slug, e.Path),
		CanonicalURL: strOrNil(f.SEO.CanonicalURL), MetaTitle: strOrNil(f.SEO.MetaTitle), MetaDescription: strOrNil(f.SEO.MetaDescription),
		OGImage: strOrNil(f.SEO.OGImage), Access: true,
	}
	if e.Cover != nil {
		out.FeatureImage, out.FeatureImageAlt = strOrNil(e.Cover.URL), strOrNil(e.Cover.Alt)
	}
	if p.html {
		h := e.HTML()
		out.HTML = &h
	}
	if p.plain {
		t := e.Derived.PlainText
		out.Plaintext = &t
	}
	if slices.Contains(p.include, "tags") {
		tags := []ghostTagJSON{}
		if kind.tag != nil {
			tags = append(tags, a.ghostTagOut(*kind.tag, "internal", nil))
		}
		for _, t := range e.Tags {
			tags = append(tags, a.ghostTagOut(t, "public", nil))
		}
		out.Tags = &tags
		var primary *ghostTagJSON
		for i := range tags {
			if tags[i].Visibility == "public" {
				primary = &tags[i]
				break
			}
		}
		out.PrimaryTag = &primary
	}
	if slices.Contains(p.include, "authors") {
		authors := []ghostAuthorJSON{}
		var primary *ghostAuthorJSON
		if e.Author != nil {
			authors = append(authors, a.ghostAuthorOut(*e.Author, nil))
			primary = &authors[0]
		}
		out.Authors, out.PrimaryAuthor = &authors, &primary
	}
	if kind.folio != nil {
		out.Folio = kind.folio(a, e)
	}
	return out
}

// ghostTags lists (or, with match, reads) the tags on live posts.
func (a *api) ghostTags(c *fiber.Ctx, p ghostParams, match *content.Cond) error {
	tags, err := a.content.Tags(c.UserContext(), previewing(c))
	if err != nil {
		return err
	}
	type rec struct {
		tag        content.TagCount
		visibility string
		count      int
	}
	recs := make([]rec, 0, len(tags)+1)
	for _, t := range tags {
		recs = append(recs, rec{t, "public", t.PostCount})
	}
	cond := p.filter
	if match != nil {
		cond = match
	}
	var kept []rec
	for _, r := range recs {
		get := func(f string) string {
			switch f {
			case "slug":
				return r.tag.Slug
			case "name":
				return r.tag.Name
			case "id":
				return strconv.FormatInt(r.tag.ID, 10)
			case "visibility":
				return r.visibility
			}
			return ""
		}
		if cond == nil || condMatches(*cond, get) {
			kept = append(kept, r)
		}
	}
	if match == nil {
		sortList(kept, p.order, func(r rec) (string, string, int) { return r.tag.Name, r.tag.Slug, r.count })
	}
	counted := slices.Contains(p.include, "count.posts")
	items := make([]json.RawMessage, 0, len(kept))
	for _, r := range kept {
		var n *int
		if counted {
			n = &r.count
		}
		out := a.ghostTagOut(r.tag.Tag, r.visibility, n)
		out.Description = strOrNil(r.tag.Description)
		items = append(items, ghostProject(out, p.fields))
	}
	return a.ghostListOrRead(c, "tags", p, items, match != nil)
}

func (a *api) ghostAuthors(c *fiber.Ctx, p ghostParams, match *content.Cond) error {
	authors, err := a.content.Authors(c.UserContext())
	if err != nil {
		return err
	}
	cond := p.filter
	if match != nil {
		cond = match
	}
	var kept []content.AuthorProfile
	for _, au := range authors {
		get := func(f string) string {
			switch f {
			case "slug":
				return au.Slug
			case "id":
				return strconv.FormatInt(au.ID, 10)
			}
			return ""
		}
		if cond == nil || condMatches(*cond, get) {
			kept = append(kept, au)
		}
	}
	if match == nil {
		sortList(kept, p.order, func(r content.AuthorProfile) (string, string, int) { return r.Name, r.Slug, r.PostCount })
	}
	counted := slices.Contains(p.include, "count.posts")
	items := make([]json.RawMessage, 0, len(kept))
	for _, au := range kept {
		var n *int
		if counted {
			n = &au.PostCount
		}
		items = append(items, ghostProject(a.ghostProfileOut(au, n), p.fields))
	}
	return a.ghostListOrRead(c, "authors", p, items, match != nil)
}

// ghostListOrRead answers one page of items, or for a read the one item.
func (a *api) ghostListOrRead(c *fiber.Ctx, res string, p ghostParams, items []json.RawMessage, read bool) error {
	if read {
		if len(items) == 0 {
			return ghostNotFound(res)
		}
		return ghostSend(c, res, items[:1], nil)
	}
	total := int64(len(items))
	if p.limit > 0 {
		from := min((p.page-1)*p.limit, len(items))
		items = items[from:min(from+p.limit, len(items))]
	} else if p.page > 1 {
		items = items[:0]
	}
	return ghostSend(c, res, items, ghostPagination(p, total))
}

// sortList orders tags or authors by name (the default), slug or count.
func sortList[T any](list []T, order string, key func(T) (name, slug string, count int)) {
	desc := strings.HasPrefix(order, "-")
	by := strings.TrimPrefix(order, "-")
	sort.SliceStable(list, func(i, j int) bool {
		ni, si, ci := key(list[i])
		nj, sj, cj := key(list[j])
		var less, eq bool
		switch by {
		case "slug":
			less, eq = si < sj, si == sj
		case "count":
			less, eq = ci < cj, ci == cj
		default:
			li, lj := strings.ToLower(ni), strings.ToLower(nj)
			less, eq = li < lj, li == lj
		}
		if eq {
			return si < sj
		}
		return less != desc
	})
}

// ghostSettings answers the site settings (title, description, logo,
// icon, navigation, language) as Ghost's; Folio keeps times in UTC.
func (a *api) ghostSettings(c *fiber.Ctx) error {
	site, err := a.content.Site(c.UserContext())
	if err != nil {
		return err
	}
	s := ghostSettingsJSON{
		Title: site.Title, Description: strOrNil(site.Description), Lang: site.Language, Locale: site.Language, Timezone: "Etc/UTC",
		Navigation: []ghostNavJSON{}, SecondaryNavigation: []ghostNavJSON{}, URL: a.cfg.SiteURL + "/",
	}
	if s.Title == "" {
		s.Title = a.cfg.SiteName()
	}
	if s.Lang == "" {
		s.Lang, s.Locale = "en", "en"
	}
	if site.Logo != nil {
		s.Logo = strOrNil(site.Logo.URL)
	}
	if site.Icon != nil {
		s.Icon = strOrNil(site.Icon.URL)
	}
	for _, n := range site.Navigation {
		s.Navigation = append(s.Navigation, ghostNavJSON{Label: n.Label, URL: n.URL})
	}
	for _, l := range site.Social {
		switch l.Network {
		case "facebook":
			s.Facebook = strOrNil(l.URL)
		case "twitter", "x":
			s.Twitter = strOrNil(l.URL)
		}
	}
	return c.JSON(ghostSettingsAnswer{Settings: s, Meta: struct{}{}})
}
