package ui

import (
	"github.com/amr-tui/amr-tui/keylists"
	"github.com/amr-tui/amr-tui/ui/browser"
	"github.com/amr-tui/amr-tui/ui/common"

	"strings"

	tea "charm.land/bubbletea/v2"
)

// commandAliases maps every accepted spelling to its command, k9s-style.
var commandAliases = map[string]string{
	"keys": "keys", "key": "keys", "k": "keys", "ls": "keys", "scan": "keys",
	"tree": "tree", "t": "tree",
	"open": "open", "get": "open", "o": "open",
	"db": "db", "select": "db",
	"console": "console", "cli": "console",
	"profiles": "profiles", "profile": "profiles", "p": "profiles",
	"session": "session", "token": "session",
	"info":    "info",
	"analyze": "analyze", "analyse": "analyze", "analysis": "analyze", "memory": "analyze", "mem": "analyze",
	"discover": "discover", "azure": "discover", "find": "discover",
	"theme": "theme",
	"sort":  "sort",
	"fav":   "fav", "favs": "fav", "favourites": "fav", "favorites": "fav",
	"recent": "recent", "history": "recent",
	"help": "help", "h": "help", "?": "help",
	"quit": "quit", "q": "quit", "q!": "quit", "exit": "quit",
}

// commandNames lists the canonical commands (for help and completion).
var commandNames = []string{"keys [pattern] [type]", "tree", "open <key>", "db <n>", "console", "profiles", "session", "info", "analyze [full] [pattern] [type]", "discover", "fav", "recent", "sort name|type|ttl|memory|none [desc]", "theme dark|light", "help", "quit"}

// runCommand executes a `:` command line.
func (a *App) runCommand(line string) tea.Cmd {
	line = a.alias(line)
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return nil
	}
	name, ok := commandAliases[strings.ToLower(fields[0])]
	args := fields[1:]
	if !ok {
		a.c.Flash("unknown command :"+common.Printable(fields[0])+" — try :keys, :tree, :open, :help, :quit", common.FlashWarn)
		return nil
	}
	switch name {
	case "keys":
		pattern, typ := "*", ""
		if len(args) > 0 {
			pattern = args[0]
		}
		if len(args) > 1 {
			t, ok := common.ScanType(args[1])
			if !ok {
				a.c.Flash(common.ScanTypeError(args[1])+"; the list was not changed", common.FlashWarn)
				return nil
			}
			typ = t
		}
		a.screen = screenKeys
		return a.browser.Start(pattern, typ)
	case "tree":
		a.screen = screenKeys
		return a.browser.EnterTree("")
	case "open":
		if len(args) == 0 {
			a.c.Flash(":open needs a key name", common.FlashWarn)
			return nil
		}
		// Exact key: no scan. The viewer asks TYPE first and reports a missing key.
		// The name is typed in its escaped form (common.Escape), like every key name in a prompt.
		k, err := common.Unescape(strings.TrimSpace(strings.TrimPrefix(line, fields[0])))
		if err != nil {
			a.c.Flash(":open: "+err.Error(), common.FlashWarn)
			return nil
		}
		return func() tea.Msg { return common.OpenKeyMsg{Key: k} }
	case "db":
		return a.selectDB(args)
	case "info":
		a.screen = screenInfo
		a.layout()
		return a.info.Load()
	case "analyze":
		a.screen = screenAnalyze
		a.layout()
		return a.startAnalysis(args)
	case "profiles":
		if len(args) == 1 && a.life.opener != nil {
			return a.startOpen(args[0])
		}
		return a.showPicker()
	case "sort":
		by, ok := browser.SortNone, len(args) > 0
		if ok {
			by, ok = browser.ParseSort(strings.ToLower(args[0]))
		}
		if !ok || len(args) > 2 || (len(args) == 2 && args[1] != "desc" && args[1] != "asc") {
			a.c.Flash(":sort name|type|ttl|memory|none [asc|desc]", common.FlashWarn)
			return nil
		}
		a.screen = screenKeys
		if a.browser.Tree != nil {
			a.c.Flash("sorting orders the flat list; in the tree, folders are always in natural order", common.FlashInfo)
			return nil
		}
		return a.browser.SetSort(by, len(args) == 2 && args[1] == "desc")
	case "fav":
		return a.showKeyList(keylists.Favorites)
	case "recent":
		return a.showKeyList(keylists.Recent)
	case "discover":
		return a.openDiscover(len(args) > 0 && args[0] == "again")
	case "console":
		return a.openConsole()
	case "session":
		a.screen = screenSession
		a.life.panelOffset = 0
		a.layout()
		return nil
	case "quit":
		return tea.Quit
	case "help":
		a.openHelp()
		return nil
	case "theme":
		if len(args) == 1 && (args[0] == "dark" || args[0] == "light") {
			a.themeForced = true
			a.setTheme(args[0] == "dark")
			return nil
		}
		a.c.Flash(":theme dark or :theme light", common.FlashWarn)
		return nil
	}
	// Screens that belong to later work: say so plainly rather than pretend.
	a.c.Flash(":"+name+" is not available yet in this build", common.FlashWarn)
	return nil
}
