package store

import (
	"context"
	"testing"
	"time"
)

// TestViewSeesOneInstant reads, lets a write commit, and reads again inside
// one View: both reads must see the database as it was at the first, as a
// delivery and its attempts must be read together or not at all.
func TestViewSeesOneInstant(t *testing.T) {
	engines(t, viewSeesOneInstant)
}

func viewSeesOneInstant(t *testing.T, s *Store) {
	ctx := context.Background()
	addUser := func(email string) {
		t.Helper()
		err := s.Write(ctx, func(tx *Tx) error {
			now := time.Now().UTC()
			return tx.InsertUser(&UserRow{Email: email, Name: email, Slug: email, Role: "author", CreatedAt: now, UpdatedAt: now})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	addUser("a")
	var before, after int64
	err := s.View(ctx, func(r Reader) error {
		var err error
		if before, err = r.CountUsers(); err != nil {
			return err
		}
		addUser("b") // commits on the writer while the view is open
		after, err = r.CountUsers()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if before != 1 || after != 1 {
		t.Fatalf("inside one View the user count went %d → %d, want 1 → 1", before, after)
	}
	if n, err := s.Read(ctx).CountUsers(); err != nil || n != 2 {
		t.Fatalf("after the View: %d users (%v), want 2", n, err)
	}
}
