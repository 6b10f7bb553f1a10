package store

import (
	"strings"
	"sync"
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
	// Common words are near the start: look at the first part first (not
	// for many phrases, which the first part seldom holds all of).
	if len(text) > 1536 && len(m.phrases) <= 3 {
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
	buf := snippetBufs.Get().(*snippetBuf)
	defer snippetBufs.Put(buf)
	toks := buf.scan(text)
	if len(toks.spans) == 0 {
		return "", 0
	}
	// hit[i] is the phrase (1-based) whose match starts at token i, and
	// size[i] its length in tokens.
	hit, size := buf.hits(len(toks.spans))
	firsts := m.firstWords()
	for i, sp := range toks.spans {
		// Most words can't start a phrase: tell them by their first
		// letter and length before looking them up.
		if c := toks.lower[sp.from]; c < utf8.RuneSelf && !firsts.bytes[c] {
			continue
		}
		w := toks.word(i)
		if len(firsts.prefix) == 0 && (len(w) >= 64 || firsts.lengths&(1<<len(w)) == 0) {
			continue
		}
		best := -1
		for _, p := range firsts.exact[w] {
			if (best < 0 || p < best) && m.phrases[p].matchesAt(&toks, i) {
				best = p
			}
		}
		for _, p := range firsts.prefix {
			if (best < 0 || p < best) && strings.HasPrefix(w, m.phrases[p].words[0]) && m.phrases[p].matchesAt(&toks, i) {
				best = p
			}
		}
		if best >= 0 {
			hit[i], size[i] = int32(best+1), int32(len(m.phrases[best].words))
		}
	}
	ntok := len(toks.spans)
	n = min(n, ntok)
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
	for start := range ntok {
		if start > 0 {
			add(start-1, -1)
		}
		for ; end < min(ntok, start+n); end++ {
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
	sp := toks.spans
	// Begin a little before the first match, as a reader would quote it:
	// at the start of its sentence if that is near, and never so early
	// that the window loses a match at its end.
	lastEnd := bestStart
	for i := bestStart; i < min(ntok, bestStart+n); i++ {
		if hit[i] != 0 {
			lastEnd = max(lastEnd, min(ntok, i+int(size[i])))
		}
	}
	earliest := max(0, lastEnd-n, bestStart-n/4)
	start := max(earliest, bestStart-n/8)
	for i := bestStart; i >= earliest; i-- {
		if i == 0 || strings.ContainsAny(text[sp[i-1].to:sp[i].from], ".!?\n") {
			start = i
			break
		}
	}
	end = min(ntok, start+n)
	if end-start < n { // near the end: show n words all the same
		start = max(0, end-n)
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos, closeAt := int(sp[start].from), -1
	for i := start; i < end; i++ {
		b.WriteString(text[pos:sp[i].from])
		if hit[i] != 0 && closeAt < 0 {
			b.WriteByte(1)
			closeAt = min(end, i+int(size[i])) - 1
		}
		b.WriteString(text[sp[i].from:sp[i].to])
		if i == closeAt {
			b.WriteByte(2)
			closeAt = -1
		}
		pos = int(sp[i].to)
	}
	if end < ntok {
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
	var buf snippetBuf
	toks := buf.scan(text)
	out := make([]token, len(toks.spans))
	for i, s := range toks.spans {
		out[i] = token{int(s.from), int(s.to), toks.word(i)}
	}
	return out
}

// span is where a token is in a text, in bytes.
type span struct{ from, to int32 }

// tokens is a text split into words: their places (no pointers, so a
// long text's tokens cost the garbage collector nothing), and each word
// folded as the index folds it: a slice of the ASCII-lowercased text, or
// for words with other letters, folded apart.
type tokens struct {
	lower  string
	spans  []span
	folded map[int]string
}

func (t *tokens) word(i int) string {
	if t.folded != nil {
		if w, ok := t.folded[i]; ok {
			return w
		}
	}
	return t.lower[t.spans[i].from:t.spans[i].to]
}

// snippetBuf keeps the buffers of one snippet between uses.
type snippetBuf struct {
	spans     []span
	hit, size []int32
}

var snippetBufs = sync.Pool{New: func() any { return new(snippetBuf) }}

// hits returns n zeroed entries of the hit and size buffers.
func (b *snippetBuf) hits(n int) (hit, size []int32) {
	if cap(b.hit) < n {
		b.hit, b.size = make([]int32, n), make([]int32, n)
	}
	hit, size = b.hit[:n], b.size[:n]
	clear(hit)
	clear(size)
	return hit, size
}

// scan splits text into its words (see tokenize).
func (b *snippetBuf) scan(text string) tokens {
	t := tokens{lower: asciiLower(text), spans: b.spans[:0]}
	if cap(t.spans) < len(text)/5 {
		t.spans = make([]span, 0, len(text)/5)
	}
	lower := t.lower
	from, plain := -1, true // plain: the token is ASCII so far
	for i := 0; i < len(text); {
		c := lower[i]
		if c < utf8.RuneSelf {
			if asciiWord[c] {
				if from < 0 {
					from = i
				}
				i++
				continue
			}
			if from >= 0 {
				t.emit(text, from, i, plain)
				from, plain = -1, true
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
			t.emit(text, from, i, plain)
			from, plain = -1, true
		}
		i += size
	}
	if from >= 0 {
		t.emit(text, from, len(text), plain)
	}
	b.spans = t.spans
	return t
}

func (t *tokens) emit(text string, from, to int, plain bool) {
	if !plain {
		if t.folded == nil {
			t.folded = map[int]string{}
		}
		t.folded[len(t.spans)] = fold(text[from:to])
	}
	t.spans = append(t.spans, span{int32(from), int32(to)})
}

// asciiWord tells the ASCII bytes that are word characters (after
// lowercasing).
var asciiWord = func() (w [utf8.RuneSelf]bool) {
	for c := range w {
		w[c] = 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
	}
	return w
}()

// asciiLower returns text with A-Z lowercased: the same length, so that
// offsets in one are offsets in the other.
func asciiLower(text string) string {
	i := 0
	for i < len(text) && (text[i] < 'A' || text[i] > 'Z') {
		i++
	}
	if i == len(text) {
		return text
	}
	// One copy ([]byte(text) turned back into a string would be two).
	var b strings.Builder
	b.Grow(len(text))
	b.WriteString(text[:i])
	for ; i < len(text); i++ {
		c := text[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
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
func (p searchPhrase) matchesAt(t *tokens, i int) bool {
	if i+len(p.words) > len(t.spans) {
		return false
	}
	for k, w := range p.words {
		tw := t.word(i + k)
		if p.prefix && k == len(p.words)-1 {
			if !strings.HasPrefix(tw, w) {
				return false
			}
		} else if tw != w {
			return false
		}
	}
	return true
}

// phraseStarts indexes a search's phrases by their first word: exact
// words, and first words that match as a prefix.
type phraseStarts struct {
	exact  map[string][]int
	prefix []int
	// bytes: the ASCII bytes a first word starts with (any byte not ASCII
	// is let through); lengths: bit k set when an exact first word has k
	// bytes (or is longer than 63).
	bytes   [utf8.RuneSelf]bool
	lengths uint64
}

func (m searchMatch) firstWords() phraseStarts {
	f := phraseStarts{exact: make(map[string][]int, len(m.phrases))}
	for p, ph := range m.phrases {
		w := ph.words[0]
		if ph.prefix && len(ph.words) == 1 {
			f.prefix = append(f.prefix, p)
		} else {
			f.exact[w] = append(f.exact[w], p)
			f.lengths |= 1 << min(len(w), 63)
		}
		if w[0] < utf8.RuneSelf {
			f.bytes[w[0]] = true
		}
	}
	return f
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)
}
