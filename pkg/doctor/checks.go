package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/folio-cms/folio/pkg/backup"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// Names inside the data dir.
const (
	mediaDir = "media"
	tmpDir   = "tmp"
)

const restoreFix = "Stop folio, keep a copy of the damaged files, and restore the latest backup: folio restore FILE.tar.gz --data-dir %s --force."

// checkDataDir checks that the data dir exists and that its files have
// sound permissions. It returns false when there is nothing more to check.
func checkDataDir(r *Report, opt Options) bool {
	dir := opt.DataDir
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		r.add(Finding{Check: "data dir", Severity: Error, Message: fmt.Sprintf("%s does not exist", dir),
			Fix: "Point FOLIO_DATA_DIR (or --data-dir) at folio's data dir; a new installation gets one the first time folio serve runs."})
		return false
	}
	if err != nil {
		r.add(Finding{Check: "data dir", Severity: Error, Message: err.Error(), Fix: "Run doctor as the user that runs folio, and make the data dir readable by it."})
		return false
	}
	if !fi.IsDir() {
		r.add(Finding{Check: "data dir", Severity: Error, Message: fmt.Sprintf("%s is not a directory", dir), Fix: "Point FOLIO_DATA_DIR (or --data-dir) at folio's data dir."})
		return false
	}
	problems := 0
	// Everything folio writes must be writable by whoever runs it.
	var readOnly []string
	owners := map[string][]string{}
	for _, name := range []string{".", store.FileName, store.FileName + "-wal", store.FileName + "-shm", mediaDir, tmpDir, backup.SecretName} {
		p := filepath.Join(dir, name)
		fi, err := os.Lstat(p)
		if err != nil {
			continue
		}
		if uid, ok := owner(fi); ok {
			owners[uid] = append(owners[uid], displayName(name))
		}
		if name == backup.SecretName {
			continue // read only, never written after it is made
		}
		if !writable(p) {
			readOnly = append(readOnly, displayName(name))
		}
	}
	if len(readOnly) > 0 {
		problems++
		r.add(Finding{Check: "data dir", Severity: Warning, Items: readOnly,
			Message: fmt.Sprintf("%s: not writable by the user running doctor (%s), and folio needs to write them", strings.Join(readOnly, ", "), currentUser()),
			Fix:     fmt.Sprintf("Run doctor as the user that runs folio; if that user cannot write them either, give them to it: chown -R USER %s.", dir)})
	}
	if len(owners) > 1 {
		problems++
		var items []string
		for uid, names := range owners {
			items = append(items, fmt.Sprintf("owned by %s: %s", uid, strings.Join(names, ", ")))
		}
		slices.Sort(items)
		r.add(Finding{Check: "data dir", Severity: Warning, Items: items,
			Message: "the data dir's files belong to different users (a restore or a command run as another user, such as root?)",
			Fix:     fmt.Sprintf("Give them all to the user that runs folio: chown -R USER %s.", dir)})
	}
	if fi.Mode().Perm()&0o002 != 0 {
		problems++
		r.add(Finding{Check: "data dir", Severity: Warning, Message: fmt.Sprintf("%s is writable by every user on this machine", dir),
			Fix: fmt.Sprintf("chmod o-w %s (folio makes it 0750).", dir)})
	}
	if fi, err := os.Stat(filepath.Join(dir, store.FileName)); err == nil && fi.Mode().Perm()&0o004 != 0 && othersMayEnter(dir) {
		problems++
		r.add(Finding{Check: "data dir", Severity: Warning, Message: "folio.db is readable by every user on this machine, and it holds password hashes, tokens' hashes and webhook secrets",
			Fix: fmt.Sprintf("chmod o-r %s, or chmod 750 %s.", filepath.Join(dir, store.FileName), dir)})
	}
	problems += checkSecret(r, opt)
	if problems == 0 {
		r.add(Finding{Check: "data dir", Severity: OK, Message: fmt.Sprintf("%s exists and its permissions are sound", dir)})
	}
	return true
}

// othersMayEnter reports whether every user may enter dir; when they may
// not (folio makes it 0750), the modes of the files inside matter less.
func othersMayEnter(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.Mode().Perm()&0o001 != 0
}

func displayName(name string) string {
	if name == "." {
		return "the data dir"
	}
	return name
}

// checkSecret checks the generated JWT secret, which folio reads at start
// when FOLIO_JWT_SECRET is not set. It returns the number of problems.
func checkSecret(r *Report, opt Options) int {
	p := filepath.Join(opt.DataDir, backup.SecretName)
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) || opt.SecretConfigured {
		return 0 // made at the first start; or not used
	}
	if err != nil {
		r.add(Finding{Check: "data dir", Severity: Error, Message: "the JWT secret cannot be read: " + err.Error(), Fix: "Run doctor as the user that runs folio; that user must be able to read " + p + "."})
		return 1
	}
	b, err := os.ReadFile(p)
	if err != nil {
		r.add(Finding{Check: "data dir", Severity: Error, Message: "the JWT secret cannot be read: " + err.Error(), Fix: "Run doctor as the user that runs folio; that user must be able to read " + p + "."})
		return 1
	}
	n := 0
	if len(strings.TrimSpace(string(b))) < 32 {
		n++
		r.add(Finding{Check: "data dir", Severity: Error, Message: "the JWT secret in " + p + " is shorter than 32 characters, so folio refuses to start",
			Fix: "Delete the file to have folio make a new one at its next start (everyone then signs in again), or restore it from a backup."})
	}
	if fi.Mode().Perm()&0o077 != 0 {
		n++
		r.add(Finding{Check: "data dir", Severity: Warning, Message: fmt.Sprintf("%s has mode %v: others can read it, and with it sign in as anyone", backup.SecretName, fi.Mode().Perm()),
			Fix: "chmod 600 " + p + "."})
	}
	return n
}

// checkDatabase opens the database read-only and checks its integrity. It
// returns the open database, or nil when there is no point in checking more.
func checkDatabase(ctx context.Context, r *Report, opt Options) *store.ReadOnly {
	if opt.DatabaseURL != "" {
		return checkPostgres(ctx, r, opt)
	}
	p := filepath.Join(opt.DataDir, store.FileName)
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		r.add(Finding{Check: "database", Severity: Warning, Message: "there is no database (" + store.FileName + ") in the data dir",
			Fix: "If this is a new installation, folio serve creates it; otherwise FOLIO_DATA_DIR points at the wrong directory, or restore a backup: folio restore FILE.tar.gz --data-dir " + opt.DataDir + "."})
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		r.add(Finding{Check: "database", Severity: Error, Message: "the database cannot be opened: " + err.Error(),
			Fix: "Run doctor as the user that runs folio; if that user cannot read it either, give it back: chown USER " + p + "."})
		return nil
	}
	f.Close()
	db, err := store.OpenReadOnly(ctx, p)
	if err != nil {
		r.add(Finding{Check: "database", Severity: Error, Message: "the database cannot be read: " + err.Error(), Fix: fmt.Sprintf(restoreFix, opt.DataDir)})
		return nil
	}
	probs, err := db.IntegrityCheck(ctx, 20)
	switch {
	case err != nil:
		r.add(Finding{Check: "database", Severity: Error, Message: "the database is damaged: " + err.Error(), Fix: fmt.Sprintf(restoreFix, opt.DataDir)})
		db.Close()
		return nil
	case len(probs) > 0:
		r.add(Finding{Check: "database", Severity: Error, Message: "the database is damaged: PRAGMA integrity_check reports problems", Items: probs, Fix: fmt.Sprintf(restoreFix, opt.DataDir)})
		return db // migrations and media may still tell something
	}
	fks, n, err := db.ForeignKeyCheck(ctx, 20)
	switch {
	case err != nil:
		r.add(Finding{Check: "database", Severity: Error, Message: "the database could not be checked: " + err.Error(), Fix: fmt.Sprintf(restoreFix, opt.DataDir)})
	case n > 0:
		r.add(Finding{Check: "database", Severity: Warning, Message: fmt.Sprintf("%s to rows that do not exist", verb(n, "row refers", "rows refer")), Items: fks,
			Fix: "This comes from a hand edit or a bug, not from normal use: report it, and restore a backup if content is missing."})
	default:
		r.add(Finding{Check: "database", Severity: OK, Message: "the database passes SQLite's integrity and foreign key checks"})
	}
	return db
}

// checkPostgres connects to the PostgreSQL database, read only. Its
// integrity is PostgreSQL's own business (it enforces foreign keys, and
// checksums are a cluster setting), so connecting is the check.
func checkPostgres(ctx context.Context, r *Report, opt Options) *store.ReadOnly {
	db, err := store.OpenPostgresReadOnly(ctx, opt.DatabaseURL)
	if err != nil {
		r.add(Finding{Check: "database", Severity: Error, Message: "PostgreSQL does not answer: " + err.Error(),
			Fix: "Check FOLIO_DATABASE_URL (host, port, database, user, password, sslmode), that the server runs and that it lets this host and role connect."})
		return nil
	}
	v, err := db.ServerVersion(ctx)
	if err != nil {
		r.add(Finding{Check: "database", Severity: Error, Message: "PostgreSQL does not answer a query: " + err.Error(),
			Fix: "Check the server's log, and that the role may use the database."})
		db.Close()
		return nil
	}
	r.add(Finding{Check: "database", Severity: OK, Message: "PostgreSQL " + v + " answers"})
	return db
}

// checkMigrations compares the migrations applied to the database with this
// binary's. It returns true when the schema is one this folio knows, so the
// media checks can read it.
func checkMigrations(ctx context.Context, r *Report, db *store.ReadOnly) bool {
	applied, err := db.AppliedMigrations(ctx)
	if err != nil {
		r.add(Finding{Check: "migrations", Severity: Error, Message: "cannot read the applied migrations: " + err.Error(), Fix: "See the database finding above."})
		return false
	}
	known := store.Migrations()
	if len(applied) == 0 {
		r.add(Finding{Check: "migrations", Severity: Warning, Message: "the database has no schema: folio has never started on it",
			Fix: "folio serve creates the schema at start; if you expected content here, FOLIO_DATA_DIR points at the wrong directory."})
		return false
	}
	have := applied[len(applied)-1].Version
	if have > len(known) {
		r.add(Finding{Check: "migrations", Severity: Error,
			Message: fmt.Sprintf("the database is at schema version %d, newer than this folio knows (%d): a newer folio has used it, and this one refuses to start on it", have, len(known)),
			Fix:     "Run the newer folio again (upgrade this binary), or restore a backup that this version made."})
		return false
	}
	var odd []string
	for i, m := range applied {
		if m.Version != i+1 {
			odd = append(odd, fmt.Sprintf("migration %d is missing", i+1))
			break
		}
		if m.Name != known[i].Name {
			odd = append(odd, fmt.Sprintf("migration %d is %q in the database but %q in this folio", m.Version, m.Name, known[i].Name))
		}
	}
	if len(odd) > 0 {
		r.add(Finding{Check: "migrations", Severity: Error, Items: odd,
			Message: "the database's migration history differs from this folio's: another build of folio made it",
			Fix:     "Run the folio build that made this database, or restore a backup made by this version."})
		return false
	}
	if pending := len(known) - have; pending > 0 {
		names := make([]string, 0, pending)
		for _, m := range known[have:] {
			names = append(names, fmt.Sprintf("%d: %s", m.Version, m.Name))
		}
		r.add(Finding{Check: "migrations", Severity: Warning, Items: names,
			Message: fmt.Sprintf("the database is at schema version %d; this folio applies %s when it starts", have, plural(pending, "pending migration")),
			Fix:     "Take a backup first (folio backup FILE.tar.gz), then start this folio."})
		return true
	}
	r.add(Finding{Check: "migrations", Severity: OK, Message: fmt.Sprintf("the database is at schema version %d, this folio's", have)})
	return true
}

// mediaFile is what the database says a file under media/ is.
type mediaFile struct {
	id       int64
	original bool
	size     int64 // originals only
}

// checkMedia compares the files in the media store (the data dir's
// media/, or the S3 bucket) with what the media rows name: originals or
// variants that are missing, originals of the wrong size, and files that
// no row names.
func checkMedia(ctx context.Context, r *Report, opt Options, db *store.ReadOnly) {
	expect, err := expectedMedia(ctx, db)
	if err != nil {
		r.add(Finding{Check: "media", Severity: Error, Message: "cannot list the media items: " + err.Error(), Fix: "See the database finding above."})
		return
	}
	if opt.MediaUnknown {
		r.add(Finding{Check: "media", Severity: Warning, Message: "the media files were not checked: the media store's settings are invalid",
			Fix: "Correct the FOLIO_MEDIA_STORE and FOLIO_S3_* settings named in the config finding, then run doctor again."})
		return
	}
	st := opt.Media
	if st == nil {
		st = media.Local{Dir: filepath.Join(opt.DataDir, mediaDir)}
	}
	_, local := st.(media.Local)
	where := fmt.Sprint(st)
	readFix := "Run doctor as the user that runs folio, and make " + where + " readable by it."
	if !local {
		readFix = "Check FOLIO_S3_ENDPOINT, FOLIO_S3_BUCKET and the keys, and that this machine reaches the endpoint; folio's uploads fail (503) until then."
	}
	if p, ok := st.(media.Pinger); ok && !local {
		if err := p.Ping(ctx); err != nil {
			r.add(Finding{Check: "media", Severity: Error, Message: "the media store cannot be used: " + err.Error(), Fix: readFix})
			return
		}
	}
	lister, ok := st.(media.Lister)
	if !ok {
		r.add(Finding{Check: "media", Severity: Warning, Message: "the media store cannot list its files, so they were not checked"})
		return
	}
	cleanups, err := db.MediaCleanups(ctx)
	if err != nil {
		r.add(Finding{Check: "media", Severity: Error, Message: "cannot read the files waiting to be deleted: " + err.Error(), Fix: "See the database finding above."})
		return
	}
	waiting := map[string]bool{} // the cleanup pass will see to them
	for _, row := range cleanups {
		var keys []string
		json.Unmarshal([]byte(row.Keys), &keys)
		for _, k := range keys {
			waiting[k] = true
		}
	}
	found := map[string]media.Object{}
	var orphans []string
	err = lister.List(ctx, func(o media.Object) error {
		if _, ok := expect[o.Key]; ok && o.Regular {
			found[o.Key] = o
			return nil
		}
		if !waiting[o.Key] && opt.Now().Sub(o.ModTime) >= opt.Settle {
			orphans = append(orphans, o.Key)
		}
		return nil
	})
	if err != nil {
		r.add(Finding{Check: "media", Severity: Error, Message: "cannot list the media files in " + where + ": " + err.Error(), Fix: readFix})
		return
	}
	var missing, missingVariants, damaged []string
	for key, f := range expect {
		o, ok := found[key]
		switch {
		case !ok && f.original:
			missing = append(missing, key)
		case !ok:
			missingVariants = append(missingVariants, key)
		case f.original && o.Size != f.size:
			damaged = append(damaged, fmt.Sprintf("%s (media %d): %d bytes, the database says %d", key, f.id, o.Size, f.size))
		}
	}
	// An item deleted while we looked is not missing: ask again.
	if len(missing)+len(missingVariants) > 0 {
		if again, err := expectedMedia(ctx, db); err == nil {
			still := func(keys []string) []string {
				return slices.DeleteFunc(keys, func(k string) bool { _, ok := again[k]; return !ok })
			}
			missing, missingVariants = still(missing), still(missingVariants)
		}
	}
	label := func(keys []string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = fmt.Sprintf("%s (media %d)", k, expect[k].id)
		}
		slices.Sort(out)
		return out
	}
	bad := false
	if len(missing) > 0 {
		bad = true
		r.add(Finding{Check: "media", Severity: Error, Items: label(missing),
			Message: fmt.Sprintf("%s missing from %s: pages show broken images and downloads fail", verb(len(missing), "original file is", "original files are"), where),
			Fix:     "Put these files back from a backup (they are under media/ in the archive), or delete the media items and upload them again."})
	}
	if len(damaged) > 0 {
		bad = true
		slices.Sort(damaged)
		r.add(Finding{Check: "media", Severity: Error, Items: damaged,
			Message: fmt.Sprintf("%s not the size the database records: damaged or replaced", verb(len(damaged), "original file is", "original files are")),
			Fix:     "Put these files back from a backup, or delete the media items and upload them again."})
	}
	if len(missingVariants) > 0 {
		bad = true
		r.add(Finding{Check: "media", Severity: Warning, Items: label(missingVariants),
			Message: fmt.Sprintf("%s missing from %s: responsive images that use them break", verb(len(missingVariants), "resized variant is", "resized variants are"), where),
			Fix:     "Put these files back from a backup, or delete the media items and upload them again to make new variants."})
	}
	if len(orphans) > 0 {
		bad = true
		slices.Sort(orphans)
		fix := fmt.Sprintf("Delete them (paths are relative to %s) once you are sure nothing outside folio links to them.", where)
		if !local {
			fix = "Folio deletes the files of failed uploads and deleted items itself once the store answers (see the cleanup finding, if any); delete any others with your S3 tool (keys are relative to the prefix) once you are sure nothing outside folio links to them."
		}
		r.add(Finding{Check: "media", Severity: Warning, Items: orphans,
			Message: fmt.Sprintf("%s to no media item (left by deletions or interrupted uploads): they only take space, and backups leave them out", verb(len(orphans), "file in "+where+" belongs", "files in "+where+" belong")),
			Fix:     fix})
	}
	bad = checkCleanup(r, opt, cleanups) || bad
	if !bad && len(expect) == 0 {
		r.add(Finding{Check: "media", Severity: OK, Message: "there are no media items, and no other files in " + where})
	} else if !bad {
		items := map[int64]bool{}
		for _, f := range expect {
			items[f.id] = true
		}
		r.add(Finding{Check: "media", Severity: OK, Message: fmt.Sprintf("all %s of %s are present in %s, and no other files", plural(len(expect), "file"), plural(len(items), "media item"), where)})
	}
}

// checkCleanup reports files that folio has tried and failed to delete
// from the media store (the cleanup pass retries them). It reports
// whether there were any.
func checkCleanup(r *Report, opt Options, rows []store.MediaCleanupRow) bool {
	var failing []string
	for _, row := range rows {
		if row.LastError != "" && opt.Now().Sub(row.CreatedAt) >= opt.Settle {
			failing = append(failing, fmt.Sprintf("%s (since %s, %s): %s", row.Keys, row.CreatedAt.UTC().Format(time.RFC3339), plural(row.Attempts, "try"), row.LastError))
		}
	}
	if len(failing) == 0 {
		return false
	}
	r.add(Finding{Check: "media", Severity: Warning, Items: failing,
		Message: fmt.Sprintf("%s of deleted items or failed uploads could not be deleted from the media store yet", verb(len(failing), "set of files", "sets of files")),
		Fix:     "Folio tries again, at most an hour apart, from every running process; if the errors say the store refuses, correct its settings or permissions."})
	return true
}

func expectedMedia(ctx context.Context, db *store.ReadOnly) (map[string]mediaFile, error) {
	rows, err := db.MediaFiles(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]mediaFile{}
	for _, row := range rows {
		for i, k := range library.Keys(row) {
			out[k] = mediaFile{id: row.ID, original: i == 0, size: row.Size}
		}
	}
	return out, nil
}

// checkTmp looks for files left in tmp/ by uploads and backups that were
// interrupted.
func checkTmp(r *Report, opt Options) {
	root := filepath.Join(opt.DataDir, tmpDir)
	var stale []string
	var bytes int64
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if fi, err := d.Info(); err == nil && opt.Now().Sub(fi.ModTime()) >= opt.StaleTmp {
			rel, _ := filepath.Rel(root, p)
			stale = append(stale, filepath.ToSlash(rel))
			bytes += fi.Size()
		}
		return nil
	})
	if len(stale) > 0 {
		slices.Sort(stale)
		r.add(Finding{Check: "tmp", Severity: Warning, Items: stale,
			Message: fmt.Sprintf("%s (%s) under %s by interrupted uploads or backups", verb(len(stale), "file was left", "files were left"), media.FormatSize(bytes), root),
			Fix:     fmt.Sprintf("Delete everything under %s while folio is stopped.", root)})
	}
}

// verb returns "1 one" or "n many": verb(2, "file is", "files are").
func verb(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
