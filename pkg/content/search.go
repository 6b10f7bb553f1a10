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

// searchSlot waits (at most Limits.Wait) for one of the search slots, and
// returns the context the search runs in (its time budget) and how to give
// the slot back.
func (s *Service) searchSlot(ctx context.Context) (context.Context, func(), error) {
	l := s.SearchLimits.withDefaults()
	s.searchOnce.Do(func() { s.searchSlots = make(chan struct{}, l.Slots) })
	select {
	case s.searchSlots <- struct{}{}:
	default:
		t := time.NewTimer(l.Wait)
		defer t.Stop()
		select {
		case s.searchSlots <- struct{}{}:
		case <-t.C:
			return nil, nil, errSearchBusy
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	ctx, cancel := context.WithTimeout(ctx, l.Budget)
	return ctx, func() { cancel(); <-s.searchSlots }, nil
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
	ctx, done, err := s.searchSlot(ctx)
	if err != nil {
		return SearchPage{}, err
	}
	defer done()
	q := store.SearchQuery{Text: text, At: s.now(), Offset: (page - 1) * perPage, Limit: perPage}
	for _, t := range types {
		q.Types = append(q.Types, string(t))
	}
	res, err := s.Store.Read(ctx).Search(q)
	if err != nil {
		return SearchPage{}, searchErr(ctx, err)
	}
	hits := make([]Hit, len(res.Hits))
	for i, r := range res.Hits {
		hits[i] = Hit{Type: Type(r.Type), ID: r.ID, Slug: r.Slug, Title: r.Title, Excerpt: r.Excerpt, PublishedAt: r.PublishedAt, Snippet: r.Snippet}
	}
	return SearchPage{Page: Page[Hit]{Items: hits, Total: res.Total, Page: page, PerPage: perPage}, Capped: res.Capped}, nil
}
