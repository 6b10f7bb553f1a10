package content

import (
	"fmt"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/markdown"
)

// derive renders the Markdown fields of an entry. It runs before the write
// transaction, never inside it, and never on reads.
func derive(t Type, f Fields) (Derived, error) {
	var d Derived
	switch t {
	case Post:
		r, err := markdown.Render(f.Body)
		if err != nil {
			return d, fmt.Errorf("render body: %w", err)
		}
		d.HTML, d.TOC, d.AutoExcerpt, d.WordCount, d.ReadingTime = r.HTML, r.TOC, r.Excerpt, r.WordCount, r.ReadingTime
	case CaseStudy:
		for _, part := range []struct {
			src  string
			html *string
		}{{f.Challenge, &d.ChallengeHTML}, {f.Solution, &d.SolutionHTML}, {f.Results, &d.ResultsHTML}} {
			r, err := markdown.Render(part.src)
			if err != nil {
				return d, fmt.Errorf("render case study: %w", err)
			}
			*part.html = r.HTML
			d.WordCount += r.WordCount
		}
		if d.WordCount > 0 {
			d.ReadingTime = markdown.ReadingMinutes(d.WordCount)
		}
	}
	if d.TOC == nil {
		d.TOC = []markdown.Heading{}
	}
	return d, nil
}

// Preview renders Markdown for the editor's live preview.
func Preview(src string) (markdown.Result, error) {
	if len(src) > MaxBody {
		return markdown.Result{}, errs.Validationf("markdown", "must be at most %d bytes", MaxBody)
	}
	return markdown.Render(src)
}
