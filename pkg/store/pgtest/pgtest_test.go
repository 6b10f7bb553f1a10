package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// A test's database is a copy of the template: it has the template's
// tables and rows, and what one test writes no other sees.
func TestDatabasesAreClonedFromTheTemplate(t *testing.T) {
	c := Need(t)
	ctx := context.Background()
	tpl := c.NewName("tpl")
	u, err := c.CreateDatabase(ctx, tpl)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE notes (body text); INSERT INTO notes VALUES ('from the template')`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	read := func(u string) []string {
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		rows, _ := conn.Query(ctx, `SELECT body FROM notes ORDER BY body`)
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	a, b := c.Database(t, tpl), c.Database(t, tpl)
	conn, err = pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO notes VALUES ('only in a')`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if got := read(a); len(got) != 2 || got[0] != "from the template" || got[1] != "only in a" {
		t.Errorf("a holds %q, want the template's row and its own", got)
	}
	if got := read(b); len(got) != 1 || got[0] != "from the template" {
		t.Errorf("b holds %q, want only the template's row", got)
	}
	var user string
	if err := c.Exec(ctx, `SELECT 1`); err != nil {
		t.Fatal(err)
	}
	conn, _ = pgx.Connect(ctx, b)
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, `SELECT current_user`).Scan(&user); err != nil || user != superuser {
		t.Errorf("current_user = %q (%v), want %q", user, err, superuser)
	}
}
