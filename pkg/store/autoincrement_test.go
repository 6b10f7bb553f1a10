package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stepNamed returns the schema version of the step with this name.
func stepNamed(t *testing.T, name string) int {
	for i, m := range migrations {
		if m.name == name {
			return i + 1
		}
	}
	t.Fatalf("no migration %q", name)
	return 0
}

// schemaOf lists every index, trigger, view and foreign key of the
// database, and the columns of every table: what a rebuild must keep.
func schemaOf(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	var objs []struct{ Type, Name, SQL string }
	s.w.Raw(`SELECT type, name, COALESCE(sql, '') AS sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') ORDER BY type, name`).Scan(&objs)
	for _, o := range objs {
		out = append(out, o.Type+" "+o.Name+": "+strings.Join(strings.Fields(o.SQL), " "))
	}
	var tables []string
	s.w.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).Scan(&tables)
	for _, tb := range tables {
		var fks []struct {
			Table, From, To, OnDelete string
		}
		s.w.Raw(`SELECT "table", "from", "to", on_delete AS on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, tb).Scan(&fks)
		for _, fk := range fks {
			out = append(out, fmt.Sprintf("fk %s.%s -> %s.%s on delete %s", tb, fk.From, fk.Table, fk.To, fk.OnDelete))
		}
		var cols []struct {
			Name, Type string
			Notnull    int
			DfltValue  *string `gorm:"column:dflt_value"`
			PK         int     `gorm:"column:pk"`
		}
		s.w.Raw(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`, tb).Scan(&cols)
		for _, c := range cols {
			d := "-"
			if c.DfltValue != nil {
				d = *c.DfltValue
			}
			out = append(out, fmt.Sprintf("column %s.%s %s notnull=%d default=%s pk=%d", tb, c.Name, c.Type, c.Notnull, d, c.PK))
		}
	}
	return out
}

// rowsOf dumps every row of every table of idTables, in id order.
func rowsOf(t *testing.T, s *Store) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, it := range idTables {
		var rows []map[string]any
		if err := s.w.Raw(fmt.Sprintf(`SELECT * FROM %q ORDER BY id`, it.table)).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out[it.table] = rows
	}
	return out
}

// TestIDsNeverReusedAfterMigratingAPopulatedDatabase: a database with
// content, made at the schema before the AUTOINCREMENT step and with some
// records purged already, keeps every row, id, index, trigger and foreign
// key through the step; no id below the highest ever recorded is handed
// out again; search still follows every write.
func TestIDsNeverReusedAfterMigratingAPopulatedDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	step := stepNamed(t, "ids are never handed out twice")
	old, err := open(ctx, path, Options{}, step-1)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(s *Store, stmts ...string) {
		t.Helper()
		for _, q := range stmts {
			if err := s.w.Exec(q).Error; err != nil {
				t.Fatalf("%v\n in: %s", err, q)
			}
		}
	}
	const now = `'2026-05-01 10:00:00'`
	exec(old,
		`INSERT INTO users (id, email, name, slug, role, created_at, updated_at) VALUES
			(1, 'admin@example.com', 'Admin', 'admin', 'admin', `+now+`, `+now+`),
			(2, 'maya@example.com', 'Maya', 'maya', 'author', `+now+`, `+now+`),
			(3, 'gone@example.com', 'Gone', 'gone', 'editor', `+now+`, `+now+`)`,
		`INSERT INTO entries (id, type, slug, title, status, author_id, updated_by, created_at, updated_at, summary, client) VALUES
			(1, 'post', 'first', 'First light', 'published', 2, 1, `+now+`, `+now+`, '', ''),
			(2, 'case_study', 'acme', 'Acme search', 'draft', 1, 1, `+now+`, `+now+`, 'Faster search', 'Acme'),
			(3, 'post', 'third', 'Third', 'draft', 3, 3, `+now+`, `+now+`, '', ''),
			(5, 'post', 'fifth', 'Fifth', 'draft', 2, 2, `+now+`, `+now+`, '', '')`,
		`INSERT INTO entry_bodies (entry_id, body, plain_text) VALUES (1, 'Body of the lighthouse post', 'Body of the lighthouse post'),
			(2, '', 'ranking with trigrams'), (3, 'x', 'x'), (5, 'y', 'y')`,
		`INSERT INTO tags (id, slug, name, created_at) VALUES (1, 'go', 'Go', `+now+`)`,
		`INSERT INTO entry_tags (entry_id, tag_id, position) VALUES (1, 1, 0), (5, 1, 0)`,
		`INSERT INTO slug_aliases (type, slug, entry_id, created_at) VALUES ('post', 'first-old', 1, `+now+`)`,
		`INSERT INTO revisions (id, entry_id, version, user_id, kind, snapshot, created_at, updated_at) VALUES
			(1, 1, 1, 2, 'create', '{}', `+now+`, `+now+`), (2, 5, 1, 2, 'create', '{}', `+now+`, `+now+`)`,
		`INSERT INTO media (id, sha256, filename, mime, ext, kind, size, uploaded_by, created_at, updated_at) VALUES
			(1, 'aa', 'a.png', 'image/png', 'png', 'image', 10, 2, `+now+`, `+now+`),
			(2, 'bb', 'b.png', 'image/png', 'png', 'image', 10, 2, `+now+`, `+now+`)`,
		`INSERT INTO media_uses (media_id, entry_id, field) VALUES (1, 1, 'cover_image')`,
		`INSERT INTO api_tokens (id, name, scope, hash, prefix, created_by, created_at) VALUES (1, 'site', 'content', 'h1', 'folio_ab', 1, `+now+`),
			(2, 'old', 'content', 'h2', 'folio_cd', 1, `+now+`)`,
		`INSERT INTO webhooks (id, name, url, secret, created_by, created_at, updated_at) VALUES (1, 'site', 'https://hooks.example/x', 's', 1, `+now+`, `+now+`),
			(2, 'old', 'https://hooks.example/y', 's', 1, `+now+`, `+now+`)`,
		`INSERT INTO webhook_events (id, uid, event, payload, created_at) VALUES
			(1, 'evt_1', 'post.published', '{"data":{"type":"post","id":1}}', `+now+`),
			(2, 'evt_2', 'post.deleted', '{"data":{"type":"post","id":12}}', `+now+`),
			(3, 'evt_3', 'media.deleted', 'not json', `+now+`)`,
		`INSERT INTO webhook_deliveries (id, webhook_id, event_id, status, created_at) VALUES (1, 1, 1, 'delivered', `+now+`), (2, 1, 2, 'pending', `+now+`),
			(3, 2, 1, 'failed', `+now+`)`,
		`INSERT INTO webhook_attempts (id, delivery_id, attempt, started_at, duration_ms) VALUES (1, 1, 1, `+now+`, 12), (2, 3, 1, `+now+`, 5)`,
		`INSERT INTO audit_log (id, user_id, actor, action, record_type, record_id, details, created_at) VALUES
			(1, 1, 'admin@example.com', 'post.purge', 'post', 9, '{}', `+now+`),
			(2, 1, 'admin@example.com', 'user.delete', 'user', 7, '{}', `+now+`),
			(3, 1, 'admin@example.com', 'media.delete', 'media', 4, '{}', `+now+`),
			(4, 1, 'admin@example.com', 'api_token.delete', 'api_token', 6, '{}', `+now+`),
			(5, 1, 'admin@example.com', 'webhook.redeliver', 'webhook', 2, '{"delivery": 8}', `+now+`),
			(6, 1, 'admin@example.com', 'post.restore', 'post', 1, '{"revision": 11}', `+now+`),
			(7, 1, 'admin@example.com', 'webhook.delete', 'webhook', 5, 'not json', `+now+`)`,
		// Purge the newest of each: their ids must not come back.
		`DELETE FROM entries WHERE id = 5`,
		`DELETE FROM users WHERE id = 3`,
		`DELETE FROM media WHERE id = 2`,
		`DELETE FROM api_tokens WHERE id = 2`,
		`DELETE FROM webhooks WHERE id = 2`,
		`DELETE FROM audit_log WHERE id = 7`,
	)
	before, rows := schemaOf(t, old), rowsOf(t, old)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := open(ctx, path, Options{}, step)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if diff := cmp.Diff(before, schemaOf(t, s)); diff != "" {
		t.Errorf("indexes, triggers, foreign keys or columns changed (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(rows, rowsOf(t, s)); diff != "" {
		t.Errorf("rows changed (-before +after):\n%s", diff)
	}
	for _, it := range idTables {
		var def string
		s.w.Raw(`SELECT sql FROM sqlite_master WHERE name = ?`, it.table).Scan(&def)
		if !strings.Contains(def, "AUTOINCREMENT") {
			t.Errorf("%s is not AUTOINCREMENT: %s", it.table, def)
		}
	}
	var check []map[string]any
	s.w.Raw(`PRAGMA foreign_key_check`).Scan(&check)
	var integrity string
	s.w.Raw(`PRAGMA integrity_check`).Scan(&integrity)
	var fk int
	s.w.Raw(`PRAGMA foreign_keys`).Scan(&fk)
	if len(check) > 0 || integrity != "ok" || fk != 1 {
		t.Fatalf("after the step: foreign_key_check %v, integrity %q, foreign_keys %d", check, integrity, fk)
	}

	// The next id of each is above everything ever recorded.
	exec(s,
		`INSERT INTO entries (type, slug, title, status, created_at, updated_at, summary, client) VALUES ('post', 'new', 'Brand new lighthouse', 'draft', `+now+`, `+now+`, '', '')`,
		`INSERT INTO users (email, name, slug, role, created_at, updated_at) VALUES ('new@example.com', 'New', 'new', 'author', `+now+`, `+now+`)`,
		`INSERT INTO media (sha256, filename, mime, ext, kind, size, created_at, updated_at) VALUES ('cc', 'c.png', 'image/png', 'png', 'image', 1, `+now+`, `+now+`)`,
		`INSERT INTO api_tokens (name, scope, hash, prefix, created_at) VALUES ('new', 'content', 'h3', 'folio_ef', `+now+`)`,
		`INSERT INTO webhooks (name, url, secret, created_at, updated_at) VALUES ('new', 'https://hooks.example/z', 's', `+now+`, `+now+`)`,
		`INSERT INTO webhook_deliveries (webhook_id, event_id, status, created_at) VALUES (1, 1, 'pending', `+now+`)`,
		`INSERT INTO revisions (entry_id, version, kind, snapshot, created_at, updated_at) VALUES (1, 2, 'save', '{}', `+now+`, `+now+`)`,
		`INSERT INTO audit_log (actor, action, record_type, created_at) VALUES ('system', 'x', 'post', `+now+`)`,
	)
	want := map[string]int64{
		"entries":            13, // above entry 12, named by a webhook event
		"users":              8,  // above user 7, named by the audit log
		"media":              5,  // above media 4, named by the audit log
		"api_tokens":         7,  // above token 6, named by the audit log
		"webhooks":           3,  // above webhook 2, named by the audit log (webhook 5 is named nowhere any more)
		"webhook_deliveries": 9,  // above delivery 8, named by a redeliver's audit entry
		"revisions":          12, // above revision 11, named by a restore's audit entry
		"audit_log":          7,  // audit entry 7 is named nowhere
	}
	got := map[string]int64{}
	for table := range want {
		var id int64
		s.w.Raw(fmt.Sprintf(`SELECT MAX(id) FROM %q`, table)).Scan(&id)
		got[table] = id
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("next ids (-want +got):\n%s", diff)
	}

	// The search index follows inserts and updates through the recreated triggers.
	search := func(q string) []int64 {
		var ids []int64
		s.w.Raw(`SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid`, q).Scan(&ids)
		return ids
	}
	exec(s, `UPDATE entries SET title = 'Renamed beacon' WHERE id = 2`, `UPDATE entry_bodies SET plain_text = 'now about harbours' WHERE entry_id = 1`)
	if got := search("lighthouse"); !cmp.Equal(got, []int64{13}) {
		t.Errorf("search lighthouse = %v, want the new entry 13 only", got)
	}
	if got := search("beacon"); !cmp.Equal(got, []int64{2}) {
		t.Errorf("search beacon = %v, want the renamed entry 2", got)
	}
	if got := search("harbours"); !cmp.Equal(got, []int64{1}) {
		t.Errorf("search harbours = %v, want entry 1", got)
	}
	// Foreign keys still act: deleting an entry cascades, a bad reference is refused.
	exec(s, `DELETE FROM entries WHERE id = 1`)
	var n int64
	s.w.Raw(`SELECT COUNT(*) FROM entry_tags WHERE entry_id = 1`).Scan(&n)
	if n != 0 {
		t.Errorf("entry_tags of a deleted entry: %d left", n)
	}
	if err := s.w.Exec(`INSERT INTO entry_tags (entry_id, tag_id, position) VALUES (999, 1, 0)`).Error; err == nil {
		t.Errorf("a tag on a missing entry was accepted")
	}
	// The later steps apply on top.
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.schemaVersion(ctx); v != len(migrations) {
		t.Errorf("schema version %d, want %d", v, len(migrations))
	}
}
