package store

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// OpenPostgresReadOnly connects to the PostgreSQL database at dsn on one
// connection whose transactions are all read only, for diagnosis (folio
// doctor): it never migrates, and nothing it runs can write.
func OpenPostgresReadOnly(ctx context.Context, dsn string) (*ReadOnly, error) {
	db, err := gorm.Open(postgres.New(postgres.Config{DSN: readOnlyPostgresDSN(dsn)}), &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true})
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL database: %w", redact(err, dsn))
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetMaxIdleConns(1)
	r := &ReadOnly{db: db, engine: Postgres}
	if err := sqlDB.PingContext(ctx); err != nil {
		r.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", redact(err, dsn))
	}
	return r, nil
}

// readOnlyPostgresDSN adds default_transaction_read_only=on (sent to the
// server as a run-time parameter of the connection) to dsn, a URL or a
// key=value string.
func readOnlyPostgresDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("default_transaction_read_only", "on")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return strings.TrimSpace(dsn) + " default_transaction_read_only=on"
}

// Engine returns the database engine r reads.
func (r *ReadOnly) Engine() Engine { return r.engine }

// ServerVersion is the PostgreSQL server's version ("" on SQLite).
func (r *ReadOnly) ServerVersion(ctx context.Context) (string, error) {
	if r.engine != Postgres {
		return "", nil
	}
	var v string
	err := r.db.WithContext(ctx).Raw(`SHOW server_version`).Scan(&v).Error
	return v, err
}

// pgHasTable is hasTable on PostgreSQL: a table or view of the schema
// folio uses.
const pgHasTable = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
