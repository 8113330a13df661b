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
		until(t, "name asc", func(a *App) bool { return a.browser.Sort.By == 1 && !a.browser.Sort.Desc && !a.browser.Sorting() && a.browser.KeyAt(0) == "cache:a" }),
		keys("o"), until(t, "name desc", func(a *App) bool { return a.browser.Sort.Desc && !a.browser.Sorting() && a.browser.KeyAt(0) == "item:33" }))
}
