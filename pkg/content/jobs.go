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
	Every   time.Duration // how often; at most 30 s so scheduled items flip promptly
	// TrashRetention is how long entries stay in the trash.
	TrashRetention time.Duration
	// RevisionDays prunes revisions older than this many days, beyond each
	// entry's newest KeepRevisions; 0 keeps every revision.
	RevisionDays  int
	KeepRevisions int
}

// Run does the work at once (catching up after downtime) and then every
// j.Every until ctx ends.
func (j *Jobs) Run(ctx context.Context) {
	t := time.NewTicker(j.Every)
	defer t.Stop()
	for {
		j.Tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
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
