package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

func historyIn(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "history")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "prod-weu.console")
}

// f marks favourites (a key with an escape byte included: it round-trips), :fav lists them,
// enter opens one without a scan, and opened keys land on :recent.
func TestGoldenFavourites(t *testing.T) {
	hist := historyIn(t)
	store := demoStore()
	store.Set("odd\x1bname", "v")
	o := Options{Store: store, Session: prodSession(), NoColor: true, HistoryPath: hist}
	out := runScreen(t, o, 100, 12,
		settled(t), keys("j", "f"), until(t, "one favourite", func(a *App) bool { return len(a.lists.fav) == 1 }),
		keys(":"), text("open odd\\x1bname"), keys("enter"), until(t, "value", valueShown("odd\x1bname")),
		keys("f"), until(t, "two favourites", func(a *App) bool { return len(a.lists.fav) == 2 && len(a.lists.recent) == 1 }),
		keys("esc", ":"), text("fav"), keys("enter"), until(t, ":fav", func(a *App) bool { return a.keyList != nil }))
	golden.RequireEqual(t, []byte(out))
	b, err := os.ReadFile(strings.TrimSuffix(hist, ".console") + ".favorites")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(b), "\n\"user:1:profile\"\n\"odd\\x1bname\"\n") {
		t.Errorf("favourites file = %q", b)
	}

	// A new run reads them back; enter opens without scanning.
	o = Options{Store: store, Session: prodSession(), NoColor: true, HistoryPath: hist}
	out = runScreen(t, o, 100, 12,
		settled(t), until(t, "lists read", func(a *App) bool { return len(a.lists.fav) == 2 }),
		keys(":"), text("recent"), keys("enter"), until(t, ":recent", func(a *App) bool { return a.keyList != nil && len(a.keyList.keys) == 1 }),
		keys("enter"), until(t, "value", valueShown("odd\x1bname")),
		// Opening it touches the recent list in a Cmd: let that write land before the
		// test's directory is removed.
		until(t, "recent list written", func(a *App) bool { return a.lists.seen >= 2 }))
	if !strings.Contains(ansi.Strip(out), `odd\x1bname`) {
		t.Errorf("recent key not opened:\n%s", out)
	}
}

// tab completes commands and loaded key names; ↑ brings back the last line run.
func TestPromptCompletionAndHistory(t *testing.T) {
	o := Options{Store: demoStore(), Session: prodSession(), NoColor: true}
	runScreen(t, o, 100, 12,
		settled(t), keys(":"), text("op"), keys("tab"), until(t, "command completed", func(a *App) bool { return a.prompt != nil && a.prompt.Value() == "open " }),
		text("sess"), keys("tab"), until(t, "key completed", func(a *App) bool { return a.prompt != nil && a.prompt.Value() == "open session:abc " }),
		keys("esc", ":"), text("keys user:1* h"), keys("tab"), until(t, "type completed", func(a *App) bool { return a.prompt != nil && a.prompt.Value() == "keys user:1* hash " }),
		keys("enter"), until(t, "scan", func(a *App) bool { return a.browser.Scan.Match == "user:1*" }),
		keys(":", "up"), until(t, "history", func(a *App) bool { return a.prompt != nil && a.prompt.Value() == "keys user:1* hash" }),
		keys("down"), until(t, "draft back", func(a *App) bool { return a.prompt != nil && a.prompt.Value() == "" }),
		keys("esc"))
}
