package bulk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Report says exactly what an operation did, also when it was cancelled or failed half way.
type Report struct {
	Op        string // "delete", "expire", "persist", "export", "import", "copy"
	Selection string

	Matched   int64 // keys the selection (or the file) produced and the operation handled
	Affected  int64 // delete: keys removed; expire/persist: keys whose TTL was changed; export: keys written
	Unchanged int64 // keys handled but left as they were: gone since the scan, another type now, no TTL to remove
	Created   int64 // import, copy: keys that did not exist
	Replaced  int64 // import, copy: keys overwritten (--on-conflict replace)
	Skipped   int64 // import, copy: keys that existed and were left alone; export: keys gone or changed while read
	Expired   int64 // import, copy: keys whose TTL ran out before they could be written
	Failed    int64 // keys the server refused (see Failures)
	// Uncertain counts keys of a batch whose replies were lost (connection broken): they may
	// or may not have been changed. The operation stops at such a batch.
	Uncertain int64
	Failures  []Failure // the first MaxFailures failures, with reasons

	Cancelled bool
	Elapsed   time.Duration
	Bytes     int64 // export: bytes written
}

// MaxFailures is how many failures a Report lists one by one (all are counted).
const MaxFailures = 100

// Failure is one key an operation could not handle.
type Failure struct {
	Key    string
	Reason string
}

// String renders the report's figures on one line, e.g. "delete: 1200 matched, 1200 deleted".
func (r *Report) String() string {
	var parts []string
	add := func(n int64, what string, always bool) {
		if n != 0 || always {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(r.Matched, "matched", true)
	switch r.Op {
	case "delete":
		add(r.Affected, "deleted", true)
	case "expire":
		add(r.Affected, "TTL set", true)
	case "persist":
		add(r.Affected, "TTL removed", true)
	case "export":
		add(r.Affected, "exported", true)
	case "import", "copy":
		add(r.Created, "created", true)
		add(r.Replaced, "replaced", true)
		add(r.Skipped, "skipped (exist)", true)
		add(r.Expired, "expired before written", false)
	}
	if r.Op == "export" {
		add(r.Skipped, "skipped (gone or changed while read)", false)
	} else {
		add(r.Unchanged, "unchanged", false)
	}
	add(r.Failed, "failed", r.Op == "import" || r.Op == "copy")
	add(r.Uncertain, "uncertain (connection lost mid-batch)", false)
	s := r.Op + ": " + strings.Join(parts, ", ")
	if r.Cancelled {
		s += " — cancelled"
	}
	return s
}

// tally is a Report shared by the workers of one operation.
type tally struct {
	mu sync.Mutex
	r  Report
}

func (t *tally) add(f func(r *Report)) {
	t.mu.Lock()
	f(&t.r)
	t.mu.Unlock()
}

func (t *tally) fail(key, reason string) {
	t.mu.Lock()
	t.r.Failed++
	if len(t.r.Failures) < MaxFailures {
		t.r.Failures = append(t.r.Failures, Failure{Key: key, Reason: reason})
	}
	t.mu.Unlock()
}

// finish fills Elapsed and Cancelled and returns the report with err.
func (t *tally) finish(start time.Time, err error) (Report, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.r.Elapsed = time.Since(start)
	t.r.Cancelled = errors.Is(err, ErrCancelled) || errors.Is(err, context.Canceled)
	return t.r, err
}
