package content

import (
	"errors"
	"fmt"
	"strings"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/markdown"
)

// derive renders the Markdown fields of an entry. It runs before the write
// transaction, never inside it, and never on reads.
func derive(t Type, f Fields) (Derived, error) {
	var d Derived
	switch t {
	case Post:
		r, err := render("body", f.Body)
		if err != nil {
			return d, err
		}
		d.HTML, d.TOC, d.AutoExcerpt, d.WordCount, d.ReadingTime = r.HTML, r.TOC, r.Excerpt, r.WordCount, r.ReadingTime
		d.PlainText = r.Text
	case CaseStudy:
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
	}
	d.PlainText = stripControl(d.PlainText)
	if d.TOC == nil {
		d.TOC = []markdown.Heading{}
	}
	return d, nil
}

// render renders the Markdown of one field; input the renderer refuses is
// a validation problem of that field.
func render(field, src string) (markdown.Result, error) {
	r, err := markdown.Render(src)
	if errors.Is(err, markdown.ErrTooComplex) {
		return r, errs.Validationf(field, "%s", strings.TrimPrefix(err.Error(), "markdown "))
	}
	if err != nil {
		return r, fmt.Errorf("render %s: %w", field, err)
	}
	return r, nil
}

// Preview renders Markdown for the editor's live preview.
func Preview(src string) (markdown.Result, error) {
	if len(src) > MaxMarkdown {
		return markdown.Result{}, errs.Validationf("markdown", "must be at most %d bytes", MaxMarkdown)
	}
	return render("markdown", src)
}
