package content

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/store/storetest"
)

// TestSearchWorkersYieldTheCPU: searches run on threads whose nice level
// is Limits.Nice above the rest of the server's.
func TestSearchWorkersYieldTheCPU(t *testing.T) {
	s := &Service{Store: storetest.New(t, nil), Now: time.Now, SearchLimits: SearchLimits{Slots: 1, Nice: 3}}
	base, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		t.Fatal(err)
	}
	var inSearch int
	err = s.runSearch(context.Background(), func(context.Context) (err error) {
		inSearch, err = syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The raw getpriority returns 20 - nice.
	if nice, want := 20-inSearch, min(19, 20-base+3); nice != want {
		t.Errorf("a search runs at nice %d, want %d (the process is at %d)", nice, want, 20-base)
	}
}
