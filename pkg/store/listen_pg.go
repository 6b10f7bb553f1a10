package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// On PostgreSQL, other replicas' writes reach this one's Generation at
// once: every write transaction sends a notification on changeChannel
// (PostgreSQL delivers it when, and only if, the transaction commits), and
// a connection of the store's own listens to it. When that connection
// drops, it is made again with a growing pause; meanwhile, and always as
// the fallback, Generation polls the cluster's next transaction id every
// pollEvery.

// changeChannel is the NOTIFY channel of committed writes.
const changeChannel = "folio_changes"

// notifySQL is the statement a write transaction ends with on PostgreSQL.
const notifySQL = `SELECT pg_notify('` + changeChannel + `', '')`

// listen keeps a LISTEN connection to dsn until ctx ends, raising the
// external generation on every notification (and once after each
// reconnection, for what it may have missed). ready is closed once the
// first LISTEN is in place (or failed).
func (g *generation) listen(ctx context.Context, dsn string, ready chan<- struct{}) {
	pause := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		err := g.listenOnce(ctx, dsn, func() {
			if first {
				first = false
				close(ready)
			} else {
				g.external.Add(1) // writes while the listener was down
			}
			pause = 100 * time.Millisecond
		})
		if first {
			first = false
			close(ready)
		}
		if ctx.Err() != nil {
			return
		}
		_ = err // the poll covers the gap; try again after a pause
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 5*time.Second)
	}
}

func (g *generation) listenOnce(ctx context.Context, dsn string, listening func()) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+changeChannel); err != nil {
		return err
	}
	g.listening.Store(true)
	defer g.listening.Store(false)
	listening()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		g.external.Add(1)
	}
}
