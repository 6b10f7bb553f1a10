//go:build !linux

package content

// lowerThreadPriority does nothing outside Linux: search workers run at
// the server's priority there.
func lowerThreadPriority(int) {}
