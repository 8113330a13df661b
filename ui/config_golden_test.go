package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// writeConfig writes a config.toml for one test and returns its path.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func configLoaded(a *App) bool { return a.cfg != nil }

// A key rebound in config.toml works, the old key no longer does, and the help overlay shows the
// key in effect.
func TestGoldenConfig(t *testing.T) {
	rebound := func() Options {
		return Options{Store: demoStore(), Session: prodSession(), NoColor: true,
			ConfigPath: writeConfig(t, "[keys.browser]\ntree = \"T\"\nfilter = [\"f3\", \"/\"]\n[aliases]\nu = \"keys user:*\"\n")}
	}
	cases := []struct {
		name  string
		opts  func() Options
		w, h  int
		steps func(t *testing.T) []screenStep
		check func(t *testing.T, out string)
	}{
		{"ReboundKeyWorks", rebound, 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), until(t, "config", configLoaded), keys("t"), settled(t),
				until(t, "t no longer toggles the tree", func(a *App) bool { return a.browser.Tree == nil }),
				keys("T"), until(t, "tree", treeDone)}
		}, func(t *testing.T, out string) {
			if !strings.Contains(out, "T tree/flat") && !strings.Contains(out, "T  tree") {
				t.Errorf("footer does not show the rebound key:\n%s", out)
			}
		}},
		{"HelpShowsRebind", rebound, 100, 40, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), until(t, "config", configLoaded), keys("?"), until(t, "help", func(a *App) bool { return a.helpView != nil })}
		}, func(t *testing.T, out string) {
			for _, want := range []string{"This screen: key browser", "T                     tree/flat", "f3 /", "Everywhere"} {
				if !strings.Contains(out, want) {
					t.Errorf("help lacks %q:\n%s", want, out)
				}
			}
		}},
		{"HelpSearch", rebound, 100, 16, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), until(t, "config", configLoaded), keys("?", "/"), text("scan"), keys("enter"),
				until(t, "searched", func(a *App) bool { return a.helpView != nil && a.helpView.query == "scan" })}
		}, func(t *testing.T, out string) {
			if strings.Contains(out, "tree/flat") || !strings.Contains(out, "scan pattern") {
				t.Errorf("search did not narrow the help:\n%s", out)
			}
		}},
		{"Alias", rebound, 100, 12, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), until(t, "config", configLoaded), keys(":"), text("u"), keys("enter"),
				until(t, "scan of user:*", func(a *App) bool { return a.browser.Scan.Match == "user:*" && a.browser.Scan.Done })}
		}, nil},
		{"ConflictReported", func() Options {
			return Options{Store: demoStore(), Session: prodSession(), NoColor: true,
				ConfigPath: writeConfig(t, "[keys.browser]\ndelete = \"t\"\n")}
		}, 120, 8, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), until(t, "config", configLoaded)}
		}, func(t *testing.T, out string) {
			if !strings.Contains(out, `config.toml:2: keys.browser.delete: key "t" is bound to both`) {
				t.Errorf("conflict not reported in the footer:\n%s", out)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runScreen(t, c.opts(), c.w, c.h, c.steps(t)...)
			if c.check != nil {
				c.check(t, ansi.Strip(out))
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

// q on a detail screen goes back to the key list instead of quitting.
func TestQuitKeyGoesBackFromDetail(t *testing.T) {
	out := runScreen(t, Options{Store: demoStore(), Session: prodSession(), NoColor: true}, 100, 12,
		settled(t), keys(":"), text("open tags"), keys("enter"), until(t, "value", valueShown("tags")),
		keys("q"), until(t, "back on the list", func(a *App) bool { return a.screen == screenKeys }),
		keys(":"), text("info"), keys("enter"), until(t, "info", func(a *App) bool { return a.screen == screenInfo }),
		keys("q"), until(t, "back from info", func(a *App) bool { return a.screen == screenKeys }))
	if !strings.Contains(out, "loaded 18 of 18") {
		t.Fatalf("not on the key list:\n%s", out)
	}
}
