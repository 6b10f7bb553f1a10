package content_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/corpus"
	"github.com/folio-cms/folio/pkg/store"
)

// benchDB is the database of the read benchmarks: FOLIO_BENCH_DB (a data
// dir, relative to the top of the repository) when set, else bin/bench-data at the top of the repository, the
// one `go tool task bench` uses. Either is seeded with the benchmark
// corpus (10,000 posts and 1,000 case studies, see pkg/corpus) when it
// does not hold it yet, which takes a few minutes once.
var benchDB = sync.OnceValues(func() (string, error) {
	dir := os.Getenv("FOLIO_BENCH_DB")
	if dir == "" {
		dir = filepath.Join("bin", "bench-data")
	}
	if !filepath.IsAbs(dir) { // relative to the top of the repository, like the task
		dir = filepath.Join("..", "..", dir)
	}
	return corpus.Ensure(context.Background(), dir, corpus.Full, func(s string) { fmt.Fprintln(os.Stderr, s) })
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

// BenchmarkSearch times every search shape of the corpus, on its own,
// with a type filter and on page 5, and reports the median and the 99th
// percentile of single searches (no response cache is involved here).
func BenchmarkSearch(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	for _, sh := range corpus.Shapes {
		for _, v := range []struct {
			name  string
			types []content.Type
			page  int
		}{{"all", nil, 1}, {"type=post", []content.Type{content.Post}, 1}, {"page=5", nil, 5}} {
			b.Run(sh.Name+"/"+v.name, func(b *testing.B) {
				b.ReportAllocs()
				var times, cpu []time.Duration
				for b.Loop() {
					start, startCPU := time.Now(), processCPU()
					if _, err := svc.Search(ctx, sh.Q, v.types, v.page, 20); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
					cpu = append(cpu, processCPU()-startCPU)
				}
				reportPercentiles(b, times)
				reportCPU(b, cpu)
			})
		}
	}
}

// reportPercentiles adds p50 and p99 (in ms) to a benchmark's line.
func reportPercentiles(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	at := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// reportCPU adds the p50 and p99 of the CPU time the process used per
// search (in ms): on a machine shared with other work, the wall times
// above measure the machine's load as much as the search; these do not.
func reportCPU(b *testing.B, cpu []time.Duration) {
	slices.Sort(cpu)
	at := func(p float64) float64 {
		return float64(cpu[min(len(cpu)-1, int(p*float64(len(cpu))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "cpu-p50-ms")
	b.ReportMetric(at(0.99), "cpu-p99-ms")
}

// BenchmarkAdminSearch times the admin post list's q (every status, the
// list's own order) for every search shape.
func BenchmarkAdminSearch(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	editor := auth.Principal{User: auth.User{ID: 1, Role: auth.RoleEditor}}
	for _, sh := range corpus.Shapes {
		b.Run(sh.Name, func(b *testing.B) {
			var times, cpu []time.Duration
			for b.Loop() {
				start, startCPU := time.Now(), processCPU()
				if _, err := svc.List(ctx, editor, content.Post, content.Query{Q: sh.Q, Page: 1, PerPage: 20}); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
				cpu = append(cpu, processCPU()-startCPU)
			}
			reportPercentiles(b, times)
			reportCPU(b, cpu)
		})
	}
}
