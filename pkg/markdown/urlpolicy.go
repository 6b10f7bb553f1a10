package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// urlPolicy is an AST transformer that empties every link, image and autolink
// destination that allowedURL rejects, and marks images for lazy loading.
//
// goldmark's renderer already drops a few dangerous prefixes
// (html.IsDangerousURL); this is the allow-list on top of that deny-list.
type urlPolicy struct{}

// Transform implements parser.ASTTransformer.
func (urlPolicy) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var rejected []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !allowedURL(n.Destination) {
				n.Destination = nil
			}
		case *ast.Image:
			if !allowedURL(n.Destination) {
				n.Destination = nil
			}
			n.SetAttributeString("loading", []byte("lazy"))
		case *ast.AutoLink:
			if !allowedURL(n.URL(source)) {
				rejected = append(rejected, n)
			}
		}
		return ast.WalkContinue, nil
	})
	// An AutoLink's URL is its text, so it cannot be emptied in place.
	// Replace it (outside the walk) by a link with the same label and an
	// empty destination.
	for _, n := range rejected {
		label := ast.NewString(n.Label(source))
		label.SetRaw(true) // like the autolink renderer: escape, don't resolve
		link := ast.NewLink()
		link.AppendChild(link, label)
		n.Parent().ReplaceChild(n.Parent(), n, link)
	}
}

// allowedURL reports whether a raw destination, as written in the Markdown
// source, may be rendered.
//
// The destination is first decoded the way goldmark's renderer decodes it
// (backslash escapes, numeric and named character references), because that
// decoded form is what ends up, HTML-escaped, in the attribute and therefore
// what the browser sees. It is then cleaned the way a browser's URL parser
// does: leading and trailing C0 controls and spaces are stripped and tab, CR
// and LF are removed everywhere. Invalid UTF-8, which goldmark drops, is
// dropped too.
//
// What remains is allowed if it has no scheme (a relative path, "/abs",
// "//host", "?q" or "#frag"), if its scheme is http, https, mailto or tel
// (case-insensitively), or if it is a data: URL of a PNG, GIF, JPEG or WebP
// image (see allowedDataURL). Any text before a colon that precedes every '/', '?' and '#' counts
// as a scheme, even if a browser would not accept it as one.
func allowedURL(raw []byte) bool {
	u := util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(raw)))
	s := strings.ToValidUTF8(string(u), "")
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })

	i := strings.IndexAny(s, ":/?#")
	if i < 0 || s[i] != ':' {
		return true // no scheme: a relative reference
	}
	switch strings.ToLower(s[:i]) {
	case "http", "https", "mailto", "tel":
		return true
	case "data":
		return allowedDataURL(s[i+1:])
	}
	return false
}

// allowedDataURL reports whether the part of a data: URL after "data:" is a
// PNG, GIF, JPEG or WebP image. Like goldmark's own check, it requires a
// parameter after the media type (in practice ";base64").
func allowedDataURL(rest string) bool {
	header, _, ok := strings.Cut(rest, ",")
	mediaType, _, hasParams := strings.Cut(header, ";")
	if !ok || !hasParams {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(mediaType)) {
	case "image/png", "image/gif", "image/jpeg", "image/webp":
		return true
	}
	return false
}
