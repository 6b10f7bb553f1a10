package content

import (
	"context"
	"log/slog"
	"time"
)

// Jobs is the periodic work of the workflow: publishing scheduled entries
// whose time has come, emptying the trash, and pruning old revisions when a
// retention is configured.
type Jobs struct {
	Service *Service
	Log     *slog.Logger
	Every   time.Duration // the longest sleep between rounds; scheduled entries wake it earlier
	// TrashRetention is how long entries stay in the trash.
	TrashRetention time.Duration
	// RevisionDays prunes revisions older than this many days, beyond each
	// entry's newest KeepRevisions; 0 keeps every revision.
	RevisionDays  int
	KeepRevisions int
}

// Run does the work at once (catching up after downtime) and then again at
// the next scheduled entry's publish_at or after j.Every, whichever comes
// first, until ctx ends. Scheduling an entry through this service wakes it to
// recompute that time, so a scheduled entry's event fires within a moment of
// its time rather than at the next tick; j.Every bounds how late changes
// made by another process are noticed.
func (j *Jobs) Run(ctx context.Context) {
	wake := j.Service.wakeups()
	for {
		j.Tick(ctx)
		t := time.NewTimer(j.wait(ctx))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-wake:
			t.Stop()
		}
	}
}

// wait is how long Run sleeps: until the next scheduled entry is due, but
// at most j.Every.
func (j *Jobs) wait(ctx context.Context) time.Duration {
	wait := j.Every
	next, err := j.Service.Store.Read(ctx).NextScheduled()
	if err != nil {
		j.Log.Error("find the next scheduled entry", "error", err)
		return wait
	}
	if next != nil {
		wait = min(wait, max(next.Sub(j.Service.now()), 0))
	}
	return wait
}

// Tick does one round of the work and logs what it did or what failed.
func (j *Jobs) Tick(ctx context.Context) {
	if n, err := j.Service.PublishDue(ctx); err != nil {
		j.Log.Error("publish scheduled entries", "error", err, "published", n)
	} else if n > 0 {
		j.Log.Info("published scheduled entries", "count", n)
	}
	if j.TrashRetention > 0 {
		if n, err := j.Service.PurgeTrash(ctx, j.TrashRetention); err != nil {
			j.Log.Error("empty the trash", "error", err)
		} else if n > 0 {
			j.Log.Info("deleted entries from the trash", "count", n, "older_than", j.TrashRetention)
		}
	}
	if j.RevisionDays > 0 {
		if n, err := j.Service.PruneRevisions(ctx, j.RevisionDays, j.KeepRevisions); err != nil {
			j.Log.Error("prune revisions", "error", err)
		} else if n > 0 {
			j.Log.Info("pruned old revisions", "count", n, "older_than_days", j.RevisionDays, "kept_latest", j.KeepRevisions)
		}
	}
}

// wakeups is the channel Jobs.Run listens on to recompute when the next
// scheduled entry is due.
func (s *Service) wakeups() chan struct{} {
	s.wakeOnce.Do(func() { s.wake = make(chan struct{}, 1) })
	return s.wake
}

// wakeJobs tells a running Jobs.Run that the schedule changed; it never
// blocks, and does nothing when no job listens.
func (s *Service) wakeJobs() {
	select {
	case s.wakeups() <- struct{}{}:
	default:
	}
}
