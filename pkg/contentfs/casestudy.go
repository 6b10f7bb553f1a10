package contentfs

import (
	"fmt"
	"strings"
	"time"

	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/markdown"
)

// A case study's file: its front matter, and its body as the sections
// ## Challenge, ## Solution and ## Results.
type caseStudyFront struct {
	Title        string       `yaml:"title"`
	Slug         string       `yaml:"slug"`
	Status       string       `yaml:"status"`
	PublishedAt  *time.Time   `yaml:"published_at,omitempty"`
	Client       string       `yaml:"client,omitempty"`
	Industry     string       `yaml:"industry,omitempty"`
	Duration     string       `yaml:"duration,omitempty"`
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

func init() {
	codecs[content.CaseStudy] = codec{
		parse: func(front []byte, body string, f *File) error {
			var fm caseStudyFront
			if err := decodeStrict(front, &fm); err != nil {
				return err
			}
			parts, err := splitSections(body)
			if err != nil {
				return err
			}
			f.Status, f.PublishedAt = content.Status(fm.Status), fm.PublishedAt
			f.Fields = content.Fields{
				Title: fm.Title, Slug: fm.Slug, Featured: fm.Featured, CoverImage: imageIn(fm.CoverImage), SEO: seoIn(fm.SEO),
				CaseStudyFields: content.CaseStudyFields{
					Client: fm.Client, Industry: fm.Industry, Duration: fm.Duration, Services: fm.Services, Technologies: fm.Technologies,
					Summary: fm.Summary, Logo: imageIn(fm.Logo), Challenge: parts[0], Solution: parts[1], Results: parts[2],
				},
			}
			for _, m := range fm.Metrics {
				f.Fields.Metrics = append(f.Fields.Metrics, content.Metric(m))
			}
			if fm.Testimonial != nil {
				tm := content.Testimonial(*fm.Testimonial)
				f.Fields.Testimonial = &tm
			}
			return nil
		},
		format: func(f File, published *time.Time) (any, string) {
			x := f.Fields
			fm := caseStudyFront{
				Title: x.Title, Slug: x.Slug, Status: string(f.Status), PublishedAt: published, Client: x.Client,
				Industry: x.Industry, Duration: x.Duration, Services: x.Services, Technologies: x.Technologies, Summary: x.Summary,
				Featured: x.Featured, CoverImage: imageOut(x.CoverImage), Logo: imageOut(x.Logo), SEO: seoOut(x.SEO),
			}
			for _, m := range x.Metrics {
				fm.Metrics = append(fm.Metrics, metric(m))
			}
			if x.Testimonial != nil {
				tm := testimonial(*x.Testimonial)
				fm.Testimonial = &tm
			}
			var b strings.Builder
			for i, text := range []string{x.Challenge, x.Solution, x.Results} {
				b.WriteString("## " + sections[i] + "\n\n")
				if text != "" {
					b.WriteString(text + "\n\n")
				}
			}
			return fm, b.String()
		},
	}
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
