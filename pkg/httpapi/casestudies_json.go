package httpapi

import (
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
)

// The JSON types of case studies.

type metricJSON struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

type testimonialJSON struct {
	Quote  string  `json:"quote"`
	Author string  `json:"author"`
	Role   *string `json:"role" nullable:"true"` // null: not given
}

// caseStudyWriteJSON is the body of POST and PUT for case studies.
type caseStudyWriteJSON struct {
	Slug         string           `json:"slug"`
	Title        string           `json:"title"`
	Client       string           `json:"client"`
	Industry     string           `json:"industry"`
	Duration     string           `json:"duration"`
	Services     []string         `json:"services"`
	Technologies []string         `json:"technologies"`
	Summary      string           `json:"summary"`
	Challenge    string           `json:"challenge"`
	Solution     string           `json:"solution"`
	Results      string           `json:"results"`
	Metrics      []metricJSON     `json:"metrics"`
	Testimonial  *testimonialJSON `json:"testimonial" nullable:"true"`
	CoverImage   *imageJSON       `json:"cover_image" nullable:"true"`
	Logo         *imageJSON       `json:"logo" nullable:"true"`
	SEO          *seoJSON         `json:"seo" nullable:"true"`
	Featured     bool             `json:"featured"`
	Version      *int             `json:"version,omitempty"`
}

func (p caseStudyWriteJSON) input() content.Input {
	f := content.Fields{
		Slug: p.Slug, Title: p.Title, CoverImage: imageIn(p.CoverImage), SEO: seoIn(p.SEO), Featured: p.Featured,
		CaseStudyFields: content.CaseStudyFields{
			Client: p.Client, Industry: p.Industry, Duration: p.Duration, Services: p.Services, Technologies: p.Technologies,
			Summary: p.Summary, Challenge: p.Challenge, Solution: p.Solution, Results: p.Results, Logo: imageIn(p.Logo),
		},
	}
	for _, m := range p.Metrics {
		f.Metrics = append(f.Metrics, content.Metric(m))
	}
	if p.Testimonial != nil {
		f.Testimonial = &content.Testimonial{Quote: p.Testimonial.Quote, Author: p.Testimonial.Author, Role: text(p.Testimonial.Role)}
	}
	return content.Input{Fields: f}
}

// caseStudyFieldsOut shows a case study's editable fields in the shape of
// its write body.
func caseStudyFieldsOut(f content.Fields) caseStudyWriteJSON {
	seo := seoOut(f.SEO)
	out := caseStudyWriteJSON{
		Slug: f.Slug, Title: f.Title, Client: f.Client, Industry: f.Industry, Duration: f.Duration,
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

// caseStudyItemJSON is a case study in a public list.
type caseStudyItemJSON struct {
	ID           int64        `json:"id"`
	Slug         string       `json:"slug"`
	URL          string       `json:"url"`
	Title        string       `json:"title"`
	Client       *string      `json:"client"`   // null: not given
	Industry     *string      `json:"industry"` // null: not given
	Duration     *string      `json:"duration"` // null: not given
	Services     []string     `json:"services"`
	Technologies []string     `json:"technologies"`
	Summary      *string      `json:"summary"` // null: not given
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
		ID: e.ID, Slug: e.Fields.Slug, URL: e.URL, Title: e.Fields.Title, Client: optional(e.Fields.Client), Industry: optional(e.Fields.Industry),
		Duration: optional(e.Fields.Duration), Services: nonNil(e.Fields.Services), Technologies: nonNil(e.Fields.Technologies), Summary: optional(e.Fields.Summary),
		Metrics: metrics, CoverImage: pictureOut(e.Cover), Logo: pictureOut(e.Logo),
		Featured: e.Fields.Featured, PublishedAt: utc(e.PublishedAt),
	}
}

func testimonialOut(t *content.Testimonial) *testimonialJSON {
	if t == nil {
		return nil
	}
	return &testimonialJSON{Quote: t.Quote, Author: t.Author, Role: optional(t.Role)}
}

func caseStudyOut(e content.Entry) caseStudyJSON {
	return caseStudyJSON{
		caseStudyItemJSON: caseStudyItemOut(e),
		ChallengeHTML:     e.Derived.ChallengeHTML, SolutionHTML: e.Derived.SolutionHTML, ResultsHTML: e.Derived.ResultsHTML,
		Testimonial: testimonialOut(e.Fields.Testimonial), SEO: seoOut(e.Fields.SEO),
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

func adminCaseStudyItemOut(e content.Entry, viewer auth.Principal) adminCaseStudyItemJSON {
	return adminCaseStudyItemJSON{
		caseStudyItemJSON: caseStudyItemOut(e), adminMetaJSON: adminMetaOut(e, viewer),
	}
}

func adminCaseStudyOut(e content.Entry, viewer auth.Principal) adminCaseStudyJSON {
	return adminCaseStudyJSON{
		adminCaseStudyItemJSON: adminCaseStudyItemOut(e, viewer),
		Challenge:              e.Fields.Challenge, Solution: e.Fields.Solution, Results: e.Fields.Results,
		ChallengeHTML: e.Derived.ChallengeHTML, SolutionHTML: e.Derived.SolutionHTML, ResultsHTML: e.Derived.ResultsHTML,
		Testimonial: testimonialOut(e.Fields.Testimonial), SEO: seoOut(e.Fields.SEO),
		WordCount: e.Derived.WordCount, ReadingTimeMinutes: e.Derived.ReadingTime,
	}
}
