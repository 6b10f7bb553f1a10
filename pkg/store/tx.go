package store

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"
)

// Reader runs queries. From Store.Read it uses the read pool; inside a write
// transaction (Tx embeds a Reader) it sees the transaction's own writes.
type Reader struct {
	db  *gorm.DB
	eng Engine
}

// Tx is one write transaction. Its methods change the database; everything
// they do commits or rolls back together.
type Tx struct {
	Reader
	now   time.Time
	after []func()
}

// AfterCommit runs fn once the transaction has committed (and never if it
// rolls back): for telling others about a change that is now durable.
func (tx *Tx) AfterCommit(fn func()) { tx.after = append(tx.after, fn) }

// Now is the transaction's timestamp: every row it writes gets the same time.
func (tx *Tx) Now() time.Time { return tx.now }

// Read returns a Reader on the read pool.
func (s *Store) Read(ctx context.Context) Reader {
	return Reader{db: s.r.WithContext(ctx), eng: s.engine}
}

// View runs fn in one read transaction on the read pool: every query fn
// makes sees the database as it was at one instant, so a row and the rows
// that belong to it (a delivery and its attempts) are never read half
// before and half after a write that changes both.
func (s *Store) View(ctx context.Context, fn func(r Reader) error) error {
	var opts *sql.TxOptions
	if s.engine == Postgres {
		opts = viewTxOptions
	}
	return translate(s.r.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		return fn(Reader{db: db, eng: s.engine})
	}, opts))
}

// Write runs fn in one write transaction (BEGIN IMMEDIATE on the single
// writer connection): if fn returns an error, or panics, nothing it did is
// kept. Keep fn short: render, resize and call the network before it.
// Never call Write from inside fn: the writer has one connection.
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) error {
	var after []func()
	err := s.w.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		if s.engine == Postgres {
			// One writer at a time across every process, as on SQLite.
			if err := db.Exec(`SELECT pg_advisory_xact_lock(?)`, writeLockKey).Error; err != nil {
				return err
			}
		}
		tx := &Tx{Reader: Reader{db: db, eng: s.engine}, now: s.now().Truncate(time.Microsecond)}
		err := fn(tx)
		after = tx.after
		return err
	}, writeTxOptions)
	if err != nil {
		return translate(err)
	}
	s.gen.local.Add(1)
	for _, f := range after {
		f()
	}
	return nil
}
