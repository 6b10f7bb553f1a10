// Package backup writes and restores Folio backups: one .tar.gz holding a
// manifest, a consistent snapshot of the database, the JWT secret and the
// media files the snapshot refers to, each checked by its SHA-256.
//
// The archive's entries, in order:
//
//	manifest.json   what the backup holds: format, versions, counts, and
//	                every other file with its size and SHA-256
//	folio.db        the database as it was at one instant (VACUUM INTO)
//	jwt_secret      the generated JWT secret, when there is one
//	media/<key>     originals and variants, by their storage keys
//
// Nothing else is backed up: not <data>/tmp (uploads in progress), not the
// database's -wal and -shm files (the snapshot is self-contained), and not
// files under <data>/media that no media item names (`folio doctor` lists
// those).
package backup

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/store"
)

// FormatVersion is the version of the archive layout this package writes
// and the newest it reads.
const FormatVersion = 1

// Names inside an archive, and inside a data dir.
const (
	ManifestName = "manifest.json"
	DatabaseName = store.FileName
	SecretName   = auth.SecretFile
	MediaDir     = "media"
)

// Manifest describes a backup. It is the archive's first entry.
type Manifest struct {
	Format        int       `json:"format"`
	FolioVersion  string    `json:"folio_version"`
	SchemaVersion int       `json:"schema_version"`
	CreatedAt     time.Time `json:"created_at"`
	Counts        Counts    `json:"counts"`
	// Files lists every entry after the manifest, in archive order.
	Files []File `json:"files"`
	// MissingMedia lists the storage keys of files the database refers to
	// that were not in the data dir when the backup was taken.
	MissingMedia []string `json:"missing_media,omitempty"`
	// Warnings says what else was not as it should be.
	Warnings []string `json:"warnings,omitempty"`
}

// File is one file of a backup.
type File struct {
	Path   string `json:"path"` // slash path inside the archive and the data dir
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lowercase hex
}

// Counts is how many records the backed-up database holds.
type Counts struct {
	Tables  map[string]int64            `json:"tables"`  // rows by table
	Entries map[string]map[string]int64 `json:"entries"` // by type, then status ("trashed" for the trash)
	Media   map[string]int64            `json:"media"`   // by type (image, document)
}

func countsOf(c store.Counts) Counts {
	return Counts{Tables: c.Tables, Entries: c.Entries, Media: c.Media}
}

// HasSecret reports whether the backup holds the JWT secret.
func (m *Manifest) HasSecret() bool {
	return slices.ContainsFunc(m.Files, func(f File) bool { return f.Path == SecretName })
}

// MediaFiles returns how many media files the backup holds and their bytes.
func (m *Manifest) MediaFiles() (n int, bytes int64) {
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, MediaDir+"/") {
			n++
			bytes += f.Size
		}
	}
	return n, bytes
}

// Size returns the bytes of all the backup's files (uncompressed).
func (m *Manifest) Size() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}

// checkPath accepts the names a backup may hold: the database, the secret,
// and media/<key> where key is a clean relative slash path. Everything else
// (absolute paths, "..", backslashes, empty or dot segments, media's
// temporary files) is refused.
func checkPath(name string) error {
	switch name {
	case DatabaseName, SecretName:
		return nil
	}
	key, ok := strings.CutPrefix(name, MediaDir+"/")
	bad := !ok || key == "" || strings.ContainsAny(name, "\\\x00") || path.Clean(name) != name
	if !bad {
		for seg := range strings.SplitSeq(key, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".") {
				bad = true
				break
			}
		}
	}
	if bad {
		return fmt.Errorf("unsafe or unknown path %q in the archive", name)
	}
	return nil
}
