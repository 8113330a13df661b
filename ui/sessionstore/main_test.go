package sessionstore

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// keepTB defers Cleanup to process exit so a shared server survives sub-benchmarks.
type keepTB struct{ *testing.B }

var cleanups struct {
	mu sync.Mutex
	fs []func()
}

func (k *keepTB) Cleanup(f func()) {
	cleanups.mu.Lock()
	cleanups.fs = append(cleanups.fs, f)
	cleanups.mu.Unlock()
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range cleanups.fs {
		f()
	}
	if code == 0 {
		// No adapter or session goroutine may outlive its test. go-redis redials in the
		// background after a failed dial and notices a closed pool only when its sleep ends.
		if err := goleak.Find(goleak.IgnoreAnyFunction("github.com/redis/go-redis/v9/internal/pool.(*ConnPool).tryDial")); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}
