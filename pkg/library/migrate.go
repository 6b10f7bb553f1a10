package library

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// Progress is how far a Copy has come.
type Progress struct {
	Done, Total int   // files looked at, of all
	Copied      int   // of Done, files copied (the others were there already, or missing)
	Bytes       int64 // bytes copied
}

// CopyReport says what a Copy did.
type CopyReport struct {
	Progress
	Missing []string // keys the source does not hold (`folio doctor` tells more)
}

// Copy copies the files of every item in rows from one store to another,
// for `folio media migrate`: a file the target holds already, of the same
// size, is skipped (keys name content, and a Put is whole or nothing), so
// Copy may be run again after an interruption, or after uploads made
// meanwhile, and copies only what is still missing. It stops at the first
// failure of either store. progress, if not nil, is called after each file
// (from one goroutine at a time).
func Copy(ctx context.Context, from, to media.Storage, rows []store.MediaRow, workers int, progress func(Progress)) (CopyReport, error) {
	var keys []string
	seen := map[string]bool{}
	for _, r := range rows {
		for _, k := range Keys(r) {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	rep := CopyReport{Progress: Progress{Total: len(keys)}}
	if progress != nil {
		progress(rep.Progress)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  = make(chan string)
	)
	for range max(1, min(workers, len(keys))) {
		wg.Go(func() {
			for key := range next {
				n, copied, err := copyFile(ctx, from, to, key)
				mu.Lock()
				switch {
				case errors.Is(err, media.ErrNotFound):
					rep.Missing = append(rep.Missing, key)
				case err != nil:
					if first == nil {
						first = fmt.Errorf("%s: %w", key, err)
						cancel()
					}
				case copied:
					rep.Copied++
					rep.Bytes += n
				}
				if err == nil || errors.Is(err, media.ErrNotFound) {
					rep.Done++
					if progress != nil {
						progress(rep.Progress)
					}
				}
				mu.Unlock()
			}
		})
	}
	for _, k := range keys {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return rep, first
}

// copyFile copies one file unless the target has it, of the same size.
func copyFile(ctx context.Context, from, to media.Storage, key string) (int64, bool, error) {
	src, err := from.Open(ctx, key)
	if err != nil {
		return 0, false, err
	}
	defer src.Close()
	size, _ := src.Stat()
	if dst, err := to.Open(ctx, key); err == nil {
		have, _ := dst.Stat()
		dst.Close()
		if have == size {
			return 0, false, nil
		}
	} else if !errors.Is(err, media.ErrNotFound) {
		return 0, false, err
	}
	// The file itself, so that an S3 store sees its size (one request).
	if err := to.Put(ctx, key, src); err != nil {
		return 0, false, err
	}
	return size, true, nil
}
