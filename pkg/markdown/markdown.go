// Package markdown renders Folio's Markdown into safe HTML plus the derived data stored beside it.
//
// Rendering happens once, when content is saved. The output is safe to serve
// as-is: raw HTML in the source is dropped, and link, image and autolink
// destinations are checked against an allow-list of URL schemes.
package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

const (
	// excerptMaxRunes is the maximum length of Result.Excerpt, "…" included.
	excerptMaxRunes = 300
	// WordsPerMinute is the reading speed behind Result.ReadingTime.
	WordsPerMinute = 220
)

// ReadingMinutes is the reading time of a text of the given number of
// words: words/WordsPerMinute rounded up, and at least 1 minute.
func ReadingMinutes(words int) int {
	return max(1, (words+WordsPerMinute-1)/WordsPerMinute)
}

// md is the single configured goldmark instance. Its configuration is never
// changed after initialisation; goldmark finishes its own lazy set-up under a
// sync.Once and keeps all per-document state (AST, parser context, reference
// and heading-ID tables) in per-call values, so Parse and Render are safe for
// concurrent use.
//
// html.WithUnsafe is deliberately absent: raw HTML is omitted from the output.
var md = goldmark.New(
	goldmark.WithExtensions(
		// extension.GFM, with its table extension replaced by one that
		// bounds the number of table cells (see tables).
		extension.Linkify,
		tables{},
		extension.Strikethrough,
		extension.TaskList,
		extension.Footnote,
		extension.Typographer,
	),
	goldmark.WithParserOptions(
		parser.WithAutoHeadingID(),
		// Linkify only http(s) and www. text; bare ftp:// text would be
		// linkified and then emptied by the URL policy, which is pointless.
		extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"}),
		parser.WithASTTransformers(util.Prioritized(urlPolicy{}, 1000)),
	),
)

// Heading is one entry of a table of contents.
type Heading struct {
	Level int    `json:"level"`
	ID    string `json:"id"`
	Text  string `json:"text"`
}

// Result is everything one render produces.
type Result struct {
	HTML        string
	TOC         []Heading // h2–h4 in document order; empty slice (not nil) when none
	Excerpt     string
	WordCount   int
	ReadingTime int // minutes
	// Text is the document's visible text with whitespace collapsed, for
	// the search index.
	Text string
}

// Render converts Markdown source to safe HTML and derived data. It refuses
// (ErrTooComplex) the few shapes that make the parser quadratic.
//
// Invalid UTF-8 in src is replaced with U+FFFD before parsing.
//
// TOC lists every h2–h4 heading with its generated id and plain text.
// Excerpt is the plain text of the first top-level paragraph that has any
// text, with whitespace collapsed, cut at a word boundary to at most 300
// runes ("…" included). WordCount counts whitespace-separated words in the
// document's visible text, code blocks included (image alt text and omitted
// raw HTML excluded). ReadingTime is ceil(WordCount/220) minutes, at least 1
// when src contains anything but whitespace, and 0 otherwise, so a source
// such as "<!-- note -->" has zero words but a one-minute reading time.
func Render(src string) (res Result, err error) {
	defer func() {
		// goldmark is third-party code fed with user content; turn a bug
		// there into an error rather than a crashed request.
		if r := recover(); r != nil {
			res, err = Result{}, fmt.Errorf("markdown: render panicked: %v", r)
		}
	}()

	if err := checkComplexity(src); err != nil {
		return Result{}, err
	}
	source := []byte(strings.ToValidUTF8(src, "\uFFFD"))
	doc := md.Parser().Parse(text.NewReader(source))

	var out bytes.Buffer
	out.Grow(len(source) + len(source)/2)
	if err := md.Renderer().Render(&out, source, doc); err != nil {
		return Result{}, fmt.Errorf("markdown: render: %w", err)
	}

	ex := newTextExtractor(source)
	plain := collapseSpace(ex.text(doc))
	res = Result{
		HTML:      out.String(),
		TOC:       tableOfContents(doc, ex),
		Excerpt:   excerpt(doc, ex),
		WordCount: countWords(plain),
		Text:      plain,
	}
	if strings.TrimSpace(src) != "" {
		res.ReadingTime = ReadingMinutes(res.WordCount)
	}
	return res, nil
}

// tableOfContents returns the h2–h4 headings of doc in document order.
func tableOfContents(doc ast.Node, ex *textExtractor) []Heading {
	toc := []Heading{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if h.Level >= 2 && h.Level <= 4 {
			var id string
			if v, ok := h.AttributeString("id"); ok {
				if b, ok := v.([]byte); ok {
					id = string(b)
				}
			}
			toc = append(toc, Heading{Level: h.Level, ID: id, Text: collapseSpace(ex.text(h))})
		}
		return ast.WalkSkipChildren, nil
	})
	return toc
}

// excerpt returns the text of the first top-level paragraph that has any
// (image-only paragraphs have none), shortened to excerptMaxRunes.
func excerpt(doc ast.Node, ex *textExtractor) string {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() != ast.KindParagraph {
			continue
		}
		if s := collapseSpace(ex.text(n)); s != "" {
			return truncate(s, excerptMaxRunes)
		}
	}
	return ""
}

// truncate shortens s, whose white space is already collapsed, to at most
// limit runes with "…" appended, cutting at the last space that fits. A single
// word longer than that is cut mid-word.
func truncate(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	runes := []rune(s)
	cut := limit - 1 // leave room for "…"
	// If the cut would split a word, back up to the space before it.
	if runes[cut] != ' ' {
		for i := cut - 1; i > 0; i-- {
			if runes[i] == ' ' {
				cut = i
				break
			}
		}
	}
	return string(runes[:cut]) + "…"
}

// countWords counts the runs of non-space characters in s; it equals
// len(strings.Fields(s)) without building the slice.
func countWords(s string) int {
	n, inWord := 0, false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			inWord = false
		case !inWord:
			inWord = true
			n++
		}
	}
	return n
}

// collapseSpace trims s and replaces every run of white space with one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// textExtractor turns AST nodes into the plain text a reader sees in the
// rendered HTML. It writes text through goldmark's own HTML writer, so
// backslash escapes, entities and typographer substitutions come out exactly
// as rendered, then decodes the result back to plain characters.
type textExtractor struct {
	source []byte
	buf    bytes.Buffer
	w      *bufio.Writer
}

func newTextExtractor(source []byte) *textExtractor {
	ex := &textExtractor{source: source}
	ex.w = bufio.NewWriter(&ex.buf)
	return ex
}

// text returns the plain text of n and its descendants. Block boundaries and
// line breaks become spaces; images and raw HTML contribute nothing.
func (ex *textExtractor) text(n ast.Node) string {
	ex.buf.Reset()
	ex.w.Reset(&ex.buf)
	w, hw := ex.w, gmhtml.DefaultWriter
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				_ = w.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			if n.IsRaw() {
				hw.RawWrite(w, n.Value(ex.source))
			} else {
				hw.Write(w, n.Value(ex.source))
			}
			if n.SoftLineBreak() || n.HardLineBreak() {
				_ = w.WriteByte(' ')
			}
		case *ast.String:
			switch {
			case n.IsCode(): // already HTML, e.g. typographer's "&ndash;"
				_, _ = w.Write(n.Value)
			case n.IsRaw():
				hw.RawWrite(w, n.Value)
			default:
				hw.Write(w, n.Value)
			}
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					hw.RawWrite(w, t.Value(ex.source))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			_, _ = w.Write(util.EscapeHTML(n.Label(ex.source)))
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				hw.RawWrite(w, seg.Value(ex.source))
			}
		case *ast.Image, *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	_ = ex.w.Flush()
	return html.UnescapeString(ex.buf.String())
}
