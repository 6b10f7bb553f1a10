//go:build unix

package backup_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/folio-cms/folio/pkg/backup"
)

// TestRestoreAsRootKeepsTheDataDirsOwner restores, as root, into a data
// dir that belongs to another user: every restored file must belong to
// that user too, or folio (running as that user) could not write them.
// Not being root, it checks that the files are ours.
func TestRestoreAsRootKeepsTheDataDirsOwner(t *testing.T) {
	good, _ := goodArchive(t)
	dir := t.TempDir()
	want := os.Geteuid()
	if want == 0 {
		want = 4321
		if err := os.Chown(dir, want, want); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: good, DataDir: dir}); err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		fi, _ := d.Info()
		if uid := int(fi.Sys().(*syscall.Stat_t).Uid); uid != want {
			t.Errorf("%s belongs to uid %d, want %d", p, uid, want)
		}
		n++
		return nil
	})
	if n < 5 {
		t.Errorf("only %d files restored", n)
	}
}
