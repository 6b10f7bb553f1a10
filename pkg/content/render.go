package content

import (
	"errors"
	"fmt"
	"strings"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/markdown"
)

// derive renders the Markdown fields of an entry as its type declares. It
// runs before the write transaction, never inside it, and never on reads.
func derive(k *Spec, f Fields) (Derived, error) {
	d, err := k.derive(f)
	if err != nil {
		return d, err
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
