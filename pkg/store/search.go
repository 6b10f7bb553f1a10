package store

import (
	"html"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// This file is the SQLite-only part of the store: full-text search with
// FTS5. Another database would implement Search with its own index; the
// rest of Folio only sees SearchQuery and SearchHit.

// SearchQuery is a search as a reader typed it.
type SearchQuery struct {
	Text   string
	Types  []string // empty: every type
	At     time.Time
	Offset int
	Limit  int
}

// SearchHit is one result.
type SearchHit struct {
	ID          int64
	Type        string
	Slug        string
	Title       string
	Excerpt     string
	PublishedAt *time.Time
	// Snippet is HTML: the matching passage, escaped, with <mark> around
	// the matching words.
	Snippet string
}

// SearchResult is a page of hits and how many entries match in all.
type SearchResult struct {
	Hits  []SearchHit
	Total int64
	// Capped: more than SearchCap entries match; Total is SearchCap and the
	// hits are the best SearchCap (see Search).
	Capped bool
}

// How much work one search may do (see docs/PERFORMANCE.md for the numbers
// behind them).
const (
	// SearchCap is the most results a search has: a query matching more
	// reports SearchCap as its total (and Capped); when it is ranked by
	// where it matches, only the newest SearchCap matches are looked at.
	SearchCap = 1000
	// bm25Budget is how many postings the BM25 ranking may read: about the
	// sum, over the query's words, of the entries containing each (BM25
	// counts every entry with each word before it ranks). Queries within
	// it are ranked by BM25 over all their matches; others by where they
	// match (title, then excerpt and meta, then body), newest first.
	bm25Budget = 3000
	// sampleSize is how many of the newest entries the estimate of how
	// common a word is looks at.
	sampleSize = 500
	// lightLimit bounds the matches a BM25-ranked search reads back.
	lightLimit = 4 * bm25Budget
)

// Search returns the visible entries matching q, best first, and how many
// match. Small result sets, and queries made of words that few entries
// contain, are ranked by BM25 with the title weighted above the excerpt
// above the text. A query whose words are in most entries (where BM25
// itself says they tell nothing apart, and counting them would read
// millions of positions) is ranked by where it matches among the newest
// SearchCap matches: title, then excerpt and meta, then body. A query with
// no searchable words matches nothing.
func (r Reader) Search(q SearchQuery) (SearchResult, error) {
	if r.pg() {
		return SearchResult{}, notOnPostgres("search")
	}
	m := parseSearch(q.Text)
	res := SearchResult{Hits: []SearchHit{}}
	if m.empty() {
		return res, nil
	}
	expr := m.expression()
	typed := len(q.Types) > 0
	args := []any{expr, q.At.UTC()}
	if typed {
		args = append(args, q.Types)
	}
	heavy, err := r.searchIsHeavy(m)
	if err != nil {
		return res, err
	}
	var ids []int64
	if !heavy {
		// One pass over every match ranks them all, which counts them too.
		ranked, err := r.ids(searchSQL("entries.id", typed, searchRanked), append(args, lightLimit, 0)...)
		if err != nil {
			return res, translate(err)
		}
		res.Total = int64(len(ranked))
		if len(ranked) == lightLimit { // far more than estimated
			if err := r.db.Raw(searchSQL("COUNT(*)", typed, ""), args...).Scan(&res.Total).Error; err != nil {
				return res, translate(err)
			}
		}
		if len(ranked) > SearchCap { // the best SearchCap, like any search
			ranked, res.Total, res.Capped = ranked[:SearchCap], SearchCap, true
		}
		if len(ranked) <= q.Offset {
			return res, nil
		}
		ids = ranked[q.Offset:min(len(ranked), q.Offset+q.Limit)]
	} else {
		// The newest SearchCap+1 matches, newest first: the count, and the
		// window the ranking looks at.
		window, err := r.ids(searchSQL("entries_fts.rowid", typed, searchNewest), append(args, SearchCap+1)...)
		if err != nil {
			return res, translate(err)
		}
		if len(window) > SearchCap {
			window, res.Capped = window[:SearchCap], true
		}
		res.Total = int64(len(window))
		if res.Total <= int64(q.Offset) {
			return res, nil
		}
		// Where each match matches: the title, the excerpt or meta, or only
		// the body. Each tier is newest first.
		oldest := window[len(window)-1]
		tier := func(cols string) (map[int64]bool, error) {
			in, err := r.ids(searchTierSQL, `{`+cols+`} : (`+expr+`)`, oldest)
			set := make(map[int64]bool, len(in))
			for _, id := range in {
				set[id] = true
			}
			return set, translate(err)
		}
		inTitle, err := tier("title")
		if err != nil {
			return res, err
		}
		titled := 0
		for _, id := range window {
			if inTitle[id] {
				titled++
			}
		}
		inHead := map[int64]bool{}
		if titled < q.Offset+q.Limit { // the page reaches past the title matches
			if inHead, err = tier("excerpt meta"); err != nil {
				return res, err
			}
		}
		ranked := make([]int64, 0, len(window))
		for _, pass := range []func(int64) bool{
			func(id int64) bool { return inTitle[id] },
			func(id int64) bool { return !inTitle[id] && inHead[id] },
			func(id int64) bool { return !inTitle[id] && !inHead[id] },
		} {
			for _, id := range window {
				if pass(id) {
					ranked = append(ranked, id)
				}
			}
		}
		ids = ranked[q.Offset:min(len(ranked), q.Offset+q.Limit)]
	}
	hits, err := r.searchHits(ids, m)
	res.Hits = hits
	return res, err
}

// shortSearch is the longest text an admin search also matches in titles
// as a substring: shorter than a prefix the index matches, or where the
// index sees no word at all ("%", "C#" is "c").
const shortSearch = 2

// searchFilter restricts an entry list to those text matches: in the
// full-text index (every status: the index holds every entry), and for
// short text also those whose title contains it, case-insensitively. The
// index drives: its matches are read once, at most the newest SearchCap of
// them (as for public searches), and the list looks entries up among them.
func searchFilter(q *gorm.DB, text string) *gorm.DB {
	m := parseSearch(text)
	like := "%" + escapeLike(text) + "%"
	matches := "entries.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid DESC LIMIT " + strconv.Itoa(SearchCap) + ")"
	switch {
	case m.empty():
		return q.Where("entries.title LIKE ? ESCAPE '\\'", like)
	case utf8.RuneCountInString(text) <= shortSearch:
		return q.Where("("+matches+" OR entries.title LIKE ? ESCAPE '\\')", m.expression(), like)
	}
	return q.Where(matches, m.expression())
}

// searchSQL is a search query: the index drives (CROSS JOIN keeps it the
// outer loop), each match's visibility, and with typed its type, is
// checked from the entries_search_visibility index. Its parameters are
// the FTS5 expression, the time, the types if typed, then tail's.
func searchSQL(sel string, typed bool, tail string) string {
	q := `SELECT ` + sel + ` FROM entries_fts CROSS JOIN entries ON entries.id = entries_fts.rowid
		WHERE entries_fts MATCH ? AND ` + visibleSQL
	if typed {
		q += ` AND entries.type IN ?`
	}
	return q + tail
}

const (
	// searchRanked orders matches by BM25 (see the rank set in the
	// migrations), then newest first; its parameters are limit and offset.
	searchRanked = ` ORDER BY entries_fts.rank, entries.published_at DESC, entries.id DESC LIMIT ? OFFSET ?`
	// searchNewest takes the newest matches (by id); its parameter is how many.
	searchNewest = ` ORDER BY entries_fts.rowid DESC LIMIT ?`
	// searchTierSQL lists the entries from an id on that match an
	// expression restricted to some of the short columns: from the small
	// index of those alone, which answers in a fraction of the time the
	// main one takes (it reads no body's positions).
	searchTierSQL = `SELECT rowid FROM entries_fts_head WHERE entries_fts_head MATCH ? AND rowid >= ?`
)

// ids runs a query of one integer column and returns its values, without
// GORM's reflection on every row (for the 1,000 ids of a capped search,
// about as costly as reading them).
func (r Reader) ids(sql string, args ...any) ([]int64, error) {
	rows, err := r.db.Raw(sql, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]int64, 0, 64)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// searchIsHeavy tells whether ranking m with BM25 would read more than
// bm25Budget postings, from how many of the newest sampleSize entries
// contain each of its words.
func (r Reader) searchIsHeavy(m searchMatch) (bool, error) {
	// Ids are given in order and rarely deleted: the highest is about how
	// many entries there are, and the newest are just below it.
	var stats struct{ N, MaxID int64 }
	if err := r.db.Raw(`SELECT COALESCE(MAX(id), 0) AS max_id FROM entries`).Scan(&stats.MaxID).Error; err != nil {
		return false, translate(err)
	}
	if stats.N = stats.MaxID; stats.N <= bm25Budget {
		return false, nil
	}
	// Heavy when the words are in more than enough of the sample: each
	// word is counted only up to that (a word in most entries is counted
	// no further than a word that alone makes the query heavy), which
	// gives the same answer as counting them all, at a fraction of the
	// cost for common words.
	enough := bm25Budget*sampleSize/stats.N + 1
	terms := m.terms()
	parts := make([]string, len(terms))
	args := make([]any, 0, 3*len(terms))
	for i, t := range terms {
		parts[i] = `(SELECT COUNT(*) FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? AND rowid > ? ORDER BY rowid DESC LIMIT ?))`
		args = append(args, t, stats.MaxID-sampleSize, enough)
	}
	var counts []int64
	rows, err := r.db.Raw(`SELECT `+strings.Join(parts, ", "), args...).Rows()
	if err != nil {
		return false, translate(err)
	}
	defer rows.Close()
	if rows.Next() {
		counts = make([]int64, len(terms))
		ptrs := make([]any, len(terms))
		for i := range counts {
			ptrs[i] = &counts[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return false, translate(err)
		}
	}
	if err := rows.Err(); err != nil {
		return false, translate(err)
	}
	var sampled int64
	for _, c := range counts {
		sampled += c
	}
	return sampled*stats.N > bm25Budget*sampleSize, nil
}

// searchHits reads the entries ids, in that order, with a snippet of each
// for m, cut here (cutSnippet) from the text the index holds.
func (r Reader) searchHits(ids []int64, m searchMatch) ([]SearchHit, error) {
	if len(ids) == 0 {
		return []SearchHit{}, nil
	}
	var rows []SearchHit
	err := r.db.Raw(`SELECT entries.id, entries.type, entries.slug, entries.title, entries.published_at,
			CASE WHEN entries.type = 'case_study' THEN entries.summary WHEN entries.excerpt <> '' THEN entries.excerpt ELSE entries.auto_excerpt END AS excerpt
		FROM entries WHERE entries.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	byID := make(map[int64]SearchHit, len(rows))
	for _, h := range rows {
		byID[h.ID] = h
	}
	var texts []struct {
		ID                         int64
		Title, Excerpt, Body, Meta string
	}
	if err := r.db.Raw(`SELECT id, title, excerpt, body, meta FROM entries_search WHERE id IN ?`, ids).Scan(&texts).Error; err != nil {
		return nil, translate(err)
	}
	snippets := make(map[int64]string, len(ids))
	var missed []int64
	for _, t := range texts {
		best, bestN := "", 0
		for _, col := range []string{t.Body, t.Excerpt, t.Title, t.Meta} {
			if s, n := cutSnippet(col, m, snippetWords); n > bestN {
				best, bestN = s, n
				if n == len(m.phrases) {
					break
				}
			}
		}
		if bestN == 0 {
			missed = append(missed, t.ID)
		}
		snippets[t.ID] = best
	}
	if len(missed) > 0 {
		// Text the index matched that cutSnippet does not see matching (a
		// letter FTS5 folds differently): FTS5's own snippet().
		var rows []struct {
			ID      int64
			Snippet string
		}
		err = r.db.Raw(`SELECT rowid AS id, snippet(entries_fts, -1, char(1), char(2), '…', ?) AS snippet
			FROM entries_fts WHERE entries_fts MATCH ? AND rowid IN ?`, snippetWords, m.expression(), missed).Scan(&rows).Error
		if err != nil {
			return nil, translate(err)
		}
		for _, s := range rows {
			snippets[s.ID] = s.Snippet
		}
	}
	hits := make([]SearchHit, 0, len(ids))
	for _, id := range ids {
		if h, ok := byID[id]; ok {
			h.Snippet = markSnippet(snippets[id])
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// snippetWords is how many words a snippet shows.
const snippetWords = 24

// markSnippet escapes a snippet and turns FTS5's \x01…\x02 markers (which
// can't occur in indexed text: control characters are not word characters
// and are stripped from plain text) into <mark>…</mark>.
func markSnippet(s string) string {
	s = html.EscapeString(s)
	return strings.NewReplacer("\x01", "<mark>", "\x02", "</mark>").Replace(s)
}

// searchMatch is what a reader typed, as the index sees it: phrases (a
// quoted phrase, or one word) that must all match; the last word typed is
// a prefix (search as you type) from minPrefix letters on.
type searchMatch struct {
	phrases []searchPhrase
}

type searchPhrase struct {
	words  []string
	prefix bool
}

// minPrefix is the shortest word that matches as a prefix: "d" finds the
// word "d", "da" finds "data", "database" and "dashboard" (from the
// index's prefix tables, built for 2, 3 and 4 letters).
const minPrefix = 2

// parseSearch turns what a reader typed into phrases: every word is just
// a word (so FTS syntax such as NEAR(, *, OR, :, ^ or column names is only
// text), "quoted phrases" stay phrases, all must match, and the last word
// matches as a prefix unless a space or a quote follows it. An unbalanced
// quote is ignored.
func parseSearch(text string) searchMatch {
	var m searchMatch
	phrases, rest := splitPhrases(text)
	for _, p := range phrases {
		if words := searchWords(p); len(words) > 0 {
			for i, w := range words {
				words[i] = fold(w)
			}
			m.phrases = append(m.phrases, searchPhrase{words: words})
		}
	}
	words := searchWords(rest)
	for i, w := range words {
		w = fold(w)
		last := i == len(words)-1 && !strings.HasSuffix(text, " ") && !strings.HasSuffix(strings.TrimRight(text, " "), `"`)
		m.phrases = append(m.phrases, searchPhrase{words: []string{w}, prefix: last && utf8.RuneCountInString(w) >= minPrefix})
	}
	return m
}

func (m searchMatch) empty() bool { return len(m.phrases) == 0 }

// expression is m as an FTS5 query: quoted strings, ANDed.
func (m searchMatch) expression() string {
	terms := make([]string, len(m.phrases))
	for i, p := range m.phrases {
		terms[i] = p.String()
	}
	return strings.Join(terms, " ")
}

// longestIndexedPrefix is the longest prefix the index has a table of
// (prefix = '2 3 4' in the migrations).
const longestIndexedPrefix = 4

// terms lists each distinct word of m once, as an FTS5 query of its own,
// for estimating how common they are. A longer prefix than the index has
// a table for is estimated by its first longestIndexedPrefix letters: FTS5
// answers one by merging every word with it in the whole index first
// (about 1 ms for "deploy*" on the bench corpus, 0.1 ms for "depl*"), and
// the estimate, too high if anything, only ever errs toward the bounded
// ranking by where the words match.
func (m searchMatch) terms() []string {
	var out []string
	for _, p := range m.phrases {
		for i, w := range p.words {
			prefix := p.prefix && i == len(p.words)-1
			if r := []rune(w); prefix && len(r) > longestIndexedPrefix {
				w = string(r[:longestIndexedPrefix])
			}
			t := searchPhrase{words: []string{w}, prefix: prefix}.String()
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

func (p searchPhrase) String() string {
	s := quote(strings.Join(p.words, " "))
	if p.prefix {
		s += "*"
	}
	return s
}

// ftsExpression is the FTS5 query for what a reader typed ("" when it has
// no searchable words).
func ftsExpression(text string) string { return parseSearch(text).expression() }

// splitPhrases takes out the text between pairs of double quotes; an odd
// quote left over is dropped.
func splitPhrases(text string) (phrases []string, rest string) {
	parts := strings.Split(text, `"`)
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			phrases = append(phrases, p)
			continue
		}
		b.WriteString(p)
		b.WriteByte(' ')
	}
	return phrases, b.String()
}

// searchWords splits text into words the way the index does: runs of
// letters and digits (the tokenizer drops everything else anyway).
func searchWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r) })
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
