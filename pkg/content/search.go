package content

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// Hit is one search result.
type Hit struct {
	Type        Type
	ID          int64
	Slug        string
	Title       string
	Excerpt     string
	PublishedAt *time.Time
	Snippet     string // HTML: escaped text with <mark> around matches
	URL         string // its address on the public site (Links.URL)
}

// SearchPage is a page of search results. With Capped, more entries match
// than a search counts (store.SearchCap): Total is that cap.
type SearchPage struct {
	Page[Hit]
	Capped bool
}

// SearchLimits bound what full-text searches may cost, so that no stream of
// distinct queries can tie up the server. Zero values take the defaults.
type SearchLimits struct {
	// Slots is how many searches run at once (default: half the cores,
	// GOMAXPROCS/2, at least one), so that searches never take all the
	// CPU from cached reads.
	Slots int
	// Wait is how long a search waits for a slot before it is refused as
	// busy (default 50 ms).
	Wait time.Duration
	// Budget is the database time one search may take before SQLite is
	// interrupted and the search refused (default 1 s).
	Budget time.Duration
	// Nice is how much lower than the rest of the server the search
	// threads' CPU priority is (Linux nice levels; default 2, negative:
	// the same priority).
	Nice int
}

func (l SearchLimits) withDefaults() SearchLimits {
	if l.Slots <= 0 {
		l.Slots = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if l.Wait <= 0 {
		l.Wait = 50 * time.Millisecond
	}
	if l.Budget <= 0 {
		l.Budget = time.Second
	}
	if l.Nice == 0 {
		l.Nice = 2
	}
	return l
}

// searchRetryAfter is what a refused search tells the client to wait.
const searchRetryAfter = 1

var (
	errSearchBusy = errs.New(errs.Unavailable, "search_busy",
		"Search is busy right now: try again in a moment.").With("retry_after_seconds", searchRetryAfter)
	errSearchTooLong = errs.New(errs.Unavailable, "search_timeout",
		"This search took too long and was stopped: try fewer or more specific words.").With("retry_after_seconds", searchRetryAfter)
)

// searchJob is one search handed to a search worker.
type searchJob struct {
	ctx  context.Context
	run  func(ctx context.Context) error
	done chan error
}

// runSearch runs fn on one of the search workers, within the time budget:
// it waits at most Limits.Wait for one of the Slots to be free, and is
// refused as busy after that. A slot is taken for the whole search and
// given back when its answer is in, so "busy" means Slots searches in
// flight, never a worker that has finished but not yet been scheduled back
// to its queue (on a loaded machine that took longer than Wait). The
// workers are Slots goroutines, each on an OS thread of its own whose CPU
// priority is lowered (Limits.Nice), so that when the cores are contended
// the scheduler favours everything else (cached reads above all) over
// searches, and no stream of searches can starve them.
func (s *Service) runSearch(ctx context.Context, fn func(ctx context.Context) error) error {
	l := s.SearchLimits.withDefaults()
	s.searchOnce.Do(func() {
		s.searchWork = make(chan searchJob)
		s.searchBusy = make(chan struct{}, l.Slots)
		for range l.Slots {
			go s.searchWorker(l.Nice)
		}
	})
	select {
	case s.searchBusy <- struct{}{}:
	default:
		t := time.NewTimer(l.Wait)
		defer t.Stop()
		select {
		case s.searchBusy <- struct{}{}:
		case <-t.C:
			return errSearchBusy
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { <-s.searchBusy }()
	// With a slot held, a worker is free or about to be: the hand-over
	// waits for it however long the scheduler takes.
	job := searchJob{ctx: ctx, run: fn, done: make(chan error, 1)}
	select {
	case s.searchWork <- job:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-job.done
}

func (s *Service) searchWorker(nice int) {
	runtime.LockOSThread() // never unlocked: the thread keeps its priority and ends with the goroutine
	lowerThreadPriority(nice)
	for job := range s.searchWork {
		ctx, cancel := context.WithTimeout(job.ctx, s.SearchLimits.withDefaults().Budget)
		err := job.run(ctx)
		cancel()
		job.done <- searchErr(ctx, err)
	}
}

// searchErr turns a search interrupted by its time budget into a clear
// refusal; other errors pass.
func searchErr(ctx context.Context, err error) error {
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return errSearchTooLong
	}
	return err
}

// Search finds published entries (of the given types; none means all)
// matching what a reader typed, best first.
func (s *Service) Search(ctx context.Context, text string, types []Type, page, perPage int) (SearchPage, error) {
	q := store.SearchQuery{Text: text, At: s.now(), Offset: (page - 1) * perPage, Limit: perPage}
	for _, t := range types {
		q.Types = append(q.Types, string(t))
	}
	var res store.SearchResult
	err := s.runSearch(ctx, func(ctx context.Context) (err error) {
		res, err = s.Store.Read(ctx).Search(q)
		return err
	})
	if err != nil {
		return SearchPage{}, err
	}
	hits := make([]Hit, len(res.Hits))
	rd := s.Store.Read(ctx)
	for i, r := range res.Hits {
		hits[i] = Hit{Type: Type(r.Type), ID: r.ID, Slug: r.Slug, Title: r.Title, Excerpt: r.Excerpt, PublishedAt: r.PublishedAt, Snippet: r.Snippet}
		path := ""
		if k := specs[hits[i].Type]; k != nil && k.pathOf != nil { // a page's address is its parents' too
			row, err := rd.Entry(r.Type, r.ID)
			if err != nil {
				return SearchPage{}, err
			}
			if path, err = k.pathOf(rd, row, &q.At); err != nil {
				return SearchPage{}, err
			}
		}
		hits[i].URL = s.Links.URL(hits[i].Type, r.Slug, path)
	}
	return SearchPage{Page: Page[Hit]{Items: hits, Total: res.Total, Page: page, PerPage: perPage}, Capped: res.Capped}, nil
}
