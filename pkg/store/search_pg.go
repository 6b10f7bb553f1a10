package store

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Search on PostgreSQL: entries_fts holds one weighted tsvector per entry
// (title A, excerpt B, meta C, body D; the 'simple' configuration, which
// like SQLite's unicode61 tokenizer folds case and does not stem, after
// unaccent, which folds diacritics as remove_diacritics does), kept by
// triggers from the view entries_search in the transaction of every
// write, with a GIN index (the search step of migrations_pg.go). What a reader typed is parsed once, as on SQLite
// (parseSearch): every word must match, "quoted phrases" match as phrases
// (<->), the last word typed as a prefix (:*). Matches are ranked by
// ts_rank with the weights of SQLite's BM25 (10, 4, 2, 1 for title,
// excerpt, meta, body) and, like BM25, normalised by the entry's length
// (normalization 1: divided by 1 + log(length)), then newest first; snippets are cut from the same
// text the same way (cutSnippet), with ts_headline for text the index
// matched that cutSnippet does not see matching.

// pgRankWeights are ts_rank's weights for D, C, B, A: body 1, meta 2,
// excerpt 4, title 10, scaled to at most 1.
const pgRankWeights = `'{0.1, 0.2, 0.4, 1.0}'`

// tsquery is m as a PostgreSQL tsquery in text form, for
// to_tsquery('simple', unaccent(?)): each word quoted (it holds only
// letters and digits anyway), phrases joined by <-> within one column,
// the last word of a prefix phrase with :*, all phrases ANDed.
func (m searchMatch) tsquery() string {
	terms := make([]string, len(m.phrases))
	for i, p := range m.phrases {
		words := make([]string, len(p.words))
		for j, w := range p.words {
			words[j] = "'" + strings.ReplaceAll(w, "'", "''") + "'"
			if p.prefix && j == len(p.words)-1 {
				words[j] += ":*"
			}
		}
		if len(words) == 1 {
			terms[i] = words[0]
			continue
		}
		// The columns are one tsvector, one after the other: a phrase
		// must not run from the end of one into the next (the title's
		// last word and the body's first). Each has its own weight, so
		// the phrase is asked for within each weight.
		alts := make([]string, 4)
		for k, weight := range []string{"A", "B", "C", "D"} {
			ws := make([]string, len(words))
			for j, w := range words {
				if strings.HasSuffix(w, ":*") {
					ws[j] = w + weight
				} else {
					ws[j] = w + ":" + weight
				}
			}
			alts[k] = "(" + strings.Join(ws, " <-> ") + ")"
		}
		terms[i] = "(" + strings.Join(alts, " | ") + ")"
	}
	return strings.Join(terms, " & ")
}

// pgQuery is the SQL of m's tsquery; its parameter is m.tsquery().
const pgQuery = `to_tsquery('simple', unaccent(?))`

// searchPG is Search on PostgreSQL: every visible match ranked, the best
// SearchCap kept.
func (r Reader) searchPG(q SearchQuery) (SearchResult, error) {
	m := parseSearch(q.Text)
	res := SearchResult{Hits: []SearchHit{}}
	if m.empty() {
		return res, nil
	}
	sql := `SELECT e.id FROM entries_fts f JOIN entries e ON e.id = f.id, ` + pgQuery + ` AS query
		WHERE f.doc @@ query AND ` + strings.ReplaceAll(visibleSQL, "entries.", "e.")
	args := []any{m.tsquery(), q.At.UTC()}
	if len(q.Types) > 0 {
		sql += ` AND e.type IN ?`
		args = append(args, q.Types)
	}
	sql += ` ORDER BY ts_rank(` + pgRankWeights + `, f.doc, query, 1) DESC, e.published_at DESC, e.id DESC LIMIT ` + strconv.Itoa(SearchCap+1)
	ranked, err := r.ids(sql, args...)
	if err != nil {
		return res, translate(err)
	}
	if len(ranked) > SearchCap {
		ranked, res.Capped = ranked[:SearchCap], true
	}
	res.Total = int64(len(ranked))
	if len(ranked) <= q.Offset {
		return res, nil
	}
	hits, err := r.searchHits(ranked[q.Offset:min(len(ranked), q.Offset+q.Limit)], m)
	res.Hits = hits
	return res, err
}

// searchFilterPG is searchFilter on PostgreSQL: the newest SearchCap
// matches of the index (every status), and for short text also the
// entries whose title contains it, ignoring case.
func searchFilterPG(q *gorm.DB, text string) *gorm.DB {
	m := parseSearch(text)
	like := "%" + escapeLike(text) + "%"
	matches := "entries.id IN (SELECT id FROM entries_fts WHERE doc @@ " + pgQuery + " ORDER BY id DESC LIMIT " + strconv.Itoa(SearchCap) + ")"
	switch {
	case m.empty():
		return q.Where("entries.title ILIKE ? ESCAPE '\\'", like)
	case utf8.RuneCountInString(text) <= shortSearch:
		return q.Where("("+matches+" OR entries.title ILIKE ? ESCAPE '\\')", m.tsquery(), like)
	}
	return q.Where(matches, m.tsquery())
}

// pgHeadlines is the fallback of searchHits on PostgreSQL: ts_headline of
// the entries' text, with \x01 and \x02 around the matches as FTS5's
// snippet() gives them. Its parameters are the tsquery and the ids.
const pgHeadlines = `SELECT s.id, ts_headline('simple', unaccent(s.title || ' ' || s.excerpt || ' ' || s.body || ' ' || s.meta), query,
		'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=` + "24" + `, MinWords=12, MaxFragments=1, FragmentDelimiter=…') AS snippet
	FROM entries_search s, ` + pgQuery + ` AS query WHERE s.id IN ?`
