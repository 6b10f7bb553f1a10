package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// cutSnippet makes a snippet the way FTS5's snippet() does, at a fraction
// of its cost: snippet() scores every window of a column against every
// match in it (for a word found 150 times in a body that costs more than
// the whole search), and looks each entry up in the index again. It returns about n words of text
// around the place where the most different phrases of m occur (the most
// matches breaking ties, the earliest place after that), with \x01 and
// \x02 around each match and … where text was cut, and the number of
// different phrases it shows (0: none of m is in text).
func cutSnippet(text string, m searchMatch, n int) (string, int) {
	// Common words are near the start: look at the first part first.
	if len(text) > 1536 {
		cut := 1536
		for cut < len(text) && isWordRune(rune(text[cut])) {
			cut++
		}
		if snip, k := cutSnippetIn(text[:cut], m, n); k == len(m.phrases) {
			if cut < len(text) && !strings.HasSuffix(snip, "…") {
				snip += "…"
			}
			return snip, k
		}
	}
	return cutSnippetIn(text, m, n)
}

func cutSnippetIn(text string, m searchMatch, n int) (string, int) {
	toks := tokenize(text)
	if len(toks) == 0 {
		return "", 0
	}
	// hit[i] is the phrase (1-based) whose match starts at token i, and
	// size[i] its length in tokens.
	hit := make([]int, len(toks))
	size := make([]int, len(toks))
	for i := range toks {
		for p, ph := range m.phrases {
			if ph.matchesAt(toks, i) {
				hit[i], size[i] = p+1, len(ph.words)
				break
			}
		}
	}
	n = min(n, len(toks))
	seen := make([]int, len(m.phrases)+1)
	distinct, hits := 0, 0
	add := func(i, d int) {
		if hit[i] == 0 {
			return
		}
		hits += d
		seen[hit[i]] += d
		if d > 0 && seen[hit[i]] == 1 {
			distinct++
		} else if d < 0 && seen[hit[i]] == 0 {
			distinct--
		}
	}
	// Windows of n tokens, each starting at a match (or at the start).
	bestStart, bestScore := -1, 0
	end := 0
	for start := range toks {
		if start > 0 {
			add(start-1, -1)
		}
		for ; end < min(len(toks), start+n); end++ {
			add(end, 1)
		}
		if hit[start] != 0 || start == 0 {
			if score := distinct*1000 + hits; score > bestScore {
				bestStart, bestScore = start, score
			}
		}
	}
	if bestStart < 0 {
		return "", 0
	}
	// Begin a little before the first match, as a reader would quote it:
	// at the start of its sentence if that is near, and never so early
	// that the window loses a match at its end.
	lastEnd := bestStart
	for i := bestStart; i < min(len(toks), bestStart+n); i++ {
		if hit[i] != 0 {
			lastEnd = max(lastEnd, min(len(toks), i+size[i]))
		}
	}
	earliest := max(0, lastEnd-n, bestStart-n/4)
	start := max(earliest, bestStart-n/8)
	for i := bestStart; i >= earliest; i-- {
		if i == 0 || strings.ContainsAny(text[toks[i-1].to:toks[i].from], ".!?\n") {
			start = i
			break
		}
	}
	end = min(len(toks), start+n)
	if end-start < n { // near the end: show n words all the same
		start = max(0, end-n)
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos, closeAt := toks[start].from, -1
	for i := start; i < end; i++ {
		b.WriteString(text[pos:toks[i].from])
		if hit[i] != 0 && closeAt < 0 {
			b.WriteByte(1)
			closeAt = min(end, i+size[i]) - 1
		}
		b.WriteString(text[toks[i].from:toks[i].to])
		if i == closeAt {
			b.WriteByte(2)
			closeAt = -1
		}
		pos = toks[i].to
	}
	if end < len(toks) {
		b.WriteString("…")
	}
	return b.String(), bestScore / 1000
}

type token struct {
	from, to int    // bytes of text
	word     string // folded as the index folds it
}

// tokenize splits text into words as the index's tokenizer (unicode61,
// remove_diacritics 2) does: runs of letters and digits, lowercased and
// without diacritics.
func tokenize(text string) []token {
	out := make([]token, 0, len(text)/6)
	lower := asciiLower(text)
	from, plain := -1, true // plain: the token is ASCII so far
	emit := func(to int) {
		w := lower[from:to]
		if !plain {
			w = fold(text[from:to])
		}
		out = append(out, token{from, to, w})
		from, plain = -1, true
	}
	for i := 0; i < len(text); {
		if c := lower[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
				if from < 0 {
					from = i
				}
			} else if from >= 0 {
				emit(i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			if from < 0 {
				from = i
			}
			plain = false
		} else if from >= 0 {
			emit(i)
		}
		i += size
	}
	if from >= 0 {
		emit(len(text))
	}
	return out
}

// asciiLower returns text with A-Z lowercased: the same length, so that
// offsets in one are offsets in the other.
func asciiLower(text string) string {
	b := []byte(text)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// fold lowercases a word and takes its diacritics off.
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// matchesAt tells whether phrase p matches the tokens from i on.
func (p searchPhrase) matchesAt(toks []token, i int) bool {
	if i+len(p.words) > len(toks) {
		return false
	}
	for k, w := range p.words {
		t := toks[i+k].word
		if p.prefix && k == len(p.words)-1 {
			if !strings.HasPrefix(t, w) {
				return false
			}
		} else if t != w {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)
}
