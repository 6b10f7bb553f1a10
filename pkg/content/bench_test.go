package content_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/store"
)

// benchService opens a database for the read benchmarks: FOLIO_BENCH_DB
// (a data dir seeded by `go tool task bench`, e.g. 10,000 posts) when set,
// else one seeded here once with 2,000 posts of ~1,500 words.
var benchDB = sync.OnceValues(func() (string, error) {
	if dir := os.Getenv("FOLIO_BENCH_DB"); dir != "" {
		return filepath.Join(dir, store.FileName), nil
	}
	dir, err := os.MkdirTemp("", "folio-bench-db-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, store.FileName)
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		return "", err
	}
	defer st.Close()
	svc := content.New(st)
	body := strings.Repeat("Observability and orchestration of a backend service, with latency budgets and schema migrations. ", 15)
	article := "## Part one\n\n" + body + "\n\n## Part two\n\n" + body + "\n\n- a\n- b\n\n" + strings.Repeat(body+"\n\n", 6)
	at := time.Now().UTC().Add(-time.Hour * 24 * 365).Truncate(time.Second)
	for i := 0; i < 2000; i++ {
		at = at.Add(time.Hour)
		p := at
		words := []string{"kubernetes", "postgres", "caching", "grafana", "webhook"}
		_, _, err := svc.Upsert(context.Background(), auth.System, content.Post, content.Record{
			Status: content.Published, PublishedAt: &p,
			Fields: content.Fields{Slug: fmt.Sprintf("post-%05d", i+1), Title: fmt.Sprintf("Post %d about %s", i, words[i%5]),
				Body: article + " " + words[i%5], Tags: []string{fmt.Sprintf("Tag %02d", i%50), fmt.Sprintf("Tag %02d", (i+7)%50)}},
		})
		if err != nil {
			return "", err
		}
	}
	return path, nil
})

func benchService(b *testing.B) *content.Service {
	b.Helper()
	path, err := benchDB()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return content.New(st)
}

func BenchmarkListPublished(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    content.Query
	}{
		{"page 1", content.Query{Page: 1, PerPage: 20}},
		{"page 50", content.Query{Page: 50, PerPage: 20}},
		{"tag", content.Query{Page: 1, PerPage: 20, Tags: []string{"tag-07"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.ListPublished(ctx, content.Post, bc.q, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPublished(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := svc.Published(ctx, content.Post, fmt.Sprintf("post-%05d", i%1000+1), false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	for _, q := range []string{"kubernetes", "orchestration", "grafana latency", "kube"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.Search(ctx, q, nil, 1, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
