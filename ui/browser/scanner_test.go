package browser

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// A reader running ahead under a load target hears when the target is lifted (M, tree mode):
// it reads on past the old target to the end of the scan, and its steps from then on ask for
// the larger COUNT, instead of walking the rest of the old target at the paging COUNT.
func TestScanAheadLiftedReadsToTheEnd(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 50_000)
	a := startAhead(context.Background(), time.Minute, f, "", "*", 100, "", 1, 10_000)
	first := <-a.Ch
	a.lift(500)
	keys := len(first.Keys)
	for msg := range a.Ch {
		if msg.err != nil {
			t.Fatal(msg.err)
		}
		keys += len(msg.Keys)
	}
	if keys != 50_000 {
		t.Fatalf("the lifted reader loaded %d keys, want all 50,000 (its old room was 10,000)", keys)
	}
	scans := f.CallsOf("SCAN ")
	small := 0
	for _, s := range scans {
		if strings.HasSuffix(s, " * 100 ") {
			small++
		}
	}
	// The first page and the batches already buffered or being read when lift came
	// (aheadPages + 1) ran at COUNT 100; everything after at COUNT 500.
	if limit := (aheadPages + 2) * ScanBatchKeys / 100; small > limit {
		t.Errorf("%d steps at COUNT 100 after the lift (at most %d expected): %v", small, limit, scans[:small])
	}
	if n := len(scans) - small; n < (50_000-(aheadPages+2)*ScanBatchKeys)/500 {
		t.Errorf("only %d steps at COUNT 500", n)
	}
}
