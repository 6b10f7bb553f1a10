package storetest

import (
	"context"
	"os"
	"testing"

	"github.com/folio-cms/folio/pkg/store"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// A PostgreSQL database a test used comes to the next one as the template
// is: no rows, ids from 1 again.
func TestReusedPostgresDatabasesAreEmpty(t *testing.T) {
	ctx := context.Background()
	var first, second int64
	add := func(t *testing.T, id *int64) {
		st := NewPostgres(t, nil)
		if n, err := st.Read(ctx).CountUsers(); err != nil || n != 0 {
			t.Fatalf("a new database holds %d users (%v)", n, err)
		}
		err := st.Write(ctx, func(tx *store.Tx) error {
			u := &store.UserRow{Email: "a@example.com", Name: "A", Slug: "a", Role: "admin"}
			if err := tx.InsertUser(u); err != nil {
				return err
			}
			*id = u.ID
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Run("first", func(t *testing.T) { add(t, &first) })
	t.Run("second", func(t *testing.T) { add(t, &second) })
	if first != 1 || second != 1 {
		t.Errorf("the users' ids are %d and %d, want 1 and 1", first, second)
	}
	if pgPool.Reused() == 0 {
		t.Error("the second test got a new database, not the first one's")
	}
}
