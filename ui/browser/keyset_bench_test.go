package browser

import (
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// BenchmarkKeySetAdd measures keySet.add alone, the browser's per-key cost during a scan, over
// a million distinct keys: as they arrive without a known size ("distinct"), after reserve
// from DBSIZE ("reserved"), and with 30% more adds repeating earlier keys, as SCAN does during
// a rehash ("dup30"). It reports the time per add and the Go heap the set retains per
// distinct key (names included; uitest.BenchKey names are about 24 bytes). cpu-ns/add is the process
// CPU time per add (GC included), steadier than ns/add when the machine is loaded.
func BenchmarkKeySetAdd(b *testing.B) {
	const n = 1_000_000
	distinct := make([]string, n)
	for i := range distinct {
		distinct[i] = uitest.BenchKey(i)
	}
	// dup30: every key once, in order, plus 300k repeats of keys seen shortly before.
	rng := rand.New(rand.NewPCG(1, 2))
	dup30 := make([]string, 0, n*13/10)
	for i, k := range distinct {
		dup30 = append(dup30, k)
		if rng.IntN(10) < 3 {
			dup30 = append(dup30, distinct[max(0, i-rng.IntN(5000))])
		}
	}
	for _, c := range []struct {
		name    string
		keys    []string
		reserve bool
	}{
		{"distinct", distinct, false},
		{"reserved", distinct, true},
		{"dup30", dup30, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			var heap float64
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				b.StartTimer()
				cpu0 := uitest.ProcessCPU()
				s := newKeySet()
				if c.reserve {
					s.Reserve(n)
				}
				for _, k := range c.keys {
					s.Add(k)
				}
				cpu += uitest.ProcessCPU() - cpu0
				b.StopTimer()
				if s.Len() != n {
					b.Fatalf("loaded %d keys, want %d", s.Len(), n)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = float64(after.HeapAlloc) - float64(before.HeapAlloc)
				runtime.KeepAlive(s)
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(c.keys)), "ns/add")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(len(c.keys)), "cpu-ns/add")
			b.ReportMetric(heap/n, "heap-B/key")
		})
	}
}

// BenchmarkKeySetAddPages is the browser's per-page insert at 5M keys (key:N, reserved from
// DBSIZE, pages of ScanBatchKeys): one Add per key against AddAll, which reads the home slots
// of a page first. It reports the time per key.
func BenchmarkKeySetAddPages(b *testing.B) {
	const n = 5_000_000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "key:" + strconv.Itoa(i)
	}
	for _, batch := range []bool{false, true} {
		name := "Add"
		if batch {
			name = "AddAll"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				s := newKeySet()
				s.Reserve(n)
				for lo := 0; lo < n; lo += ScanBatchKeys {
					page := keys[lo:min(n, lo+ScanBatchKeys)]
					if batch {
						s.AddAll(page)
						continue
					}
					for _, k := range page {
						s.Add(k)
					}
				}
				if s.Len() != n {
					b.Fatalf("loaded %d keys, want %d", s.Len(), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/key")
		})
	}
}
