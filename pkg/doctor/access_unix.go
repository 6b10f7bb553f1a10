//go:build unix

package doctor

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// writable reports whether the user running doctor may write p, without
// writing it (access(2) with W_OK).
func writable(p string) bool { return syscall.Access(p, 0x2) == nil }

// owner returns who owns a file, as "uid N".
func owner(fi fs.FileInfo) (string, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("uid %d", st.Uid), true
}

func currentUser() string { return fmt.Sprintf("uid %d", os.Geteuid()) }
