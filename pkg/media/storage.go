package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound is returned (wrapped) by Storage.Open for a key that holds no file.
var ErrNotFound = errors.New("media: file not found")

// ErrInvalidKey is returned (wrapped) for a key that is not a clean relative
// slash path. Keys are built by this program, so it signals a bug, not bad input.
var ErrInvalidKey = errors.New("media: invalid storage key")

// Storage keeps files by key: a relative slash path chosen by Folio (see
// OriginalKey and VariantKey), never taken from a client.
type Storage interface {
	// Put stores the whole of r under key, replacing any file there. It is
	// atomic: on any error nothing is left under key (and an older file
	// under key is kept).
	Put(ctx context.Context, key string, r io.Reader) error
	// Open opens the file under key. A missing file gives an error that
	// wraps ErrNotFound.
	Open(ctx context.Context, key string) (File, error)
	// Delete removes the file under key; a missing file is not an error.
	Delete(ctx context.Context, key string) error
	// Exists reports whether a file is stored under key.
	Exists(ctx context.Context, key string) (bool, error)
}

// File is a stored file opened for reading. It suits http.ServeContent.
type File interface {
	io.ReadSeekCloser
	// Stat returns the file's size in bytes and its modification time.
	Stat() (size int64, modTime time.Time)
}

// Object is a file a store holds, as Lister lists it.
type Object struct {
	Key     string
	Size    int64
	ModTime time.Time
	// Regular is false for what Open would not serve: on disk, a link
	// that leads out of the store, or anything but a regular file.
	Regular bool
}

// Lister is a Storage that can list what it holds, for `folio doctor`
// and the migration between stores. Both Local and S3 are.
type Lister interface {
	// List calls fn for every file, in no promised order; an error
	// from fn stops it and is returned.
	List(ctx context.Context, fn func(Object) error) error
}

// Pinger is a Storage that can say whether it is there, for /readyz.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Sectioner is a File that can read a part of itself in one go (S3: one
// ranged GET), cheaper than Seek and a limited Read.
type Sectioner interface {
	ReadSection(off, n int64) (io.ReadCloser, error)
}

// Section returns n bytes of f from off: through ReadSection when f has
// it, else by seeking. Closing it does not close f.
func Section(f File, off, n int64) (io.ReadCloser, error) {
	if s, ok := f.(Sectioner); ok {
		return s.ReadSection(off, n)
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return nil, err
	}
	return io.NopCloser(io.LimitReader(f, n)), nil
}

// OriginalKey returns the key of an uploaded original, e.g.
// "originals/ab/cd/abcd….jpg". sha must be the lowercase hex SHA-256 from
// Upload.SHA256 and ext an extension without the dot; otherwise the result is
// "", which every Storage refuses.
func OriginalKey(sha, ext string) string {
	if !IsSHA256(sha) || !isExt(ext) {
		return ""
	}
	return "originals/" + sha[:2] + "/" + sha[2:4] + "/" + sha + "." + ext
}

// VariantKey returns the key of a resized variant of the original with the
// given SHA-256, e.g. "variants/ab/cd/abcd…-480.jpg". Invalid arguments give "".
func VariantKey(sha string, width int, ext string) string {
	if !IsSHA256(sha) || !isExt(ext) || width <= 0 {
		return ""
	}
	return "variants/" + sha[:2] + "/" + sha[2:4] + "/" + sha + "-" + strconv.Itoa(width) + "." + ext
}

// KeySHA256 returns the SHA-256 of the original that a key made by
// OriginalKey or VariantKey belongs to.
func KeySHA256(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "originals/")
	if !ok {
		if rest, ok = strings.CutPrefix(key, "variants/"); !ok {
			return "", false
		}
	}
	name := path.Base(rest)
	if len(name) < 64 || !IsSHA256(name[:64]) || rest != name[:2]+"/"+name[2:4]+"/"+name {
		return "", false
	}
	return name[:64], true
}

// IsSHA256 reports whether s is a SHA-256 in lowercase hex, as keys hold it.
func IsSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func isExt(s string) bool {
	if s == "" || len(s) > 8 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// checkKey accepts only clean relative slash paths: not empty, not absolute,
// no backslash or NUL, no empty, "." or ".." segment, and no segment starting
// with ".tmp-" (Local's temporary files).
func checkKey(key string) error {
	bad := key == "" || strings.ContainsAny(key, "\\\x00") || strings.HasPrefix(key, "/")
	if !bad {
		for seg := range strings.SplitSeq(key, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, tmpPrefix) {
				bad = true
				break
			}
		}
	}
	if bad {
		return fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	return nil
}

const tmpPrefix = ".tmp-"

// Local is a Storage on the local disk under Dir, created on first Put.
// Every operation goes through an os.Root, so no key and no symbolic link
// inside Dir can reach a file outside it.
type Local struct {
	Dir string
}

var _ Storage = Local{}

func (l Local) root(create bool) (*os.Root, error) {
	if create {
		if err := os.MkdirAll(l.Dir, 0o755); err != nil {
			return nil, err
		}
	}
	return os.OpenRoot(l.Dir)
}

// Put writes r to a temporary file next to key, syncs it, renames it over
// key and syncs the directory. On error the temporary file is removed.
func (l Local) Put(ctx context.Context, key string, r io.Reader) (err error) {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := l.root(true)
	if err != nil {
		return err
	}
	defer root.Close()

	dir := path.Dir(key)
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := path.Join(dir, tmpPrefix+hex.EncodeToString(rnd[:]))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			root.Remove(tmp)
		}
	}()
	if _, err = io.Copy(f, ctxReader{ctx, r}); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = root.Rename(tmp, key); err != nil {
		return err
	}
	// Make the rename itself durable. A failure here does not undo it.
	if d, derr := root.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Open opens the regular file under key.
func (l Local) Open(ctx context.Context, key string) (File, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := l.root(false)
	if err != nil {
		return nil, notFound(key, err)
	}
	defer root.Close()
	f, err := root.Open(key)
	if err != nil {
		// A name that does not exist and a symlink that leads out of the
		// root (os.Root refuses it) are both simply not here.
		if errors.Is(err, fs.ErrPermission) {
			return nil, err
		}
		return nil, fmt.Errorf("media: open %s: %w (%v)", key, ErrNotFound, err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fs.ErrNotExist
	}
	if err != nil {
		f.Close()
		return nil, notFound(key, err)
	}
	return &localFile{f: f, size: fi.Size(), mod: fi.ModTime()}, nil
}

func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: open %s: %w", key, ErrNotFound)
	}
	return err
}

// Delete removes the file under key.
func (l Local) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := l.root(false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	defer root.Close()
	if err := root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Exists reports whether a regular file is stored under key.
func (l Local) Exists(ctx context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	root, err := l.root(false)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	defer root.Close()
	fi, err := root.Stat(key)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return fi.Mode().IsRegular(), nil
}

// String says where the store is: its directory.
func (l Local) String() string { return l.Dir }

// Ping checks that the directory is there (or can be made: it is made at
// the first Put).
func (l Local) Ping(ctx context.Context) error {
	fi, err := os.Stat(l.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && !fi.IsDir() {
		err = fmt.Errorf("media: %s is not a directory", l.Dir)
	}
	return err
}

// List walks the directory. Links count as what they lead to, inside the
// root; any other link, and anything but a regular file, is listed with
// Regular false. Local's own temporary files are listed too.
func (l Local) List(ctx context.Context, fn func(Object) error) error {
	root, err := l.root(false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	defer root.Close()
	return fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if target, err := root.Stat(p); err == nil { // only inside the root
				fi = target
			}
		}
		return fn(Object{Key: p, Size: fi.Size(), ModTime: fi.ModTime(), Regular: fi.Mode().IsRegular()})
	})
}

// localFile exposes only the reading side of an *os.File.
type localFile struct {
	f    *os.File
	size int64
	mod  time.Time
}

func (f *localFile) Read(p []byte) (int, error)                { return f.f.Read(p) }
func (f *localFile) ReadAt(p []byte, off int64) (int, error)   { return f.f.ReadAt(p, off) }
func (f *localFile) Seek(off int64, whence int) (int64, error) { return f.f.Seek(off, whence) }
func (f *localFile) Close() error                              { return f.f.Close() }
func (f *localFile) Stat() (int64, time.Time)                  { return f.size, f.mod }

// ctxReader stops a copy once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
