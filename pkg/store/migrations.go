package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migration is one step of the schema's history. Steps are append-only:
// never edit or reorder a step that has shipped; add a new one.
//
// Every step runs with foreign key enforcement off, as SQLite's procedure
// for schema changes wants (a table rebuild must not cascade its DROP
// TABLE), and must leave no foreign key violation behind.
type migration struct {
	name string
	up   func(tx *gorm.DB) error
}

// sqlStep is a migration made of plain SQL statements.
func sqlStep(stmts ...string) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		for _, s := range stmts {
			if err := tx.Exec(s).Error; err != nil {
				return fmt.Errorf("%w\n in: %s", err, s)
			}
		}
		return nil
	}
}

// migrations is the schema's history; version N is migrations[N-1].
var migrations = []migration{
	{"users and entries", sqlStep(
		`CREATE TABLE users (
			id            INTEGER PRIMARY KEY,
			email         TEXT    NOT NULL UNIQUE,
			name          TEXT    NOT NULL,
			slug          TEXT    NOT NULL UNIQUE,
			role          TEXT    NOT NULL,
			password_hash TEXT,
			disabled      BOOLEAN NOT NULL DEFAULT 0,
			created_at    DATETIME NOT NULL,
			updated_at    DATETIME NOT NULL
		)`,
		`CREATE TABLE entries (
			id                   INTEGER PRIMARY KEY,
			type                 TEXT    NOT NULL CHECK (type IN ('post', 'case_study')),
			slug                 TEXT    NOT NULL,
			title                TEXT    NOT NULL,
			status               TEXT    NOT NULL,
			published_at         DATETIME,
			author_id            INTEGER REFERENCES users (id) ON DELETE SET NULL,
			featured             BOOLEAN NOT NULL DEFAULT 0,
			cover_image          TEXT,
			seo                  TEXT    NOT NULL DEFAULT '{}',
			excerpt              TEXT    NOT NULL DEFAULT '',
			auto_excerpt         TEXT    NOT NULL DEFAULT '',
			body                 TEXT    NOT NULL DEFAULT '',
			html                 TEXT    NOT NULL DEFAULT '',
			toc                  TEXT    NOT NULL DEFAULT '[]',
			word_count           INTEGER NOT NULL DEFAULT 0,
			reading_time_minutes INTEGER NOT NULL DEFAULT 0,
			client               TEXT    NOT NULL DEFAULT '',
			industry             TEXT    NOT NULL DEFAULT '',
			services             TEXT    NOT NULL DEFAULT '[]',
			technologies         TEXT    NOT NULL DEFAULT '[]',
			summary              TEXT    NOT NULL DEFAULT '',
			challenge            TEXT    NOT NULL DEFAULT '',
			challenge_html       TEXT    NOT NULL DEFAULT '',
			solution             TEXT    NOT NULL DEFAULT '',
			solution_html        TEXT    NOT NULL DEFAULT '',
			results              TEXT    NOT NULL DEFAULT '',
			results_html         TEXT    NOT NULL DEFAULT '',
			metrics              TEXT    NOT NULL DEFAULT '[]',
			testimonial          TEXT,
			logo                 TEXT,
			version              INTEGER NOT NULL DEFAULT 1,
			created_at           DATETIME NOT NULL,
			updated_at           DATETIME NOT NULL,
			UNIQUE (type, slug)
		)`,
		`CREATE INDEX entries_by_status ON entries (type, status, published_at)`,
		`CREATE INDEX entries_by_author ON entries (author_id)`,
		`CREATE TABLE tags (
			id         INTEGER PRIMARY KEY,
			slug       TEXT NOT NULL UNIQUE,
			name       TEXT NOT NULL,
			created_at DATETIME NOT NULL
		)`,
		`CREATE TABLE entry_tags (
			entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
			tag_id   INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
			position INTEGER NOT NULL,
			PRIMARY KEY (entry_id, tag_id)
		)`,
		`CREATE INDEX entry_tags_by_tag ON entry_tags (tag_id, entry_id)`,
	)},
	{"sessions, api tokens, login failures, audit log", sqlStep(
		// A user's token version goes up when their password, role or status
		// changes; access tokens carrying an older version are refused.
		`ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0`,
		// A session is one sign-in on one device: a family of refresh tokens.
		`CREATE TABLE sessions (
			id           TEXT PRIMARY KEY,
			user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			created_at   DATETIME NOT NULL,
			last_used_at DATETIME NOT NULL,
			expires_at   DATETIME NOT NULL,
			revoked_at   DATETIME,
			ip           TEXT NOT NULL DEFAULT '',
			user_agent   TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX sessions_by_user ON sessions (user_id)`,
		// Refresh tokens are stored as SHA-256 hashes; used_at marks a rotated one.
		`CREATE TABLE refresh_tokens (
			hash       TEXT PRIMARY KEY,
			session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
			created_at DATETIME NOT NULL,
			expires_at DATETIME NOT NULL,
			used_at    DATETIME
		)`,
		`CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id)`,
		`CREATE TABLE api_tokens (
			id           INTEGER PRIMARY KEY,
			name         TEXT NOT NULL,
			scope        TEXT NOT NULL,
			hash         TEXT NOT NULL UNIQUE,
			prefix       TEXT NOT NULL,
			created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
			created_at   DATETIME NOT NULL,
			last_used_at DATETIME
		)`,
		`CREATE TABLE login_failures (
			id    INTEGER PRIMARY KEY,
			email TEXT NOT NULL,
			ip    TEXT NOT NULL,
			at    DATETIME NOT NULL
		)`,
		`CREATE INDEX login_failures_by_email ON login_failures (email, at)`,
		`CREATE INDEX login_failures_by_ip ON login_failures (ip, at)`,
		`CREATE TABLE audit_log (
			id          INTEGER PRIMARY KEY,
			user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
			actor       TEXT NOT NULL,
			action      TEXT NOT NULL,
			record_type TEXT NOT NULL,
			record_id   INTEGER,
			ip          TEXT NOT NULL DEFAULT '',
			details     TEXT NOT NULL DEFAULT '{}',
			created_at  DATETIME NOT NULL
		)`,
		`CREATE INDEX audit_log_by_time ON audit_log (created_at DESC, id DESC)`,
		`CREATE INDEX audit_log_by_record ON audit_log (record_type, record_id)`,
		`CREATE INDEX audit_log_by_user ON audit_log (user_id)`,
	)},
	{"workflow: revisions, slug aliases, trash", sqlStep(
		`ALTER TABLE entries ADD COLUMN updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL`,
		// Set by the first publication and never cleared: a slug change of an
		// entry that was ever public keeps the old slug as an alias.
		`ALTER TABLE entries ADD COLUMN first_published_at DATETIME`,
		`ALTER TABLE entries ADD COLUMN trashed_at DATETIME`,
		`UPDATE entries SET first_published_at = published_at WHERE status = 'published'`,
		`CREATE INDEX entries_by_trash ON entries (trashed_at)`,
		`CREATE TABLE revisions (
			id         INTEGER PRIMARY KEY,
			entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
			version    INTEGER NOT NULL,
			user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
			kind       TEXT    NOT NULL,
			changed    TEXT    NOT NULL DEFAULT '[]',
			snapshot   TEXT    NOT NULL,
			created_at DATETIME NOT NULL,
			updated_at DATETIME NOT NULL
		)`,
		`CREATE INDEX revisions_by_entry ON revisions (entry_id, id DESC)`,
		`CREATE TABLE slug_aliases (
			type       TEXT    NOT NULL,
			slug       TEXT    NOT NULL,
			entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
			created_at DATETIME NOT NULL,
			PRIMARY KEY (type, slug)
		)`,
		`CREATE INDEX slug_aliases_by_entry ON slug_aliases (entry_id)`,
	)},
	{"full-text search", sqlStep(
		// The visible text of the Markdown fields, kept at render time for
		// the index. Existing rows start from their Markdown source; the next
		// save refines it.
		`ALTER TABLE entries ADD COLUMN plain_text TEXT NOT NULL DEFAULT ''`,
		`UPDATE entries SET plain_text = CASE WHEN type = 'post' THEN body ELSE challenge || ' ' || solution || ' ' || results END`,
		`CREATE VIRTUAL TABLE entries_fts USING fts5(title, excerpt, body, meta, tokenize = 'unicode61 remove_diacritics 2')`,
		// Triggers keep the index in the transaction of every write, whatever
		// path it takes.
		`CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
			INSERT INTO entries_fts (rowid, title, excerpt, body, meta) VALUES (new.id, new.title, `+ftsExcerpt+`, new.plain_text, `+ftsMeta+`);
		END`,
		`CREATE TRIGGER entries_fts_update AFTER UPDATE OF title, excerpt, auto_excerpt, summary, plain_text, client, industry, services, technologies ON entries BEGIN
			DELETE FROM entries_fts WHERE rowid = old.id;
			INSERT INTO entries_fts (rowid, title, excerpt, body, meta) VALUES (new.id, new.title, `+ftsExcerpt+`, new.plain_text, `+ftsMeta+`);
		END`,
		`CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
			DELETE FROM entries_fts WHERE rowid = old.id;
		END`,
		`INSERT INTO entries_fts (rowid, title, excerpt, body, meta)
			SELECT id, title, `+strings.ReplaceAll(ftsExcerpt, "new.", "")+`, plain_text, `+strings.ReplaceAll(ftsMeta, "new.", "")+` FROM entries`,
	)},
	{"bodies in a table of their own; indexes for what the public reads", sqlStep(
		// An entry's Markdown and HTML are most of its bytes. Kept in the
		// entries row they pushed later columns (trashed_at…) into overflow
		// pages, so every visibility check read the whole article. Lists,
		// counts and checks now read small rows.
		`CREATE TABLE entry_bodies (
			entry_id       INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
			body           TEXT NOT NULL DEFAULT '',
			html           TEXT NOT NULL DEFAULT '',
			toc            TEXT NOT NULL DEFAULT '[]',
			plain_text     TEXT NOT NULL DEFAULT '',
			challenge      TEXT NOT NULL DEFAULT '',
			challenge_html TEXT NOT NULL DEFAULT '',
			solution       TEXT NOT NULL DEFAULT '',
			solution_html  TEXT NOT NULL DEFAULT '',
			results        TEXT NOT NULL DEFAULT '',
			results_html   TEXT NOT NULL DEFAULT ''
		)`,
		`INSERT INTO entry_bodies (entry_id, body, html, toc, plain_text, challenge, challenge_html, solution, solution_html, results, results_html)
			SELECT id, body, html, toc, plain_text, challenge, challenge_html, solution, solution_html, results, results_html FROM entries`,
		`DROP TRIGGER entries_fts_insert`,
		`DROP TRIGGER entries_fts_update`,
		`ALTER TABLE entries DROP COLUMN body`,
		`ALTER TABLE entries DROP COLUMN html`,
		`ALTER TABLE entries DROP COLUMN toc`,
		`ALTER TABLE entries DROP COLUMN plain_text`,
		`ALTER TABLE entries DROP COLUMN challenge`,
		`ALTER TABLE entries DROP COLUMN challenge_html`,
		`ALTER TABLE entries DROP COLUMN solution`,
		`ALTER TABLE entries DROP COLUMN solution_html`,
		`ALTER TABLE entries DROP COLUMN results`,
		`ALTER TABLE entries DROP COLUMN results_html`,
		// The index follows both tables: any change reindexes the entry.
		`CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN `+ftsReindex("new.id")+` END`,
		`CREATE TRIGGER entries_fts_update AFTER UPDATE OF title, excerpt, auto_excerpt, summary, client, industry, services, technologies ON entries BEGIN `+ftsReindex("new.id")+` END`,
		`CREATE TRIGGER entry_bodies_fts_insert AFTER INSERT ON entry_bodies BEGIN `+ftsReindex("new.entry_id")+` END`,
		`CREATE TRIGGER entry_bodies_fts_update AFTER UPDATE OF plain_text ON entry_bodies BEGIN `+ftsReindex("new.entry_id")+` END`,
		// Partial indexes whose condition is store.visibleSQL's, word for
		// word, so SQLite uses them for public lists, counts and the next
		// scheduled publication.
		`CREATE INDEX entries_visible ON entries (type, published_at DESC, id DESC) WHERE status IN ('published', 'scheduled') AND trashed_at IS NULL`,
		`CREATE INDEX entries_upcoming ON entries (published_at) WHERE status IN ('published', 'scheduled') AND trashed_at IS NULL`,
		`CREATE INDEX entries_admin ON entries (type, updated_at DESC, id DESC) WHERE trashed_at IS NULL`,
		// Counting a list must not read rows to rule out the trash.
		`DROP INDEX entries_by_status`,
		`CREATE INDEX entries_by_status ON entries (type, status, published_at) WHERE trashed_at IS NULL`,
		// ORDER BY rank computes the weighted BM25 once per row.
		`INSERT INTO entries_fts (entries_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 2.0)')`,
		`ANALYZE`,
	)},
	{"media library", sqlStep(
		// One row per upload; the bytes are stored once per sha256 (the same
		// bytes uploaded again return the existing item).
		`CREATE TABLE media (
			id          INTEGER PRIMARY KEY,
			sha256      TEXT    NOT NULL UNIQUE,
			filename    TEXT    NOT NULL,
			mime        TEXT    NOT NULL,
			ext         TEXT    NOT NULL,
			kind        TEXT    NOT NULL CHECK (kind IN ('image', 'document')),
			size        INTEGER NOT NULL,
			width       INTEGER NOT NULL DEFAULT 0,
			height      INTEGER NOT NULL DEFAULT 0,
			alt         TEXT    NOT NULL DEFAULT '',
			caption     TEXT    NOT NULL DEFAULT '',
			variants    TEXT    NOT NULL DEFAULT '[]',
			uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
			created_at  DATETIME NOT NULL,
			updated_at  DATETIME NOT NULL
		)`,
		`CREATE INDEX media_by_time ON media (created_at DESC, id DESC)`,
		// Which entries use which media, and where (cover_image, logo, body…);
		// kept by every save, in its transaction.
		`CREATE TABLE media_uses (
			media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
			entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
			field    TEXT    NOT NULL,
			PRIMARY KEY (media_id, entry_id, field)
		)`,
		`CREATE INDEX media_uses_by_entry ON media_uses (entry_id)`,
	)},
	{"webhooks and their outbox", sqlStep(
		`CREATE TABLE webhooks (
			id              INTEGER PRIMARY KEY,
			name            TEXT    NOT NULL,
			url             TEXT    NOT NULL,
			events          TEXT    NOT NULL DEFAULT '[]', -- JSON list of event names, or ["*"]
			secret          TEXT    NOT NULL,              -- kept to sign with; shown in full only once
			active          INTEGER NOT NULL DEFAULT 1,
			disabled_reason TEXT    NOT NULL DEFAULT '',
			created_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
			created_at      DATETIME NOT NULL,
			updated_at      DATETIME NOT NULL
		)`,
		// The outbox: an event is written in the transaction of the change
		// that causes it, with one delivery per subscribed webhook, so a
		// crash can neither lose it nor send one for a rolled-back change.
		`CREATE TABLE webhook_events (
			id         INTEGER PRIMARY KEY,
			uid        TEXT    NOT NULL UNIQUE, -- sent as X-Folio-Delivery and "id"
			event      TEXT    NOT NULL,
			payload    TEXT    NOT NULL,        -- the exact request body
			created_at DATETIME NOT NULL
		)`,
		`CREATE TABLE webhook_deliveries (
			id               INTEGER PRIMARY KEY,
			webhook_id       INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
			event_id         INTEGER NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
			status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
			attempts         INTEGER NOT NULL DEFAULT 0,
			next_attempt_at  DATETIME,
			last_status_code INTEGER NOT NULL DEFAULT 0,
			last_error       TEXT    NOT NULL DEFAULT '',
			redelivery_of    INTEGER REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
			created_at       DATETIME NOT NULL,
			completed_at     DATETIME
		)`,
		// Each webhook's queue, in order: the dispatcher reads the head.
		`CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (webhook_id, id) WHERE status = 'pending'`,
		`CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id DESC)`,
		`CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id)`,
		`CREATE INDEX webhook_deliveries_done ON webhook_deliveries (completed_at) WHERE status <> 'pending'`,
		`CREATE TABLE webhook_attempts (
			id               INTEGER PRIMARY KEY,
			delivery_id      INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
			attempt          INTEGER NOT NULL,
			started_at       DATETIME NOT NULL,
			duration_ms      INTEGER NOT NULL,
			status_code      INTEGER NOT NULL DEFAULT 0,
			error            TEXT    NOT NULL DEFAULT '',
			response_excerpt TEXT    NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, attempt)`,
	)},
	{"ids are never handed out twice", neverReuseIDs},
	{"webhook delivery leases", sqlStep(
		// A dispatcher leases the head of a webhook's queue by a conditional
		// UPDATE before it sends it, so that two processes on one database
		// never send one delivery at once; a lease that expires (its holder
		// crashed) may be taken over.
		`ALTER TABLE webhook_deliveries ADD COLUMN lease_owner TEXT`,
		`ALTER TABLE webhook_deliveries ADD COLUMN lease_until DATETIME`,
	)},
	{"search: an external-content index with prefixes, fed from one view", sqlStep(
		// The old index kept a second copy of every entry's text
		// (entries_fts_content). The new one reads its text from the view
		// entries_search, the one place that says what an entry contributes
		// to search (title, excerpt, body, meta), and stores only the index.
		`DROP TRIGGER entries_fts_insert`,
		`DROP TRIGGER entries_fts_update`,
		`DROP TRIGGER entries_fts_delete`,
		`DROP TRIGGER entry_bodies_fts_insert`,
		`DROP TRIGGER entry_bodies_fts_update`,
		`DROP TABLE entries_fts`,
		`CREATE VIEW entries_search AS
			SELECT e.id AS id, e.title AS title, `+strings.ReplaceAll(ftsExcerpt, "new.", "e.")+` AS excerpt,
				COALESCE(b.plain_text, '') AS body,
				e.client || ' ' || e.industry || ' ' || `+jsonWords("e.services")+` || ' ' || `+jsonWords("e.technologies")+` AS meta
			FROM entries e LEFT JOIN entry_bodies b ON b.entry_id = e.id`,
		// prefix='2 3 4': the last word typed matches as a prefix from two
		// letters on, from the prefix index (see docs/PERFORMANCE.md).
		`CREATE VIRTUAL TABLE entries_fts USING fts5(title, excerpt, body, meta,
			content = 'entries_search', content_rowid = 'id', prefix = '2 3 4',
			tokenize = 'unicode61 remove_diacritics 2')`,
		// An external-content index must be told the old text to forget it:
		// every change to what the view shows is bracketed by a trigger that
		// removes the entry's row as the view shows it before the change,
		// and one that adds it as the view shows it after.
		`CREATE TRIGGER entries_search_insert AFTER INSERT ON entries BEGIN `+ftsAdd("new.id")+` END`,
		`CREATE TRIGGER entries_search_before_update BEFORE UPDATE OF `+ftsEntryColumns+` ON entries BEGIN `+ftsRemove("old.id")+` END`,
		`CREATE TRIGGER entries_search_update AFTER UPDATE OF `+ftsEntryColumns+` ON entries BEGIN `+ftsAdd("new.id")+` END`,
		`CREATE TRIGGER entries_search_delete BEFORE DELETE ON entries BEGIN `+ftsRemove("old.id")+` END`,
		`CREATE TRIGGER entry_bodies_search_before_insert BEFORE INSERT ON entry_bodies BEGIN `+ftsRemove("new.entry_id")+` END`,
		`CREATE TRIGGER entry_bodies_search_insert AFTER INSERT ON entry_bodies BEGIN `+ftsAdd("new.entry_id")+` END`,
		`CREATE TRIGGER entry_bodies_search_before_update BEFORE UPDATE OF plain_text, entry_id ON entry_bodies BEGIN `+ftsRemove("old.entry_id")+` END`,
		`CREATE TRIGGER entry_bodies_search_update AFTER UPDATE OF plain_text, entry_id ON entry_bodies BEGIN `+ftsAdd("new.entry_id")+` END`,
		`INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')`,
		`INSERT INTO entries_fts (entries_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 2.0)')`,
		`INSERT INTO entries_fts (entries_fts) VALUES ('optimize')`,
		// Search checks each match's visibility: from this small index
		// rather than from the entries rows (three times faster).
		`CREATE INDEX entries_search_visibility ON entries (id, type, status, published_at, trashed_at)`,
		`ANALYZE`,
	)},
	{"media files to clean up", sqlStep(
		// The files of an upload that has not recorded its item yet (kind
		// upload), and of an item just deleted (kind delete): a row here says
		// that objects under these keys may exist without a media item, and
		// that the cleanup pass deletes them from not_before on, unless an
		// item holds that sha256 by then, or an upload of it is under way.
		// A process deleting them claims the row until claimed_until; an
		// upload of the same bytes waits for a live claim to end.
		`CREATE TABLE media_cleanup (
			id            INTEGER PRIMARY KEY AUTOINCREMENT,
			kind          TEXT     NOT NULL CHECK (kind IN ('upload', 'delete')),
			sha256        TEXT     NOT NULL,
			keys          TEXT     NOT NULL,
			not_before    DATETIME NOT NULL,
			claimed_until DATETIME,
			attempts      INTEGER  NOT NULL DEFAULT 0,
			last_error    TEXT     NOT NULL DEFAULT '',
			created_at    DATETIME NOT NULL
		)`,
		`CREATE INDEX media_cleanup_due ON media_cleanup (not_before)`,
		`CREATE INDEX media_cleanup_by_sha ON media_cleanup (sha256)`,
	)},
	{"each entry type's own fields in one JSON column", sqlStep(
		// The fields of one type that no list filters, sorts or searches on
		// (a case study's duration, …) as one JSON object whose shape the
		// type's spec in pkg/content owns: a new field of a type needs no
		// new column. The columns of the shared workflow, and the type
		// fields that lists filter and the search index reads, stay columns.
		`ALTER TABLE entries ADD COLUMN type_data TEXT NOT NULL DEFAULT '{}'`,
	)},
	{"pages: a third entry type, with a parent and a menu order", addPages},
	{"search: a small index of titles, excerpts and meta", sqlStep(
		// Searches for words in most entries are ranked by where they match
		// (title, then excerpt or meta, then body). Asking the main index
		// which of its matches have the words in the title reads every
		// position of those words in every body; this index holds only the
		// short columns, so the same question reads a few positions per
		// entry (see docs/PERFORMANCE.md). It reads the same view, and
		// follows the changes of the entries' columns it shows (bodies are
		// not in it).
		`CREATE VIRTUAL TABLE entries_fts_head USING fts5(title, excerpt, meta,
			content = 'entries_search', content_rowid = 'id', prefix = '2 3 4',
			tokenize = 'unicode61 remove_diacritics 2')`,
		`CREATE TRIGGER entries_head_insert AFTER INSERT ON entries BEGIN `+ftsHeadAdd("new.id")+` END`,
		`CREATE TRIGGER entries_head_before_update BEFORE UPDATE OF `+ftsEntryColumns+` ON entries BEGIN `+ftsHeadRemove("old.id")+` END`,
		`CREATE TRIGGER entries_head_update AFTER UPDATE OF `+ftsEntryColumns+` ON entries BEGIN `+ftsHeadAdd("new.id")+` END`,
		`CREATE TRIGGER entries_head_delete BEFORE DELETE ON entries BEGIN `+ftsHeadRemove("old.id")+` END`,
		`INSERT INTO entries_fts_head (entries_fts_head) VALUES ('rebuild')`,
		`INSERT INTO entries_fts_head (entries_fts_head) VALUES ('optimize')`,
	)},
	{"site settings: a key/value table (title, description, logo, icon, navigation, social, language)", sqlStep(
		// One row per setting the admins have set, its value as JSON; a
		// setting without a row is unset. pkg/content owns the keys and the
		// shapes of their values.
		`CREATE TABLE site_settings (
			key        TEXT     PRIMARY KEY,
			value      TEXT     NOT NULL,
			updated_at DATETIME NOT NULL
		)`,
	)},
}

// The columns of entries that entries_search reads, and the SQL that adds
// an entry's row of entries_search to the index or removes it. Frozen here
// because migration steps never change.
const ftsEntryColumns = `type, title, excerpt, auto_excerpt, summary, client, industry, services, technologies`

// jsonWords is a JSON list of strings as its words, without json_each
// (which a view read by FTS5 can't use): ["a b","c"] becomes "a b c".
func jsonWords(col string) string {
	return `replace(replace(replace(replace(` + col + `, '","', ' '), '["', ''), '"]', ''), '[]', '')`
}

func ftsAdd(id string) string {
	return `INSERT INTO entries_fts (rowid, title, excerpt, body, meta)
		SELECT id, title, excerpt, body, meta FROM entries_search WHERE id = ` + id + `;`
}

func ftsRemove(id string) string {
	return `INSERT INTO entries_fts (entries_fts, rowid, title, excerpt, body, meta)
		SELECT 'delete', id, title, excerpt, body, meta FROM entries_search WHERE id = ` + id + `;`
}

// ftsHeadAdd and ftsHeadRemove add an entry's short columns to
// entries_fts_head, or remove them, as entries_search shows them.
func ftsHeadAdd(id string) string {
	return `INSERT INTO entries_fts_head (rowid, title, excerpt, meta)
		SELECT id, title, excerpt, meta FROM entries_search WHERE id = ` + id + `;`
}

func ftsHeadRemove(id string) string {
	return `INSERT INTO entries_fts_head (entries_fts_head, rowid, title, excerpt, meta)
		SELECT 'delete', id, title, excerpt, meta FROM entries_search WHERE id = ` + id + `;`
}

// ftsReindex is the SQL that rewrites the search index row of entry id.
func ftsReindex(id string) string {
	e := func(expr string) string { return strings.ReplaceAll(expr, "new.", "e.") }
	return `DELETE FROM entries_fts WHERE rowid = ` + id + `;
		INSERT INTO entries_fts (rowid, title, excerpt, body, meta)
			SELECT e.id, e.title, ` + e(ftsExcerpt) + `, COALESCE(b.plain_text, ''), ` + e(ftsMeta) + `
			FROM entries e LEFT JOIN entry_bodies b ON b.entry_id = e.id WHERE e.id = ` + id + `;`
}

// What the search index holds of an entry, besides title and text: its
// excerpt (or summary) and, for case studies, client, industry, services
// and technologies. Frozen here because migration steps never change.
const (
	ftsExcerpt = `CASE WHEN new.type = 'case_study' THEN new.summary WHEN new.excerpt <> '' THEN new.excerpt ELSE new.auto_excerpt END`
	ftsMeta    = `new.client || ' ' || new.industry || ' ' ||
		COALESCE((SELECT group_concat(value, ' ') FROM json_each(new.services)), '') || ' ' ||
		COALESCE((SELECT group_concat(value, ' ') FROM json_each(new.technologies)), '')`
)

// SchemaVersion is the schema version this binary migrates to.
func SchemaVersion() int { return len(migrations) }

// ErrSchemaTooNew is returned when the database was migrated by a newer folio.
type ErrSchemaTooNew struct{ Have, Know int }

func (e *ErrSchemaTooNew) Error() string {
	return fmt.Sprintf("the database is at schema version %d but this folio knows only up to %d: upgrade folio (or restore a backup) instead of running an older binary", e.Have, e.Know)
}

// migrateTo applies the pending steps up to version target, each in its
// own transaction, and records them in schema_migrations. Several
// processes may start on one database at once: each step runs in a write
// transaction (BEGIN IMMEDIATE, so one process at a time) that reads the
// version again and skips a step another process has applied meanwhile,
// so they all come up on the same schema. That transaction is the
// migration lock on SQLite; a server engine takes its own lock around the
// same loop (an advisory lock on PostgreSQL).
func (s *Store) migrateTo(ctx context.Context, target int) error {
	db := s.w.WithContext(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at DATETIME NOT NULL
	)`).Error; err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for {
		have, err := s.schemaVersion(ctx)
		if err != nil {
			return err
		}
		if have > len(migrations) {
			return &ErrSchemaTooNew{Have: have, Know: len(migrations)}
		}
		if have >= target {
			return nil
		}
		if err := s.applyStep(ctx, have+1); err != nil {
			return err
		}
	}
}

// applyStep applies step v unless the database has it already.
func (s *Store) applyStep(ctx context.Context, v int) error {
	m := migrations[v-1]
	db := s.w.WithContext(ctx)
	// PRAGMA foreign_keys does nothing inside a transaction, so it is set
	// around it; the writer pool holds one connection, so it applies to the
	// transaction, which checks that it did.
	if err := db.Exec(`PRAGMA foreign_keys = OFF`).Error; err != nil {
		return fmt.Errorf("migration %d (%s): %w", v, m.name, err)
	}
	defer s.w.WithContext(context.WithoutCancel(ctx)).Exec(`PRAGMA foreign_keys = ON`)
	err := db.Transaction(func(tx *gorm.DB) error {
		var have int
		if err := tx.Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have).Error; err != nil {
			return err
		}
		if have >= v {
			return nil // another process applied it first
		}
		if have != v-1 {
			return fmt.Errorf("the database is at version %d, not %d", have, v-1)
		}
		var on int
		if err := tx.Raw(`PRAGMA foreign_keys`).Scan(&on).Error; err != nil || on != 0 {
			return fmt.Errorf("foreign keys are still enforced (%d, %v): refusing to change the schema", on, err)
		}
		if err := m.up(tx); err != nil {
			return err
		}
		var bad []map[string]any
		if err := tx.Raw(`PRAGMA foreign_key_check`).Scan(&bad).Error; err != nil {
			return err
		}
		if len(bad) > 0 {
			return fmt.Errorf("the step leaves %d foreign key violations, e.g. %v", len(bad), bad[0])
		}
		return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			v, m.name, s.now().Truncate(time.Second)).Error
	})
	if err != nil {
		return fmt.Errorf("migration %d (%s): %w", v, m.name, err)
	}
	return nil
}

// schemaVersion returns the highest applied migration, 0 for a new database.
func (s *Store) schemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.w.WithContext(ctx).Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
