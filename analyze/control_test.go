package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// A paced run can be paused (no key is examined while paused), resumed and cancelled; the
// cancelled run's report covers the keys examined so far, extrapolated and marked cancelled.
func TestPauseResumeCancel(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	c := client(t, srv.Addr, 0)
	p := newPipe(t, c)
	const n = 20000
	for i := range n {
		p.do("SET", fmt.Sprintf("k:%d", i), strings.Repeat("v", i%100))
	}
	p.flush()
	ctx := testCtx(t)
	// 2,000 commands/s is about 500 keys/s: the run lasts ~40 s unless cancelled.
	r, err := Start(ctx, c, Options{Mode: Full, Rate: 2000})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "some keys examined", func() bool { return r.Progress().Examined > 0 })
	r.Pause()
	time.Sleep(300 * time.Millisecond) // batches in flight finish
	before := r.Progress()
	time.Sleep(500 * time.Millisecond)
	after := r.Progress()
	if !after.Paused || after.Examined != before.Examined {
		t.Fatalf("paused run went on: %d then %d keys (paused %v)", before.Examined, after.Examined, after.Paused)
	}
	if after.Elapsed-before.Elapsed > 50*time.Millisecond {
		t.Errorf("elapsed time grew by %v while paused", after.Elapsed-before.Elapsed)
	}
	r.Resume()
	waitFor(t, "progress after resume", func() bool { return r.Progress().Examined > after.Examined })
	pr := r.Progress()
	if pr.Paused || pr.KeysPerSec <= 0 || pr.ETA <= 0 || pr.Total != n || pr.Fraction() <= 0 || pr.Fraction() >= 1 {
		t.Errorf("progress while running: %+v", pr)
	}
	r.Cancel()
	select {
	case <-r.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("cancel did not end the run")
	}
	rep, err := r.Result()
	if err != nil {
		t.Fatalf("a cancelled run is not an error: %v", err)
	}
	if !rep.Cancelled || rep.Complete || rep.Keys.Exact || rep.Keyspace.Examined >= n || rep.Keyspace.Examined == 0 {
		t.Fatalf("cancelled report: cancelled %v complete %v keys %+v examined %d", rep.Cancelled, rep.Complete, rep.Keys, rep.Keyspace.Examined)
	}
	if rep.Keys.Value != n { // every key matches: the count extrapolates exactly
		t.Errorf("cancelled report estimates %+v keys, want %d", rep.Keys, n)
	}
	if !strings.Contains(rep.Sampling, "stopped after") {
		t.Errorf("sampling note %q does not say the run stopped", rep.Sampling)
	}
	if !r.Progress().Finished {
		t.Error("progress of an ended run is not finished")
	}
}

// The rate cap holds: a run capped at 3,000 commands/s sends no more than that (plus one
// batch of burst) per second.
func TestRateCap(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	c := client(t, srv.Addr, 0)
	p := newPipe(t, c)
	for i := range 3000 {
		p.do("SET", fmt.Sprintf("k:%d", i), i)
	}
	p.flush()
	counter := &countHook{}
	c.AddHook(counter)
	t0 := time.Now()
	if _, err := Analyze(testCtx(t), c, Options{Mode: Full, Rate: 3000}); err != nil {
		t.Fatal(err)
	}
	d := time.Since(t0).Seconds()
	sent := counter.n.Load()
	if allowed := 3000*d + 300 + 10; float64(sent) > allowed {
		t.Errorf("%d commands in %.2f s: more than the cap allows (%.0f)", sent, d, allowed)
	}
	if d < 2 { // 3,000 keys × ~4 commands at 3,000/s
		t.Errorf("the capped run took only %.2f s for %d commands", d, sent)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
