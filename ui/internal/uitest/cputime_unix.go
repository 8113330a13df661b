//go:build unix

package uitest

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU time (user + system) the test process has used so far, so benchmarks
// on a loaded machine can report the work they did, not the time they waited for a core.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
