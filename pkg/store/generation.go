package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// Generation tells whether the database may have changed: it goes up after
// every write this process commits, at once, and after writes of other
// processes, which it notices by polling SQLite's data_version at most
// every pollEvery. Caches keyed by it never serve what a write of this
// process replaced, and at most pollEvery-old data for another process's.
type generation struct {
	local    atomic.Uint64
	external atomic.Uint64
	lastPoll atomic.Int64 // unix nanos
	mu       sync.Mutex   // one poller at a time
	conn     *sql.Conn    // a connection of its own: data_version is per connection
	query    string       // what tells a change: PRAGMA data_version, or PostgreSQL's next transaction id
	version  int64
}

const pollEvery = 500 * time.Millisecond

func (g *generation) init(ctx context.Context, db *sql.DB, query string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	g.conn, g.query = conn, query
	return conn.QueryRowContext(ctx, query).Scan(&g.version)
}

// Generation returns a number that changes whenever the content may have.
func (s *Store) Generation() uint64 {
	g := &s.gen
	now := time.Now().UnixNano()
	if now-g.lastPoll.Load() > int64(pollEvery) && g.mu.TryLock() {
		g.lastPoll.Store(now)
		var v int64
		if err := g.conn.QueryRowContext(context.Background(), g.query).Scan(&v); err == nil && v != g.version {
			g.version = v
			g.external.Add(1)
		}
		g.mu.Unlock()
	}
	return g.local.Load() + g.external.Load()
}

// NextVisibilityChange is Reader.NextVisibilityChange on the read pool.
func (s *Store) NextVisibilityChange(ctx context.Context, now time.Time) (time.Time, error) {
	return s.Read(ctx).NextVisibilityChange(now)
}

// NextVisibilityChange returns the next time after now at which an entry
// becomes public by itself (a scheduled or future-dated publication), or
// the zero time when none is due.
func (r Reader) NextVisibilityChange(now time.Time) (time.Time, error) {
	// ORDER BY … LIMIT 1 rather than MIN(): an aggregate loses the column's
	// DATETIME type, and with it the driver's conversion to time.Time.
	var next []time.Time
	err := r.db.Model(&EntryRow{}).Where("status IN ('published', 'scheduled') AND published_at > ? AND trashed_at IS NULL", now.UTC()).
		Order("published_at").Limit(1).Pluck("published_at", &next).Error
	if err != nil || len(next) == 0 {
		return time.Time{}, translate(err)
	}
	return next[0], nil
}
