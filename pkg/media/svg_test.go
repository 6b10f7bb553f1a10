package media

import (
	"strings"
	"testing"

	"github.com/folio-cms/folio/pkg/errs"
)

const svgOpen = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 120 40">`

// TestSVGAccepted: plain SVG as design tools export it is taken, with its
// size from width and height or the viewBox.
func TestSVGAccepted(t *testing.T) {
	for _, tt := range []struct {
		name, svg string
		w, h      int
	}{
		{"viewBox", svgOpen + `<rect width="120" height="40" fill="#0a5"/></svg>`, 120, 40},
		{"declaration, comment, size", `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generator: a design tool -->
<svg xmlns="http://www.w3.org/2000/svg" width="64px" height="32" viewBox="0 0 10 5"><title>Logo</title><desc>The mark</desc>
<circle cx="5" cy="2.5" r="2"/></svg>`, 64, 32},
		{"inner links, gradients, styles", svgOpen + `<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>
<path id="p" d="M0 0h10"/><style>.a { fill: url(#g); font: 12px sans-serif }</style></defs>
<use href="#p"/><use xlink:href="#p"/><rect class="a" style="fill:url('#g')" width="5" height="5"/><a href="#p"><text>Go</text></a></svg>`, 120, 40},
		{"editor namespaces", `<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="10" height="10">
<sodipodi:namedview inkscape:zoom="1"/><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""/></rdf:RDF></metadata><g inkscape:label="Layer 1"/></svg>`, 10, 10},
		{"no size", `<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>`, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			up, err := ingest(t, []byte(tt.svg), Limits{})
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if up.MIME != "image/svg+xml" || up.Ext != "svg" || up.Type != TypeImage || up.Width != tt.w || up.Height != tt.h {
				t.Errorf("got %s .%s %s %d×%d, want image/svg+xml .svg image %d×%d", up.MIME, up.Ext, up.Type, up.Width, up.Height, tt.w, tt.h)
			}
			vs, err := MakeVariants(t.Context(), up, t.TempDir())
			if err != nil || len(vs) != 0 {
				t.Errorf("variants: %v, %v; want none", vs, err)
			}
		})
	}
}

// TestSVGHostile: every way an SVG can run code, load something or leak
// the reader's address is refused, with a reason.
func TestSVGHostile(t *testing.T) {
	for _, tt := range []struct{ name, svg, why string }{
		{"script", svgOpen + `<script>alert(1)</script></svg>`, "<script>"},
		{"script in CDATA", svgOpen + `<script><![CDATA[alert(1)]]></script></svg>`, "<script>"},
		{"prefixed script", `<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></s:svg>`, "not accepted"},
		{"upper-case script", svgOpen + `<SCRIPT>alert(1)</SCRIPT></svg>`, "<SCRIPT>"},
		{"xhtml script", svgOpen + `<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>`, "<script>"},
		{"script inside metadata", svgOpen + `<metadata><script>alert(1)</script></metadata></svg>`, "<script>"},
		{"onload", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, "event-handler attribute onload"},
		{"onclick upper-case", svgOpen + `<rect ONCLICK="alert(1)"/></svg>`, "event-handler"},
		{"onbegin on animation", svgOpen + `<animate onbegin="alert(1)" attributeName="x"/></svg>`, "event-handler"},
		{"foreignObject", svgOpen + `<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject></svg>`, "<foreignObject>"},
		{"iframe", svgOpen + `<iframe src="https://evil.example"/></svg>`, "<iframe>"},
		{"embed", svgOpen + `<embed src="x.swf"/></svg>`, "<embed>"},
		{"html element", svgOpen + `<div xmlns="http://www.w3.org/1999/xhtml"/></svg>`, "HTML or MathML element <div>"},
		{"external image", svgOpen + `<image href="https://tracker.example/p.png"/></svg>`, "points outside"},
		{"external xlink use", svgOpen + `<use xlink:href="https://evil.example/sprite.svg#a"/></svg>`, "points outside"},
		{"relative use", svgOpen + `<use href="sprite.svg#a"/></svg>`, "points outside"},
		{"data image", svgOpen + `<image href="data:image/png;base64,AAAA"/></svg>`, "points outside"},
		{"javascript link", svgOpen + `<a href="javascript:alert(1)"><text>x</text></a></svg>`, "points outside"},
		{"javascript spaced", svgOpen + `<a xlink:href=" java&#x09;script:alert(1)"><text>x</text></a></svg>`, "points outside"},
		{"javascript in values", svgOpen + `<set attributeName="fill" to="javascript:alert(1)"/></svg>`, "javascript URL"},
		{"animated href", svgOpen + `<a href="#x"><set attributeName="href" to="https://evil.example"/></a></svg>`, "animates the href"},
		{"animated xlink:href", svgOpen + `<a href="#x"><animate attributeName="xlink:href" values="https://evil.example"/></a></svg>`, "animates"},
		{"external css url", svgOpen + `<rect style="fill:url(https://tracker.example/a.svg#g)"/></svg>`, "outside the image"},
		{"external url attribute", svgOpen + `<rect fill="url(other.svg#g)"/></svg>`, "outside the image"},
		{"style import", svgOpen + `<style>@import url(#x); rect{}</style></svg>`, "imports"},
		{"style external font", svgOpen + `<style>@font-face { src: url("https://fonts.example/a.woff") }</style></svg>`, "outside the image"},
		{"css escapes", svgOpen + `<style>rect { fill: u\72l(https://x.example/a) }</style></svg>`, "escapes"},
		{"doctype with entities", `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>` + svgOpen + `</svg>`, "<!DOCTYPE>"},
		{"external entity", `<!DOCTYPE svg SYSTEM "file:///etc/passwd">` + svgOpen + `</svg>`, "<!DOCTYPE>"},
		{"undeclared entity", svgOpen + `<text>&xxe;</text></svg>`, "well-formed"},
		{"stylesheet instruction", `<?xml-stylesheet href="https://evil.example/a.css"?>` + svgOpen + `</svg>`, "processing instruction"},
		{"php instruction", svgOpen + `<?php system($_GET[1]); ?></svg>`, "processing instruction"},
		{"xml:base", `<svg xmlns="http://www.w3.org/2000/svg" xml:base="https://evil.example/"/>`, "xml:base"},
		{"no namespace", `<svg viewBox="0 0 1 1"/>`, "root element"},
		{"html around svg", `<svg xmlns="http://www.w3.org/2000/svg"></svg><html><script>alert(1)</script></html>`, "more than one root"},
		{"unclosed", svgOpen + `<rect>`, "well-formed"},
		{"not utf-8", svgOpen + "<text>\xff\xfe</text></svg>", "UTF-8"},
		{"nul byte", svgOpen + "<text>\x00</text></svg>", "UTF-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ingest(t, []byte(tt.svg), Limits{})
			kind, msg := refusal(err)
			if kind != errs.UnsupportedMedia || !strings.Contains(msg, tt.why) {
				t.Errorf("got %v %q (%v), want a refusal saying %q", kind, msg, err, tt.why)
			}
		})
	}
}
