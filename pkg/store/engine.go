package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"gorm.io/driver/postgres"

	"github.com/folio-cms/folio/pkg/errs"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Engine names the database a Store runs on.
type Engine string

const (
	// SQLite is the default: one file in the data dir.
	SQLite Engine = "sqlite"
	// Postgres is PostgreSQL, chosen by FOLIO_DATABASE_URL, for several
	// replicas of folio on one database.
	Postgres Engine = "postgres"
)

// Engine returns the database engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// IsPostgresURL reports whether u names a PostgreSQL database
// (postgres:// or postgresql://).
func IsPostgresURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "postgres" || p.Scheme == "postgresql")
}

// Advisory lock keys (pg_advisory_xact_lock), one per thing serialised
// across every process on the database: the schema's migrations, and the
// write transactions.
const (
	migrateLockKey int64 = 0x666f6c696f_01 // "folio" 1
	writeLockKey   int64 = 0x666f6c696f_02 // "folio" 2
)

// ErrNotOnPostgres is the cause of the error a store method returns on
// PostgreSQL while it has not been ported there yet: a clear refusal rather
// than a wrong answer.
var ErrNotOnPostgres = errors.New("not available on PostgreSQL yet")

// notOnPostgres is the error of a method that is not ported yet: 503
// with a message that says so, never a wrong answer.
func notOnPostgres(what string) error {
	return errs.Wrap(fmt.Errorf("store: %s: %w", what, ErrNotOnPostgres), errs.Unavailable, "not_on_postgres",
		"This folio runs on PostgreSQL, where "+what+" is not available yet.")
}

// OpenPostgres connects to the PostgreSQL database at dsn (a postgres://
// URL or a key=value connection string) through pgx and applies pending
// migrations under a cluster-wide advisory lock, so that replicas started
// together all come up on the same schema.
//
// Writes are serialised as SQLite's single writer serialises them: every
// write transaction first takes one transaction-level advisory lock, so
// that the check-then-write code of the services (slug uniqueness, the
// last admin, sign-in lockout counters) stays correct across replicas under
// READ COMMITTED. Reads never wait for it.
func OpenPostgres(ctx context.Context, dsn string, opt Options) (*Store, error) {
	return openPostgres(ctx, dsn, opt, len(pgMigrations))
}

func openPostgres(ctx context.Context, dsn string, opt Options, target int) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Readers <= 0 {
		opt.Readers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	s := &Store{engine: Postgres, now: func() time.Time { return opt.Now().UTC() }}
	db, err := gorm.Open(postgres.New(postgres.Config{DSN: dsn}), &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                s.now,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
	})
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL database: %w", redact(err, dsn))
	}
	// One pool serves writers and readers: PostgreSQL has no single writer
	// connection to protect, and the write lock is taken per transaction.
	s.w, s.r = db, db
	pool, _ := db.DB()
	pool.SetMaxOpenConns(opt.Readers + 4)
	pool.SetMaxIdleConns(opt.Readers + 4)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", redact(err, dsn))
	}
	if err := s.migrateToPG(ctx, target); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.gen.init(ctx, pool, pgGenerationSQL); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// redact keeps a password in the URL out of error messages.
func redact(err error, dsn string) error {
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			return errors.New(strings.ReplaceAll(err.Error(), pw, "xxxxx"))
		}
	}
	return err
}

// pgGenerationSQL changes whenever a transaction that wrote anything has
// started anywhere in the cluster since the last poll (the next transaction
// id to be handed out): the PostgreSQL counterpart of SQLite's
// data_version. It may also move for writes to other databases of the
// cluster; that only costs a cache refill.
const pgGenerationSQL = `SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint`

// writeTxOptions are the options of a write transaction: the default
// isolation (READ COMMITTED on PostgreSQL; SQLite's writer is serial).
var writeTxOptions *sql.TxOptions // nil: the default

// viewTxOptions make View's transaction see one snapshot on PostgreSQL
// (REPEATABLE READ, read only), as a SQLite read transaction does.
var viewTxOptions = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}

// dialect returns the SQL that differs between the engines.
func (r Reader) pg() bool { return r.eng == Postgres }

// like is the operator of a case-insensitive LIKE: SQLite's LIKE ignores
// ASCII case, PostgreSQL's needs ILIKE.
func (r Reader) like() string {
	if r.pg() {
		return "ILIKE"
	}
	return "LIKE"
}

// nocase is expr compared and ordered ignoring ASCII case, in byte order:
// SQLite's COLLATE NOCASE; lower() in the C collation on PostgreSQL.
func (r Reader) nocase(expr string) string {
	if r.pg() {
		return "lower(" + expr + ") COLLATE \"C\""
	}
	return expr + " COLLATE NOCASE"
}

// order rewrites an ORDER BY clause written for SQLite (COLLATE NOCASE)
// for the store's engine.
func (r Reader) order(clause string) string {
	if !r.pg() {
		return clause
	}
	parts := strings.Split(clause, ",")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if col, rest, ok := strings.Cut(p, " COLLATE NOCASE"); ok {
			p = r.nocase(col) + rest
		}
		parts[i] = p
	}
	return strings.Join(parts, ", ")
}

// jsonValues is the FROM item that yields the strings of the JSON list in
// column col, one row each as alias.value: json_each on SQLite,
// jsonb_array_elements_text on PostgreSQL.
func (r Reader) jsonValues(col, alias string) string {
	if r.pg() {
		return "jsonb_array_elements_text(" + col + "::jsonb) AS " + alias + " (value)"
	}
	return "json_each(" + col + ") AS " + alias
}
