package corpus

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/store"
)

// Size is how big a seeded site is.
type Size struct {
	Posts   int `json:"posts"`
	Studies int `json:"case_studies"`
}

// Full is the benchmark site: 10,000 posts and 1,000 case studies.
var Full = Size{Posts: 10000, Studies: 1000}

// stamp is written next to a seeded database: what it holds.
type stamp struct {
	Version int `json:"corpus_version"`
	Size
}

const stampFile = "corpus.json"

// Ensure returns the path of a database in dir seeded with a site of size
// n, seeding it first (through Folio's own service layer, so every entry
// is rendered, indexed and tagged as a real one is) unless dir already
// holds one seeded by this version of the corpus with that size. Seeding
// 11,000 entries takes a few minutes; progress, if not nil, hears about it.
func Ensure(ctx context.Context, dir string, n Size, progress func(string)) (string, error) {
	path := filepath.Join(dir, store.FileName)
	want := stamp{Version: Version, Size: n}
	if b, err := os.ReadFile(filepath.Join(dir, stampFile)); err == nil {
		var have stamp
		if json.Unmarshal(b, &have) == nil && have == want {
			if _, err := os.Stat(path); err == nil {
				return path, nil
			}
		}
	}
	if progress == nil {
		progress = func(string) {}
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			return "", err
		}
	}
	_ = os.Remove(filepath.Join(dir, stampFile))
	start := time.Now()
	if err := Seed(ctx, path, n, progress); err != nil {
		return "", err
	}
	progress(fmt.Sprintf("seeded %d posts and %d case studies in %s", n.Posts, n.Studies, time.Since(start).Round(time.Second)))
	b, _ := json.Marshal(want)
	return path, os.WriteFile(filepath.Join(dir, stampFile), b, 0o644)
}

// Seed creates the database at path (migrated to this binary's schema) and
// fills it with n published posts and case studies, one hour apart, the
// newest an hour ago, by 20 authors.
func Seed(ctx context.Context, path string, n Size, progress func(string)) error {
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	h, err := auth.NewHasher(0)
	if err != nil {
		return err
	}
	as := &auth.Service{Store: st, Hasher: h}
	svc := content.New(st)
	var authors []int64
	for i := 0; i < 20; i++ {
		u, err := as.EnsureAuthor(ctx, fmt.Sprintf("author%02d@example.com", i))
		if err != nil {
			return err
		}
		authors = append(authors, u.ID)
	}
	start := time.Now().UTC().Add(-time.Duration(n.Posts+n.Studies) * time.Hour).Truncate(time.Second)
	for i := 1; i <= n.Posts; i++ {
		p := NewPost(i)
		at := start.Add(time.Duration(i) * time.Hour)
		_, _, err := svc.Upsert(ctx, auth.System, content.Post, content.Record{
			Status: content.Published, PublishedAt: &at, AuthorID: &authors[i%len(authors)],
			Fields: content.Fields{
				Slug: p.Slug, Title: p.Title, CoverImage: &content.Image{URL: fmt.Sprintf("https://images.example.com/%d.jpg", i), Alt: "A cover"},
				Prose: content.Prose{Body: p.Body}, PostFields: content.PostFields{Tags: p.Tags},
			},
		})
		if err != nil {
			return fmt.Errorf("post %d: %w", i, err)
		}
		if i%1000 == 0 {
			progress(fmt.Sprintf("  %d posts…", i))
		}
	}
	for i := 1; i <= n.Studies; i++ {
		cs := NewCaseStudy(i, n.Posts)
		at := start.Add(time.Duration(n.Posts+i) * time.Hour)
		_, _, err := svc.Upsert(ctx, auth.System, content.CaseStudy, content.Record{
			Status: content.Published, PublishedAt: &at,
			Fields: content.Fields{
				Slug: cs.Slug, Title: cs.Title, CaseStudyFields: content.CaseStudyFields{
					Client: cs.Client, Industry: cs.Industry, Technologies: cs.Technologies, Summary: cs.Summary,
					Challenge: cs.Challenge, Solution: cs.Solution, Results: cs.Results,
					Metrics: []content.Metric{{Label: "Latency", Value: "-40%"}, {Label: "Cost", Value: "-25%"}},
				},
			},
		})
		if err != nil {
			return fmt.Errorf("case study %d: %w", i, err)
		}
	}
	return nil
}
