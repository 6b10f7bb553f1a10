package content_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoTypeSwitches holds the rule that the shared workflow knows an entry
// type only through its spec: outside the spec files, no code of the
// package compares an entry's type with a type constant.
func TestNoTypeSwitches(t *testing.T) {
	specFiles := map[string]bool{"post.go": true, "casestudy.go": true, "page.go": true, "spec.go": true, "types.go": true}
	comparison := regexp.MustCompile(`(==|!=)\s*(Post|CaseStudy|SitePage)\b|\bcase (Post|CaseStudy|SitePage)\b|\b(Post|CaseStudy|SitePage)\s*(==|!=)`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if specFiles[f] || strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if comparison.MatchString(line) {
				t.Errorf("%s:%d compares entry types; declare what differs in the type's spec instead: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
