package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// RestoreOptions says what to restore and where to.
type RestoreOptions struct {
	Archive string // the backup to restore
	DataDir string // the data dir to restore into
	// Force replaces what DataDir holds. Without it, a DataDir that is not
	// empty is refused (*NotEmptyError).
	Force bool
	// Media is where the media files go (nil: the data dir's media/). Into
	// any other store they are put before the data dir is touched; what it
	// holds already stays.
	Media media.Storage
}

// Restored says what Restore did.
type Restored struct {
	Manifest *Manifest
	// Replaced lists what DataDir held before, now deleted (with Force).
	Replaced []string
	// Warnings says what did not go as it should, though the restore did.
	Warnings []string
	// MediaStored is how many media files were put into Options.Media
	// (0 when they went into the data dir).
	MediaStored int
}

// NotEmptyError is returned by Restore for a data dir that holds something
// when Force is not set.
type NotEmptyError struct {
	Dir   string
	Names []string // what it holds
}

func (e *NotEmptyError) Error() string {
	shown := e.Names[:min(len(e.Names), 5)]
	more := ""
	if len(e.Names) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(e.Names)-len(shown))
	}
	return fmt.Sprintf("%s is not empty (it holds %s%s): restore into an empty or new directory, or pass --force to replace its contents", e.Dir, strings.Join(shown, ", "), more)
}

// ChecksumError is returned when a file of a backup does not match the
// checksum or size its manifest gives.
type ChecksumError struct {
	Path      string
	Want, Got string
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("%s does not match the manifest (%s, want %s): the backup is damaged or was altered; nothing was restored", e.Path, e.Got, e.Want)
}

// Prefixes of the directories Restore makes inside the data dir.
const (
	stagingPrefix  = ".folio-restore-staging-"
	previousPrefix = ".folio-restore-previous-"
)

// maxManifest bounds the manifest's size (a million media files take
// about 150 MB; this is for sanity, not a quota).
const maxManifest = 512 << 20

// Restore checks a backup completely and then puts it in place. Every file
// is written to a staging dir inside DataDir and checked against the
// manifest's size and SHA-256; the database must pass SQLite's integrity
// check, be at the manifest's schema version (no newer than this folio's)
// and hold the manifest's counts. Only then do the files move into DataDir,
// by renames: with Force, what DataDir held is first moved aside, restored
// if anything fails, and deleted at the end. Run as root into a data dir
// that belongs to another user, the restored files are given to that user.
// Stop folio before restoring into the data dir it serves.
func Restore(ctx context.Context, opt RestoreOptions) (*Restored, error) {
	dir, err := filepath.Abs(opt.DataDir)
	if err != nil {
		return nil, err
	}
	created := false
	var existing []string
	switch fi, err := os.Stat(dir); {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
		created = true
	case err != nil:
		return nil, err
	case !fi.IsDir():
		return nil, fmt.Errorf("%s is not a directory", dir)
	default:
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), previousPrefix) {
				return nil, fmt.Errorf("%s holds %s, left by an interrupted restore: it is the data dir's earlier contents; move them back or delete that directory, then try again", dir, e.Name())
			}
			existing = append(existing, e.Name())
		}
		if len(existing) > 0 && !opt.Force {
			return nil, &NotEmptyError{Dir: dir, Names: existing}
		}
	}

	stage, err := os.MkdirTemp(dir, stagingPrefix)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Restored, error) {
		os.RemoveAll(stage)
		if created {
			os.Remove(dir) // only if still empty
		}
		return nil, err
	}
	m, err := extract(ctx, opt.Archive, stage)
	if err != nil {
		return fail(err)
	}
	if err := verifyDatabase(ctx, filepath.Join(stage, DatabaseName), m); err != nil {
		return fail(err)
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if !created {
		if err := adoptOwner(dir, stage); err != nil {
			return fail(fmt.Errorf("give the restored files to the data dir's owner: %w", err))
		}
	}
	res := &Restored{Manifest: m, Replaced: existing}
	if _, local := opt.Media.(media.Local); opt.Media != nil && !local {
		if res.MediaStored, err = putMedia(ctx, opt.Media, filepath.Join(stage, MediaDir)); err != nil {
			return fail(fmt.Errorf("put the media files back into %v: %w (the data dir was left as it was)", opt.Media, err))
		}
		if err := os.RemoveAll(filepath.Join(stage, MediaDir)); err != nil {
			return fail(err)
		}
	}
	if err := moveIn(dir, stage, existing, res); err != nil {
		return fail(err)
	}
	return res, nil
}

// putMedia puts every file under dir (checked against the manifest) into
// the store under its key, and returns how many.
func putMedia(ctx context.Context, st media.Storage, dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if errors.Is(err, os.ErrNotExist) && p == dir {
			return filepath.SkipDir // a backup without media
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := st.Put(ctx, filepath.ToSlash(rel), f); err != nil {
			return err
		}
		n++
		return nil
	})
	return n, err
}

// Verify checks a backup as Restore does (every checksum, the database's
// integrity, schema version and counts) without restoring it. It unpacks
// into a temporary directory under tmpDir ("" means the system's), which it
// removes.
func Verify(ctx context.Context, archive, tmpDir string) (*Manifest, error) {
	stage, err := os.MkdirTemp(tmpDir, ".folio-verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	m, err := extract(ctx, archive, stage)
	if err != nil {
		return nil, err
	}
	if err := verifyDatabase(ctx, filepath.Join(stage, DatabaseName), m); err != nil {
		return nil, err
	}
	return m, nil
}

// extract unpacks the archive into stage, checking it as it goes: the
// manifest first, then only the regular files it lists, each once, at safe
// paths, with the size and SHA-256 it gives.
func extract(ctx context.Context, archive, stage string) (*Manifest, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s is not a folio backup (not gzip: %v)", archive, err)
	}
	tr := tar.NewReader(gz)
	hdr, err := tr.Next()
	if err != nil {
		return nil, fmt.Errorf("%s is not a folio backup (%v)", archive, err)
	}
	if hdr.Name != ManifestName || hdr.Typeflag != tar.TypeReg || hdr.Size > maxManifest {
		return nil, fmt.Errorf("%s is not a folio backup: its first entry is %q, not %s", archive, hdr.Name, ManifestName)
	}
	var m Manifest
	raw, err := io.ReadAll(tr)
	if err != nil {
		return nil, fmt.Errorf("read the manifest: %w", err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("read the manifest: %w", err)
	}
	want, err := checkManifest(&m)
	if err != nil {
		return nil, err
	}

	root, err := os.OpenRoot(stage)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	seen := map[string]bool{}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the backup is damaged: %w", err)
		}
		if err := checkPath(hdr.Name); err != nil {
			return nil, fmt.Errorf("refusing the backup: %w", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, fmt.Errorf("refusing the backup: %s is not a regular file (type %q); a folio backup holds only regular files", hdr.Name, hdr.Typeflag)
		}
		wf, ok := want[hdr.Name]
		if !ok {
			return nil, fmt.Errorf("refusing the backup: %s is not in its manifest", hdr.Name)
		}
		if seen[hdr.Name] {
			return nil, fmt.Errorf("refusing the backup: %s appears twice", hdr.Name)
		}
		seen[hdr.Name] = true
		if hdr.Size != wf.Size {
			return nil, &ChecksumError{Path: hdr.Name, Want: fmt.Sprintf("%d bytes", wf.Size), Got: fmt.Sprintf("%d bytes", hdr.Size)}
		}
		if err := writeEntry(root, hdr, tr, wf); err != nil {
			return nil, err
		}
	}
	// Reading gzip to its end checks its CRC and length.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return nil, fmt.Errorf("the backup is damaged: %w", err)
	}
	for _, f := range m.Files {
		if !seen[f.Path] {
			return nil, fmt.Errorf("the backup is incomplete: %s is in the manifest but not in the archive", f.Path)
		}
	}
	return &m, nil
}

// checkManifest checks what the manifest says and returns its files by path.
func checkManifest(m *Manifest) (map[string]File, error) {
	switch {
	case m.Format < 1:
		return nil, errors.New("not a folio backup: the manifest has no format version")
	case m.Format > FormatVersion:
		return nil, fmt.Errorf("this backup has format version %d, made by a newer folio (this one reads up to %d): restore it with a newer folio", m.Format, FormatVersion)
	case m.SchemaVersion > store.SchemaVersion():
		return nil, fmt.Errorf("this backup's database is at schema version %d, newer than this folio knows (%d): restore it with folio %s or newer", m.SchemaVersion, store.SchemaVersion(), m.FolioVersion)
	case m.SchemaVersion < 1:
		return nil, errors.New("the manifest has no schema version")
	}
	want := make(map[string]File, len(m.Files))
	for _, f := range m.Files {
		if err := checkPath(f.Path); err != nil {
			return nil, fmt.Errorf("refusing the backup: manifest: %w", err)
		}
		if _, dup := want[f.Path]; dup {
			return nil, fmt.Errorf("refusing the backup: manifest lists %s twice", f.Path)
		}
		if f.Size < 0 || !media.IsSHA256(f.SHA256) {
			return nil, fmt.Errorf("refusing the backup: manifest: bad size or checksum for %s", f.Path)
		}
		want[f.Path] = f
	}
	if _, ok := want[DatabaseName]; !ok {
		return nil, fmt.Errorf("the backup holds no %s", DatabaseName)
	}
	return want, nil
}

// writeEntry writes one file into the staging root and checks it.
func writeEntry(root *os.Root, hdr *tar.Header, r io.Reader, want File) error {
	name := filepath.FromSlash(hdr.Name)
	if dir := path.Dir(hdr.Name); dir != "." {
		if err := root.MkdirAll(filepath.FromSlash(dir), 0o755); err != nil {
			return err
		}
	}
	mode := os.FileMode(0o644)
	if hdr.Name == DatabaseName || hdr.Name == SecretName {
		mode = 0o600
	}
	out, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("restore %s: %w", hdr.Name, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); n != want.Size || got != want.SHA256 {
		return &ChecksumError{Path: hdr.Name, Want: "sha256 " + want.SHA256, Got: "sha256 " + got}
	}
	if !hdr.ModTime.IsZero() {
		root.Chtimes(name, hdr.ModTime, hdr.ModTime)
	}
	return nil
}

// verifyDatabase checks the restored database: sound, at the manifest's
// schema version, holding the manifest's counts.
func verifyDatabase(ctx context.Context, path string, m *Manifest) error {
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return fmt.Errorf("the backup's database cannot be read: %w", err)
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v != m.SchemaVersion {
		return fmt.Errorf("the backup's database is at schema version %d, but its manifest says %d", v, m.SchemaVersion)
	}
	probs, err := db.IntegrityCheck(ctx, 10)
	if err != nil {
		return fmt.Errorf("the backup's database is damaged: %w", err)
	}
	if len(probs) > 0 {
		return fmt.Errorf("the backup's database is damaged: %s", strings.Join(probs, "; "))
	}
	c, err := db.Counts(ctx)
	if err != nil {
		return err
	}
	if !countsEqual(countsOf(c), m.Counts) {
		return fmt.Errorf("the backup's database does not hold what its manifest counts (%v, manifest %v)", c.Tables, m.Counts.Tables)
	}
	return nil
}

func countsEqual(a, b Counts) bool {
	if !maps.Equal(a.Tables, b.Tables) || !maps.Equal(a.Media, b.Media) || len(a.Entries) != len(b.Entries) {
		return false
	}
	for k, v := range a.Entries {
		if !maps.Equal(v, b.Entries[k]) {
			return false
		}
	}
	return true
}

// moveIn moves the staged files into dir. The names in existing (what dir
// held) are first moved into a directory beside them; if anything fails,
// every move is undone. At the end that directory and the staging dir are
// deleted.
func moveIn(dir, stage string, existing []string, res *Restored) (err error) {
	type move struct{ from, to string }
	var done []move
	undo := func() {
		for i := len(done) - 1; i >= 0; i-- {
			os.Rename(done[i].to, done[i].from)
		}
	}
	rename := func(from, to string) error {
		if err := os.Rename(from, to); err != nil {
			return err
		}
		done = append(done, move{from, to})
		return nil
	}
	var prev string
	if len(existing) > 0 {
		if prev, err = os.MkdirTemp(dir, previousPrefix); err != nil {
			return err
		}
		for _, name := range existing {
			if err := rename(filepath.Join(dir, name), filepath.Join(prev, name)); err != nil {
				undo()
				os.Remove(prev)
				return fmt.Errorf("move the old %s aside: %w (nothing was changed)", name, err)
			}
		}
	}
	staged, err := os.ReadDir(stage)
	if err != nil {
		undo()
		os.Remove(prev)
		return err
	}
	for _, e := range staged {
		if err := rename(filepath.Join(stage, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			undo()
			if prev != "" {
				os.Remove(prev)
			}
			return fmt.Errorf("move %s into place: %w (the data dir was left as it was)", e.Name(), err)
		}
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	os.Remove(stage)
	if prev != "" {
		if err := os.RemoveAll(prev); err != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("could not delete the old contents in %s (%v): delete that directory yourself", prev, err))
		}
	}
	return nil
}
