package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/folio-cms/folio/pkg/app"
	"github.com/folio-cms/folio/pkg/backup"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/doctor"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// Operations: backup, restore and doctor. None of them goes through open():
// they must not migrate the database they look at, and backup runs beside
// a serving folio.

const backupAbout = `Writes a backup of the data dir to FILE (a .tar.gz), also while folio serves it.

The archive holds manifest.json (versions, record counts, and every file with
its size and SHA-256), a consistent snapshot of the database (taken at one
instant with SQLite's VACUUM INTO; writers are not blocked), the generated JWT
secret (jwt_secret, unless --without-secret), and the media files that the
snapshot refers to: from the data dir, or, with FOLIO_MEDIA_STORE=s3, streamed
from the bucket (FOLIO_S3_* as for serve). It leaves out <data>/tmp and files
no media item names.
The archive is written to FILE.tmp and renamed when complete, with mode 0600:
it holds password hashes, webhook secrets and the JWT secret; store it as
carefully as the data dir itself.

A media file that the database refers to but that is missing is reported on
stderr and recorded in the manifest; the backup still completes (exit 0).`

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", "[flags] FILE.tar.gz", backupAbout)
	dataDir := fs.String("data-dir", envOr(e, "FOLIO_DATA_DIR", config.Default().DataDir), "data `directory` to back up (FOLIO_DATA_DIR)")
	force := fs.Bool("force", false, "replace FILE if it exists")
	noSecret := fs.Bool("without-secret", false, "leave the JWT secret out: a restore then starts with a new one, and everyone signs in again")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	if err := notOnPostgres(e, "backup"); err != nil {
		return err
	}
	st, err := mediaFromEnv(e, *dataDir)
	if err != nil {
		return err
	}
	m, err := backup.Create(ctx, backup.CreateOptions{DataDir: *dataDir, Out: pos[0], Force: *force, WithoutSecret: *noSecret, Version: buildVersion(), Media: st})
	if err != nil {
		return err
	}
	n, mediaBytes := m.MediaFiles()
	fmt.Fprintf(e.stdout, "backed up %s to %s\n", *dataDir, pos[0])
	fmt.Fprintf(e.stdout, "  taken at %s by folio %s, schema version %d\n", m.CreatedAt.Format("2006-01-02 15:04:05Z07:00"), m.FolioVersion, m.SchemaVersion)
	printCounts(e.stdout, m.Counts)
	secret := "the JWT secret"
	if !m.HasSecret() {
		secret = "no JWT secret"
	}
	fmt.Fprintf(e.stdout, "  files: the database (%s), %d media files (%s), %s; %s in all before compression\n",
		media.FormatSize(fileSize(m, backup.DatabaseName)), n, media.FormatSize(mediaBytes), secret, media.FormatSize(m.Size()))
	for _, w := range m.Warnings {
		fmt.Fprintf(e.stderr, "folio backup: warning: %s\n", w)
	}
	for _, k := range m.MissingMedia[:min(len(m.MissingMedia), 20)] {
		fmt.Fprintf(e.stderr, "  missing: media/%s\n", k)
	}
	if len(m.MissingMedia) > 20 {
		fmt.Fprintf(e.stderr, "  … and %d more (see the manifest's missing_media)\n", len(m.MissingMedia)-20)
	}
	return nil
}

const restoreAbout = `Checks a backup made by "folio backup" and restores it into the data dir.

Everything is checked before anything is put in place: every file against the
manifest's size and SHA-256, no unsafe paths, links or devices, a database
schema no newer than this folio's, SQLite's integrity check and the manifest's
record counts. Files are unpacked into a staging dir inside DIR and moved in
only when all is well, so a refused or failed restore leaves DIR as it was.

DIR must be empty or not exist, unless --force: then its contents are replaced
(and deleted once the restore has succeeded). Stop folio before restoring into
the data dir it serves. Run restore as the user that runs folio; run as root
into a data dir that belongs to another user, it gives the files to that user.

The backup's JWT secret, if it holds one, is restored too (mode 0600), so the
sessions and API tokens of the backup's time stay valid.

With FOLIO_MEDIA_STORE=s3 (and FOLIO_S3_* as for serve), the media files are
put into the bucket, before the data dir is touched; what the bucket holds
already stays.`

func cmdRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "restore", "FILE.tar.gz --data-dir DIR [--force]", restoreAbout)
	dataDir := fs.String("data-dir", strings.TrimSpace(e.getenv("FOLIO_DATA_DIR")), "data `directory` to restore into (FOLIO_DATA_DIR); required")
	force := fs.Bool("force", false, "replace what the data dir holds")
	verifyOnly := fs.Bool("verify-only", false, "check the backup completely, restore nothing (--data-dir is not needed)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (*dataDir == "" && !*verifyOnly) {
		fs.Usage()
		return errUsage
	}
	if *verifyOnly {
		m, err := backup.Verify(ctx, pos[0], "")
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s is sound: %d files (%s) match the manifest and the database passes its checks\n", pos[0], len(m.Files), media.FormatSize(m.Size()))
		printCounts(e.stdout, m.Counts)
		return nil
	}
	if err := notOnPostgres(e, "restore"); err != nil {
		return err
	}
	st, err := mediaFromEnv(e, *dataDir)
	if err != nil {
		return err
	}
	res, err := backup.Restore(ctx, backup.RestoreOptions{Archive: pos[0], DataDir: *dataDir, Force: *force, Media: st})
	if err != nil {
		return err
	}
	m := res.Manifest
	fmt.Fprintf(e.stdout, "verified %d files (%s) against the manifest\n", len(m.Files), media.FormatSize(m.Size()))
	fmt.Fprintf(e.stdout, "restored the backup taken at %s (folio %s, schema version %d) into %s\n",
		m.CreatedAt.Format("2006-01-02 15:04:05Z07:00"), m.FolioVersion, m.SchemaVersion, *dataDir)
	printCounts(e.stdout, m.Counts)
	if n, b := m.MediaFiles(); n > 0 && res.MediaStored > 0 {
		fmt.Fprintf(e.stdout, "  media files: %d (%s), put into %v\n", n, media.FormatSize(b), st)
	} else if n > 0 {
		fmt.Fprintf(e.stdout, "  media files: %d (%s)\n", n, media.FormatSize(b))
	}
	switch {
	case m.HasSecret() && e.getenv("FOLIO_JWT_SECRET") != "":
		fmt.Fprintln(e.stdout, "  the JWT secret file was restored, but FOLIO_JWT_SECRET is set and takes its place")
	case m.HasSecret():
		fmt.Fprintln(e.stdout, "  the JWT secret was restored: sessions and API tokens from the backup's time stay valid")
	case e.getenv("FOLIO_JWT_SECRET") == "":
		fmt.Fprintln(e.stdout, "  the backup holds no JWT secret: folio makes a new one at its next start, and everyone signs in again")
	}
	if len(res.Replaced) > 0 {
		fmt.Fprintf(e.stdout, "  replaced what the data dir held before (%s)\n", strings.Join(res.Replaced, ", "))
	}
	if m.SchemaVersion < store.SchemaVersion() {
		fmt.Fprintf(e.stdout, "  this folio migrates the database from schema version %d to %d when it starts\n", m.SchemaVersion, store.SchemaVersion())
	}
	if n := len(m.MissingMedia); n > 0 {
		fmt.Fprintf(e.stderr, "folio restore: warning: %d media files were already missing when the backup was taken (see `folio doctor`)\n", n)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "folio restore: warning: %s\n", w)
	}
	return nil
}

const doctorAbout = `Checks an installation and says what to fix: the configuration (the same
FOLIO_* variables and flags as serve), the data dir's permissions and the JWT
secret, the database (PRAGMA integrity_check and foreign_key_check), its
migrations against this folio's (pending ones, or a database newer than this
folio), the media files (originals or variants that are missing, originals of
the wrong size, files that no media item names) and files left in <data>/tmp.

Doctor only reads: it opens the database read-only, never migrates it, and
can run while folio serves. Run it as the user that runs folio.

Findings are ok, warning or error. Errors: folio cannot start, or data is
damaged or missing (invalid configuration, a damaged or unreadable database, a
database newer than this folio, missing or damaged original media files).
Warnings: folio works but something needs attention (pending migrations,
missing variants, orphaned or left-over files, loose permissions).

Exit status: 0 when there are no errors (warnings allowed), 1 when there are
errors (or, with --strict, warnings), 2 for a wrong command line.`

func cmdDoctor(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "doctor", "[flags]", doctorAbout)
	asJSON := fs.Bool("json", false, "print the findings as JSON, with every item")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	usageShown := false
	usage := fs.Usage
	fs.Usage = func() { usageShown = true; usage() }
	cfg, cerr := config.Load(fs, args, e.getenv, "serve") // the configuration serve would run with
	var err error
	switch {
	case errors.Is(cerr, flag.ErrHelp):
		return cerr
	case cerr != nil && usageShown: // a flag the command line got wrong
		return errUsage
	case fs.NArg() > 0:
		fs.Usage()
		return errUsage
	}
	opt := doctor.Options{DataDir: cfg.DataDir, DatabaseURL: cfg.DatabaseURL, ConfigErr: cerr, SecretConfigured: cfg.JWTSecret != ""}
	if cerr != nil { // the configuration is broken: check the data dir it names anyway
		opt.DataDir = fs.Lookup("data-dir").Value.String()
		opt.DatabaseURL = fs.Lookup("database-url").Value.String()
		opt.SecretConfigured = strings.TrimSpace(e.getenv("FOLIO_JWT_SECRET")) != ""
		opt.MediaUnknown = strings.TrimSpace(e.getenv("FOLIO_MEDIA_STORE")) != "" && strings.TrimSpace(e.getenv("FOLIO_MEDIA_STORE")) != config.MediaLocal
	} else if opt.Media, err = app.MediaStorage(cfg); err != nil {
		return err
	}
	r := doctor.Run(ctx, opt)
	if *asJSON {
		if err := r.WriteJSON(e.stdout); err != nil {
			return err
		}
	} else {
		r.WriteText(e.stdout, 10)
	}
	switch errs, warns := r.Count(doctor.Error), r.Count(doctor.Warning); {
	case errs > 0:
		return fmt.Errorf("found %s", plural(errs, "error"))
	case warns > 0 && *strict:
		return fmt.Errorf("found %s (--strict)", plural(warns, "warning"))
	}
	return nil
}

// parseInterspersed parses args with flags before, between or after the
// positional arguments (folio restore FILE --data-dir DIR) and returns the
// positional ones. Everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		rest := args
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if consumed := rest[:len(rest)-len(args)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, args...), nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// mediaFromEnv is the media store that the FOLIO_MEDIA_STORE and FOLIO_S3_*
// settings of the environment name, for a data dir (the commands that may
// not go through open(): backup, restore).
func mediaFromEnv(e *env, dataDir string) (media.Storage, error) {
	fs := flag.NewFlagSet("folio", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg, err := config.Load(fs, nil, e.getenv, "backup")
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	cfg.DataDir = dataDir
	return app.MediaStorage(cfg)
}

// notOnPostgres refuses a command that works on the SQLite file in the
// data dir when FOLIO_DATABASE_URL says folio runs on PostgreSQL: that
// file, if there is one, is not folio's database.
func notOnPostgres(e *env, command string) error {
	if strings.TrimSpace(e.getenv("FOLIO_DATABASE_URL")) == "" {
		return nil
	}
	return fmt.Errorf("folio %s works on the SQLite database in the data dir, and FOLIO_DATABASE_URL says this folio runs on PostgreSQL: backups of PostgreSQL are not supported yet (use pg_dump --format=custom, and copy the media, for now)", command)
}

func envOr(e *env, key, def string) string {
	if v := strings.TrimSpace(e.getenv(key)); v != "" {
		return v
	}
	return def
}

// printCounts prints a backup's record counts.
func printCounts(w io.Writer, c backup.Counts) {
	for _, typ := range slices.Sorted(maps.Keys(c.Entries)) {
		var total int64
		var parts []string
		for _, status := range slices.Sorted(maps.Keys(c.Entries[typ])) {
			total += c.Entries[typ][status]
			parts = append(parts, fmt.Sprintf("%s %d", status, c.Entries[typ][status]))
		}
		fmt.Fprintf(w, "  %s: %d (%s)\n", typ, total, strings.Join(parts, ", "))
	}
	var media []string
	for _, kind := range slices.Sorted(maps.Keys(c.Media)) {
		media = append(media, fmt.Sprintf("%s %d", kind, c.Media[kind]))
	}
	if len(media) > 0 {
		fmt.Fprintf(w, "  media items: %s\n", strings.Join(media, ", "))
	}
	var tables []string
	for _, name := range slices.Sorted(maps.Keys(c.Tables)) {
		tables = append(tables, fmt.Sprintf("%s %d", name, c.Tables[name]))
	}
	fmt.Fprintf(w, "  rows: %s\n", strings.Join(tables, ", "))
}

func fileSize(m *backup.Manifest, path string) int64 {
	for _, f := range m.Files {
		if f.Path == path {
			return f.Size
		}
	}
	return 0
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
