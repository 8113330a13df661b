package browser

import (
	"testing"

	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// BenchmarkFilter1M is the background filter pass over a million loaded keys (runs in a Cmd,
// not in Update).
func BenchmarkFilter1M(b *testing.B) {
	s := newKeySet()
	for i := range 1_000_000 {
		s.Add(uitest.BenchKey(i))
	}
	snap := s.Snapshot()
	b.ReportAllocs()
	for b.Loop() {
		_ = filterCmd(1, snap, "9:session", nil, nil)()
	}
}
