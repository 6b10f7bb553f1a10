// Package contentfs reads and writes content files: Markdown with YAML front
// matter, one file per post (content/posts/<slug>.md), case study
// (content/case-studies/<slug>.md) or page (content/pages/<slug>.md).
// content/README.md documents the format.
package contentfs

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/folio-cms/folio/pkg/content"
)

// File is one content file, decoded.
type File struct {
	Type        content.Type
	Fields      content.Fields
	Status      content.Status
	PublishedAt *time.Time
	Author      string // email; posts only
	// Parent is the slug of the entry of the same type this one is below
	// (a page's parent): files name it by slug, the database by id.
	Parent string
}

// codec is the front matter mapping of one entry type: its front matter
// struct, in the order the keys are written (only these keys are accepted:
// a misspelt key is an error, not silently lost), and how its body holds
// the type's Markdown. Each type's is in its own file (post.go,
// casestudy.go).
type codec struct {
	parse  func(front []byte, body string, f *File) error
	format func(f File, published *time.Time) (front any, body string)
}

// codecs holds the codec of every type with content files.
var codecs = map[content.Type]codec{}

// Dir returns the folder of type t's files inside a content directory.
func Dir(t content.Type) string { return content.SpecOf(t).Dir }

type image struct {
	URL    string `yaml:"url"`
	Alt    string `yaml:"alt,omitempty"`
	Width  int    `yaml:"width,omitempty"` // an external image's size, as given
	Height int    `yaml:"height,omitempty"`
}

type seo struct {
	MetaTitle       string `yaml:"meta_title,omitempty"`
	MetaDescription string `yaml:"meta_description,omitempty"`
	CanonicalURL    string `yaml:"canonical_url,omitempty"`
	OGImage         string `yaml:"og_image,omitempty"`
}

const delim = "---"

// Parse decodes a content file of type t.
func Parse(t content.Type, data []byte) (File, error) {
	front, body, err := split(data)
	if err != nil {
		return File{}, err
	}
	c, ok := codecs[t]
	if !ok {
		return File{}, fmt.Errorf("unknown type %q", t)
	}
	f := File{Type: t}
	if err := c.parse(front, body, &f); err != nil {
		return File{}, err
	}
	return f, nil
}

// Format encodes a content file. Parse(Format(f)) gives f back, and
// formatting what was parsed from Format's output gives the same bytes.
func Format(f File) ([]byte, error) {
	var published *time.Time
	if f.PublishedAt != nil {
		t := f.PublishedAt.UTC()
		published = &t
	}
	c, ok := codecs[f.Type]
	if !ok {
		return nil, fmt.Errorf("unknown type %q", f.Type)
	}
	front, body := c.format(f, published)
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

func imageIn(i *image) *content.Image {
	if i == nil {
		return nil
	}
	return &content.Image{URL: i.URL, Alt: i.Alt, Width: i.Width, Height: i.Height}
}

func imageOut(i *content.Image) *image {
	if i == nil {
		return nil
	}
	return &image{URL: i.URL, Alt: i.Alt, Width: i.Width, Height: i.Height}
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
