package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// maxTableCells bounds the number of cells all tables of one document may
// have together. Paragraphs that would take a document past it stay
// paragraphs.
const maxTableCells = 50_000

// tableCellsKey holds, in the parser context, the table cells used so far.
var tableCellsKey = parser.NewContextKey()

// tables is extension.Table (the GFM table extension, registered with the
// same priorities) with a per-document cell budget.
//
// goldmark pads every row of a table to the width of its header, so a short
// source can ask for a huge number of cells: a 2,000-column header followed
// by thousands of one-character rows. Without a bound a 21 KB source like
// that allocated 1.5 GB and rendered 85 MB of HTML.
type tables struct{}

// Extend implements goldmark.Extender.
func (tables) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithParagraphTransformers(
			util.Prioritized(boundedTables{extension.NewTableParagraphTransformer()}, 200),
		),
		parser.WithASTTransformers(
			util.Prioritized(extension.NewTableASTTransformer(), 0),
		),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(extension.NewTableHTMLRenderer(), 500),
	))
}

// boundedTables lets the wrapped table transformer turn a paragraph into a
// table only while the document stays within maxTableCells.
type boundedTables struct {
	parser.ParagraphTransformer
}

// Transform implements parser.ParagraphTransformer.
func (b boundedTables) Transform(p *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := p.Lines()
	// A table has at most one column more than its delimiter row has pipes,
	// and at most one row per line; bound that by the widest line.
	cols := 0
	for i := range lines.Len() {
		seg := lines.At(i)
		cols = max(cols, bytes.Count(seg.Value(reader.Source()), []byte("|"))+1)
	}
	if cols > 1 { // a one-column table cannot pad rows, so it costs nothing
		used, _ := pc.Get(tableCellsKey).(int)
		used += cols * lines.Len()
		if used > maxTableCells {
			return
		}
		pc.Set(tableCellsKey, used)
	}
	b.ParagraphTransformer.Transform(p, reader, pc)
}
