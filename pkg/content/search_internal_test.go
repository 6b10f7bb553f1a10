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
	go s.runSearch(ctx, func(context.Context) error { close(started); <-release; return nil })
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
	// The worker takes the next search once it is back from the first; on a
	// loaded machine that may take longer than the 50 ms a search waits.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err = s.Search(ctx, "anything", nil, 1, 20)
		if err == nil || !errs.Is(err, errs.Unavailable) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Errorf("with the slot free again: %v", err)
	}
}

// TestSearchBudget: a search that runs out of database time is refused
// with search_timeout, and says when to retry.
func TestSearchBudget(t *testing.T) {
	// A long wait for the worker: on a loaded machine its new thread may
	// take more than the default 50 ms to start, and this is about the budget.
	s := &Service{Store: storetest.New(t, nil), Now: time.Now, SearchLimits: SearchLimits{Budget: time.Nanosecond, Wait: 10 * time.Second}}
	_, err := s.Search(context.Background(), "anything", nil, 1, 20)
	if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Kind != errs.Unavailable || e.Code != "search_timeout" || e.Meta["retry_after_seconds"] != 1 {
		t.Fatalf("Search past its budget = %v, want search_timeout", err)
	}
}
