package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// sortStore has names that sort differently by bytes and naturally, sizes and TTLs.
func sortStore() *uitest.FakeStore {
	f := uitest.NewFakeStore()
	for _, n := range []int{10, 2, 1, 33, 9} {
		f.Set("item:"+strconv.Itoa(n), strings.Repeat("x", n*10))
	}
	f.Set("cache:a", []string{"1", "2"})
	f.Ttls["item:9"] = 90 * time.Second
	f.Ttls["item:1"] = 10 * time.Minute
	f.Ttls["cache:a"] = 5 * time.Second
	return f
}

func TestGoldenSort(t *testing.T) {
	sorted := func(a *App) bool { return a.browser.Sort.By != 0 && !a.browser.Sorting() }
	cases := []struct {
		name  string
		line  string
		first []string // the key names top to bottom
	}{
		{"NameNatural", "sort name", []string{"cache:a", "item:1", "item:2", "item:9", "item:10", "item:33"}},
		{"NameDesc", "sort name desc", []string{"item:33", "item:10", "item:9", "item:2", "item:1", "cache:a"}},
		{"MemoryDesc", "sort memory desc", []string{"cache:a", "item:10", "item:33", "item:1", "item:2", "item:9"}}, // the fake store sizes by name length
		{"TTL", "sort ttl", []string{"cache:a", "item:9", "item:1", "item:2"}},
		{"Type", "sort type", []string{"cache:a", "item:1", "item:2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := Options{Store: sortStore(), Session: prodSession(), NoColor: true}
			out := runScreen(t, o, 100, 12, settled(t), keys(":"), text(c.line), keys("enter"), until(t, "sorted", sorted))
			plain := ansi.Strip(out)
			at := 0
			for _, k := range c.first {
				i := strings.Index(plain[at:], " "+k+" ")
				if i < 0 {
					t.Fatalf("%s: %q not in order after %d:\n%s", c.line, k, at, plain)
				}
				at += i + len(k)
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

// o cycles the order, starting with name ascending.
func TestSortKeyCycles(t *testing.T) {
	o := Options{Store: sortStore(), Session: prodSession(), NoColor: true}
	runScreen(t, o, 100, 12, settled(t), keys("o"),
		until(t, "name asc", func(a *App) bool {
			return a.browser.Sort.By == 1 && !a.browser.Sort.Desc && !a.browser.Sorting() && a.browser.KeyAt(0) == "cache:a"
		}),
		keys("o"), until(t, "name desc", func(a *App) bool {
			return a.browser.Sort.Desc && !a.browser.Sorting() && a.browser.KeyAt(0) == "item:33"
		}))
}

// TTLs count down with the clock, and a key whose TTL ran out shows as expired until the next scan.
func TestTTLCountsDownAndExpires(t *testing.T) {
	a, clk := testApp(t, sortStore(), prodSession(), 100, 12)
	drain(t, a, a.Init())
	drain(t, a, a.browser.MetaCmd())
	row := func(k string) string {
		for _, l := range strings.Split(ansi.Strip(a.Render()), "\n") {
			if strings.Contains(l, " "+k+" ") {
				return l
			}
		}
		t.Fatalf("%s not shown:\n%s", k, ansi.Strip(a.Render()))
		return ""
	}
	if r := row("item:9"); !strings.Contains(r, "1m30s") {
		t.Fatalf("item:9 = %q, want 1m30s", r)
	}
	clk.advance(31 * time.Second)
	if r := row("item:9"); !strings.Contains(r, "59s") {
		t.Errorf("after 31s item:9 = %q, want 59s", r)
	}
	clk.advance(2 * time.Minute)
	if r := row("item:9"); !strings.Contains(r, "expired") {
		t.Errorf("after its TTL item:9 = %q, want expired", r)
	}
	if r := row("item:2"); strings.Contains(r, "expired") {
		t.Errorf("a key without TTL expired: %q", r)
	}
}
