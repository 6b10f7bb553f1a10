package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestSearchQueriesAreDrivenByTheIndex pins the plans of the search
// queries, as TestHotQueriesUseIndexes does for lists: the full-text index
// is the outer loop, and each match is looked up in entries by its id
// (never the other way round, which runs the match once per entry).
func TestSearchQueriesAreDrivenByTheIndex(t *testing.T) {
	s, _ := openTemp(t)
	fill(t, s, 50, func(i int) (string, string) { return fmt.Sprintf("Post %d about kubernetes", i), "Some text." })
	if err := s.w.Exec(`ANALYZE`).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	plans := map[string]struct {
		sql  string
		args []any
	}{
		"count":                {searchSQL("COUNT(*)", false, ""), []any{`"kube"*`, now}},
		"count, one type":      {searchSQL("COUNT(*)", true, ""), []any{`"kube"*`, now, []string{"post"}}},
		"ranked page":          {searchSQL("entries.id", false, searchRanked), []any{`"kube"*`, now, 20, 0}},
		"ranked page, a type":  {searchSQL("entries.id", true, searchRanked), []any{`"kube"*`, now, []string{"post"}, 20, 40}},
		"newest matches":       {searchSQL("entries_fts.rowid", false, searchNewest), []any{`"kube"*`, now, SearchCap + 1}},
		"where matches match":  {searchTierSQL, []any{`{title} : ("kube"*)`, 1}},
		"admin list":           admin(t, s, "kubernetes", "-updated_at", false),
		"admin list, count":    admin(t, s, "kubernetes", "-updated_at", true),
		"admin list, by title": admin(t, s, "ku", "title", false),
	}
	for name, p := range plans {
		var rows []struct {
			ID, Parent, Notused int
			Detail              string
		}
		if err := s.r.Raw("EXPLAIN QUERY PLAN "+p.sql, p.args...).Scan(&rows).Error; err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var details []string
		for _, r := range rows {
			details = append(details, r.Detail)
		}
		plan := strings.Join(details, "\n")
		t.Logf("%s:\n%s", name, plan)
		if !strings.Contains(plan, "SCAN entries_fts VIRTUAL TABLE") && !strings.Contains(plan, "SCAN entries_fts_head VIRTUAL TABLE") {
			t.Errorf("%s does not read the full-text index:\n%s", name, plan)
		}
		if strings.Contains(plan, "CORRELATED") {
			t.Errorf("%s runs the match once per entry:\n%s", name, plan)
		}
		for _, d := range details {
			if strings.HasPrefix(d, "SCAN entries") && !strings.HasPrefix(d, "SCAN entries_fts") && !strings.Contains(d, "USING") {
				t.Errorf("%s reads every entry: %s", name, d)
			}
		}
		if !strings.HasPrefix(name, "admin") && !strings.HasPrefix(details[0], "SCAN entries_fts") {
			t.Errorf("%s: the index is not the outer loop:\n%s", name, plan)
		}
	}
}

// admin is the SQL an admin list with a search runs (its count, or its page).
func admin(t *testing.T, s *Store, text, sort string, count bool) struct {
	sql  string
	args []any
} {
	t.Helper()
	db := s.r.Session(&gorm.Session{DryRun: true})
	q := searchFilter(db.Model(&EntryRow{}).Where("entries.type IN ?", []string{"post"}).Where("entries.trashed_at IS NULL"), text)
	var stmt *gorm.Statement
	if count {
		var n int64
		stmt = q.Count(&n).Statement
	} else {
		var rows []EntryRow
		stmt = q.Order(SortKeys[sort]).Limit(20).Find(&rows).Statement
	}
	return struct {
		sql  string
		args []any
	}{stmt.SQL.String(), stmt.Vars}
}

// fill adds n published posts, one a minute from 2025 on, with a title
// and plain text made by text.
func fill(t testing.TB, s *Store, n int, text func(i int) (title, body string)) {
	t.Helper()
	err := s.Write(context.Background(), func(tx *Tx) error {
		at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 1; i <= n; i++ {
			title, body := text(i)
			p := at.Add(time.Duration(i) * time.Minute)
			row := EntryRow{Type: "post", Slug: fmt.Sprintf("post-%d", i), Title: title, Status: "published", PublishedAt: &p,
				SEO: "{}", Services: "[]", Technologies: "[]", Metrics: "[]", BodyRow: BodyRow{PlainText: body, TOC: "[]"}}
			if err := tx.InsertEntry(&row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkIndex runs FTS5's integrity check, which also compares the index
// with what the view entries_search shows.
func checkIndex(t *testing.T, s *Store) {
	t.Helper()
	if s.engine == Postgres {
		// Every entry has its row, and each row is what the view makes.
		var bad int64
		if err := s.w.Raw(`SELECT COUNT(*) FROM entries_search s FULL JOIN entries_fts f ON f.id = s.id
			WHERE f.doc IS DISTINCT FROM ` + pgTSDocumentV1).Scan(&bad).Error; err != nil || bad != 0 {
			t.Fatalf("the search index has %d rows that do not match the entries (%v)", bad, err)
		}
		return
	}
	for _, fts := range []string{"entries_fts", "entries_fts_head"} {
		if err := s.w.Exec(`INSERT INTO ` + fts + ` (` + fts + `, rank) VALUES ('integrity-check', 1)`).Error; err != nil {
			t.Fatalf("the search index %s does not match the entries: %v", fts, err)
		}
	}
}

// TestSearchIndexFollowsEveryChange: inserts, edits of each indexed field,
// trash and deletion keep the external-content index equal to its view.
func TestSearchIndexFollowsEveryChange(t *testing.T) {
	engines(t, searchIndexFollowsEveryChange)
}

func searchIndexFollowsEveryChange(t *testing.T, s *Store) {
	ctx := context.Background()
	fill(t, s, 5, func(i int) (string, string) { return fmt.Sprintf("Post %d", i), "Original words here." })
	checkIndex(t, s)
	search := func(text string) int64 {
		t.Helper()
		res, err := s.Read(ctx).Search(SearchQuery{Text: text, At: time.Now(), Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	err := s.Write(ctx, func(tx *Tx) error {
		row, err := tx.Entry("post", 1)
		if err != nil {
			return err
		}
		row.Title, row.Excerpt, row.PlainText = "Renamed kestrel", "An excerpt about herons", "Replaced the body with falcons."
		if err := tx.UpdateEntry(&row, row.Version); err != nil {
			return err
		}
		return tx.DeleteEntry("post", 2)
	})
	if err != nil {
		t.Fatal(err)
	}
	checkIndex(t, s)
	for text, want := range map[string]int64{"kestrel": 1, "herons": 1, "falcons": 1, "original": 3, "post": 3} {
		if got := search(text + " "); got != want {
			t.Errorf("%q: %d matches, want %d", text, got, want)
		}
	}
	// A case study's client, industry, services and technologies are its meta.
	err = s.Write(ctx, func(tx *Tx) error {
		p := time.Now().Add(-time.Hour)
		return tx.InsertEntry(&EntryRow{Type: "case_study", Slug: "cs", Title: "Routing", Status: "published", PublishedAt: &p,
			Client: "Kestrel Freight", Industry: "Logistics", Services: `["Route planning","Backend"]`, Technologies: `["Go","PostgreSQL"]`,
			Summary: "Planned routes.", SEO: "{}", Metrics: "[]", BodyRow: BodyRow{TOC: "[]"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	checkIndex(t, s)
	for text, want := range map[string]int64{"postgresql": 1, "planning": 1, "logistics": 1, "freight": 1, "planned": 1} {
		if got := search(text + " "); got != want {
			t.Errorf("%q: %d matches, want %d", text, got, want)
		}
	}
}

// TestSearchMigrationOnAPopulatedDatabase migrates a database made by the
// schema before the external-content index, with entries in it, and finds
// them in the rebuilt index.
func TestSearchMigrationOnAPopulatedDatabase(t *testing.T) {
	all := migrations
	before := 0
	for i, m := range all {
		if strings.HasPrefix(m.name, "search: an external-content index") {
			before = i
		}
	}
	migrations = all[:before]
	s, path := openTemp(t)
	migrations = all
	fill(t, s, 30, func(i int) (string, string) {
		return fmt.Sprintf("Old post %d", i), fmt.Sprintf("Written before the migration, number%d.", i)
	})
	if err := s.w.Exec(`UPDATE entries SET type = 'case_study', client = 'Heron Ltd', technologies = '["Rust"]' WHERE id = 7`).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkIndex(t, s)
	for text, want := range map[string]int64{"written": 30, "number17 ": 1, "old post": 30, "heron ": 1, "rust ": 1} {
		res, err := s.Read(context.Background()).Search(SearchQuery{Text: text, At: time.Now(), Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want {
			t.Errorf("%q: %d matches after migrating, want %d", text, res.Total, want)
		}
	}
	var n int
	s.r.Raw(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'entries_fts_content'`).Scan(&n)
	if n != 0 {
		t.Errorf("entries_fts_content, the second copy of every text, is still there")
	}
}

// TestContextInterruptsARunningQuery: the search time budget is a context
// deadline, and mattn/go-sqlite3 must stop a statement that is running
// (sqlite3_interrupt), not only refuse to start one.
func TestContextInterruptsARunningQuery(t *testing.T) {
	s, _ := openTemp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	var n int64
	err := s.Read(ctx).db.Raw(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c`).Scan(&n).Error
	took := time.Since(start)
	if err == nil {
		t.Fatalf("an endless query returned %d", n)
	}
	if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "interrupt") {
		t.Errorf("err = %v, want the deadline or an interrupt", err)
	}
	if took > 2*time.Second {
		t.Errorf("the query ran %s past a 100 ms deadline", took)
	}
	// The connections are fine afterwards.
	for i := 0; i < 8; i++ {
		if err := s.Ping(context.Background()); err != nil {
			t.Fatalf("after an interrupt: %v", err)
		}
	}
}

// TestSearchOfWordsInMostEntries: with more entries than BM25 may rank, a
// query whose words are everywhere looks at the newest SearchCap matches,
// says so, and ranks title matches, then excerpt ones, then body ones.
func TestSearchOfWordsInMostEntries(t *testing.T) {
	s, _ := openTemp(t)
	n := bm25Budget + 200
	fill(t, s, n, func(i int) (string, string) {
		title := fmt.Sprintf("Entry %d", i)
		if i%100 == 0 {
			title += " about common things"
		}
		body := "A common body, the common word everywhere."
		if i%3 == 0 {
			body += " Sometimes more."
		}
		return title, body
	})
	ctx := context.Background()
	// An excerpt match, newer than the newest title match.
	if err := s.w.Exec(`UPDATE entries SET excerpt = 'A common excerpt' WHERE id = ?`, n-1).Error; err != nil {
		t.Fatal(err)
	}
	res, err := s.Read(ctx).Search(SearchQuery{Text: "common", At: time.Now(), Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != SearchCap || !res.Capped {
		t.Fatalf("total %d capped %v, want %d capped", res.Total, res.Capped, SearchCap)
	}
	var titles []string
	for _, h := range res.Hits {
		titles = append(titles, h.Title)
	}
	// The newest 1,000 matches hold 10 title matches, newest first.
	if len(res.Hits) != 50 || res.Hits[0].Title != fmt.Sprintf("Entry %d about common things", n) || res.Hits[9].Title != fmt.Sprintf("Entry %d about common things", n-900) ||
		res.Hits[10].ID != int64(n-1) || res.Hits[11].Title != fmt.Sprintf("Entry %d", n-2) {
		t.Errorf("order: %q", titles)
	}
	if !strings.Contains(res.Hits[11].Snippet, "<mark>common</mark>") {
		t.Errorf("snippet %q", res.Hits[11].Snippet)
	}
	// A rare word among them is ranked by BM25, and counted exactly.
	res, err = s.Read(ctx).Search(SearchQuery{Text: "entry 1234 ", At: time.Now(), Limit: 5})
	if err != nil || res.Total != 1 || res.Capped || res.Hits[0].Title != "Entry 1234" {
		t.Errorf("entry 1234: %+v, %v", res, err)
	}
	// A word in a third of them is ranked by BM25, and has 1,000 results too.
	res, err = s.Read(ctx).Search(SearchQuery{Text: "sometimes ", At: time.Now(), Offset: 980, Limit: 50})
	if err != nil || res.Total != SearchCap || !res.Capped || len(res.Hits) != 20 {
		t.Errorf("sometimes: total %d capped %v, %d hits on the last page, %v", res.Total, res.Capped, len(res.Hits), err)
	}
	// Paging past the window is an empty page, with the same total.
	res, err = s.Read(ctx).Search(SearchQuery{Text: "common", At: time.Now(), Offset: SearchCap, Limit: 20})
	if err != nil || len(res.Hits) != 0 || res.Total != SearchCap {
		t.Errorf("past the window: %d hits, total %d, %v", len(res.Hits), res.Total, err)
	}
}
