package media

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/folio-cms/folio/pkg/errs"
)

// SVG is accepted only when a real XML parse finds nothing active or
// external in it: no script, event-handler attribute, foreignObject (or
// other embedding element, or any HTML or MathML element), external
// reference (every href, xlink:href and url(…) points inside the document,
// "#id"), javascript: URL, <!DOCTYPE> (entities) or processing instruction
// other than the XML declaration. Elements of other namespaces (an
// editor's own, such as Inkscape's) are inert and kept. It is served with
// a CSP that allows inline styles only and sandboxes it, and gets no
// variants.

const svgNS = "http://www.w3.org/2000/svg"

// svgBanned are elements that run code, embed other documents or load
// other resources, refused wherever they are, in any namespace.
var svgBanned = map[string]bool{
	"script": true, "foreignobject": true, "iframe": true, "embed": true, "object": true,
	"handler": true, "listener": true, "audio": true, "video": true, "meta": true, "link": true, "base": true,
}

// svgForeign are namespaces whose elements a browser would act on inside
// an SVG document.
var svgForeign = map[string]bool{"http://www.w3.org/1999/xhtml": true, "http://www.w3.org/1998/Math/MathML": true}

// svgAnimations change attributes over time: one that targets a link
// (or an event handler) could turn a safe document into a dangerous one.
var svgAnimations = map[string]bool{"set": true, "animate": true, "animatetransform": true, "animatemotion": true}

// urlRef finds url(…) references in styles and presentation attributes.
var urlRef = regexp.MustCompile(`(?i)url\s*\(\s*(['"]?)([^'")]*)`)

func svgRefused(reason string) *errs.Error {
	return refuse(errs.UnsupportedMedia, "The SVG image is not accepted: "+reason+". Export it again as plain SVG (no scripts, links to other files or embedded HTML), or upload a PNG.", nil)
}

// looksLikeSVG reports whether a file's first bytes are an XML or SVG
// text whose first element is <svg>.
func looksLikeSVG(head []byte) bool {
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n\f")
	return bytes.HasPrefix(text, []byte("<")) && findMarkup(text) == "<svg"
}

// checkSVG parses data as XML and returns the image's size in CSS pixels
// from its width and height (or its viewBox; 0 when it has neither), or
// why it is refused.
func checkSVG(data []byte) (w, h int, rerr *errs.Error) {
	if !isUTF8Text(data) {
		return 0, 0, svgRefused("it is not UTF-8 text")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = nil // only XML's own five entities
	depth := 0
	root := true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, 0, svgRefused("it is not well-formed XML (" + err.Error() + ")")
		}
		switch t := tok.(type) {
		case xml.Directive:
			return 0, 0, svgRefused("it has a <!DOCTYPE> or another declaration, which can define entities")
		case xml.ProcInst:
			if t.Target != "xml" {
				return 0, 0, svgRefused(fmt.Sprintf("it has the processing instruction <?%s?>", t.Target))
			}
		case xml.StartElement:
			if depth == 0 && !root {
				return 0, 0, svgRefused("it has more than one root element")
			}
			depth++
			name := strings.ToLower(t.Name.Local)
			if root {
				if t.Name.Space != svgNS || t.Name.Local != "svg" {
					return 0, 0, svgRefused(`its root element is not <svg xmlns="http://www.w3.org/2000/svg">`)
				}
				root = false
				w, h = svgSize(t.Attr)
			}
			switch {
			case svgBanned[name]:
				return 0, 0, svgRefused(fmt.Sprintf("it has a <%s> element", t.Name.Local))
			case svgForeign[t.Name.Space]:
				return 0, 0, svgRefused(fmt.Sprintf("it has the HTML or MathML element <%s>", t.Name.Local))
			}
			for _, a := range t.Attr {
				if why := svgBadAttr(name, a); why != "" {
					return 0, 0, svgRefused(why)
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth > 0 {
				if why := svgBadText(string(t)); why != "" {
					return 0, 0, svgRefused(why)
				}
			}
		}
	}
	if root {
		return 0, 0, svgRefused("it has no <svg> element")
	}
	return w, h, nil
}

// svgBadAttr says why an attribute of element el is refused ("": it is
// not).
func svgBadAttr(el string, a xml.Attr) string {
	name := strings.ToLower(a.Name.Local)
	v := a.Value
	switch {
	case strings.HasPrefix(name, "on"):
		return fmt.Sprintf("it has the event-handler attribute %s", a.Name.Local)
	case name == "href" || name == "src" || name == "action" || name == "formaction":
		if !strings.HasPrefix(strings.TrimSpace(v), "#") {
			return fmt.Sprintf("its %s %q points outside the image", a.Name.Local, v)
		}
	case svgAnimations[el] && name == "attributename":
		if t := strings.ToLower(strings.TrimSpace(v)); strings.HasSuffix(t, "href") || strings.HasPrefix(t, "on") || t == "style" {
			return fmt.Sprintf("it animates the %s attribute", v)
		}
	}
	if a.Name.Space == "http://www.w3.org/XML/1998/namespace" && name == "base" {
		return "it sets xml:base"
	}
	return svgBadText(v)
}

// svgBadText says why a text (an attribute value, a <style> sheet) is
// refused: a javascript: URL, an @import, or a url(…) that is not "#id".
func svgBadText(s string) string {
	compact := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToLower(s))
	for _, scheme := range []string{"javascript:", "vbscript:", "data:text/html"} {
		if strings.Contains(compact, scheme) {
			return "it has a " + strings.TrimSuffix(scheme, ":") + " URL"
		}
	}
	if strings.Contains(compact, "@import") {
		return "its style sheet imports another"
	}
	if strings.Contains(compact, "\\") && strings.Contains(compact, "(") {
		return "its style sheet has escapes around a url()" // CSS escapes could hide a URL from this check
	}
	for _, m := range urlRef.FindAllStringSubmatch(s, -1) {
		if !strings.HasPrefix(strings.TrimSpace(m[2]), "#") {
			return fmt.Sprintf("it refers to %q outside the image", strings.TrimSpace(m[2]))
		}
	}
	return ""
}

// svgSize reads the root's width and height (plain numbers or px), or
// else its viewBox's.
func svgSize(attrs []xml.Attr) (w, h int) {
	var viewBox string
	for _, a := range attrs {
		switch a.Name.Local {
		case "width":
			w = svgLength(a.Value)
		case "height":
			h = svgLength(a.Value)
		case "viewBox":
			viewBox = a.Value
		}
	}
	if w > 0 && h > 0 {
		return w, h
	}
	f := strings.FieldsFunc(viewBox, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' || r == '\r' })
	if len(f) == 4 {
		vw, err1 := strconv.ParseFloat(f[2], 64)
		vh, err2 := strconv.ParseFloat(f[3], 64)
		if err1 == nil && err2 == nil && vw >= 1 && vh >= 1 && vw <= 1e6 && vh <= 1e6 {
			return int(math.Round(vw)), int(math.Round(vh))
		}
	}
	return 0, 0
}

func svgLength(s string) int {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 || f > 1e6 {
		return 0
	}
	return int(math.Round(f))
}

// isUTF8Text reports whether b is UTF-8 without NUL bytes.
func isUTF8Text(b []byte) bool {
	return !bytes.ContainsRune(b, 0) && strings.ToValidUTF8(string(b), "\uFFFD") == string(b)
}
