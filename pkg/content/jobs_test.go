package content_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/store/storetest"
)

// TestTwoJobsPublishOnce runs the scheduled-publishing job from two
// processes' worth of handles on one database file at once: each due entry
// is published exactly once.
func TestTwoJobsPublishOnce(t *testing.T) {
	path := storetest.Path(t)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	open := func() *content.Service {
		st, err := store.Open(context.Background(), path, store.Options{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return &content.Service{Store: st, Now: clock}
	}
	a, b := open(), open()
	ctx := context.Background()
	h, _ := auth.NewHasher(10)
	ed, err := (&auth.Service{Store: a.Store, Hasher: h}).CreateUser(ctx, auth.System, auth.NewUser{Email: "ed@example.com", Role: auth.RoleEditor, NoPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	editor := auth.Principal{User: ed}
	const n = 12
	var trashed int64
	for i := 0; i < n; i++ {
		e, err := a.Create(ctx, editor, content.Post, content.Input{Fields: content.Fields{Title: "Scheduled post"}})
		if err != nil {
			t.Fatal(err)
		}
		at := now.Add(time.Duration(i+1) * time.Second)
		if _, err := a.Apply(ctx, editor, content.Post, e.ID, content.ActionSchedule, content.ActionOptions{PublishAt: &at}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			trashed = e.ID
			if _, err := a.Trash(ctx, editor, content.Post, e.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	now = now.Add(time.Minute) // all are due
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, svc := range []*content.Service{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := svc.PublishDue(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = c
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != n-1 {
		t.Fatalf("published %d + %d = %d, want %d (each once; the trashed one not at all)", counts[0], counts[1], counts[0]+counts[1], n-1)
	}
	entries, _, err := a.Store.Read(ctx).Audit(store.AuditFilter{RecordType: "post", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	published := map[int64]int{}
	for _, e := range entries {
		if e.Action == "post.publish" {
			published[*e.RecordID]++
		}
	}
	for id, c := range published {
		if c != 1 {
			t.Errorf("post %d has %d publish entries in the audit log", id, c)
		}
	}
	if published[trashed] != 0 || len(published) != n-1 {
		t.Errorf("published %d posts (trashed one: %d times), want %d", len(published), published[trashed], n-1)
	}
}

func TestPruneRevisions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ed := f.users[auth.RoleEditor]
	e := f.create(t, auth.RoleEditor, content.Post, "Long history")
	start := f.now
	for i := 0; i < 59; i++ { // 60 revisions in all, one a day
		f.now = start.Add(time.Duration(i+1) * 24 * time.Hour)
		cur, _ := f.svc.Get(ctx, ed, content.Post, e.ID)
		cur.Fields.Body = "version " + cur.Fields.Title + string(rune('a'+i%26))
		if _, err := f.svc.Update(ctx, ed, content.Post, e.ID, cur.Version, content.Input{Fields: cur.Fields}); err != nil {
			t.Fatal(err)
		}
	}
	f.now = start.Add(100 * 24 * time.Hour)
	// Keep 90 days: revisions from day 0..9 are older, but only the ones
	// beyond the newest 50 (days 0..9) may go: all 10.
	n, err := f.svc.PruneRevisions(ctx, 90, 50)
	if err != nil || n != 10 {
		t.Fatalf("PruneRevisions = %d, %v; want 10", n, err)
	}
	page, _ := f.svc.Revisions(ctx, ed, content.Post, e.ID, 1, 100)
	if page.Total != 50 {
		t.Fatalf("%d revisions left, want 50", page.Total)
	}
	// With a long retention nothing newer goes; with the newest-50 rule
	// nothing more goes either.
	if n, _ := f.svc.PruneRevisions(ctx, 1, 50); n != 0 {
		t.Fatalf("pruned %d more beyond the newest 50", n)
	}
	// Pruning is never silent: it is in the audit log.
	rows, _, _ := f.svc.Store.Read(ctx).Audit(store.AuditFilter{RecordType: "revision", Limit: 10})
	if len(rows) != 1 || rows[0].Action != "revision.prune" {
		t.Fatalf("audit = %+v, want one revision.prune entry", rows)
	}
}

// TestJobsWakeAtTheScheduledTime: with a tick of an hour, the job sleeps
// until the next scheduled entry is due; an entry scheduled for an earlier
// time while it sleeps wakes it, and each is published at its own time.
func TestJobsWakeAtTheScheduledTime(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.Path(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := &content.Service{Store: st, Now: time.Now}
	h, _ := auth.NewHasher(10)
	ed, err := (&auth.Service{Store: st, Hasher: h}).CreateUser(ctx, auth.System, auth.NewUser{Email: "ed@example.com", Role: auth.RoleEditor, NoPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	editor := auth.Principal{User: ed}
	schedule := func(title string, at time.Time) int64 {
		t.Helper()
		e, err := svc.Create(ctx, editor, content.Post, content.Input{Fields: content.Fields{Title: title}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Apply(ctx, editor, content.Post, e.ID, content.ActionSchedule, content.ActionOptions{PublishAt: &at}); err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	status := func(id int64) content.Status {
		t.Helper()
		e, err := svc.Get(ctx, editor, content.Post, id)
		if err != nil {
			t.Fatal(err)
		}
		return e.Status
	}
	waitFor := func(id int64, at time.Time) {
		t.Helper()
		for status(id) != content.Published {
			if time.Now().After(at.Add(5 * time.Second)) {
				t.Fatalf("post %d is still %s at %s, due at %s: the job slept past its time",
					id, status(id), time.Now().Format(time.TimeOnly), at.Format(time.TimeOnly))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// Scheduled before the job starts: the job's first sleep ends at its time.
	lateAt := time.Now().Add(6 * time.Second).Truncate(time.Second)
	late := schedule("Due last", lateAt)

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&content.Jobs{Service: svc, Log: slog.New(slog.DiscardHandler), Every: time.Hour}).Run(runCtx)
	}()
	t.Cleanup(func() { stop(); <-done })

	time.Sleep(100 * time.Millisecond) // the job is asleep, until lateAt
	earlyAt := time.Now().Add(2 * time.Second).Truncate(time.Second)
	early := schedule("Due first", earlyAt)
	if s := status(early); s != content.Scheduled {
		t.Fatalf("the early post is %s before its time, want scheduled", s)
	}
	waitFor(early, earlyAt)
	if s := status(late); s != content.Scheduled || !time.Now().Before(lateAt) {
		t.Fatalf("the late post is %s at %s (due %s): it should still be scheduled", s, time.Now().Format(time.TimeOnly), lateAt.Format(time.TimeOnly))
	}
	waitFor(late, lateAt)
	// And the audit log says the schedule published each once.
	entries, _, err := st.Read(ctx).Audit(store.AuditFilter{RecordType: "post", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	published := map[int64]int{}
	for _, e := range entries {
		if e.Action == "post.publish" {
			published[*e.RecordID]++
		}
	}
	if published[early] != 1 || published[late] != 1 {
		t.Fatalf("publish entries per post = %v, want one each for %d and %d", published, early, late)
	}
}
