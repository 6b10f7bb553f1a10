package doctor_test

import (
	"context"
	"strings"
	"testing"

	"github.com/folio-cms/folio/pkg/doctor"
	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/store/pgtest"
)

// On PostgreSQL the doctor connects (read only: it never migrates), and
// checks the migrations and the media as on SQLite; a database it cannot
// reach is an error that says what to check.
func TestPostgresSite(t *testing.T) {
	c := pgtest.Need(t)
	ctx := context.Background()
	name := c.NewName("doctor")
	u, err := c.CreateDatabase(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Drop(ctx, name) })
	dir := t.TempDir()

	// Never started on: no schema, and the doctor makes none.
	r := run(t, doctor.Options{DataDir: dir, DatabaseURL: u})
	if f := find(r, "database", doctor.OK); f == nil || !strings.HasPrefix(f.Message, "PostgreSQL ") {
		t.Errorf("database: %+v", r.Findings)
	}
	if f := find(r, "migrations", doctor.Warning); f == nil || !strings.Contains(f.Message, "no schema") {
		t.Errorf("an empty database: %+v", r.Findings)
	}

	st, err := store.OpenPostgres(ctx, u, store.Options{Readers: 1})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	r = run(t, doctor.Options{DataDir: dir, DatabaseURL: u})
	if r.Worst() != doctor.OK {
		t.Errorf("a migrated database: worst = %v: %+v", r.Worst(), r.Findings)
	}
	for _, check := range []string{"database", "migrations", "media"} {
		if find(r, check, doctor.OK) == nil {
			t.Errorf("no passing %q check: %+v", check, r.Findings)
		}
	}

	r = run(t, doctor.Options{DataDir: dir, DatabaseURL: "postgres://folio:secret-pw@127.0.0.1:1/folio?sslmode=disable&connect_timeout=2"})
	f := find(r, "database", doctor.Error)
	if f == nil || !strings.Contains(f.Message, "PostgreSQL does not answer") || !strings.Contains(f.Fix, "FOLIO_DATABASE_URL") {
		t.Fatalf("an unreachable database: %+v", r.Findings)
	}
	if strings.Contains(f.Message, "secret-pw") {
		t.Errorf("the finding shows the password: %s", f.Message)
	}
}
