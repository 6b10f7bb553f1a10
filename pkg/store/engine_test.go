package store

import (
	"context"
	"errors"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var (
	pgTemplateOnce sync.Once
	pgTemplate     string
	pgTemplateErr  error
)

// openPG gives t a store on a fresh PostgreSQL database cloned from one
// migrated once per test binary (skipped without PostgreSQL, unless
// FOLIO_TEST_PG=require).
func openPG(t testing.TB, opt Options) *Store {
	t.Helper()
	c := pgtest.Need(t)
	pgTemplateOnce.Do(func() {
		ctx := context.Background()
		name := c.NewName("store_template")
		u, err := c.CreateDatabase(ctx, name)
		if err != nil {
			pgTemplateErr = err
			return
		}
		s, err := OpenPostgres(ctx, u, Options{})
		if err != nil {
			pgTemplateErr = err
			return
		}
		pgTemplate, pgTemplateErr = name, s.Close()
	})
	if pgTemplateErr != nil {
		t.Fatalf("migrate the PostgreSQL template: %v", pgTemplateErr)
	}
	s, err := OpenPostgres(context.Background(), c.Database(t, pgTemplate), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// engines runs fn once on SQLite and once on PostgreSQL, as subtests.
func engines(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Run("sqlite", func(t *testing.T) { s, _ := openTemp(t); fn(t, s) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPG(t, Options{})) })
}

// The two migration lists are one history: the same steps, in the same
// order, under the same names.
func TestPostgresMigrationsFollowSQLite(t *testing.T) {
	if len(pgMigrations) != len(migrations) {
		t.Fatalf("PostgreSQL has %d migration steps, SQLite %d: port the new steps to pgMigrations", len(pgMigrations), len(migrations))
	}
	for i := range migrations {
		if pgMigrations[i].name != migrations[i].name {
			t.Errorf("step %d is %q on SQLite but %q on PostgreSQL", i+1, migrations[i].name, pgMigrations[i].name)
		}
	}
}

// tablesAndColumns lists every table and view of the store's schema with its
// columns, each as "name" or "name NOT NULL", in order of name. SQLite's
// search index (the entries_fts* tables) has no PostgreSQL twin yet and
// is left out.
func tablesAndColumns(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	type col struct {
		Tbl     string
		Name    string
		NotNull bool
	}
	var cols []col
	var err error
	if s.engine == Postgres {
		err = s.r.Raw(`SELECT table_name AS tbl, column_name AS name, is_nullable = 'NO' AS not_null
			FROM information_schema.columns WHERE table_schema = current_schema()`).Scan(&cols).Error
	} else {
		err = s.r.Raw(`SELECT m.name AS tbl, c.name AS name, c."notnull" OR c.pk AS not_null
			FROM sqlite_master m, pragma_table_info(m.name) c
			WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT LIKE 'entries\_fts%' ESCAPE '\'`).Scan(&cols).Error
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, c := range cols {
		d := c.Name
		if c.NotNull && !strings.HasPrefix(c.Tbl, "entries_search") { // a view's columns say nothing of it
			d += " NOT NULL"
		}
		out[c.Tbl] = append(out[c.Tbl], d)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// Both engines end their migrations with the same tables and views, and
// the same columns in each, nullable alike.
func TestBothEnginesHaveTheSameSchema(t *testing.T) {
	lite, _ := openTemp(t)
	pg := openPG(t, Options{})
	want, got := tablesAndColumns(t, lite), tablesAndColumns(t, pg)
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if w, g := strings.Join(want[n], ", "), strings.Join(got[n], ", "); w != g {
			t.Errorf("table %s:\n  SQLite:     %s\n  PostgreSQL: %s", n, w, g)
		}
	}
	if len(want) < 20 {
		t.Errorf("SQLite's schema has only %d tables and views: %v", len(want), names)
	}
}

// Replicas started together on an empty database all start, on the same
// schema, each step applied once.
func TestPostgresReplicasMigrateTogether(t *testing.T) {
	c := pgtest.Need(t)
	ctx := context.Background()
	name := c.NewName("together")
	u, err := c.CreateDatabase(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Drop(ctx, name) })
	const n = 4
	errc := make(chan error, n)
	for range n {
		go func() {
			s, err := OpenPostgres(ctx, u, Options{Readers: 1})
			if err == nil {
				err = s.Close()
			}
			errc <- err
		}()
	}
	for range n {
		if err := <-errc; err != nil {
			t.Errorf("a replica failed to start: %v", err)
		}
	}
	s, err := OpenPostgres(ctx, u, Options{Readers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var versions []int
	s.r.Raw(`SELECT version FROM schema_migrations ORDER BY version`).Scan(&versions)
	if len(versions) != len(pgMigrations) || versions[0] != 1 || versions[len(versions)-1] != len(pgMigrations) {
		t.Errorf("schema_migrations holds %v, want 1…%d once each", versions, len(pgMigrations))
	}
}

// A binary older than the database's schema refuses to start, saying why,
// on PostgreSQL as on SQLite.
func TestPostgresRefusesANewerSchema(t *testing.T) {
	s := openPG(t, Options{})
	if err := s.w.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', ?)`, len(pgMigrations)+1, time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	_, err := openPostgres(context.Background(), s.pgURL(t), Options{}, len(pgMigrations))
	var tooNew *ErrSchemaTooNew
	if !errors.As(err, &tooNew) || tooNew.Have != len(pgMigrations)+1 || tooNew.Know != len(pgMigrations) {
		t.Fatalf("open = %v, want ErrSchemaTooNew{%d, %d}", err, len(pgMigrations)+1, len(pgMigrations))
	}
	if !strings.Contains(err.Error(), "upgrade folio") {
		t.Errorf("the error does not say what to do: %v", err)
	}
}

// pgURL is the URL of the database the store is connected to.
func (s *Store) pgURL(t *testing.T) string {
	t.Helper()
	var db string
	if err := s.r.Raw(`SELECT current_database()`).Scan(&db).Error; err != nil {
		t.Fatal(err)
	}
	c, _ := pgtest.Shared()
	return c.URL(db)
}

// A UNIQUE violation is the same conflict on both engines, naming the
// columns the same way; a missing foreign row is a conflict too.
func TestUniqueViolationsAreConflictsOnBothEngines(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ins := func(email, slug string) error {
			return s.Write(ctx, func(tx *Tx) error {
				return tx.db.Create(&UserRow{Email: email, Name: "A", Slug: slug, Role: "admin", CreatedAt: tx.now, UpdatedAt: tx.now}).Error
			})
		}
		if err := ins("a@example.com", "a"); err != nil {
			t.Fatal(err)
		}
		err := ins("a@example.com", "b")
		if !IsUniqueViolation(err, "users.email") || !errs.Is(err, errs.Conflict) {
			t.Errorf("duplicate email: %v (%T), want a conflict on users.email", err, err)
		}
		if err := ins("b@example.com", "a"); !IsUniqueViolation(err, "users.slug") {
			t.Errorf("duplicate slug: %v, want a conflict on users.slug", err)
		}
		err = s.Write(ctx, func(tx *Tx) error {
			return tx.db.Exec(`INSERT INTO entries (type, slug, title, status, author_id, created_at, updated_at) VALUES ('post', 'x', 'X', 'draft', 999, ?, ?)`, tx.now, tx.now).Error
		})
		if !errs.Is(err, errs.Conflict) {
			t.Errorf("missing author: %v, want a conflict", err)
		}
		err = s.Write(ctx, func(tx *Tx) error {
			for _, slug := range []string{"p", "p"} {
				if err := tx.db.Exec(`INSERT INTO entries (type, slug, title, status, created_at, updated_at) VALUES ('post', ?, 'P', 'draft', ?, ?)`, slug, tx.now, tx.now).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if !IsUniqueViolation(err, "entries.type, entries.slug") {
			t.Errorf("duplicate slug of a type: %v, want a conflict on entries.type, entries.slug", err)
		}
	})
}

// What SQLite's single writer serialises stays serialised on PostgreSQL
// with several processes: 30 sign-in failures checked and recorded at once
// through 3 stores on one database (3 replicas), each recording only while
// fewer than 5 are recorded, leave exactly 5.
func TestPostgresWritesAreSerialisedAcrossProcesses(t *testing.T) {
	first := openPG(t, Options{})
	u := first.pgURL(t)
	stores := []*Store{first}
	for range 2 {
		s, err := OpenPostgres(context.Background(), u, Options{Readers: 2})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	since := time.Now().Add(-time.Hour)
	var wg sync.WaitGroup
	errc := make(chan error, 30)
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- stores[i%3].Write(context.Background(), func(tx *Tx) error {
				n, _, err := tx.LoginFailures("a@example.com", "192.0.2.1", since)
				if err != nil || n >= 5 {
					return err
				}
				return tx.AddLoginFailure("a@example.com", "192.0.2.1", since)
			})
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	n, _, err := first.Read(context.Background()).LoginFailures("a@example.com", "192.0.2.1", since)
	if err != nil || n != 5 {
		t.Fatalf("%d failures recorded (%v), want 5: a check and its write were interleaved", n, err)
	}
}
