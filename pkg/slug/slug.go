// Package slug makes and checks URL slugs: lowercase ASCII words joined by
// hyphens, such as "hello-world-backend-101".
package slug

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	gosimple "github.com/gosimple/slug"
)

// MaxLen is the longest slug Folio accepts.
const MaxLen = 120

var valid = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Valid reports whether s is a well-formed slug of at most MaxLen bytes.
func Valid(s string) bool {
	return len(s) <= MaxLen && valid.MatchString(s)
}

// Make derives a slug from a title: accents are transliterated ("Wörld" →
// "world"), other scripts romanised, and the words joined by hyphens. The
// result is at most MaxLen bytes, cut at a hyphen when possible, and empty
// when the title has nothing to make a slug from (e.g. "!!!").
func Make(title string) string {
	s := gosimple.Make(title) // lowercase ASCII; keeps '_' which we don't allow
	s = strings.ReplaceAll(s, "_", "-")
	s = collapseHyphens(s)
	return truncate(s, MaxLen)
}

// Unique returns base, or base-2, base-3, … (the first that taken reports as
// free), keeping the result within MaxLen.
func Unique(ctx context.Context, base string, taken func(ctx context.Context, candidate string) (bool, error)) (string, error) {
	for n := 1; ; n++ {
		candidate := base
		if n > 1 {
			suffix := "-" + strconv.Itoa(n)
			candidate = strings.TrimRight(truncate(base, MaxLen-len(suffix)), "-") + suffix
		}
		used, err := taken(ctx, candidate)
		if err != nil {
			return "", err
		}
		if !used {
			return candidate, nil
		}
		if err := ctx.Err(); err != nil {
			return "", err
		}
	}
}

func collapseHyphens(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prevHyphen := true // drops leading hyphens
	for _, r := range s {
		if r == '-' {
			if !prevHyphen {
				b.WriteRune(r)
			}
			prevHyphen = true
			continue
		}
		b.WriteRune(r)
		prevHyphen = false
	}
	return strings.TrimRight(b.String(), "-")
}

// truncate cuts s to at most n bytes, at the last hyphen if there is one in
// the second half, so words are not split needlessly.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	if i := strings.LastIndexByte(s, '-'); i > n/2 {
		s = s[:i]
	}
	return strings.TrimRight(s, "-")
}
