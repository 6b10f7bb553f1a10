package content

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/markdown"
)

// CaseStudy is a client project told as challenge, solution and results.
const CaseStudy Type = "case_study"

// CaseStudyFields are a case study's own fields.
type CaseStudyFields struct {
	Client       string       `json:"client,omitempty"`
	Industry     string       `json:"industry,omitempty"`
	Duration     string       `json:"duration,omitempty"` // free text, e.g. "4 months"
	Services     []string     `json:"services,omitempty"`
	Technologies []string     `json:"technologies,omitempty"`
	Summary      string       `json:"summary,omitempty"`
	Challenge    string       `json:"challenge,omitempty"`
	Solution     string       `json:"solution,omitempty"`
	Results      string       `json:"results,omitempty"`
	Metrics      []Metric     `json:"metrics,omitempty"`
	Testimonial  *Testimonial `json:"testimonial,omitempty"`
	Logo         *Image       `json:"logo,omitempty"`
}

// MaxDuration is the longest a case study's duration may be, in characters.
const MaxDuration = 60

// caseStudyData are a case study's fields kept in its row's JSON object.
type caseStudyData struct {
	Duration string `json:"duration,omitempty"`
}

// Metric is one headline number of a case study, e.g. {"Build time", "-60%"}.
type Metric struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Testimonial is a client's quote.
type Testimonial struct {
	Quote  string `json:"quote"`
	Author string `json:"author"`
	Role   string `json:"role"`
}

// CaseStudySections are a case study's Markdown fields, in order, as
// field names; its content file heads each with a level-2 heading.
var CaseStudySections = []string{"challenge", "solution", "results"}

var caseStudySpec = register(&Spec{
	Type: CaseStudy, Noun: "case study", Plural: "case studies", SlugBase: "case-study", Dir: "case-studies", ReservedSlugs: []string{"facets"},
	Perms: Perms{auth.PermCaseStudyRead, auth.PermCaseStudyCreate, auth.PermCaseStudyUpdate, auth.PermCaseStudyDelete,
		auth.PermCaseStudySubmit, auth.PermCaseStudyPublish},
	keep: func(f Fields) Fields {
		out := f.shared()
		out.CaseStudyFields = f.CaseStudyFields
		return out
	},
	normalize: func(f *Fields) {
		c := &f.CaseStudyFields
		for _, s := range []*string{&c.Summary, &c.Client, &c.Industry, &c.Duration} {
			*s = strings.TrimSpace(stripControl(*s))
		}
		c.Challenge, c.Solution, c.Results = trimMarkdown(c.Challenge), trimMarkdown(c.Solution), trimMarkdown(c.Results)
		c.Logo = trimImage(c.Logo)
		c.Services, c.Technologies = trimList(c.Services), trimList(c.Technologies)
		for i := range c.Metrics {
			c.Metrics[i].Label = strings.TrimSpace(c.Metrics[i].Label)
			c.Metrics[i].Value = strings.TrimSpace(c.Metrics[i].Value)
		}
		if c.Testimonial != nil {
			t := *c.Testimonial
			t.Quote, t.Author, t.Role = strings.TrimSpace(t.Quote), strings.TrimSpace(t.Author), strings.TrimSpace(t.Role)
			c.Testimonial = &t
			if t == (Testimonial{}) {
				c.Testimonial = nil
			}
		}
	},
	validate: func(v *errs.Fields, f Fields) {
		maxLen(v, "client", f.Client, 200)
		maxLen(v, "industry", f.Industry, 100)
		maxLen(v, "duration", f.Duration, MaxDuration)
		maxLen(v, "summary", f.Summary, 1000)
		checkList(v, "services", f.Services)
		checkList(v, "technologies", f.Technologies)
		maxBytes(v, "challenge", f.Challenge)
		maxBytes(v, "solution", f.Solution)
		maxBytes(v, "results", f.Results)
		checkSection(v, "challenge", f.Challenge)
		checkSection(v, "solution", f.Solution)
		checkSection(v, "results", f.Results)
		if len(f.Metrics) > MaxMetrics {
			v.Addf("metrics", "must have at most %d metrics", MaxMetrics)
		}
		for i, m := range f.Metrics {
			required(v, fmt.Sprintf("metrics[%d].label", i), m.Label, 100)
			required(v, fmt.Sprintf("metrics[%d].value", i), m.Value, 50)
		}
		if tm := f.Testimonial; tm != nil {
			required(v, "testimonial.quote", tm.Quote, 2000)
			required(v, "testimonial.author", tm.Author, 200)
			maxLen(v, "testimonial.role", tm.Role, 200)
		}
		checkImage(v, "logo", f.Logo)
	},
	derive: func(f Fields) (Derived, error) {
		var d Derived
		for _, part := range []struct {
			field, src string
			html       *string
		}{{"challenge", f.Challenge, &d.ChallengeHTML}, {"solution", f.Solution, &d.SolutionHTML}, {"results", f.Results, &d.ResultsHTML}} {
			r, err := render(part.field, part.src)
			if err != nil {
				return d, err
			}
			*part.html = r.HTML
			d.WordCount += r.WordCount
			d.PlainText = strings.TrimSpace(d.PlainText + " " + r.Text)
		}
		if d.WordCount > 0 {
			d.ReadingTime = markdown.ReadingMinutes(d.WordCount)
		}
		return d, nil
	},
	markdown: func(f Fields) map[string]string {
		return map[string]string{"challenge": f.Challenge, "solution": f.Solution, "results": f.Results}
	},
	images: func(f *Fields) []picture {
		return []picture{{"logo", &f.Logo, func(e *Entry) **Picture { return &e.Logo }}}
	},
	excerpt: func(e Entry) string { return e.Fields.Summary },
	html: func(e Entry) string {
		var b strings.Builder
		for _, s := range []struct{ heading, html string }{
			{"Challenge", e.Derived.ChallengeHTML}, {"Solution", e.Derived.SolutionHTML}, {"Results", e.Derived.ResultsHTML},
		} {
			if s.html != "" {
				b.WriteString("<h2>" + s.heading + "</h2>\n" + s.html)
			}
		}
		return b.String()
	},
	loaded: func(e *Entry) {
		e.Fields.Services, e.Fields.Technologies, e.Fields.Metrics = nonNil(e.Fields.Services), nonNil(e.Fields.Technologies), nonNil(e.Fields.Metrics)
	},
	data: func(f Fields) any { return caseStudyData{Duration: f.Duration} },
	setData: func(raw []byte, f *Fields) error {
		var d caseStudyData
		err := json.Unmarshal(raw, &d)
		f.Duration = d.Duration
		return err
	},
	linkPattern: func(l Links) string { return l.CaseStudyPath },
})

// checkSection refuses what a case study's section can't hold and still
// come back whole from its content file, where the sections are the level-2
// headings ## Challenge, ## Solution and ## Results: a level-2 heading of
// its own, and a code fence left open (it would swallow the next
// sections). Both are read as the file format reads them (markdown.Level2,
// markdown.Fence).
func checkSection(v *errs.Fields, field, text string) {
	var fence markdown.Fence
	for n, line := range strings.Split(text, "\n") {
		if code := fence.Code(line); code {
			continue
		}
		if _, ok := markdown.Level2(line); ok {
			v.Addf(field, "line %d: %q is a level-2 heading, which a case study keeps for its sections (Challenge, Solution, Results); use ### for headings inside a section", n+1, line)
			return
		}
	}
	if fence.Open() {
		v.Add(field, "has a code block (``` or ~~~) that is never closed; close it on a line of its own")
	}
}
