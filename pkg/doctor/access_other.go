//go:build !unix

package doctor

import "io/fs"

// writable cannot be told without writing on this system; doctor assumes yes.
func writable(string) bool { return true }

// owner is not known on this system.
func owner(fs.FileInfo) (string, bool) { return "", false }

func currentUser() string { return "this user" }
