package markdown

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// eventHandlerAttr matches event-handler attribute names such as onclick.
var eventHandlerAttr = regexp.MustCompile(`^on[a-z]+$`)

// dangerousURL reports whether an href/src value, as the browser decodes it,
// uses a scheme that must never appear in Folio's output.
func dangerousURL(v string) bool {
	v = strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1 // browsers ignore these when parsing the scheme
		}
		return r
	}, v))
	for _, ok := range []string{"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"} {
		if strings.HasPrefix(v, ok) {
			return false
		}
	}
	for _, bad := range []string{"javascript:", "vbscript:", "file:", "data:"} {
		if strings.HasPrefix(v, bad) {
			return true
		}
	}
	return false
}

func FuzzRender(f *testing.F) {
	seeds := []string{
		"",
		"   \n\t  ",
		"<!-- -->",
		benchArticle,
		// XSS payloads.
		"[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))",
		"[x](&#106;avascript:alert(1))",
		"[x](&#x6A;avascript:alert(1))",
		"[x](javascript&colon;alert(1))",
		"[x](java&#x09;script:alert(1))",
		"[x](&#x01; javascript:alert(1))",
		"[x](<\x01 javascript:alert(1)>)",
		"[x][1]\n\n[1]: javascript:alert(1)",
		"<javascript:alert(1)>",
		"<vbscript:msgbox(1)>",
		"![x](javascript:alert(1))",
		"![x](data:text/html;base64,PHNjcmlwdD4=)",
		"![x](data:image/png;base64,iVBORw0KGgo=)",
		"[x](file:///etc/passwd)",
		"<script>alert(1)</script>",
		"x <script>alert(1)</script> y",
		"<img src=x onerror=alert(1)>",
		"<iframe src=//evil></iframe>",
		"<div onclick=alert(1)>\n\n*md*\n\n</div>",
		"```go\"onmouseover=alert(1)\nx\n```",
		"## x {#id onclick=alert(1)}",
		"[a](b \"t\\\" onmouseover=alert(1)\")",
		// Structure.
		"| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 |",
		"|a|\n|-|\n|`|`|",
		"- a\n  - b\n    - c\n      1. d\n         > e\n         > - [x] f",
		"> > > deep\n> > quote\n> end",
		"```\nunbalanced fence",
		"~~~~\n```\n~~~",
		"    indented\n```\n",
		"[^1] and [^missing]\n\n[^1]: note\n    with [link](javascript:x)",
		"\"quotes\" -- 'single' --- ... <<angle>>",
		"# " + strings.Repeat("huge heading ", 2000),
		"## " + strings.Repeat("#", 5000),
		strings.Repeat("[", 3000) + strings.Repeat("]", 3000),
		strings.Repeat("*a ", 2000),
		strings.Repeat("> ", 500) + "x",
		strings.Repeat("[a](", 300),
		// A tiny header row padded out to millions of cells without the
		// table cell budget.
		strings.Repeat("|a", 3000) + "\n" + strings.Repeat("|-", 3000) + "\n" + strings.Repeat("|b\n", 3000),
		// Invalid UTF-8 and odd bytes.
		"\xff\xfe\xfd",
		"## \xe2\x82\n\n[x](\xffjavascript:alert(1))",
		"a\x00b\x00\n\n[x](\x00javascript:alert(1))",
		"\u2028\u2029\u00a0\ufeff",
	}
	for _, s := range seeds {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, src string) {
		res, err := Render(src)
		// Invalid UTF-8 is repaired before parsing, so no input may fail,
		// except the shapes refused for making the parser quadratic.
		if errors.Is(err, ErrTooComplex) {
			return
		}
		if err != nil {
			t.Fatalf("Render(%q) error: %v", src, err)
		}

		lower := strings.ToLower(res.HTML)
		for _, bad := range []string{"<script", "<iframe"} {
			if strings.Contains(lower, bad) {
				t.Errorf("HTML contains %q: %q", bad, res.HTML)
			}
		}
		for _, a := range attrs(res.HTML) {
			if eventHandlerAttr.MatchString(strings.ToLower(a.key)) {
				t.Errorf("event handler %s=%q on <%s>: %q", a.key, a.val, a.tag, res.HTML)
			}
			if (a.key == "href" || a.key == "src") && dangerousURL(a.val) {
				t.Errorf("dangerous %s=%q on <%s>: %q", a.key, a.val, a.tag, res.HTML)
			}
		}
		if !utf8.ValidString(res.HTML) {
			t.Errorf("HTML is not valid UTF-8: %q", res.HTML)
		}

		if res.TOC == nil {
			t.Errorf("TOC = nil, want non-nil")
		}
		for _, h := range res.TOC {
			if h.Level < 2 || h.Level > 4 || h.ID == "" {
				t.Errorf("TOC entry %+v, want level 2–4 and an id", h)
			}
		}
		if n := utf8.RuneCountInString(res.Excerpt); n > excerptMaxRunes {
			t.Errorf("Excerpt has %d runes, want ≤ %d", n, excerptMaxRunes)
		}

		if res.WordCount < 0 {
			t.Errorf("WordCount = %d, want ≥ 0", res.WordCount)
		}
		hasContent := strings.TrimSpace(src) != ""
		if (res.ReadingTime >= 1) != hasContent {
			t.Errorf("ReadingTime = %d for source with content=%v, want ≥ 1 iff content", res.ReadingTime, hasContent)
		}
		if want := (res.WordCount + WordsPerMinute - 1) / WordsPerMinute; hasContent && res.ReadingTime != max(1, want) {
			t.Errorf("ReadingTime = %d, want %d for %d words", res.ReadingTime, max(1, want), res.WordCount)
		}
	})
}
