package store

import (
	"html"
	"strings"
	"time"
	"unicode"
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

// Search returns the visible entries matching q, best first (BM25 with the
// title weighted above the excerpt above the text), and how many match. A
// query with no searchable words matches nothing.
func (r Reader) Search(q SearchQuery) ([]SearchHit, int64, error) {
	expr := ftsExpression(q.Text)
	if expr == "" {
		return []SearchHit{}, 0, nil
	}
	where := `entries_fts MATCH ? AND ` + visibleSQL
	args := []any{expr, q.At.UTC()}
	if len(q.Types) > 0 {
		where += ` AND entries.type IN ?`
		args = append(args, q.Types)
	}
	from := ` FROM entries_fts JOIN entries ON entries.id = entries_fts.rowid WHERE ` + where
	var total int64
	if err := r.db.Raw(`SELECT COUNT(*)`+from, args...).Scan(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	hits := []SearchHit{}
	if total <= int64(q.Offset) {
		return hits, total, nil
	}
	// Rank first, then make snippets for the page only: snippet() in the
	// ranked query would run for every match before the sort.
	var rows []SearchHit
	err := r.db.Raw(`SELECT entries.id, entries.type, entries.slug, entries.title, entries.published_at,
			CASE WHEN entries.type = 'case_study' THEN entries.summary WHEN entries.excerpt <> '' THEN entries.excerpt ELSE entries.auto_excerpt END AS excerpt`+from+`
		ORDER BY rank, entries.published_at DESC LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...).Scan(&rows).Error
	if err != nil {
		return nil, 0, translate(err)
	}
	ids := make([]int64, len(rows))
	for i, h := range rows {
		ids[i] = h.ID
	}
	var snippets []struct {
		ID      int64
		Snippet string
	}
	err = r.db.Raw(`SELECT rowid AS id, snippet(entries_fts, -1, char(1), char(2), '…', 24) AS snippet
		FROM entries_fts WHERE entries_fts MATCH ? AND rowid IN ?`, expr, ids).Scan(&snippets).Error
	if err != nil {
		return nil, 0, translate(err)
	}
	byID := make(map[int64]string, len(snippets))
	for _, s := range snippets {
		byID[s.ID] = s.Snippet
	}
	for i := range rows {
		rows[i].Snippet = byID[rows[i].ID]
	}
	for i := range rows {
		rows[i].Snippet = markSnippet(rows[i].Snippet)
	}
	return rows, total, nil
}

// markSnippet escapes a snippet and turns FTS5's \x01…\x02 markers (which
// can't occur in indexed text: control characters are not word characters
// and are stripped from plain text) into <mark>…</mark>.
func markSnippet(s string) string {
	s = html.EscapeString(s)
	return strings.NewReplacer("\x01", "<mark>", "\x02", "</mark>").Replace(s)
}

// ftsExpression turns what a reader typed into a safe FTS5 query: every
// word becomes a quoted string (so FTS syntax such as NEAR(, *, OR, :, ^
// or column names is just text), "quoted phrases" stay phrases, all must
// match, and the last word matches as a prefix (search as you type). An
// unbalanced quote is ignored.
func ftsExpression(text string) string {
	var terms []string
	phrases, rest := splitPhrases(text)
	for _, p := range phrases {
		if words := searchWords(p); len(words) > 0 {
			terms = append(terms, quote(strings.Join(words, " ")))
		}
	}
	words := searchWords(rest)
	for i, w := range words {
		t := quote(w)
		if i == len(words)-1 && !strings.HasSuffix(text, " ") && !strings.HasSuffix(strings.TrimRight(text, " "), `"`) {
			t += "*"
		}
		terms = append(terms, t)
	}
	return strings.Join(terms, " ")
}

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
