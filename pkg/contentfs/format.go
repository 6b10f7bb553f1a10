// Package contentfs reads and writes content files: Markdown with YAML front
// matter, one file per post (content/posts/<slug>.md) or case study
// (content/case-studies/<slug>.md). content/README.md documents the format.
package contentfs

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/markdown"
)

// Dirs maps each entry type to its folder inside a content directory.
var Dirs = map[content.Type]string{content.Post: "posts", content.CaseStudy: "case-studies"}

// File is one content file, decoded.
type File struct {
	Type        content.Type
	Fields      content.Fields
	Status      content.Status
	PublishedAt *time.Time
	Author      string // email; posts only
}

// The front matter of each type, in the order the keys are written. Only
// these keys are accepted: a misspelt key is an error, not silently lost.
type postFront struct {
	Title       string     `yaml:"title"`
	Slug        string     `yaml:"slug"`
	Status      string     `yaml:"status"`
	PublishedAt *time.Time `yaml:"published_at,omitempty"`
	Author      string     `yaml:"author,omitempty"`
	Excerpt     string     `yaml:"excerpt,omitempty"`
	Tags        []string   `yaml:"tags,omitempty"`
	Featured    bool       `yaml:"featured,omitempty"`
	CoverImage  *image     `yaml:"cover_image,omitempty"`
	SEO         *seo       `yaml:"seo,omitempty"`
}

type caseStudyFront struct {
	Title        string       `yaml:"title"`
	Slug         string       `yaml:"slug"`
	Status       string       `yaml:"status"`
	PublishedAt  *time.Time   `yaml:"published_at,omitempty"`
	Client       string       `yaml:"client,omitempty"`
	Industry     string       `yaml:"industry,omitempty"`
	Services     []string     `yaml:"services,omitempty"`
	Technologies []string     `yaml:"technologies,omitempty"`
	Summary      string       `yaml:"summary,omitempty"`
	Metrics      []metric     `yaml:"metrics,omitempty"`
	Testimonial  *testimonial `yaml:"testimonial,omitempty"`
	Featured     bool         `yaml:"featured,omitempty"`
	CoverImage   *image       `yaml:"cover_image,omitempty"`
	Logo         *image       `yaml:"logo,omitempty"`
	SEO          *seo         `yaml:"seo,omitempty"`
}

type image struct {
	URL string `yaml:"url"`
	Alt string `yaml:"alt,omitempty"`
}

type seo struct {
	MetaTitle       string `yaml:"meta_title,omitempty"`
	MetaDescription string `yaml:"meta_description,omitempty"`
	CanonicalURL    string `yaml:"canonical_url,omitempty"`
	OGImage         string `yaml:"og_image,omitempty"`
}

type metric struct {
	Label string `yaml:"label"`
	Value string `yaml:"value"`
}

type testimonial struct {
	Quote  string `yaml:"quote"`
	Author string `yaml:"author"`
	Role   string `yaml:"role,omitempty"`
}

// sections are the level-2 headings that split a case study's body.
var sections = []string{"Challenge", "Solution", "Results"}

const delim = "---"

// Parse decodes a content file of type t.
func Parse(t content.Type, data []byte) (File, error) {
	front, body, err := split(data)
	if err != nil {
		return File{}, err
	}
	f := File{Type: t}
	switch t {
	case content.Post:
		var fm postFront
		if err := decodeStrict(front, &fm); err != nil {
			return File{}, err
		}
		f.Status, f.PublishedAt, f.Author = content.Status(fm.Status), fm.PublishedAt, fm.Author
		f.Fields = content.Fields{
			Title: fm.Title, Slug: fm.Slug, Excerpt: fm.Excerpt, Tags: fm.Tags, Featured: fm.Featured,
			CoverImage: imageIn(fm.CoverImage), SEO: seoIn(fm.SEO), Body: body,
		}
	case content.CaseStudy:
		var fm caseStudyFront
		if err := decodeStrict(front, &fm); err != nil {
			return File{}, err
		}
		parts, err := splitSections(body)
		if err != nil {
			return File{}, err
		}
		f.Status, f.PublishedAt = content.Status(fm.Status), fm.PublishedAt
		f.Fields = content.Fields{
			Title: fm.Title, Slug: fm.Slug, Client: fm.Client, Industry: fm.Industry, Services: fm.Services,
			Technologies: fm.Technologies, Summary: fm.Summary, Featured: fm.Featured,
			CoverImage: imageIn(fm.CoverImage), Logo: imageIn(fm.Logo), SEO: seoIn(fm.SEO),
			Challenge: parts[0], Solution: parts[1], Results: parts[2],
		}
		for _, m := range fm.Metrics {
			f.Fields.Metrics = append(f.Fields.Metrics, content.Metric(m))
		}
		if fm.Testimonial != nil {
			tm := content.Testimonial(*fm.Testimonial)
			f.Fields.Testimonial = &tm
		}
	default:
		return File{}, fmt.Errorf("unknown type %q", t)
	}
	return f, nil
}

// Format encodes a content file. Parse(Format(f)) gives f back, and
// formatting what was parsed from Format's output gives the same bytes.
func Format(f File) ([]byte, error) {
	var front any
	var body string
	var published *time.Time
	if f.PublishedAt != nil {
		t := f.PublishedAt.UTC()
		published = &t
	}
	x := f.Fields
	switch f.Type {
	case content.Post:
		front = postFront{
			Title: x.Title, Slug: x.Slug, Status: string(f.Status), PublishedAt: published, Author: f.Author,
			Excerpt: x.Excerpt, Tags: x.Tags, Featured: x.Featured, CoverImage: imageOut(x.CoverImage), SEO: seoOut(x.SEO),
		}
		body = x.Body
	case content.CaseStudy:
		fm := caseStudyFront{
			Title: x.Title, Slug: x.Slug, Status: string(f.Status), PublishedAt: published, Client: x.Client,
			Industry: x.Industry, Services: x.Services, Technologies: x.Technologies, Summary: x.Summary,
			Featured: x.Featured, CoverImage: imageOut(x.CoverImage), Logo: imageOut(x.Logo), SEO: seoOut(x.SEO),
		}
		for _, m := range x.Metrics {
			fm.Metrics = append(fm.Metrics, metric(m))
		}
		if x.Testimonial != nil {
			tm := testimonial(*x.Testimonial)
			fm.Testimonial = &tm
		}
		front = fm
		var b strings.Builder
		for i, text := range []string{x.Challenge, x.Solution, x.Results} {
			b.WriteString("## " + sections[i] + "\n\n")
			if text != "" {
				b.WriteString(text + "\n\n")
			}
		}
		body = b.String()
	default:
		return nil, fmt.Errorf("unknown type %q", f.Type)
	}
	var out bytes.Buffer
	out.WriteString(delim + "\n")
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(4)
	if err := enc.Encode(front); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	out.WriteString(delim + "\n")
	if body = strings.TrimRight(body, "\n"); body != "" {
		out.WriteString("\n" + body + "\n")
	}
	return out.Bytes(), nil
}

// split separates the front matter from the body. The file must start with
// a "---" line; the front matter ends at the next "---" line.
func split(data []byte) (front []byte, body string, err error) {
	s := strings.ReplaceAll(string(bytes.TrimPrefix(data, []byte("\ufeff"))), "\r\n", "\n")
	if !strings.HasPrefix(s, delim+"\n") {
		return nil, "", errors.New("the file must start with a front matter block: a line \"---\", YAML, and another \"---\"")
	}
	s = s[len(delim)+1:]
	end := strings.Index(s, "\n"+delim+"\n")
	if end < 0 {
		if strings.HasSuffix(s, "\n"+delim) {
			end = len(s) - len(delim) - 1
		} else {
			return nil, "", errors.New("the front matter block is not closed by a \"---\" line")
		}
	}
	front = []byte(s[:end+1])
	body = strings.TrimLeft(s[min(len(s), end+len(delim)+2):], "\n")
	return front, strings.TrimRight(body, " \t\n"), nil
}

func decodeStrict(front []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("front matter: %w", err)
	}
	return nil
}

// splitSections cuts a case study's body at its "## Challenge",
// "## Solution" and "## Results" headings (in that order, each at most
// once; a missing one is empty). Headings inside fenced code don't count.
func splitSections(body string) ([3]string, error) {
	var parts [3][]string
	cur := -1
	var fence markdown.Fence
	for n, line := range strings.Split(body, "\n") {
		trimmed := strings.TrimSpace(line)
		code := fence.Code(line) // every line: it follows the fences
		if name, ok := markdown.Level2(line); ok && !code {
			i := indexFold(sections, name)
			switch {
			case i < 0:
				return parts3(parts), fmt.Errorf("line %d: %q: a case study's level-2 headings must be ## Challenge, ## Solution and ## Results; use ### inside them", n+1, line)
			case i <= cur:
				return parts3(parts), fmt.Errorf("line %d: %q: the sections must appear once each, in the order Challenge, Solution, Results", n+1, line)
			}
			cur = i
			continue
		}
		if cur < 0 {
			if trimmed != "" {
				return parts3(parts), fmt.Errorf("line %d: text before \"## Challenge\": a case study's body is made of the sections ## Challenge, ## Solution and ## Results", n+1)
			}
			continue
		}
		parts[cur] = append(parts[cur], line)
	}
	return parts3(parts), nil
}

func parts3(p [3][]string) [3]string {
	var out [3]string
	for i, lines := range p {
		out[i] = strings.Trim(strings.Join(lines, "\n"), "\n")
	}
	return out
}

func indexFold(list []string, s string) int {
	for i, x := range list {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}

func imageIn(i *image) *content.Image {
	if i == nil {
		return nil
	}
	return &content.Image{URL: i.URL, Alt: i.Alt}
}

func imageOut(i *content.Image) *image {
	if i == nil {
		return nil
	}
	return &image{URL: i.URL, Alt: i.Alt}
}

func seoIn(s *seo) content.SEO {
	if s == nil {
		return content.SEO{}
	}
	return content.SEO(*s)
}

func seoOut(s content.SEO) *seo {
	if s.IsZero() {
		return nil
	}
	o := seo(s)
	return &o
}
