package ui

import (
	"github.com/amr-tui/amr-tui/ui/browser"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
)

// loadedApp returns an App whose browser holds n loaded keys and metadata for the visible
// rows, as after a finished scan, at 160×50.
func loadedApp(b testing.TB, n int) *App {
	a, _ := testApp(b, uitest.NewFakeStore(), nil, 160, 50, func(o *Options) { o.NoColor = false })
	br := a.browser
	br.Scan.Done = true
	for i := range n {
		br.Keys.Add(uitest.BenchKey(i))
	}
	br.DBSize = int64(n)
	br.Move(n/2, a.c.BodyHeight()) // middle of the list
	for i := br.Offset; i < min(n, br.Offset+50); i++ {
		br.Meta[br.KeyAt(i)] = common.KeyMeta{Type: common.TypeHash, TTL: 90 * time.Minute, Memory: 1234}
	}
	return a
}

// BenchmarkBrowserView measures one full frame (View) with the cursor moving, at 1k, 100k and
// 1M loaded keys. The cost must not depend on the number of keys.
func BenchmarkBrowserView(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		a := loadedApp(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			h := a.c.BodyHeight()
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					a.browser.Move(a.browser.Cursor+1, h)
				} else {
					a.browser.Move(a.browser.Cursor-1, h)
				}
				_ = a.View()
			}
		})
	}
}

// BenchmarkBrowserViewFiltered is the same frame with a client-side filter applied.
func BenchmarkBrowserViewFiltered(b *testing.B) {
	a := loadedApp(b, 1_000_000)
	br := a.browser
	br.Filter = browser.FilterState{Query: "9:session", Gen: 1}
	br.Filter.CatchUp(br.Keys)
	b.ReportAllocs()
	for b.Loop() {
		_ = a.View()
	}
}

// BenchmarkKeySetMemory loads 1M keys into a fresh browser the way a scan does (1,000-key
// pages through OnScanPage) and reports the Go heap per key, the part of it beyond the key
// bytes themselves, and the process RSS afterwards. Run it alone (-benchtime 1x) so RSS is
// not inflated by other benchmarks.
func BenchmarkKeySetMemory(b *testing.B) {
	const n = 1_000_000
	for b.Loop() {
		runtime.GC()
		debug.FreeOSMemory()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		a, _ := testApp(b, uitest.NewFakeStore(), nil, 160, 50, func(o *Options) { o.LoadBatch = n })
		br := a.browser
		br.Scan = browser.Scanner{Gen: 7, Match: "*", Count: 1000, Target: n}
		page := make([]string, 1000)
		keyBytes := 0
		for i := 0; i < n; i += len(page) {
			for j := range page {
				page[j] = uitest.BenchKey(i + j)
				keyBytes += len(page[j])
			}
			br.Scan.InFlight = true
			br.OnScanPage(browser.ScanPageMsg{Gen: 7, Keys: page, Next: "1"})
		}
		clear(page)
		runtime.GC()
		debug.FreeOSMemory()
		runtime.ReadMemStats(&after)
		heap := float64(after.HeapAlloc) - float64(before.HeapAlloc)
		b.ReportMetric(heap/n, "heap-B/key")
		b.ReportMetric((heap-float64(keyBytes))/n, "overhead-B/key")
		b.ReportMetric(float64(keyBytes)/n, "name-B/key")
		b.ReportMetric(rssMB(), "RSS-MB")
		if br.Keys.Len() != n {
			b.Fatalf("loaded %d", br.Keys.Len())
		}
		runtime.KeepAlive(a)
	}
}

// rssMB reads VmRSS from /proc (Linux); 0 elsewhere.
func rssMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkScanIngest is Update's share of a 1,000-key SCAN page (dedup + store + filter
// catch-up), the work done per page while a big keyspace loads.
func BenchmarkScanIngest(b *testing.B) {
	a, _ := testApp(b, uitest.NewFakeStore(), nil, 160, 50)
	page := make([]string, 1000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		for j := range page {
			page[j] = uitest.BenchKey(i)
			i++
		}
		a.browser.Scan.InFlight = true
		a.browser.Scan.Gen = 7
		a.browser.Scan.Done = false
		a.browser.OnScanPage(browser.ScanPageMsg{Gen: 7, Keys: page, Next: "1"})
	}
}

// BenchmarkBrowserViewPageDown renders a fresh window every frame (page down): no cached
// rows, the worst case for a frame.
func BenchmarkBrowserViewPageDown(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		a := loadedApp(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			h := a.c.BodyHeight()
			rows := a.browser.RowsHeight(h)
			for b.Loop() {
				next := a.browser.Cursor + rows
				if next >= n {
					next = 0
				}
				a.browser.Move(next, h)
				_ = a.View()
			}
		})
	}
}
