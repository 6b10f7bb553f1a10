package content

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store/storetest"
)

// TestSearchSlots: past its slots, a search waits a moment and is then
// refused as busy (the admin lists' search too); a freed slot serves again.
func TestSearchSlots(t *testing.T) {
	s := &Service{Store: storetest.New(t, nil), Now: time.Now, SearchLimits: SearchLimits{Slots: 1, Wait: 50 * time.Millisecond}}
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- s.runSearch(ctx, func(context.Context) error { close(started); <-release; return nil })
	}()
	<-started
	start := time.Now()
	_, err := s.Search(ctx, "anything", nil, 1, 20)
	if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Kind != errs.Unavailable || e.Code != "search_busy" || e.Meta["retry_after_seconds"] != 1 {
		t.Fatalf("Search with every slot taken = %v, want search_busy with a retry time", err)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Errorf("refused after %s, before waiting 50 ms", waited)
	}
	admin := auth.Principal{User: auth.User{Role: auth.RoleEditor}}
	if _, err := s.List(ctx, admin, Post, Query{Q: "anything", Page: 1, PerPage: 20}); !errs.Is(err, errs.Unavailable) {
		t.Errorf("an admin search with every slot taken = %v, want search_busy", err)
	}
	if _, err := s.List(ctx, admin, Post, Query{Page: 1, PerPage: 20}); err != nil {
		t.Errorf("a list without a search needs no slot: %v", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("the first search: %v", err)
	}
	// Its slot is free once its answer is in: the next search is served
	// at once, however long the worker takes to be scheduled back.
	if _, err = s.Search(ctx, "anything", nil, 1, 20); err != nil {
		t.Errorf("with the slot free again: %v", err)
	}
}

// TestSearchesOneAfterAnotherAreNeverBusy: one client searching again and
// again is never refused, even when it never waits for a worker. Busy
// counted workers not yet back at their queue before (on a loaded machine
// a reader's next search was refused with 503 though nothing else ran).
func TestSearchesOneAfterAnotherAreNeverBusy(t *testing.T) {
	s := &Service{Store: storetest.New(t, nil), Now: time.Now, SearchLimits: SearchLimits{Slots: 1, Wait: time.Nanosecond}}
	ctx := context.Background()
	for i := range 500 {
		if err := s.runSearch(ctx, func(context.Context) error { return nil }); err != nil {
			t.Fatalf("search %d of 500, one after another: %v", i+1, err)
		}
	}
}

// TestSearchBudget: a search that runs out of database time is refused
// with search_timeout, and says when to retry.
func TestSearchBudget(t *testing.T) {
	s := &Service{Store: storetest.New(t, nil), Now: time.Now, SearchLimits: SearchLimits{Budget: time.Nanosecond}}
	_, err := s.Search(context.Background(), "anything", nil, 1, 20)
	if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Kind != errs.Unavailable || e.Code != "search_timeout" || e.Meta["retry_after_seconds"] != 1 {
		t.Fatalf("Search past its budget = %v, want search_timeout", err)
	}
}
