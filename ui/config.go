package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/config"
	"github.com/amr-tui/amr-tui/ui/common"
)

// CheckConfig lays c's key bindings over the UI's default key map and checks its theme colours
// against the UI's styles. It returns the bindings in effect and every problem (an unknown
// screen, action or style; a key bound to two actions), each with its line in the file.
// `amr-tui config show` prints the same problems the UI shows when it starts.
func CheckConfig(c *config.Config) (config.Bindings, []config.Problem) {
	b, probs := c.ResolveBindings(common.DefaultKeyMap().Bindings(), common.ScreenGlobal)
	probs = append(probs, c.CheckColors(common.StyleNames())...)
	return b, probs
}

// configMsg carries config.toml as loaded in the background after the first frame.
type configMsg struct {
	cfg *config.Config
	err error
}

// loadConfig reads config.toml off the Update loop.
func loadConfig(path string) tea.Cmd {
	if path == "" {
		return nil
	}
	return func() tea.Msg {
		c, err := config.Load(path)
		return configMsg{cfg: c, err: err}
	}
}

// applyConfig puts the settings in effect: key bindings, theme, scan sizes, tree delimiters,
// list columns and aliases. A file that does not load leaves the defaults and says why; problems
// the UI finds (unknown actions, conflicts) are reported and the rest still applies.
func (a *App) applyConfig(msg configMsg) {
	if msg.err != nil {
		a.c.Flash("config: "+firstLine(msg.err.Error())+" — defaults in use; `amr-tui config show` lists every problem", common.FlashError)
		return
	}
	c := msg.cfg
	a.cfg = c
	bindings, probs := CheckConfig(c)
	a.c.Keys.Rebind(bindings)
	if c.Theme.Base == config.BaseDark || c.Theme.Base == config.BaseLight {
		a.themeForced = true
	}
	a.setTheme(a.c.Styles.Dark)
	if c.Theme.Base == config.BaseDark || c.Theme.Base == config.BaseLight {
		a.setTheme(c.Theme.Base == config.BaseDark)
	}
	if c.Line("scan.count") > 0 {
		a.browser.Scan.Count = int64(c.ScanCount)
	}
	if c.Line("scan.load_batch") > 0 {
		a.browser.Batch = c.LoadBatch
	}
	if c.Line("tree.delimiters") > 0 && len(a.state.TreeDelimiters) == 0 {
		a.c.TreeDelimiters = c.TreeDelimiters
	}
	all := append(append([]config.Problem(nil), c.Warnings...), probs...)
	if len(all) > 0 {
		p := all[0]
		more := ""
		if len(all) > 1 {
			more = " (and " + strconv.Itoa(len(all)-1) + " more: `amr-tui config show`)"
		}
		a.c.Flash("config.toml:"+strconv.Itoa(p.Line)+": "+p.Field+": "+p.Msg+more, common.FlashWarn)
	}
}

// alias expands a `:` command line through config.toml's [aliases].
func (a *App) alias(line string) string {
	if a.cfg == nil || len(a.cfg.Aliases) == 0 {
		return line
	}
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return line
	}
	exp, ok := a.cfg.Aliases[fields[0]]
	if !ok {
		return line
	}
	return exp + strings.TrimPrefix(strings.TrimSpace(line), fields[0])
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
