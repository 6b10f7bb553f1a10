package markdown

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTooComplexIsRefusedQuickly(t *testing.T) {
	for _, pattern := range []string{"[a](", "![a](", "[a](<", ">", "> ", "> - ", "1. ", "- > "} {
		src := strings.Repeat(pattern, (64<<10)/len(pattern))
		start := time.Now()
		_, err := Render(src)
		if !errors.Is(err, ErrTooComplex) {
			t.Errorf("%q×%d: err = %v, want ErrTooComplex", pattern, len(src)/len(pattern), err)
		}
		// Not a timing assertion on the renderer: refusing must not parse at all.
		if d := time.Since(start); d > time.Second {
			t.Errorf("%q: refusing took %v; the check should run before parsing", pattern, d)
		}
	}
}

func TestRealisticDocumentsAreNotTooComplex(t *testing.T) {
	docs := []string{
		buildBenchArticle(),
		strings.Repeat("> > > - 1. nested but reasonable\n", 100),
		strings.Repeat("[a](https://example.com/a) ", 200), // 200 links on one line
		strings.Repeat("  ", 40) + "- deep indentation is not nesting markers",
		"1) first\n2) second\n- [x] done\n* star\n+ plus\n",
	}
	for i, d := range docs {
		if _, err := Render(d); err != nil {
			t.Errorf("doc %d: %v", i, err)
		}
	}
}

func TestNesting(t *testing.T) {
	for line, want := range map[string]int{
		"":                 0,
		"text":             0,
		"> quote":          1,
		">>> x":            3,
		"> - 1. x":         3,
		"- [ ] task":       1,
		"-not a list":      0,
		"123456789. x":     1,
		"1234567890. x":    0,
		"2024. was a year": 1,
	} {
		if got := nesting(line); got != want {
			t.Errorf("nesting(%q) = %d, want %d", line, got, want)
		}
	}
}
