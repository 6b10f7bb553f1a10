package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// CreateOptions says what to back up and where to.
type CreateOptions struct {
	DataDir string // the data dir of the folio to back up
	Out     string // the archive to write, e.g. folio-2026-06-01.tar.gz
	// Force replaces an existing Out; without it, an existing Out is an
	// error and is left as it is.
	Force bool
	// WithoutSecret leaves the JWT secret out of the archive.
	WithoutSecret bool
	// Media is where the media files are (nil: the data dir's media/).
	// From any store but the local disk they are streamed into the
	// archive, never staged on disk.
	Media media.Storage
	// Version is the folio version recorded in the manifest.
	Version string
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// ErrExists is returned (wrapped) by Create when the archive already exists.
var ErrExists = errors.New("the backup file already exists")

// Create writes a backup of the data dir to opt.Out, while folio may be
// serving it. It snapshots the database first, then collects the media
// files that the snapshot refers to (files are named by their content and
// never change, so later uploads and deletions cannot tear the backup; a
// file deleted before it could be collected is listed in
// Manifest.MissingMedia and Warnings). The archive is written to Out+".tmp"
// and renamed into place when complete, so a failed backup leaves no
// partial archive under Out.
func Create(ctx context.Context, opt CreateOptions) (m *Manifest, err error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	dbPath := filepath.Join(opt.DataDir, DatabaseName)
	if fi, err := os.Stat(dbPath); err != nil {
		return nil, fmt.Errorf("no database at %s: is the data dir right? (%w)", dbPath, err)
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("no database at %s: it is not a regular file", dbPath)
	}
	if !opt.Force {
		if _, err := os.Lstat(opt.Out); err == nil {
			return nil, fmt.Errorf("%s: %w (pass --force to replace it)", opt.Out, ErrExists)
		}
	}
	tmpPath := opt.Out + ".tmp"
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if opt.Force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	out, err := os.OpenFile(tmpPath, flags, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists: another backup may be writing it; if none is, delete it (or pass --force)", tmpPath)
	}
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(tmpPath)
		}
	}()

	stage, err := stagingDir(opt.DataDir, opt.Out)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)

	// 1. The database, at one instant.
	live, err := store.OpenReadOnly(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	m = &Manifest{Format: FormatVersion, FolioVersion: opt.Version, CreatedAt: opt.Now().UTC().Truncate(time.Second)}
	err = live.Snapshot(ctx, filepath.Join(stage, DatabaseName))
	live.Close()
	if err != nil {
		return nil, err
	}
	rows, err := inspectSnapshot(ctx, filepath.Join(stage, DatabaseName), m)
	if err != nil {
		return nil, err
	}

	// 2. What the snapshot refers to, and the secret.
	files := []staged{{name: DatabaseName, mode: 0o600, mtime: m.CreatedAt}}
	if !opt.WithoutSecret {
		f, ok, err := stageSecret(opt.DataDir, stage)
		if err != nil {
			return nil, err
		}
		if ok {
			files = append(files, f)
		}
	}
	var mediaFiles []staged
	if local, ok := opt.Media.(media.Local); opt.Media == nil || ok {
		dir := filepath.Join(opt.DataDir, MediaDir)
		if ok {
			dir = local.Dir
		}
		mediaFiles, err = stageMedia(ctx, dir, stage, rows, m)
	} else {
		mediaFiles, err = streamMedia(ctx, opt.Media, rows, m)
	}
	if err != nil {
		return nil, err
	}
	files = append(files, mediaFiles...)

	// 3. Checksums, then the archive: manifest first.
	for i := range files {
		if files[i].sha == "" {
			if files[i].size, files[i].sha, err = hashFile(filepath.Join(stage, filepath.FromSlash(files[i].name))); err != nil {
				return nil, err
			}
		}
		m.Files = append(m.Files, File{Path: files[i].name, Size: files[i].size, SHA256: files[i].sha})
	}
	checkOriginals(m)
	if err := writeArchive(ctx, out, stage, m, files); err != nil {
		return nil, err
	}
	if err := out.Sync(); err != nil {
		return nil, err
	}
	if err := out.Close(); err != nil {
		return nil, err
	}
	if err := publish(tmpPath, opt.Out, opt.Force); err != nil {
		return nil, err
	}
	return m, nil
}

// staged is a file waiting in the staging dir, or in the media store.
type staged struct {
	name  string // archive path
	mode  int64
	mtime time.Time
	size  int64
	sha   string // empty until hashed
	// open reads a file that is not in the staging dir (one in the media
	// store); nil for one that is.
	open func(ctx context.Context) (io.ReadCloser, error)
}

// stagingDir makes a private directory for the snapshot and the media
// files: in <data>/tmp when it exists and we may write there (the same disk
// as the media, so files are hard-linked rather than copied), else next to
// the archive. It never creates <data>/tmp: made by another user (backup
// run as root), it would keep folio from staging uploads there.
func stagingDir(dataDir, out string) (string, error) {
	if dir, err := os.MkdirTemp(filepath.Join(dataDir, "tmp"), "backup-"); err == nil {
		return dir, nil
	}
	dir, err := os.MkdirTemp(filepath.Dir(out), ".folio-backup-")
	if err != nil {
		return "", fmt.Errorf("make a staging dir: %w", err)
	}
	return dir, nil
}

// inspectSnapshot checks the snapshot, fills in the manifest's versions and
// counts, and returns its media items.
func inspectSnapshot(ctx context.Context, path string, m *Manifest) ([]store.MediaRow, error) {
	snap, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	if m.SchemaVersion, err = snap.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	if m.SchemaVersion > store.SchemaVersion() {
		return nil, fmt.Errorf("the database is at schema version %d, newer than this folio knows (%d): back it up with the folio that serves it", m.SchemaVersion, store.SchemaVersion())
	}
	if m.SchemaVersion == 0 {
		return nil, errors.New("the database has no schema yet: there is nothing to back up")
	}
	probs, err := snap.IntegrityCheck(ctx, 10)
	if err != nil {
		return nil, fmt.Errorf("the database is damaged (%v): run `folio doctor`; a backup of it would not restore", err)
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("the database is damaged: %s; run `folio doctor`; a backup of it would not restore", strings.Join(probs, "; "))
	}
	c, err := snap.Counts(ctx)
	if err != nil {
		return nil, err
	}
	m.Counts = countsOf(c)
	return snap.MediaFiles(ctx)
}

// stageSecret copies <data>/jwt_secret, if there is one.
func stageSecret(dataDir, stage string) (staged, bool, error) {
	src := filepath.Join(dataDir, SecretName)
	fi, err := os.Lstat(src)
	if errors.Is(err, fs.ErrNotExist) {
		return staged{}, false, nil
	}
	if err != nil {
		return staged{}, false, err
	}
	if !fi.Mode().IsRegular() {
		return staged{}, false, fmt.Errorf("%s is not a regular file", src)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return staged{}, false, err
	}
	if err := os.WriteFile(filepath.Join(stage, SecretName), b, 0o600); err != nil {
		return staged{}, false, err
	}
	sum := sha256.Sum256(b)
	return staged{name: SecretName, mode: 0o600, mtime: fi.ModTime(), size: int64(len(b)), sha: hex.EncodeToString(sum[:])}, true, nil
}

// mediaKeys are the keys of every file the media rows name, sorted.
func mediaKeys(rows []store.MediaRow) []string {
	var keys []string
	for _, r := range rows {
		keys = append(keys, library.Keys(r)...)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// stageMedia hard-links (or, across disks, copies) every file the media
// rows name from mediaDir into stage/media. A file that is not there is
// recorded as missing; the backup goes on.
func stageMedia(ctx context.Context, mediaDir, stage string, rows []store.MediaRow, m *Manifest) ([]staged, error) {
	keys := mediaKeys(rows)
	if len(keys) == 0 {
		return nil, nil
	}
	root, err := os.OpenRoot(mediaDir)
	if errors.Is(err, fs.ErrNotExist) {
		m.MissingMedia = keys
		m.Warnings = append(m.Warnings, fmt.Sprintf("%d media files are missing: the media dir %s does not exist", len(keys), mediaDir))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer root.Close()
	var out []staged
	for _, key := range keys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		dst := filepath.Join(stage, MediaDir, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return nil, err
		}
		f, err := stageMediaFile(root, filepath.Join(mediaDir, filepath.FromSlash(key)), key, dst)
		if errors.Is(err, fs.ErrNotExist) {
			m.MissingMedia = append(m.MissingMedia, key)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("media file %s: %w", key, err)
		}
		out = append(out, f)
	}
	if n := len(m.MissingMedia); n > 0 {
		m.Warnings = append(m.Warnings, fmt.Sprintf("%d media files that the database refers to were missing, so the backup does not hold them (see missing_media; `folio doctor` lists them too)", n))
	}
	return out, nil
}

// stageMediaFile puts the file under key at dst: a hard link when the
// file is a regular one on the same disk, else a copy read through root (so
// a symbolic link cannot lead outside the media dir).
func stageMediaFile(root *os.Root, src, key, dst string) (staged, error) {
	fi, err := root.Lstat(key)
	if err != nil {
		return staged{}, err
	}
	f := staged{name: MediaDir + "/" + key, mode: 0o644, mtime: fi.ModTime()}
	if fi.Mode().IsRegular() && os.Link(src, dst) == nil {
		if li, err := os.Lstat(dst); err == nil && li.Mode().IsRegular() {
			return f, nil // hashed later, with the others
		}
		os.Remove(dst)
	}
	in, err := root.Open(key)
	if err != nil {
		return staged{}, err
	}
	defer in.Close()
	if fi, err := in.Stat(); err != nil {
		return staged{}, err
	} else if !fi.Mode().IsRegular() {
		return staged{}, fmt.Errorf("not a regular file")
	}
	w, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return staged{}, err
	}
	h := sha256.New()
	f.size, err = io.Copy(io.MultiWriter(w, h), in)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return staged{}, err
	}
	f.sha = hex.EncodeToString(h.Sum(nil))
	return f, nil
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// checkOriginals warns about originals whose content no longer matches
// the SHA-256 in their name: damaged on disk.
func checkOriginals(m *Manifest) {
	for _, f := range m.Files {
		key, ok := strings.CutPrefix(f.Path, MediaDir+"/originals/")
		if !ok {
			continue
		}
		if name := path.Base(key); !strings.HasPrefix(name, f.SHA256+".") {
			m.Warnings = append(m.Warnings, fmt.Sprintf("media file %s is damaged: its content does not match its name (backed up as it is)", f.Path))
		}
	}
}

// streamMedia learns the size and SHA-256 of every file the media rows
// name in the store, without copying any: from the store's metadata where
// it keeps them (media.S3 does), else by reading the file once. The files
// are read again, straight into the archive, by writeArchive. A file that
// is not there is recorded as missing; the backup goes on.
func streamMedia(ctx context.Context, st media.Storage, rows []store.MediaRow, m *Manifest) ([]staged, error) {
	keys := mediaKeys(rows)
	out := make([]staged, len(keys))
	missing := make([]bool, len(keys))
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(8, len(keys)) { // a HEAD each, several at once
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = statMedia(ctx, st, keys[i])
				if errors.Is(errs[i], media.ErrNotFound) {
					missing[i], errs[i] = true, nil
				}
			}
		})
	}
	for i := range keys {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var files []staged
	for i, key := range keys {
		switch {
		case errs[i] != nil:
			return nil, fmt.Errorf("media file %s: %w", key, errs[i])
		case missing[i]:
			m.MissingMedia = append(m.MissingMedia, key)
		default:
			files = append(files, out[i])
		}
	}
	if n := len(m.MissingMedia); n > 0 {
		m.Warnings = append(m.Warnings, fmt.Sprintf("%d media files that the database refers to were missing from %v, so the backup does not hold them (see missing_media; `folio doctor` lists them too)", n, st))
	}
	return files, nil
}

// statMedia returns what the archive needs of a file in the store.
func statMedia(ctx context.Context, st media.Storage, key string) (staged, error) {
	f := staged{name: MediaDir + "/" + key, mode: 0o644}
	f.open = func(ctx context.Context) (io.ReadCloser, error) {
		file, err := st.Open(ctx, key)
		if errors.Is(err, media.ErrNotFound) {
			return nil, fmt.Errorf("%w: it was deleted from the media store while the backup ran; run the backup again", err)
		}
		return file, err
	}
	if s, ok := st.(interface {
		Stat(context.Context, string) (media.Info, error)
	}); ok {
		info, err := s.Stat(ctx, key)
		if err != nil {
			return f, err
		}
		f.size, f.mtime, f.sha = info.Size, info.ModTime, info.SHA256
		if f.sha != "" {
			return f, nil
		}
	}
	file, err := st.Open(ctx, key)
	if err != nil {
		return f, err
	}
	defer file.Close()
	h := sha256.New()
	if f.size, err = io.Copy(h, file); err != nil {
		return f, err
	}
	_, f.mtime = file.Stat()
	f.sha = hex.EncodeToString(h.Sum(nil))
	return f, nil
}

// writeArchive writes the manifest and the staged files as a gzipped tar,
// checking each file against the manifest as it goes.
func writeArchive(ctx context.Context, out io.Writer, stage string, m *Manifest, files []staged) error {
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	manifest = append(manifest, '\n')
	bw := bufio.NewWriterSize(out, 1<<20)
	gz := gzip.NewWriter(bw)
	tw := tar.NewWriter(gz)
	hdr := func(name string, size, mode int64, mtime time.Time) *tar.Header {
		return &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: mode, ModTime: mtime.UTC().Truncate(time.Second), Format: tar.FormatPAX}
	}
	if err := tw.WriteHeader(hdr(ManifestName, int64(len(manifest)), 0o600, m.CreatedAt)); err != nil {
		return err
	}
	if _, err := io.Copy(tw, bytes.NewReader(manifest)); err != nil {
		return err
	}
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		want := m.Files[i]
		var in io.ReadCloser
		var err error
		if f.open != nil {
			in, err = f.open(ctx)
		} else {
			in, err = os.Open(filepath.Join(stage, filepath.FromSlash(f.name)))
		}
		if err != nil {
			return fmt.Errorf("archive %s: %w", f.name, err)
		}
		if err := tw.WriteHeader(hdr(f.name, want.Size, f.mode, f.mtime)); err != nil {
			in.Close()
			return err
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(tw, h), io.LimitReader(in, want.Size+1))
		in.Close()
		if err != nil {
			return fmt.Errorf("archive %s: %w", f.name, err)
		}
		if n != want.Size || hex.EncodeToString(h.Sum(nil)) != want.SHA256 {
			return fmt.Errorf("archive %s: the file changed while it was being backed up (or, in a media store, is not what the store's metadata says: run `folio doctor`)", f.name)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// publish moves the finished archive into place: without force, never over
// a file that appeared meanwhile.
func publish(tmp, out string, force bool) error {
	if force {
		if err := os.Rename(tmp, out); err != nil {
			return err
		}
	} else {
		err := os.Link(tmp, out)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w (pass --force to replace it)", out, ErrExists)
		}
		if err != nil { // a file system without hard links
			if _, serr := os.Lstat(out); serr == nil {
				return fmt.Errorf("%s: %w (pass --force to replace it)", out, ErrExists)
			}
			if err := os.Rename(tmp, out); err != nil {
				return err
			}
		} else {
			os.Remove(tmp)
		}
	}
	if d, err := os.Open(filepath.Dir(out)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
