package content

import "syscall"

// lowerThreadPriority raises the nice level of the calling OS thread (the
// goroutine must be locked to it) by n; it can't be lowered again without
// privileges, which is why search workers keep their threads for ever.
func lowerThreadPriority(n int) {
	if n <= 0 {
		return
	}
	tid := syscall.Gettid()
	cur, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return
	}
	// The raw syscall returns 20 - nice.
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(19, 20-cur+n))
}
