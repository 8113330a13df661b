package bulk

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
)

// Keys of every type — binary names and values, big values needing several windows, TTLs —
// exported and imported into an empty server in both formats come back identical.
// Both ways of sending: go-redis's pipelines, and a session's Pipes (what amr-tui import uses).
func TestExportImportRoundTrip(t *testing.T) {
	for _, f := range []Format{FormatJSONL, FormatDump} {
		for _, via := range []string{"go-redis", "pipe"} {
			t.Run(string(f)+"/"+via, func(t *testing.T) { roundTrip(t, f, via == "pipe") })
		}
	}
}

func roundTrip(t *testing.T, f Format, pipe bool) {
	ctx := context.Background()
	src, dst := startServer(t), startServer(t)
	names := seed(t, src, "rt:", nKeys(3000, 100_000), true)
	var buf bytes.Buffer
	rep, err := Export(ctx, src, Selection{}, &buf, ExportOptions{Format: f})
	must(t, err)
	if rep.Affected != int64(len(names)) || rep.Matched != int64(len(names)) {
		t.Fatalf("export: %s, want %d keys", rep.String(), len(names))
	}
	var o ImportOptions
	var trips, opened atomic.Int64
	if pipe {
		open := pipes(openSession(t, dst), &trips)
		o.Pipe = func() (Pipe, error) { opened.Add(1); return open() }
	}
	irep, err := Import(ctx, dst, opener(buf.Bytes()), o)
	must(t, err)
	if irep.Created != int64(len(names)) || irep.Failed != 0 {
		t.Fatalf("import: %s (%v), want %d created", irep.String(), irep.Failures, len(names))
	}
	if n := dbsize(t, dst); n != int64(len(names)) {
		t.Fatalf("target has %d keys, want %d", n, len(names))
	}
	sameData(t, src, dst, names)
	if pipe && trips.Load() == 0 {
		t.Fatal("nothing was sent on the Pipes")
	}
	// The big values stop the senders (sync) several times; their Pipes are kept.
	if n := opened.Load(); n > senders {
		t.Fatalf("%d Pipes opened for %d senders", n, senders)
	}
}
