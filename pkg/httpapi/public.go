package httpapi

import (
	"cmp"
	"encoding/json"
	"encoding/xml"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
)

// The public delivery API: published content for frontends.

// publicSorts are the orders a public list accepts.
var publicSorts = []string{"-published_at", "published_at", "title", "-title", "updated_at", "-updated_at"}

// publicQuery reads a public list's parameters: paging, sort, featured,
// the publication window, the type's own filters and fields. A bad value is
// a 400 naming the parameter.
func publicQuery(c *fiber.Ctx, x entryAPI) (content.Query, []string, error) {
	q, err := pageQuery(c)
	if err != nil {
		return q, nil, err
	}
	if q.Sort, err = queryEnum(c, "sort", append(x.sorts, publicSorts...)...); err != nil {
		return q, nil, err
	}
	if q.Sort == "" {
		q.Sort = x.defaultSort
	}
	switch f, err := queryEnum(c, "featured", "true", "false"); {
	case err != nil:
		return q, nil, err
	case f != "":
		q.Featured = new(bool)
		*q.Featured = f == "true"
	}
	for name, dst := range map[string]**time.Time{"published_after": &q.After, "published_before": &q.Before, "updated_after": &q.ChangedAfter} {
		s, given, err := queryValue(c, name)
		if err != nil {
			return q, nil, err
		}
		if given {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return q, nil, badParam(name, "must be an RFC 3339 time such as 2026-05-01T00:00:00Z")
			}
			*dst = &t
		}
	}
	if err := x.filters(c, &q); err != nil {
		return q, nil, err
	}
	fields, err := queryList(c, "fields", x.itemFields...)
	q.Full = slices.ContainsFunc(fields, func(f string) bool { return !slices.Contains(x.listFields, f) })
	return q, fields, err
}

func (a *api) publicList(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, fields, err := publicQuery(c, x)
		if err != nil {
			return err
		}
		page, err := a.content.ListPublished(c.UserContext(), x.typ, q, previewing(c))
		if err != nil {
			return err
		}
		preview := previewing(c)
		items := make([]any, len(page.Items))
		for i, e := range page.Items {
			switch {
			case len(fields) > 0: // any field of the full item, html and all: stored rendered, so no extra work
				items[i] = project(x.publicFull(e), fields, preview, e)
			case preview:
				items[i] = withPreviewState(x.publicItem(e), e)
			default:
				items[i] = x.publicItem(e)
			}
		}
		return c.JSON(listJSON{Data: items, Meta: pageMeta(page)})
	}
}

func (a *api) publicGet(x entryAPI) fiber.Handler {
	return func(c *fiber.Ctx) error {
		e, err := a.content.Published(c.UserContext(), x.typ, c.Params("slug"), previewing(c))
		var moved *content.Moved
		if errors.As(err, &moved) {
			return movedTo(c, x.publicPath+"/"+moved.Slug, moved.Slug)
		}
		if err != nil {
			return err
		}
		if previewing(c) {
			return c.JSON(itemJSON{Data: withPreviewState(x.publicFull(e), e)})
		}
		return c.JSON(itemJSON{Data: x.publicFull(e)})
	}
}

// related lists published posts like the one at :slug.
func (a *api) related(c *fiber.Ctx) error {
	limit, err := intParam(c, "limit", 3, 1, 20)
	if err != nil {
		return err
	}
	posts, err := a.content.Related(c.UserContext(), c.Params("slug"), limit, previewing(c))
	var moved *content.Moved
	if errors.As(err, &moved) {
		return movedTo(c, a.posts.publicPath+"/"+moved.Slug+"/related", moved.Slug)
	}
	if err != nil {
		return err
	}
	if previewing(c) {
		return c.JSON(itemJSON{Data: mapItems(posts, func(e content.Entry) any { return withPreviewState(a.posts.publicItem(e), e) })})
	}
	return c.JSON(itemJSON{Data: mapItems(posts, a.posts.publicItem)})
}

// tags lists the tags with their published posts (public), or with their
// posts of any status (admin, for autocomplete).
func (a *api) tags(c *fiber.Ctx) error {
	var tags []content.TagCount
	var err error
	if strings.HasPrefix(c.Path(), "/api/v1/admin/") {
		tags, err = a.content.AllTags(c.UserContext(), principal(c))
	} else {
		tags, err = a.content.Tags(c.UserContext(), previewing(c))
	}
	if err != nil {
		return err
	}
	out := make([]tagCountJSON, len(tags))
	for i, t := range tags {
		out[i] = tagCountOut(t)
	}
	return c.JSON(itemJSON{Data: out})
}

// tag answers with one public tag (on a published post) and its count.
func (a *api) tag(c *fiber.Ctx) error {
	t, err := a.content.Tag(c.UserContext(), strings.ToLower(c.Params("slug")), previewing(c))
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: tagCountOut(t)})
}

// authorProfileJSON is an author as the public sees them.
type authorProfileJSON struct {
	Slug      string       `json:"slug"`
	Name      string       `json:"name"`
	Bio       *string      `json:"bio"`
	Avatar    *pictureJSON `json:"avatar"`
	Website   *string      `json:"website"`
	PostCount int          `json:"post_count"`
}

func authorProfileOut(p content.AuthorProfile) authorProfileJSON {
	return authorProfileJSON{Slug: p.Slug, Name: p.Name, Bio: nonEmpty(p.Bio), Avatar: pictureOut(p.Avatar), Website: nonEmpty(p.Website), PostCount: p.PostCount}
}

// authors lists the authors of published posts.
func (a *api) authors(c *fiber.Ctx) error {
	as, err := a.content.Authors(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]authorProfileJSON, len(as))
	for i, p := range as {
		out[i] = authorProfileOut(p)
	}
	return c.JSON(itemJSON{Data: out})
}

// author answers with one author of published posts.
func (a *api) author(c *fiber.Ctx) error {
	p, err := a.content.Author(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: authorProfileOut(p)})
}

// tagPatchJSON is a change to a tag: its description (null or "" removes it).
type tagPatchJSON struct {
	Description *string `json:"description" nullable:"true"`
}

// updateTag sets a tag's description (editors, admins).
func (a *api) updateTag(c *fiber.Ctx) error {
	var body tagPatchJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	var present map[string]json.RawMessage
	if err := json.Unmarshal(c.Locals(keyBody).([]byte), &present); err != nil {
		return jsonError(err)
	}
	if _, ok := present["description"]; !ok {
		return errs.Validationf("description", "is required (null removes it)")
	}
	var desc string
	if body.Description != nil {
		desc = *body.Description
	}
	t, err := a.content.UpdateTag(c.UserContext(), principal(c), c.Params("slug"), desc)
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: tagCountOut(t)})
}

// search finds published posts and case studies.
func (a *api) search(c *fiber.Ctx) error {
	q, err := pageQuery(c)
	if err != nil {
		return err
	}
	text, err := queryText(c, "q")
	if err != nil {
		return err
	}
	if text == "" {
		return badParam("q", "must not be empty")
	}
	if len(text) > 200 {
		return badParam("q", "must be at most 200 characters")
	}
	var types []content.Type
	t, err := queryEnum(c, "type", content.TypeNames()...)
	if err != nil {
		return err
	}
	if t != "" {
		types = []content.Type{content.Type(t)}
	}
	page, err := a.content.Search(c.UserContext(), text, types, q.Page, q.PerPage)
	if err != nil {
		return err
	}
	out := make([]searchHitJSON, len(page.Items))
	for i, h := range page.Items {
		out[i] = searchHitJSON{Type: h.Type, Slug: h.Slug, URL: h.URL, Title: h.Title, Excerpt: h.Excerpt, PublishedAt: utc(h.PublishedAt), Snippet: h.Snippet}
	}
	return c.JSON(searchListJSON{Data: out, Meta: searchMetaJSON{metaJSON: pageMeta(page.Page), TotalCapped: page.Capped}})
}

// siteURL is an entry's address on the public site.
func (a *api) siteURL(t content.Type, slug string) string {
	return a.content.Links.URL(t, slug, "")
}

// sitemap lists every published address, for static builds and sitemaps.
func (a *api) sitemap(c *fiber.Ctx) error {
	entries, err := a.content.Sitemap(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]sitemapJSON, len(entries))
	for i, e := range entries {
		out[i] = sitemapJSON{Type: e.Type, Slug: e.Slug, URL: a.content.Links.URL(e.Type, e.Slug, e.Path), PublishedAt: e.PublishedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
	}
	return c.JSON(itemJSON{Data: out})
}

// redirects lists the old addresses of published entries and where each
// is now, for a static site's redirect rules.
func (a *api) redirects(c *fiber.Ctx) error {
	rs, err := a.content.Redirects(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]redirectJSON, len(rs))
	for i, r := range rs {
		out[i] = redirectJSON{From: r.From, To: r.To, Status: fiber.StatusMovedPermanently, Type: r.Type}
	}
	return c.JSON(itemJSON{Data: out})
}

// feedSize is how many posts the feeds carry.
const feedSize = 20

// feed is what both feeds of one type hold.
type feed struct {
	typ   content.Type
	title string
	id    string // the Atom feed's permanent id
	self  string // the feed's own address
	home  string // the site
	site  content.Site
	// author names the feeds' own author, which every entry falls back to
	// when its author's user was deleted: RFC 4287 §4.1.1 wants an author
	// on each Atom entry (or on the feed), and readers show one. It is the
	// site's title, or the host name of FOLIO_SITE_URL.
	author  string
	entries []content.Entry
}

// pictureURL is a resolved picture's address; "" for none.
func pictureURL(p *content.Picture) string {
	if p == nil {
		return ""
	}
	return p.URL
}

// feedOf reads a feed's ?type= (posts by default, or case studies) and
// returns its latest entries, its title and its own address: folio's,
// unless FOLIO_FEED_URL or FOLIO_JSON_FEED_URL says where the site serves
// the feed of posts.
func (a *api) feedOf(c *fiber.Ctx, ext, siteAddress string) (feed, error) {
	typ, err := queryEnum(c, "type", string(content.Post), string(content.CaseStudy))
	if err != nil {
		return feed{}, err
	}
	site, err := a.content.Site(c.UserContext())
	if err != nil {
		return feed{}, err
	}
	f := feed{typ: content.Post, title: cmp.Or(site.Title, a.cfg.SiteName()), self: a.cfg.PublicURL + "/api/v1/feed." + ext, home: a.cfg.SiteURL + "/", site: site}
	f.author = f.title
	if typ != "" {
		f.typ = content.Type(typ)
		f.self += "?type=" + typ
	}
	if typ == "" && siteAddress != "" {
		f.self = siteAddress
	}
	f.id = f.home // the posts' feed has always had the site as its id
	if f.typ != content.Post {
		f.title += ": " + content.SpecOf(f.typ).Plural
		f.id = a.cfg.PublicURL + "/api/v1/feed.xml?type=" + typ
	}
	f.entries, err = a.content.Latest(c.UserContext(), f.typ, feedSize)
	return f, err
}

// feedJSON answers with a JSON Feed 1.1 of the latest posts (or, with
// ?type=case_study, case studies).
func (a *api) feedJSON(c *fiber.Ctx) error {
	fd, err := a.feedOf(c, "json", a.cfg.JSONFeedURL)
	if err != nil {
		return err
	}
	site := []jsonFeedAuthor{{Name: fd.author}}
	f := jsonFeed{
		Version: "https://jsonfeed.org/version/1.1", Title: fd.title, HomePageURL: fd.home,
		FeedURL: fd.self, Description: fd.site.Description, Language: fd.site.Language,
		Icon: pictureURL(fd.site.Icon), Favicon: pictureURL(fd.site.Icon),
		Authors: site, Items: []jsonFeedItem{},
	}
	for _, p := range fd.entries {
		url := a.siteURL(fd.typ, p.Fields.Slug)
		item := jsonFeedItem{
			ID: url, URL: url, Title: p.Fields.Title,
			ContentHTML: p.HTML(), Summary: p.Excerpt(), DatePublished: p.PublishedAt.UTC(), DateModified: p.UpdatedAt.UTC(),
			Tags: []string{},
		}
		if p.Fields.CoverImage != nil {
			item.Image = p.Fields.CoverImage.URL
		}
		item.Authors = site
		if p.Author != nil {
			item.Authors = []jsonFeedAuthor{{Name: p.Author.Name}}
		}
		for _, t := range p.Tags {
			item.Tags = append(item.Tags, t.Name)
		}
		f.Items = append(f.Items, item)
	}
	c.Set(fiber.HeaderContentType, "application/feed+json; charset=utf-8")
	body, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return c.Send(body)
}

// feedXML answers with an Atom 1.0 feed of the latest posts (or, with
// ?type=case_study, case studies).
func (a *api) feedXML(c *fiber.Ctx) error {
	fd, err := a.feedOf(c, "xml", a.cfg.FeedURL)
	if err != nil {
		return err
	}
	f := atomFeed{
		XMLNS: "http://www.w3.org/2005/Atom", Lang: fd.site.Language, ID: fd.id, Title: fd.title, Subtitle: fd.site.Description,
		Icon: pictureURL(fd.site.Icon), Logo: pictureURL(fd.site.Logo), Author: atomAuthor{Name: fd.author},
		Links:   []atomLink{{Rel: "alternate", Href: fd.home}, {Rel: "self", Href: fd.self}},
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
	}
	for i, p := range fd.entries {
		if i == 0 {
			f.Updated = p.UpdatedAt.UTC().Format(time.RFC3339)
		}
		if u := p.UpdatedAt.UTC().Format(time.RFC3339); u > f.Updated {
			f.Updated = u
		}
		url := a.siteURL(fd.typ, p.Fields.Slug)
		e := atomEntry{
			ID: url, Title: p.Fields.Title, Links: []atomLink{{Rel: "alternate", Href: url}},
			Published: p.PublishedAt.UTC().Format(time.RFC3339), Updated: p.UpdatedAt.UTC().Format(time.RFC3339),
			Summary: atomText{Type: "text", Body: p.Excerpt()}, Content: atomText{Type: "html", Body: p.HTML()},
		}
		if p.Author != nil {
			e.Author.Name = p.Author.Name
		} else {
			e.Author = f.Author
		}
		for _, t := range p.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t.Slug, Label: t.Name})
		}
		f.Entries = append(f.Entries, e)
	}
	body, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), body...))
}

// jsonFields lists the JSON names of a struct's top-level fields, embedded
// structs included.
func jsonFields(v any) []string {
	var out []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
				out = append(out, name)
			}
		}
	}
	walk(reflect.TypeOf(v))
	return out
}

// project keeps only the named top-level fields of an item, in the order
// asked for; a preview's item (e's) also keeps its preview state. Each field
// is encoded on its own, found by its JSON name (embedded structs too), so
// a list of 100 with their html encodes each html once.
func project(item any, fields []string, preview bool, e content.Entry) json.RawMessage {
	v := reflect.ValueOf(item)
	index := fieldIndex(v.Type())
	out := []byte{'{'}
	for i, f := range fields {
		if i > 0 {
			out = append(out, ',')
		}
		k, _ := json.Marshal(f)
		b, _ := json.Marshal(v.FieldByIndex(index[f]).Interface())
		out = append(append(append(out, k...), ':'), b...)
	}
	out = append(out, '}')
	if preview {
		return withPreviewState(json.RawMessage(out), e)
	}
	return out
}

// fieldIndexes caches fieldIndex per type.
var fieldIndexes sync.Map // reflect.Type → map[string][]int

// fieldIndex maps the JSON names of a struct's top-level fields (embedded
// structs' included) to their index paths.
func fieldIndex(t reflect.Type) map[string][]int {
	if m, ok := fieldIndexes.Load(t); ok {
		return m.(map[string][]int)
	}
	m := map[string][]int{}
	var walk func(t reflect.Type, at []int)
	walk = func(t reflect.Type, at []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			path := append(slices.Clone(at), i)
			if f.Anonymous {
				walk(f.Type, path)
				continue
			}
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
				if _, seen := m[name]; !seen { // the outer field wins, as encoding/json decides
					m[name] = path
				}
			}
		}
	}
	walk(t, nil)
	fieldIndexes.Store(t, m)
	return m
}

// previewStateJSON is what a preview answer adds to each item: where the
// entry stands in the workflow, which the published answers never say.
type previewStateJSON struct {
	Status content.Status `json:"status"`
	// HasUnpublishedChanges: the preview shows a live entry's working copy,
	// which differs from what the public sees.
	HasUnpublishedChanges bool `json:"has_unpublished_changes"`
}

func previewStateOut(e content.Entry) previewStateJSON {
	return previewStateJSON{Status: e.Status, HasUnpublishedChanges: e.HasUnpublishedChanges}
}

// withPreviewState adds e's preview state after an item's own fields.
func withPreviewState(item any, e content.Entry) json.RawMessage {
	b, _ := json.Marshal(item)
	st, _ := json.Marshal(previewStateOut(e))
	if len(b) < 2 || b[len(b)-1] != '}' || len(st) < 2 {
		return b
	}
	if len(b) > 2 {
		b[len(b)-1] = ','
	} else {
		b = b[:len(b)-1]
	}
	return append(b, st[1:]...)
}

// movedTo answers a request for an old slug with a 301 to path (keeping
// the query) and a body that names the new slug.
func movedTo(c *fiber.Ctx, path, slug string) error {
	if q := string(c.Request().URI().QueryString()); q != "" {
		path += "?" + q
	}
	c.Location(path)
	return c.Status(fiber.StatusMovedPermanently).JSON(itemJSON{Data: movedJSON{Slug: slug, Location: path}})
}

// facets counts the values of the case-study filters over the published
// case studies.
func (a *api) facets(c *fiber.Ctx) error {
	f, err := a.content.Facets(c.UserContext())
	if err != nil {
		return err
	}
	conv := func(in []content.Facet) []facetJSON {
		out := make([]facetJSON, len(in))
		for i, v := range in {
			out[i] = facetJSON{Name: v.Name, Count: v.Count}
		}
		return out
	}
	return c.JSON(itemJSON{Data: facetsJSON{Industries: conv(f.Industries), Technologies: conv(f.Technologies), Services: conv(f.Services)}})
}
