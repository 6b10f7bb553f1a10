package httpapi

import (
	"encoding/json"
	"encoding/xml"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/markdown"
)

// The JSON types of the API live here, and only these are serialised: a
// database or domain field can never leak, and a client can never set a
// field that is not declared in a request type (decoding is strict).

// imageJSON is an image as an editor sets it: an item of the media library
// (media_id) or an external url, with alt text.
type imageJSON struct {
	URL     string `json:"url,omitempty"`
	Alt     string `json:"alt"`
	MediaID int64  `json:"media_id,omitempty"`
}

// pictureJSON is an image as a frontend shows it: its URL, the alt text
// that applies and, for a media item, its size and smaller copies for srcset.
type pictureJSON struct {
	URL      string        `json:"url"`
	Alt      string        `json:"alt"`
	Width    *int          `json:"width"`
	Height   *int          `json:"height"`
	Variants []variantJSON `json:"variants"`
	MediaID  *int64        `json:"media_id"`
}

type variantJSON struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	URL    string `json:"url"`
}

func pictureOut(p *content.Picture) *pictureJSON {
	if p == nil {
		return nil
	}
	out := &pictureJSON{URL: p.URL, Alt: p.Alt, Variants: variantsOut(p.Variants)}
	if p.Width > 0 {
		out.Width, out.Height = &p.Width, &p.Height
	}
	if p.MediaID != 0 {
		out.MediaID = &p.MediaID
	}
	return out
}

func variantsOut(vs []content.Variant) []variantJSON {
	out := make([]variantJSON, len(vs))
	for i, v := range vs {
		out[i] = variantJSON(v)
	}
	return out
}

type seoJSON struct {
	MetaTitle       string `json:"meta_title"`
	MetaDescription string `json:"meta_description"`
	CanonicalURL    string `json:"canonical_url"`
	OGImage         string `json:"og_image"`
}

type tagJSON struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type authorJSON struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// adminAuthorJSON adds what editors need to know about an author.
type adminAuthorJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Slug  string `json:"slug"`
	Email string `json:"email"`
}

type metricJSON struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

type testimonialJSON struct {
	Quote  string `json:"quote"`
	Author string `json:"author"`
	Role   string `json:"role"`
}

type metaJSON struct {
	Page       int   `json:"page"`
	PerPage    int   `json:"per_page"`
	Total      int64 `json:"total"`
	TotalPages int   `json:"total_pages"`
	Next       *int  `json:"next"` // the next page's number, or null on the last
	Prev       *int  `json:"prev"` // the previous page's number, or null on the first
}

type listJSON struct {
	Data any      `json:"data"`
	Meta metaJSON `json:"meta"`
}

type itemJSON struct {
	Data any `json:"data"`
}

func pageMeta[T any](p content.Page[T]) metaJSON {
	m := metaJSON{Page: p.Page, PerPage: p.PerPage, Total: p.Total, TotalPages: p.TotalPages()}
	if p.Page < m.TotalPages {
		n := p.Page + 1
		m.Next = &n
	}
	if p.Page > 1 {
		n := min(p.Page-1, max(m.TotalPages, 1))
		m.Prev = &n
	}
	return m
}

type searchHitJSON struct {
	Type        content.Type `json:"type"`
	Slug        string       `json:"slug"`
	Title       string       `json:"title"`
	Excerpt     string       `json:"excerpt"`
	PublishedAt *time.Time   `json:"published_at"`
	Snippet     string       `json:"snippet"`
}

type sitemapJSON struct {
	Type        content.Type `json:"type"`
	Slug        string       `json:"slug"`
	URL         string       `json:"url"`
	PublishedAt time.Time    `json:"published_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	ContentHTML   string           `json:"content_html"`
	Summary       string           `json:"summary,omitempty"`
	Image         string           `json:"image,omitempty"`
	DatePublished time.Time        `json:"date_published"`
	DateModified  time.Time        `json:"date_modified"`
	Authors       []jsonFeedAuthor `json:"authors,omitempty"`
	Tags          []string         `json:"tags"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
}

// Atom 1.0 (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	XMLNS   string      `xml:"xmlns,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     *atomAuthor    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// ---- requests ----

// postWriteJSON is the body of POST and PUT for posts: the editable fields,
// and the version a PUT is based on (refused by POST).
type postWriteJSON struct {
	Slug       string     `json:"slug"`
	Title      string     `json:"title"`
	Excerpt    string     `json:"excerpt"`
	Body       string     `json:"body"`
	Tags       []string   `json:"tags"`
	CoverImage *imageJSON `json:"cover_image"`
	SEO        *seoJSON   `json:"seo"`
	Featured   bool       `json:"featured"`
	AuthorID   *int64     `json:"author_id"`
	Version    *int       `json:"version,omitempty"`
}

func (p postWriteJSON) input() content.Input {
	return content.Input{AuthorID: p.AuthorID, Fields: content.Fields{
		Slug: p.Slug, Title: p.Title, Excerpt: p.Excerpt, Body: p.Body, Tags: p.Tags,
		CoverImage: imageIn(p.CoverImage), SEO: seoIn(p.SEO), Featured: p.Featured,
	}}
}

// caseStudyWriteJSON is the body of POST and PUT for case studies.
type caseStudyWriteJSON struct {
	Slug         string           `json:"slug"`
	Title        string           `json:"title"`
	Client       string           `json:"client"`
	Industry     string           `json:"industry"`
	Services     []string         `json:"services"`
	Technologies []string         `json:"technologies"`
	Summary      string           `json:"summary"`
	Challenge    string           `json:"challenge"`
	Solution     string           `json:"solution"`
	Results      string           `json:"results"`
	Metrics      []metricJSON     `json:"metrics"`
	Testimonial  *testimonialJSON `json:"testimonial"`
	CoverImage   *imageJSON       `json:"cover_image"`
	Logo         *imageJSON       `json:"logo"`
	SEO          *seoJSON         `json:"seo"`
	Featured     bool             `json:"featured"`
	Version      *int             `json:"version,omitempty"`
}

func (p caseStudyWriteJSON) input() content.Input {
	f := content.Fields{
		Slug: p.Slug, Title: p.Title, Client: p.Client, Industry: p.Industry,
		Services: p.Services, Technologies: p.Technologies, Summary: p.Summary,
		Challenge: p.Challenge, Solution: p.Solution, Results: p.Results,
		CoverImage: imageIn(p.CoverImage), Logo: imageIn(p.Logo), SEO: seoIn(p.SEO), Featured: p.Featured,
	}
	for _, m := range p.Metrics {
		f.Metrics = append(f.Metrics, content.Metric(m))
	}
	if p.Testimonial != nil {
		t := content.Testimonial(*p.Testimonial)
		f.Testimonial = &t
	}
	return content.Input{Fields: f}
}

func imageIn(i *imageJSON) *content.Image {
	if i == nil {
		return nil
	}
	return &content.Image{URL: i.URL, Alt: i.Alt, MediaID: i.MediaID}
}

func seoIn(s *seoJSON) content.SEO {
	if s == nil {
		return content.SEO{}
	}
	return content.SEO(*s)
}

// postFieldsOut shows a post's editable fields in the shape of its write body.
func postFieldsOut(f content.Fields, authorID *int64) postWriteJSON {
	seo := seoJSON(f.SEO)
	return postWriteJSON{
		Slug: f.Slug, Title: f.Title, Excerpt: f.Excerpt, Body: f.Body, Tags: nonNil(f.Tags),
		CoverImage: imageOut(f.CoverImage), SEO: &seo, Featured: f.Featured, AuthorID: authorID,
	}
}

// caseStudyFieldsOut shows a case study's editable fields in the shape of
// its write body.
func caseStudyFieldsOut(f content.Fields) caseStudyWriteJSON {
	seo := seoJSON(f.SEO)
	out := caseStudyWriteJSON{
		Slug: f.Slug, Title: f.Title, Client: f.Client, Industry: f.Industry,
		Services: nonNil(f.Services), Technologies: nonNil(f.Technologies), Summary: f.Summary,
		Challenge: f.Challenge, Solution: f.Solution, Results: f.Results, Metrics: []metricJSON{},
		Testimonial: testimonialOut(f.Testimonial), CoverImage: imageOut(f.CoverImage), Logo: imageOut(f.Logo),
		SEO: &seo, Featured: f.Featured,
	}
	for _, m := range f.Metrics {
		out.Metrics = append(out.Metrics, metricJSON(m))
	}
	return out
}

type scheduleJSON struct {
	PublishAt *string `json:"publish_at"`
}

// movedJSON is the body of a 301 for an old slug.
type movedJSON struct {
	Slug     string `json:"slug"`
	Location string `json:"location"`
}

type revisionAuthorJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type revisionJSON struct {
	ID        int64               `json:"id"`
	Version   int                 `json:"version"`
	Kind      string              `json:"kind"`
	Summary   string              `json:"summary"`
	Changed   []string            `json:"changed"`
	Author    *revisionAuthorJSON `json:"author"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
}

type snapshotJSON struct {
	Status      content.Status `json:"status"`
	PublishedAt *time.Time     `json:"published_at"`
	Fields      any            `json:"fields"`
}

type fullRevisionJSON struct {
	revisionJSON
	Snapshot snapshotJSON `json:"snapshot"`
}

func revisionOut(r content.Revision) revisionJSON {
	out := revisionJSON{ID: r.ID, Version: r.Version, Kind: r.Kind, Summary: r.Summary(), Changed: r.Changed,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.Author != nil {
		out.Author = &revisionAuthorJSON{ID: r.Author.ID, Name: r.Author.Name}
	}
	return out
}

// entrySummaryJSON is a post or a case study in a list of both (the
// scheduled list, the trash).
type entrySummaryJSON struct {
	Type        content.Type        `json:"type"`
	ID          int64               `json:"id"`
	Slug        string              `json:"slug"`
	Title       string              `json:"title"`
	Status      content.Status      `json:"status"`
	PublishedAt *time.Time          `json:"published_at"`
	TrashedAt   *time.Time          `json:"trashed_at"`
	UpdatedAt   time.Time           `json:"updated_at"`
	Version     int                 `json:"version"`
	Author      *revisionAuthorJSON `json:"author"`
}

func entrySummaryOut(e content.Entry) entrySummaryJSON {
	out := entrySummaryJSON{Type: e.Type, ID: e.ID, Slug: e.Fields.Slug, Title: e.Fields.Title, Status: e.Status,
		PublishedAt: utc(e.PublishedAt), TrashedAt: utc(e.TrashedAt), UpdatedAt: e.UpdatedAt.UTC(), Version: e.Version}
	if e.Author != nil {
		out.Author = &revisionAuthorJSON{ID: e.Author.ID, Name: e.Author.Name}
	}
	return out
}

func updatedByOut(a *content.Author) *revisionAuthorJSON {
	if a == nil {
		return nil
	}
	return &revisionAuthorJSON{ID: a.ID, Name: a.Name}
}

type publishJSON struct {
	PublishedAt *string `json:"published_at"` // parsed by parseTime, to name the field when it is bad
}

type previewJSON struct {
	Markdown string `json:"markdown"`
}

type loginJSON struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// ---- responses ----

func imageOut(i *content.Image) *imageJSON {
	if i == nil {
		return nil
	}
	return &imageJSON{URL: i.URL, Alt: i.Alt, MediaID: i.MediaID}
}

func tagsOut(tags []content.Tag) []tagJSON {
	out := make([]tagJSON, len(tags))
	for i, t := range tags {
		out[i] = tagJSON(t)
	}
	return out
}

func authorOut(a *content.Author) *authorJSON {
	if a == nil {
		return nil
	}
	return &authorJSON{Name: a.Name, Slug: a.Slug}
}

func adminAuthorOut(a *content.Author) *adminAuthorJSON {
	if a == nil {
		return nil
	}
	return &adminAuthorJSON{ID: a.ID, Name: a.Name, Slug: a.Slug, Email: a.Email}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// postItemJSON is a post in a public list.
type postItemJSON struct {
	ID                 int64        `json:"id"`
	Slug               string       `json:"slug"`
	Title              string       `json:"title"`
	Excerpt            string       `json:"excerpt"`
	CoverImage         *pictureJSON `json:"cover_image"`
	Tags               []tagJSON    `json:"tags"`
	Author             *authorJSON  `json:"author"`
	ReadingTimeMinutes int          `json:"reading_time_minutes"`
	PublishedAt        *time.Time   `json:"published_at"`
	Featured           bool         `json:"featured"`
}

// postJSON is one published post.
type postJSON struct {
	postItemJSON
	HTML      string             `json:"html"`
	TOC       []markdown.Heading `json:"toc"`
	SEO       seoJSON            `json:"seo"`
	WordCount int                `json:"word_count"`
	UpdatedAt time.Time          `json:"updated_at"`
}

func postItemOut(e content.Entry) postItemJSON {
	return postItemJSON{
		ID: e.ID, Slug: e.Fields.Slug, Title: e.Fields.Title, Excerpt: e.Excerpt(), CoverImage: pictureOut(e.Cover),
		Tags: tagsOut(e.Tags), Author: authorOut(e.Author), ReadingTimeMinutes: e.Derived.ReadingTime,
		PublishedAt: utc(e.PublishedAt), Featured: e.Fields.Featured,
	}
}

func postOut(e content.Entry) postJSON {
	return postJSON{
		postItemJSON: postItemOut(e), HTML: e.Derived.HTML, TOC: e.Derived.TOC, SEO: seoJSON(e.Fields.SEO),
		WordCount: e.Derived.WordCount, UpdatedAt: e.UpdatedAt.UTC(),
	}
}

// adminPostItemJSON is a post in an admin list: any status.
type adminPostItemJSON struct {
	ID                 int64        `json:"id"`
	Slug               string       `json:"slug"`
	Title              string       `json:"title"`
	Excerpt            string       `json:"excerpt"`
	CoverImage         *pictureJSON `json:"cover_image"`
	Tags               []tagJSON    `json:"tags"`
	Featured           bool         `json:"featured"`
	ReadingTimeMinutes int          `json:"reading_time_minutes"`
	PublishedAt        *time.Time   `json:"published_at"`
	adminMetaJSON
}

// adminMetaJSON is what the admin API adds to every entry, post or case
// study: its workflow state and who changed it when.
type adminMetaJSON struct {
	Status    content.Status      `json:"status"`
	Author    *adminAuthorJSON    `json:"author"`
	Version   int                 `json:"version"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
	UpdatedBy *revisionAuthorJSON `json:"updated_by"`
	TrashedAt *time.Time          `json:"trashed_at"`
	// FirstPublishedAt: when it first went live (null: never).
	FirstPublishedAt *time.Time `json:"first_published_at"`
}

func adminMetaOut(e content.Entry) adminMetaJSON {
	return adminMetaJSON{
		Status: e.Status, Author: adminAuthorOut(e.Author), Version: e.Version,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(), UpdatedBy: updatedByOut(e.UpdatedBy),
		TrashedAt: utc(e.TrashedAt), FirstPublishedAt: utc(e.FirstPublishedAt),
	}
}

// adminPostJSON is one post as the editor sees it: the Markdown source and
// every derived field.
type adminPostJSON struct {
	adminPostItemJSON
	Body        string             `json:"body"`
	AutoExcerpt string             `json:"auto_excerpt"`
	HTML        string             `json:"html"`
	TOC         []markdown.Heading `json:"toc"`
	WordCount   int                `json:"word_count"`
	SEO         seoJSON            `json:"seo"`
}

func adminPostItemOut(e content.Entry) adminPostItemJSON {
	return adminPostItemJSON{
		ID: e.ID, Slug: e.Fields.Slug, Title: e.Fields.Title, Excerpt: e.Excerpt(),
		CoverImage: pictureOut(e.Cover), Tags: tagsOut(e.Tags),
		Featured: e.Fields.Featured, ReadingTimeMinutes: e.Derived.ReadingTime, PublishedAt: utc(e.PublishedAt),
		adminMetaJSON: adminMetaOut(e),
	}
}

func adminPostOut(e content.Entry) adminPostJSON {
	item := adminPostItemOut(e)
	item.Excerpt = e.Fields.Excerpt // the editable value; auto_excerpt shows the fallback
	return adminPostJSON{
		adminPostItemJSON: item, Body: e.Fields.Body, AutoExcerpt: e.Derived.AutoExcerpt, HTML: e.Derived.HTML,
		TOC: e.Derived.TOC, WordCount: e.Derived.WordCount, SEO: seoJSON(e.Fields.SEO),
	}
}

// caseStudyItemJSON is a case study in a public list.
type caseStudyItemJSON struct {
	ID           int64        `json:"id"`
	Slug         string       `json:"slug"`
	Title        string       `json:"title"`
	Client       string       `json:"client"`
	Industry     string       `json:"industry"`
	Services     []string     `json:"services"`
	Technologies []string     `json:"technologies"`
	Summary      string       `json:"summary"`
	Metrics      []metricJSON `json:"metrics"`
	CoverImage   *pictureJSON `json:"cover_image"`
	Logo         *pictureJSON `json:"logo"`
	Featured     bool         `json:"featured"`
	PublishedAt  *time.Time   `json:"published_at"`
}

// caseStudyJSON is one published case study.
type caseStudyJSON struct {
	caseStudyItemJSON
	ChallengeHTML      string           `json:"challenge_html"`
	SolutionHTML       string           `json:"solution_html"`
	ResultsHTML        string           `json:"results_html"`
	Testimonial        *testimonialJSON `json:"testimonial"`
	SEO                seoJSON          `json:"seo"`
	ReadingTimeMinutes int              `json:"reading_time_minutes"`
	UpdatedAt          time.Time        `json:"updated_at"`
}

func caseStudyItemOut(e content.Entry) caseStudyItemJSON {
	metrics := make([]metricJSON, len(e.Fields.Metrics))
	for i, m := range e.Fields.Metrics {
		metrics[i] = metricJSON(m)
	}
	return caseStudyItemJSON{
		ID: e.ID, Slug: e.Fields.Slug, Title: e.Fields.Title, Client: e.Fields.Client, Industry: e.Fields.Industry,
		Services: nonNil(e.Fields.Services), Technologies: nonNil(e.Fields.Technologies), Summary: e.Fields.Summary,
		Metrics: metrics, CoverImage: pictureOut(e.Cover), Logo: pictureOut(e.Logo),
		Featured: e.Fields.Featured, PublishedAt: utc(e.PublishedAt),
	}
}

func testimonialOut(t *content.Testimonial) *testimonialJSON {
	if t == nil {
		return nil
	}
	j := testimonialJSON(*t)
	return &j
}

func caseStudyOut(e content.Entry) caseStudyJSON {
	return caseStudyJSON{
		caseStudyItemJSON: caseStudyItemOut(e),
		ChallengeHTML:     e.Derived.ChallengeHTML, SolutionHTML: e.Derived.SolutionHTML, ResultsHTML: e.Derived.ResultsHTML,
		Testimonial: testimonialOut(e.Fields.Testimonial), SEO: seoJSON(e.Fields.SEO),
		ReadingTimeMinutes: e.Derived.ReadingTime, UpdatedAt: e.UpdatedAt.UTC(),
	}
}

// adminCaseStudyItemJSON is a case study in an admin list.
type adminCaseStudyItemJSON struct {
	caseStudyItemJSON
	adminMetaJSON
}

// adminCaseStudyJSON is one case study as the editor sees it.
type adminCaseStudyJSON struct {
	adminCaseStudyItemJSON
	Challenge          string           `json:"challenge"`
	Solution           string           `json:"solution"`
	Results            string           `json:"results"`
	ChallengeHTML      string           `json:"challenge_html"`
	SolutionHTML       string           `json:"solution_html"`
	ResultsHTML        string           `json:"results_html"`
	Testimonial        *testimonialJSON `json:"testimonial"`
	SEO                seoJSON          `json:"seo"`
	WordCount          int              `json:"word_count"`
	ReadingTimeMinutes int              `json:"reading_time_minutes"`
}

func adminCaseStudyItemOut(e content.Entry) adminCaseStudyItemJSON {
	return adminCaseStudyItemJSON{
		caseStudyItemJSON: caseStudyItemOut(e), adminMetaJSON: adminMetaOut(e),
	}
}

func adminCaseStudyOut(e content.Entry) adminCaseStudyJSON {
	return adminCaseStudyJSON{
		adminCaseStudyItemJSON: adminCaseStudyItemOut(e),
		Challenge:              e.Fields.Challenge, Solution: e.Fields.Solution, Results: e.Fields.Results,
		ChallengeHTML: e.Derived.ChallengeHTML, SolutionHTML: e.Derived.SolutionHTML, ResultsHTML: e.Derived.ResultsHTML,
		Testimonial: testimonialOut(e.Fields.Testimonial), SEO: seoJSON(e.Fields.SEO),
		WordCount: e.Derived.WordCount, ReadingTimeMinutes: e.Derived.ReadingTime,
	}
}

type tagCountJSON struct {
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	PostCount int    `json:"post_count"`
}

type userJSON struct {
	ID          int64     `json:"id"`
	Email       string    `json:"email"`
	Name        string    `json:"name"`
	Slug        string    `json:"slug"`
	Role        auth.Role `json:"role"`
	Disabled    bool      `json:"disabled"`
	HasPassword bool      `json:"has_password"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func userOut(u auth.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Slug: u.Slug, Role: u.Role, Disabled: u.Disabled,
		HasPassword: u.HasPassword, CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

type userCreateJSON struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
	Disabled bool   `json:"disabled"`
}

type userPatchJSON struct {
	Email    *string `json:"email"`
	Name     *string `json:"name"`
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
	Password *string `json:"password"`
}

type mePatchJSON struct {
	Name            *string `json:"name"`
	Password        *string `json:"password"`
	CurrentPassword *string `json:"current_password"`
}

type apiTokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// newAPITokenJSON is a token as created: the only time its secret is shown.
type newAPITokenJSON struct {
	apiTokenJSON
	Token string `json:"token"`
}

type apiTokenCreateJSON struct {
	Name  string `json:"name"`
	Scope string `json:"scope"`
}

func apiTokenOut(t auth.APIToken) apiTokenJSON {
	return apiTokenJSON{ID: t.ID, Name: t.Name, Scope: t.Scope, Prefix: t.Prefix, CreatedAt: t.CreatedAt.UTC(), LastUsedAt: utc(t.LastUsedAt)}
}

type auditJSON struct {
	ID         int64           `json:"id"`
	UserID     *int64          `json:"user_id"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	RecordType string          `json:"record_type"`
	RecordID   *int64          `json:"record_id"`
	IP         string          `json:"ip"`
	Details    json.RawMessage `json:"details"`
	CreatedAt  time.Time       `json:"created_at"`
}

type loginResponseJSON struct {
	AccessToken string   `json:"access_token"`
	TokenType   string   `json:"token_type"`
	ExpiresIn   int      `json:"expires_in"`
	User        userJSON `json:"user"`
}

type previewResultJSON struct {
	HTML               string             `json:"html"`
	TOC                []markdown.Heading `json:"toc"`
	Excerpt            string             `json:"excerpt"`
	WordCount          int                `json:"word_count"`
	ReadingTimeMinutes int                `json:"reading_time_minutes"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// mediaJSON is an item of the media library.
type mediaJSON struct {
	ID        int64         `json:"id"`
	URL       string        `json:"url"`
	Filename  string        `json:"filename"`
	MIME      string        `json:"mime"`
	Type      string        `json:"type"` // image or document
	Size      int64         `json:"size"`
	Width     *int          `json:"width"`
	Height    *int          `json:"height"`
	Alt       string        `json:"alt"`
	Caption   string        `json:"caption"`
	SHA256    string        `json:"sha256"`
	Variants  []variantJSON `json:"variants"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

type mediaUseJSON struct {
	Type  content.Type `json:"type"`
	ID    int64        `json:"id"`
	Title string       `json:"title"`
	Field string       `json:"field"`
}

// mediaDetailJSON is one item with the places that use it.
type mediaDetailJSON struct {
	mediaJSON
	UsedBy []mediaUseJSON `json:"used_by"`
}

func mediaOut(m content.MediaItem) mediaJSON {
	out := mediaJSON{ID: m.ID, URL: m.URL, Filename: m.Filename, MIME: m.MIME, Type: m.Kind, Size: m.Size, Alt: m.Alt,
		Caption: m.Caption, SHA256: m.SHA256, Variants: variantsOut(m.Variants), CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
	if m.Width > 0 {
		out.Width, out.Height = &m.Width, &m.Height
	}
	return out
}

type mediaPatchJSON struct {
	Alt     *string `json:"alt"`
	Caption *string `json:"caption"`
}
