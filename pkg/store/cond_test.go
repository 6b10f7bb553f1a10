package store

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCondOnBothEngines: the condition tree the Ghost filter becomes
// selects the same entries on SQLite and PostgreSQL: tags (any, the
// first), the author, slugs ignoring case, ids, featured, the type, times,
// and/or/not.
func TestCondOnBothEngines(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		ids := map[string]int64{}
		err := s.Write(context.Background(), func(tx *Tx) error {
			ada := UserRow{Email: "ada@example.com", Name: "Ada", Slug: "ada", Role: "author"}
			if err := tx.InsertUser(&ada); err != nil {
				return err
			}
			for i, e := range []struct {
				typ, slug string
				tags      []string
				featured  bool
				author    bool
			}{
				{"post", "one", []string{"go", "news"}, true, true},
				{"post", "two", []string{"news", "go"}, false, false},
				{"post", "three", nil, false, true},
				{"case_study", "ledger", nil, true, false},
			} {
				p := at.Add(time.Duration(i) * time.Hour)
				row := EntryRow{Type: e.typ, Slug: e.slug, Title: strings.ToUpper(e.slug), Status: "published", PublishedAt: &p, Featured: e.featured,
					SEO: "{}", Services: "[]", Technologies: "[]", Metrics: "[]", BodyRow: BodyRow{TOC: "[]"}}
				if e.author {
					row.AuthorID = &ada.ID
				}
				if err := tx.InsertEntry(&row); err != nil {
					return err
				}
				ids[e.slug] = row.ID
				var tags []TagRow
				for _, tg := range e.tags {
					tags = append(tags, TagRow{Slug: tg, Name: tg})
				}
				if err := tx.SetEntryTags(row.ID, tags); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		leaf := func(field string, v ...string) Cond { return Cond{Field: field, Op: "=", Values: v} }
		for _, c := range []struct {
			name string
			cond Cond
			want string
		}{
			{"tag", leaf("tag", "GO"), "two,one"},
			{"primary tag", leaf("primary_tag", "go"), "one"},
			{"not a tag", Cond{Field: "tag", Op: "=", Values: []string{"go"}, Not: true}, "ledger,three"},
			{"author", leaf("author", "ada"), "three,one"},
			{"not the author (none counts)", Cond{Field: "author", Op: "=", Values: []string{"ada"}, Not: true}, "ledger,two"},
			{"slug", leaf("slug", "Two", "three"), "three,two"},
			{"featured", leaf("featured", "true"), "ledger,one"},
			{"type", leaf("type", "case_study"), "ledger"},
			{"after", Cond{Field: "published_at", Op: ">=", Time: at.Add(time.Hour)}, "ledger,three,two"},
			{"before", Cond{Field: "published_at", Op: "<", Time: at.Add(time.Hour)}, "one"},
			{"or", Cond{Any: true, Kids: []Cond{leaf("type", "case_study"), leaf("primary_tag", "news")}}, "ledger,two"},
			{"and", Cond{Kids: []Cond{leaf("tag", "news"), leaf("featured", "false")}}, "two"},
			{"none of nothing", Cond{Field: "tag", Op: "=", Not: true}, "ledger,three,two,one"},
			{"nothing", leaf("tag"), ""},
		} {
			cond := c.cond
			rows, total, err := s.Read(context.Background()).Entries(EntryFilter{Types: []string{"post", "case_study"}, Where: &cond, Limit: 10})
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.Slug)
			}
			if strings.Join(got, ",") != c.want || int(total) != len(got) {
				t.Errorf("%s: %v (total %d), want %s", c.name, got, total, c.want)
			}
		}
		authors, err := s.Read(context.Background()).Authors(at.Add(10*time.Hour), "")
		if err != nil || len(authors) != 1 || authors[0].Slug != "ada" || authors[0].PostCount != 2 {
			t.Errorf("Authors: %+v %v, want ada with her 2 posts", authors, err)
		}
		if early, err := s.Read(context.Background()).Authors(at.Add(-time.Hour), ""); err != nil || len(early) != 0 {
			t.Errorf("Authors before anything is live: %+v %v", early, err)
		}
		for want, id := range map[string]string{"two": strconv.FormatInt(ids["two"], 10), "": "-1"} {
			cond := leaf("id", id)
			rows, _, err := s.Read(context.Background()).Entries(EntryFilter{Types: []string{"post"}, Where: &cond, Limit: 10})
			if err != nil || len(rows) != len(strings.Fields(want)) || (want != "" && rows[0].Slug != want) {
				t.Errorf("id %s: %v %v, want %q", id, rows, err, want)
			}
		}
	})
}
