package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/folio-cms/folio/pkg/app"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

const migrateAbout = `Copies the media library's files into another store: --to s3 copies the data
dir's media/ into the bucket that FOLIO_S3_* name (FOLIO_MEDIA_STORE may still
say local: folio keeps serving from the disk meanwhile); --to local copies them
back from the bucket into the data dir.

Only the files of the media items are copied; a file the target holds already,
of the same size, is skipped. So the copy can be interrupted and run again, and
run again after uploads made meanwhile, and copies only what is missing. The
database is opened read-only: run it beside a serving folio.

To move a folio's media to S3: run it, set FOLIO_MEDIA_STORE=s3, run it once
more (for uploads made meanwhile), restart folio, and check with folio doctor.
The files in the data dir are left as they are: delete media/ once all is well.

Progress goes to stderr: a bar on a terminal, otherwise a line every few seconds.`

func cmdMedia(ctx context.Context, e *env, args []string) error {
	const use = "Usage: folio media migrate --to s3|local [--data-dir DIR] [--jobs N]\n"
	if len(args) == 0 || args[0] != "migrate" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintf(e.stdout, "%s\n%s\n", use, migrateAbout)
			return nil
		}
		fmt.Fprint(e.stderr, use)
		return errUsage
	}
	fs := newFlags(e, "media migrate", "--to s3|local [flags]", migrateAbout)
	to := fs.String("to", "", "the store to copy the files into: `s3` (the bucket FOLIO_S3_* name) or local (the data dir's media/)")
	jobs := fs.Int("jobs", 4, "how many files to copy at once")
	cfg, err := config.Load(fs, args[1:], e.getenv, "media migrate")
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		fmt.Fprintf(e.stderr, "folio: configuration: %v\n", err)
		return errUsage
	}
	if fs.NArg() > 0 || (*to != config.MediaS3 && *to != config.MediaLocal) || *jobs < 1 {
		fs.Usage()
		return errUsage
	}
	from := config.MediaS3
	if *to == config.MediaS3 {
		from = config.MediaLocal
	}
	src, err := storeOf(cfg, from)
	if err != nil {
		return err
	}
	dst, err := storeOf(cfg, *to)
	if err != nil {
		return err
	}
	for _, st := range []media.Storage{src, dst} {
		if p, ok := st.(media.Pinger); ok {
			pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			err := p.Ping(pctx)
			cancel()
			if err != nil {
				return err
			}
		}
	}

	var db *store.ReadOnly
	if cfg.DatabaseURL != "" {
		db, err = store.OpenPostgresReadOnly(ctx, cfg.DatabaseURL)
	} else if db, err = store.OpenReadOnly(ctx, filepath.Join(cfg.DataDir, store.FileName)); err != nil {
		err = fmt.Errorf("open the database in %s: %w", cfg.DataDir, err)
	}
	if err != nil {
		return err
	}
	rows, err := db.MediaFiles(ctx)
	db.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "copying the files of %s from %v to %v\n", plural(len(rows), "media item"), src, dst)
	show := newProgress(e.stderr)
	rep, err := library.Copy(ctx, src, dst, rows, *jobs, show.update)
	show.finish()
	fmt.Fprintf(e.stdout, "%d of %d files copied (%s) into %v; %d were there already\n",
		rep.Copied, rep.Total, media.FormatSize(rep.Bytes), dst, rep.Done-rep.Copied-len(rep.Missing))
	for _, k := range rep.Missing {
		fmt.Fprintf(e.stderr, "  missing from %v: %s\n", src, k)
	}
	if len(rep.Missing) > 0 {
		fmt.Fprintf(e.stderr, "folio media migrate: %d files were missing from the source and could not be copied (folio doctor says more)\n", len(rep.Missing))
	}
	if err != nil {
		return fmt.Errorf("stopped after %d of %d files: %w (run it again to go on from there)", rep.Done, rep.Total, err)
	}
	if cfg.MediaStore != *to {
		fmt.Fprintf(e.stdout, "Now set FOLIO_MEDIA_STORE=%s, run this once more (for uploads made meanwhile), and restart folio.\n", *to)
	}
	return nil
}

// storeOf is the media store of kind for cfg's data dir and S3 settings.
func storeOf(cfg config.Config, kind string) (media.Storage, error) {
	c, err := cfg.WithMediaStore(kind)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return app.MediaStorage(c)
}

// progress shows how a copy goes: a bar on a terminal, otherwise a plain
// line every few seconds (and the last one).
type progress struct {
	w    io.Writer
	bar  *progressbar.ProgressBar
	last time.Time
	p    library.Progress
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("media files"),
			progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
	}
	return p
}

func (p *progress) update(pr library.Progress) {
	p.p = pr
	if p.bar != nil {
		if p.bar.GetMax() != pr.Total {
			p.bar.ChangeMax(pr.Total)
		}
		p.bar.Set(pr.Done)
		return
	}
	if now := time.Now(); now.Sub(p.last) >= 2*time.Second && pr.Done < pr.Total {
		p.last = now
		p.line()
	}
}

func (p *progress) line() {
	fmt.Fprintf(p.w, "  %d of %d files (%d copied, %s)\n", p.p.Done, p.p.Total, p.p.Copied, media.FormatSize(p.p.Bytes))
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		return
	}
	p.line()
}
