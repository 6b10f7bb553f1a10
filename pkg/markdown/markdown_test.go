package markdown

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// render calls Render and fails the test on error.
func render(t *testing.T, src string) Result {
	t.Helper()
	res, err := Render(src)
	if err != nil {
		t.Fatalf("Render(%q) error: %v", src, err)
	}
	return res
}

// tagAttr is one attribute of one start tag.
type tagAttr struct {
	tag, key, val string
}

// attrs returns the attributes of every start tag in s, tokenized and
// entity-decoded the way a browser does it.
func attrs(s string) []tagAttr {
	var out []tagAttr
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			for _, a := range tok.Attr {
				out = append(out, tagAttr{tok.Data, a.Key, a.Val})
			}
		}
	}
}

// urlAttrs returns the values of all href and src attributes in s.
func urlAttrs(s string) []string {
	var out []string
	for _, a := range attrs(s) {
		if a.key == "href" || a.key == "src" {
			out = append(out, a.val)
		}
	}
	return out
}

// assertContains fails unless got contains every string in want and none
// in notWant.
func assertContains(t *testing.T, got string, want, notWant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("HTML = %q, want it to contain %q", got, w)
		}
	}
	for _, nw := range notWant {
		if strings.Contains(strings.ToLower(got), strings.ToLower(nw)) {
			t.Errorf("HTML = %q, want it not to contain %q", got, nw)
		}
	}
}

func TestHeadings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"h1", "# Hello World", []string{`<h1 id="hello-world">Hello World</h1>`}},
		{"h2", "## Getting started", []string{`<h2 id="getting-started">Getting started</h2>`}},
		{"setext", "Title\n-----", []string{`<h2 id="title">Title</h2>`}},
		{"duplicates get distinct ids", "## Intro\n\n## Intro\n\n### Intro",
			[]string{`<h2 id="intro">Intro</h2>`, `<h2 id="intro-1">Intro</h2>`, `<h3 id="intro-2">Intro</h3>`}},
		{"punctuation and case", "## What's New in *v2*?", []string{`id="whats-new-in-v2"`}},
		{"non-ASCII only", "## 日本語", []string{`<h2 id="heading">日本語</h2>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertContains(t, render(t, tt.src).HTML, tt.want, nil)
		})
	}
}

func TestTOC(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Heading
	}{
		{"none", "Just a paragraph.", []Heading{}},
		{"empty source", "", []Heading{}},
		{"h1 h5 h6 excluded", "# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six",
			[]Heading{{2, "two", "Two"}, {3, "three", "Three"}, {4, "four", "Four"}}},
		{"document order", "### C\n\n## A\n\n#### D\n\n## B",
			[]Heading{{3, "c", "C"}, {2, "a", "A"}, {4, "d", "D"}, {2, "b", "B"}}},
		{"duplicate ids", "## Setup\n## Setup",
			[]Heading{{2, "setup", "Setup"}, {2, "setup-1", "Setup"}}},
		// goldmark derives the id from the heading's source line, so the
		// link destination ("/docs") ends up in it.
		{"inline markup as plain text", "## Using `go test` with *race* and [links](/docs)",
			[]Heading{{2, "using-go-test-with-race-and-linksdocs", "Using go test with race and links"}}},
		{"typographer decoded", `## Pages 1--2 "quoted" -- it's...`,
			[]Heading{{2, "pages-1--2-quoted----its", "Pages 1–2 “quoted” – it’s…"}}},
		{"entities and escapes", `## Fish &amp; chips \*not emphasis\* <br>`,
			[]Heading{{2, "fish-amp-chips-not-emphasis-br", "Fish & chips *not emphasis*"}}},
		{"heading inside blockquote", "> ## Quoted",
			[]Heading{{2, "quoted", "Quoted"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.src).TOC
			if got == nil {
				t.Fatalf("TOC = nil, want non-nil")
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("TOC = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestGFM(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []string
		notWant []string
	}{
		{
			name: "table",
			src:  "| Name | Qty |\n|:-----|----:|\n| Apple | 3 |\n| Pear | 10 |",
			want: []string{"<table>", `<th style="text-align:left">Name</th>`, `<td style="text-align:right">10</td>`},
		},
		{
			name: "strikethrough",
			src:  "This is ~~gone~~ now.",
			want: []string{"<del>gone</del>"},
		},
		{
			name: "plain https URL becomes a link",
			src:  "See https://example.com/docs?a=1 for details.",
			want: []string{`<a href="https://example.com/docs?a=1">https://example.com/docs?a=1</a>`},
		},
		{
			name: "www becomes an http link",
			src:  "Visit www.example.com today.",
			want: []string{`<a href="http://www.example.com">www.example.com</a>`},
		},
		{
			name: "bare email becomes mailto",
			src:  "Mail team@example.com please.",
			want: []string{`<a href="mailto:team@example.com">team@example.com</a>`},
		},
		{
			name:    "plain ftp URL is left as text",
			src:     "ftp://example.com/file",
			want:    []string{"<p>ftp://example.com/file</p>"},
			notWant: []string{"<a"},
		},
		{
			name: "task list",
			src:  "- [ ] todo\n- [x] done",
			want: []string{`<li><input disabled="" type="checkbox"> todo</li>`, `<li><input checked="" disabled="" type="checkbox"> done</li>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertContains(t, render(t, tt.src).HTML, tt.want, tt.notWant)
		})
	}
}

func TestTableCellBudget(t *testing.T) {
	// table returns a table with the given number of columns and body rows.
	table := func(cols, rows int) string {
		return strings.Repeat("|a", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n" + strings.Repeat("|b|\n", rows)
	}
	tests := []struct {
		name       string
		src        string
		wantTables int
	}{
		{"small table", table(3, 3), 1},
		// Estimated cost: (pipes in the widest line + 1) × lines = 101 × 402.
		{"under the budget", table(99, 400), 1},
		{"padding bomb stays a paragraph", table(3000, 3000), 0},
		{"budget is per document", table(99, 298) + "\n" + table(99, 298), 1},
		{"budget is per render", table(99, 298), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.src).HTML
			if n := strings.Count(got, "<table>"); n != tt.wantTables {
				t.Errorf("rendered %d tables, want %d", n, tt.wantTables)
			}
			if len(got) > 4*len(tt.src)+maxTableCells*len("<td></td>\n") {
				t.Errorf("HTML is %d bytes for a %d-byte source", len(got), len(tt.src))
			}
		})
	}
}

func TestFootnotes(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "reference and definition",
			src:  "Claim.[^1]\n\n[^1]: Source here.",
			want: []string{
				`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`,
				`<div class="footnotes" role="doc-endnotes">`,
				`<li id="fn:1">`,
				"Source here.",
				`<a href="#fnref:1" class="footnote-backref" role="doc-backlink">`,
			},
		},
		{
			name: "named footnote",
			src:  "Text[^note].\n\n[^note]: A named note.",
			want: []string{`href="#fn:1"`, "A named note."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertContains(t, render(t, tt.src).HTML, tt.want, nil)
		})
	}
}

func TestTypographer(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"double quotes", `"quoted"`, "<p>&ldquo;quoted&rdquo;</p>"},
		{"single quotes", `'quoted'`, "<p>&lsquo;quoted&rsquo;</p>"},
		{"apostrophe", "it's", "<p>it&rsquo;s</p>"},
		{"en dash", "1--2", "<p>1&ndash;2</p>"},
		{"em dash", "yes---no", "<p>yes&mdash;no</p>"},
		{"ellipsis", "wait...", "<p>wait&hellip;</p>"},
		{"angle quotes", "<<a>>", "<p>&laquo;a&raquo;</p>"},
		{"not in code", "`a--b...`", "<p><code>a--b...</code></p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.TrimSpace(render(t, tt.src).HTML)
			if got != tt.want {
				t.Errorf("HTML = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFencedCode(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"language class", "```go\nfmt.Println(\"<hi>\")\n```",
			"<pre><code class=\"language-go\">fmt.Println(&quot;&lt;hi&gt;&quot;)\n</code></pre>"},
		{"no language", "```\nplain\n```", "<pre><code>plain\n</code></pre>"},
		{"language cannot break out of the attribute", "```go\"onmouseover=\"alert(1)\nx\n```",
			"<pre><code class=\"language-go&quot;onmouseover=&quot;alert(1)\">x\n</code></pre>"},
		{"language with angle brackets", "```<script>\nx\n```",
			"<pre><code class=\"language-&lt;script&gt;\">x\n</code></pre>"},
		{"indented code", "    a < b", "<pre><code>a &lt; b\n</code></pre>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.TrimSpace(render(t, tt.src).HTML)
			if got != tt.want {
				t.Errorf("HTML = %q, want %q", got, tt.want)
			}
			for _, a := range attrs(got) {
				if a.key != "class" {
					t.Errorf("unexpected attribute %s=%q on <%s>", a.key, a.val, a.tag)
				}
			}
		})
	}
}

func TestRawHTMLDropped(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		notWant []string
	}{
		{"block div", "<div onclick=\"alert(1)\">\nhello\n</div>", []string{"<div", "onclick"}},
		{"inline span", "Click <span onclick=\"alert(1)\">here</span>.", []string{"<span", "onclick"}},
		{"script block", "<script>\nalert(1)\n</script>", []string{"<script", "alert"}},
		{"script inline", "Hi <script>alert(1)</script> there", []string{"<script", "</script"}},
		{"img onerror", "<img src=x onerror=alert(1)>", []string{"<img", "onerror"}},
		{"img onerror inline", "text <img src=x onerror=alert(1)> text", []string{"<img", "onerror"}},
		{"iframe", "<iframe src=\"https://evil.example\"></iframe>", []string{"<iframe", "evil"}},
		{"style", "<style>body{display:none}</style>", []string{"<style", "display"}},
		{"comment", "<!-- secret -->", []string{"secret"}},
		{"svg onload", "<svg onload=alert(1)>", []string{"<svg", "onload"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.src).HTML
			assertContains(t, got, []string{"<!-- raw HTML omitted -->"}, tt.notWant)
		})
	}
}

func TestDangerousURLs(t *testing.T) {
	payloads := []string{
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"&#106;avascript:alert(1)",
		"&#x6A;avascript:alert(1)",
		"&#X6a;avascript:alert(1)",
		"javascript&colon;alert(1)",
		"javascript\\:alert(1)",
		"java&#x09;script:alert(1)",
		"java&#x0A;script:alert(1)",
		"java&#13;script:alert(1)",
		"&#x20;javascript:alert(1)",
		"&#x01;&#x1F;javascript:alert(1)",
		"\x01javascript:alert(1)",
		"<  javascript:alert(1)>",
		"<java\tscript:alert(1)>",
		"vbscript:msgbox(1)",
		"VBScript:msgbox(1)",
		"file:///etc/passwd",
		"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
		"data:text/html,<script>alert(1)</script>",
		"data:image/svg+xml;base64,PHN2Zz4=",
		"DATA:image/svg+xml,x",
		"data:image/png",              // no comma: not a data URL of a PNG
		"data:image/png,iVBORw0KGgo=", // no parameter: goldmark rejects it too
		"jar:file:///x!/y",
		"livescript:alert(1)",
	}
	forms := []struct {
		name   string
		format string
	}{
		{"link", "[x](%s)"},
		{"link with title", "[x](%s \"title\")"},
		{"image", "![x](%s)"},
		{"reference link", "[x][1]\n\n[1]: %s"},
		{"collapsed reference", "[x][]\n\n[x]: %s"},
		{"reference image", "![x][1]\n\n[1]: %s"},
		{"autolink", "<%s>"},
		{"image inside link", "[![x](%[1]s)](%[1]s)"},
		{"link in heading", "## [x](%s)"},
		{"link in table", "| a |\n|---|\n| [x](%s) |"},
		{"link in footnote", "x[^1]\n\n[^1]: [x](%s)"},
		{"link in list in quote", "> - [x](%s)"},
	}
	for _, f := range forms {
		for _, p := range payloads {
			src := fmt.Sprintf(f.format, p)
			t.Run(f.name+"/"+p, func(t *testing.T) {
				got := render(t, src).HTML
				for _, a := range attrs(got) {
					// The footnote extension's own #fn:/#fnref: links are fine.
					if (a.key == "href" || a.key == "src") && a.val != "" && !strings.HasPrefix(a.val, "#fn") {
						t.Errorf("%s=%q on <%s>, want empty; HTML = %q", a.key, a.val, a.tag, got)
					}
					// Heading ids are made from the raw heading line, so they
					// may spell out the payload ("xjavascriptalert1"); an id
					// cannot run code.
					v := strings.ToLower(a.val)
					if a.key != "id" && (strings.Contains(v, "script") || strings.Contains(v, "data:") || strings.Contains(v, "file:")) {
						t.Errorf("attribute %s=%q on <%s> keeps the payload; HTML = %q", a.key, a.val, a.tag, got)
					}
				}
			})
		}
	}
}

func TestDangerousAutolinkKeepsText(t *testing.T) {
	got := strings.TrimSpace(render(t, "<javascript:alert(1)>").HTML)
	want := `<p><a href="">javascript:alert(1)</a></p>`
	if got != want {
		t.Errorf("HTML = %q, want %q", got, want)
	}
}

func TestAllowedURLs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // decoded attribute value
	}{
		{"https", "[x](https://example.com/a?b=1&c=2#d)", "https://example.com/a?b=1&c=2#d"},
		{"http", "[x](http://example.com)", "http://example.com"},
		{"mixed-case scheme", "[x](HtTpS://example.com)", "HtTpS://example.com"},
		{"mailto", "[x](mailto:team@example.com)", "mailto:team@example.com"},
		{"tel", "[x](tel:+15551234567)", "tel:+15551234567"},
		{"absolute path", "[x](/docs/intro)", "/docs/intro"},
		{"relative path", "[x](../guide.html)", "../guide.html"},
		{"colon after slash", "[x](/a:b)", "/a:b"},
		{"fragment", "[x](#section-2)", "#section-2"},
		{"query", "[x](?page=2)", "?page=2"},
		{"protocol-relative", "[x](//cdn.example.com/a.js)", "//cdn.example.com/a.js"},
		{"empty", "[x]()", ""},
		{"reference", "[x][r]\n\n[r]: https://example.com/ref", "https://example.com/ref"},
		{"autolink", "<https://example.com>", "https://example.com"},
		{"email autolink", "<team@example.com>", "mailto:team@example.com"},
		{"image https", "![x](https://example.com/a.png)", "https://example.com/a.png"},
		{"image relative", "![x](img/a.png)", "img/a.png"},
		{"image data png", "![x](data:image/png;base64,iVBORw0KGgo=)", "data:image/png;base64,iVBORw0KGgo="},
		{"image data webp", "![x](data:image/webp;base64,UklGRg==)", "data:image/webp;base64,UklGRg=="},
		{"image data jpeg", "![x](DATA:IMAGE/JPEG;base64,/9j/)", "DATA:IMAGE/JPEG;base64,/9j/"},
		{"image data gif", "![x](data:image/gif;base64,R0lGOD)", "data:image/gif;base64,R0lGOD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := urlAttrs(render(t, tt.src).HTML)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("href/src values = %q, want [%q]", got, tt.want)
			}
		})
	}
}

func TestImagesLazy(t *testing.T) {
	got := strings.TrimSpace(render(t, `![A cat](/cat.png "Cat")`).HTML)
	want := `<p><img src="/cat.png" alt="A cat" title="Cat" loading="lazy"></p>`
	if got != want {
		t.Errorf("HTML = %q, want %q", got, want)
	}
}

func TestExcerpt(t *testing.T) {
	words := func(word string, n int) string { return strings.TrimSpace(strings.Repeat(word+" ", n)) }
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"empty", "", ""},
		{"whitespace only", "  \n\n\t", ""},
		{"heading only", "# Title\n\n## Sub", ""},
		{"first paragraph", "First one.\n\nSecond one.", "First one."},
		{"heading first", "# Title\n\nThe intro.\n\nMore.", "The intro."},
		{"skips lists, code, tables, quotes",
			"- item\n\n```\ncode\n```\n\n| a |\n|---|\n| b |\n\n> quote\n\n---\n\nThe real one.", "The real one."},
		{"skips image-only paragraph", "![cover](/cover.png)\n\nCaption text.", "Caption text."},
		{"plain text of markup",
			"Some *em*, **strong**, [a link](/x), `code`, ~~del~~ and https://example.com.",
			"Some em, strong, a link, code, del and https://example.com."},
		{"entities and typographer", `Fish &amp; chips -- "yum"...`, "Fish & chips – “yum”…"},
		{"raw HTML dropped", "Hello <b>bold</b> world", "Hello bold world"},
		{"whitespace collapsed", "line one\nline   two  \nline three", "line one line two line three"},
		{"exactly 300 runes kept", strings.Repeat("a", 300), strings.Repeat("a", 300)},
		{"cut at space boundary", words("word", 100), words("word", 60) + "…"},
		{"cut mid-word backs up", words("abcdefg", 100), words("abcdefg", 37) + "…"},
		{"one huge word", strings.Repeat("x", 400), strings.Repeat("x", 299) + "…"},
		{"counts runes not bytes", words("ééé", 200), words("ééé", 75) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.src).Excerpt
			if got != tt.want {
				t.Errorf("Excerpt = %q, want %q", got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > excerptMaxRunes {
				t.Errorf("Excerpt has %d runes, want ≤ %d", n, excerptMaxRunes)
			}
		})
	}
}

func TestWordCountAndReadingTime(t *testing.T) {
	words := func(n int) string { return strings.Repeat("word ", n) }
	tests := []struct {
		name      string
		src       string
		wantWords int
		wantMins  int
	}{
		{"empty", "", 0, 0},
		{"whitespace only", " \n\t\n ", 0, 0},
		{"one word", "hello", 1, 1},
		{"220 words", words(220), 220, 1},
		{"221 words", words(221), 221, 2},
		{"440 words", words(440), 440, 2},
		{"441 words", words(441), 441, 3},
		{"all block kinds",
			"# One\n\nTwo three.\n\n- four\n- [ ] five\n\n| six | seven |\n|---|---|\n| eight | nine |\n\n> ten\n\n```go\neleven twelve\n```\n\n    thirteen\n",
			13, 1},
		{"footnote text counts", "one[^1]\n\n[^1]: two three", 3, 1},
		{"inline markup does not split words", "**bold**ly un*emph*asized", 2, 1},
		{"image alt text is not counted", "![alt text here](/a.png)", 0, 1},
		{"raw HTML only: no words but content", "<!-- note -->", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.src)
			if got.WordCount != tt.wantWords {
				t.Errorf("WordCount = %d, want %d", got.WordCount, tt.wantWords)
			}
			if got.ReadingTime != tt.wantMins {
				t.Errorf("ReadingTime = %d, want %d", got.ReadingTime, tt.wantMins)
			}
		})
	}
}

func TestInvalidUTF8(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"lone byte", "a\xffb", "<p>a\uFFFDb</p>"},
		{"truncated sequence", "## \xe2\x82", "<h2 id=\"heading\">\uFFFD</h2>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.src)
			if h := strings.TrimSpace(got.HTML); h != tt.want {
				t.Errorf("HTML = %q, want %q", h, tt.want)
			}
			if !utf8.ValidString(got.HTML) || !utf8.ValidString(got.Excerpt) {
				t.Errorf("output is not valid UTF-8: %+v", got)
			}
		})
	}
}

// TestRenderConcurrent renders from many goroutines at once; run it with
// -race to check that the shared goldmark instance is safe for concurrent use.
func TestRenderConcurrent(t *testing.T) {
	docs := []string{
		benchArticle,
		"## Intro\n\n## Intro\n\nText with a [link](javascript:alert(1)) and a footnote.[^1]\n\n[^1]: Note.",
		"| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n<script>alert(1)</script>",
		"\"Quotes\" -- and... `code` ![img](/a.png) https://example.com",
	}
	want := make([]Result, len(docs))
	for i, d := range docs {
		want[i] = render(t, d)
	}

	const goroutines, rounds = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				i := (g + r) % len(docs)
				got, err := Render(docs[i])
				if err != nil {
					errs <- err
					return
				}
				if !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Errorf("doc %d: concurrent result differs from sequential result", i)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
