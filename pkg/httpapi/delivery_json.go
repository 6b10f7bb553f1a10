package httpapi

import (
	"encoding/xml"
	"time"

	"github.com/folio-cms/folio/pkg/content"
)

// The JSON types of the public delivery API's search, sitemap and feeds.

// searchListJSON is a page of search results; meta also says whether the
// total was capped.
type searchListJSON struct {
	Data []searchHitJSON `json:"data"`
	Meta searchMetaJSON  `json:"meta"`
}

type searchMetaJSON struct {
	metaJSON
	TotalCapped bool `json:"total_capped"` // more match than a search counts: total is that cap
}

type searchHitJSON struct {
	Type        content.Type `json:"type"`
	Slug        string       `json:"slug"`
	URL         string       `json:"url"`
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

type redirectJSON struct {
	From   string       `json:"from"`
	To     string       `json:"to"`
	Status int          `json:"status"`
	Type   content.Type `json:"type"`
}

// JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string           `json:"version"`
	Title       string           `json:"title"`
	HomePageURL string           `json:"home_page_url"`
	FeedURL     string           `json:"feed_url"`
	Description string           `json:"description,omitempty"`
	Icon        string           `json:"icon,omitempty"`
	Favicon     string           `json:"favicon,omitempty"`
	Language    string           `json:"language,omitempty"`
	Authors     []jsonFeedAuthor `json:"authors"`
	Items       []jsonFeedItem   `json:"items"`
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
	XMLName  xml.Name    `xml:"feed"`
	XMLNS    string      `xml:"xmlns,attr"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Icon     string      `xml:"icon,omitempty"`
	Logo     string      `xml:"logo,omitempty"`
	Updated  string      `xml:"updated"`
	Author   atomAuthor  `xml:"author"`
	Links    []atomLink  `xml:"link"`
	Entries  []atomEntry `xml:"entry"`
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
	Author     atomAuthor     `xml:"author"`
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

type facetJSON struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

type facetsJSON struct {
	Industries   []facetJSON `json:"industries"`
	Technologies []facetJSON `json:"technologies"`
	Services     []facetJSON `json:"services"`
}
