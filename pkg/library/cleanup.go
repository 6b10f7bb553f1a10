package library

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/folio-cms/folio/pkg/store"
)

// Files can exist in the store without an item: between an upload's
// storing them and its recording the item, and for a while (deleteGrace)
// after an item is deleted. Each time, a row of media_cleanup names them
// first. Whoever deletes them claims that row and checks, in the same
// transaction, that no item holds the bytes and no upload of them is under
// way (has its own row, not given up); then deletes, then drops the row.
// An upload records its row before it stores anything, waits while another
// row of its bytes is claimed, stores its files, and records its item only
// if still no claim is live. A claim taken before the upload's row existed
// is waited out before the upload stores; one taken after sees the upload
// and deletes nothing. So no item is left without its files, and files
// without an item last until the next cleanup pass that reaches the store.

const (
	// uploadGrace is how long an upload may take between storing its
	// files and recording its item before the pass takes them for left
	// over.
	uploadGrace = time.Hour
	// deleteGrace is how long a deleted item's files stay in the store
	// (no longer served): a backup that began before the delete still
	// finds them, streaming them from S3 after its snapshot.
	deleteGrace = 15 * time.Minute
	// claimFor is how long a claim lasts: one try at deleting the files.
	claimFor = 5 * time.Minute
	// CleanupEvery is how often Run passes over the files to clean up.
	CleanupEvery = time.Minute
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// recordCleanup records, in tx, that the files under keys may be left
// without an item from notBefore on.
func (s *Service) recordCleanup(tx *store.Tx, kind, sha string, keys []string, notBefore time.Time) (int64, error) {
	row := store.MediaCleanupRow{Kind: kind, SHA256: sha, Keys: mustJSON(keys), NotBefore: notBefore}
	err := tx.InsertMediaCleanup(&row)
	return row.ID, err
}

// beginCleanup records an upload's files before they are stored.
func (s *Service) beginCleanup(ctx context.Context, sha string, files []stagedFile, grace time.Duration) (int64, error) {
	keys := make([]string, len(files))
	for i, f := range files {
		keys[i] = f.key
	}
	var id int64
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, err = s.recordCleanup(tx, store.CleanupUpload, sha, keys, tx.Now().Add(grace))
		return err
	})
	return id, err
}

// forget drops a row whose files an item now holds.
func (s *Service) forget(ctx context.Context, id int64) {
	ctx = context.WithoutCancel(ctx)
	if err := s.Store.Write(ctx, func(tx *store.Tx) error { return tx.DeleteMediaCleanup(id) }); err != nil {
		s.log().Warn("media cleanup: could not drop a record", "id", id, "error", err)
	}
}

// abandon deletes the files of an upload that failed (cause), now if the
// store lets it, else at a later pass.
func (s *Service) abandon(ctx context.Context, id int64, files []stagedFile, cause error) {
	ctx = context.WithoutCancel(ctx)
	keys := make([]string, len(files))
	for i, f := range files {
		keys[i] = f.key
	}
	row := store.MediaCleanupRow{ID: id, Keys: mustJSON(keys)}
	// Due now, so that this process may claim it.
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		r, err := tx.MediaCleanup(id)
		if err != nil {
			return err
		}
		row = r
		return tx.PostponeMediaCleanup(id, tx.Now(), "the upload failed: "+cause.Error())
	})
	if err != nil {
		s.log().Warn("media cleanup: could not record a failed upload's files; `folio doctor` lists them", "keys", keys, "error", err)
		return
	}
	s.clean(ctx, row)
}

// Sweep is one cleanup pass: it deletes the files of every due row that
// no item holds, and reports how many rows it settled.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	done := 0
	for {
		rows, err := s.Store.Read(ctx).DueMediaCleanups(s.now(), 100)
		if err != nil || len(rows) == 0 {
			return done, err
		}
		progress := false
		for _, row := range rows {
			if err := ctx.Err(); err != nil {
				return done, err
			}
			if s.clean(ctx, row) {
				done++
				progress = true
			}
		}
		if !progress || len(rows) < 100 {
			return done, nil
		}
	}
}

// Run passes over the files to clean up every `every` (CleanupEvery when
// 0) until ctx ends. Every process may run it: rows are claimed.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = CleanupEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
			s.log().Warn("media cleanup pass failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// clean claims a row and, unless an item holds its bytes, deletes its
// files. It reports whether the row is settled (gone).
func (s *Service) clean(ctx context.Context, row store.MediaCleanupRow) bool {
	held := false
	claimed := false
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if claimed, err = tx.ClaimMediaCleanup(row.ID, tx.Now().Add(claimFor)); err != nil || !claimed {
			return err
		}
		row.Attempts++
		if _, err := tx.MediaBySHA(row.SHA256); err == nil {
			held = true // an item holds them: nothing to delete
			return tx.DeleteMediaCleanup(row.ID)
		} else if !store.IsNotFound(err) {
			return err
		}
		if busy, err := tx.MediaUploadsUnderWay(row.SHA256, row.ID, tx.Now()); err != nil || busy {
			// An upload of the same bytes may have stored them already:
			// look again once it is done (or has given up).
			if err == nil {
				claimed, err = false, tx.PostponeMediaCleanup(row.ID, tx.Now().Add(time.Minute), row.LastError)
			}
			return err
		}
		return nil
	})
	if err != nil {
		s.log().Warn("media cleanup: could not claim a record", "id", row.ID, "error", err)
		return false
	}
	if !claimed {
		return false // someone else has it
	}
	if held {
		return true
	}
	var keys []string
	if err := json.Unmarshal([]byte(row.Keys), &keys); err != nil {
		s.log().Error("media cleanup: a record's keys are not JSON; dropping it", "id", row.ID, "error", err)
		s.forget(ctx, row.ID)
		return true
	}
	return s.deleteClaimed(ctx, row, keys)
}

// deleteClaimed deletes the files of a claimed row, then the row; when the
// store fails, the row waits for a later pass (1 minute after the first
// failure, doubling up to an hour).
func (s *Service) deleteClaimed(ctx context.Context, row store.MediaCleanupRow, keys []string) bool {
	dctx, cancel := context.WithTimeout(ctx, claimFor-time.Minute)
	defer cancel()
	var failed error
	for _, k := range keys {
		if err := s.Storage.Delete(dctx, k); err != nil {
			failed = fmt.Errorf("delete %s: %w", k, err)
			break
		}
	}
	if failed == nil {
		s.forget(ctx, row.ID)
		return true
	}
	wait := time.Minute << min(max(row.Attempts-1, 0), 6)
	wait = min(wait, time.Hour)
	s.log().Warn("media cleanup: files are left in the store until the next try", "keys", keys, "retry_in", wait, "error", failed)
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		return tx.PostponeMediaCleanup(row.ID, tx.Now().Add(wait), failed.Error())
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		s.log().Warn("media cleanup: could not postpone a record", "id", row.ID, "error", err)
	}
	return false
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
