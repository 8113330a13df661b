package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
)

// helpOverlay is the full-screen help overlay `?` opens: the current screen's keys first, then
// the global ones, read from the live key map so rebinds show; `/` searches it.
type helpOverlay struct {
	title  string
	rows   []helpRow
	offset int
	search *common.LineInput // non-nil while typing a search
	query  string
}

// helpRow is one line: a section heading (head) or a key and what it does.
type helpRow struct {
	head      string
	keys, say string
}

// screenName is what the help overlay calls the current screen.
func (a *App) screenName() string {
	switch a.screen {
	case screenValue:
		return "value viewer"
	case screenSession:
		return "session panel"
	case screenInfo:
		return "server info"
	case screenConsole:
		return "console"
	case screenAnalyze:
		return "memory analysis"
	case screenDiscover:
		return "Azure discovery"
	}
	if a.browser.Tree != nil {
		return "key tree"
	}
	return "key browser"
}

// openHelp builds the overlay from the screen's help and the global actions.
func (a *App) openHelp() {
	k := a.c.Keys
	global := map[*key.Binding]bool{}
	var globals []key.Binding
	for _, act := range k.Actions() {
		if act.Screen == common.ScreenGlobal && act.Name != "up" && act.Name != "down" &&
			!strings.HasPrefix(act.Name, "page_") && act.Name != "top" && act.Name != "bottom" && act.Name != "open" && act.Name != "back" {
			global[act.Binding] = true
			globals = append(globals, *act.Binding)
		}
	}
	isGlobal := func(b key.Binding) bool {
		for g := range global {
			if strings.Join(g.Keys(), " ") == strings.Join(b.Keys(), " ") && g.Help() == b.Help() {
				return true
			}
		}
		return false
	}
	hv := &helpOverlay{title: a.screenName()}
	hv.rows = append(hv.rows, helpRow{head: "This screen: " + hv.title})
	seen := map[string]bool{}
	keys := a.helpKeys()
	groups := keys.Full
	if len(groups) == 0 {
		groups = [][]key.Binding{keys.Short}
	}
	for _, g := range groups {
		for _, b := range g {
			if !b.Enabled() || b.Help().Key == "" || isGlobal(b) {
				continue
			}
			id := b.Help().Key + "\x00" + b.Help().Desc
			if seen[id] {
				continue
			}
			seen[id] = true
			hv.rows = append(hv.rows, helpRow{keys: allKeys(b), say: b.Help().Desc})
		}
	}
	if a.screen == screenKeys || a.screen == screenValue {
		hv.rows = append(hv.rows, helpRow{keys: allKeys(k.Favourite), say: k.Favourite.Help().Desc + " (:fav lists them, :recent the keys opened lately)"})
	}
	if a.screen != screenKeys {
		hv.rows = append(hv.rows, helpRow{keys: allKeys(k.Quit), say: "back (as esc); quit with :q or ctrl+c"})
	}
	hv.rows = append(hv.rows, helpRow{head: "Everywhere"})
	for _, b := range globals {
		say := b.Help().Desc
		if b.Help().Desc == "quit" && a.screen != screenKeys && strings.Join(b.Keys(), " ") == strings.Join(k.Quit.Keys(), " ") {
			say = "quit (from the key list; elsewhere back)"
		}
		hv.rows = append(hv.rows, helpRow{keys: allKeys(b), say: say})
	}
	hv.rows = append(hv.rows, helpRow{head: "Commands (:)"})
	for _, c := range commandNames {
		hv.rows = append(hv.rows, helpRow{keys: ":" + strings.Fields(c)[0], say: c})
	}
	hv.rows = append(hv.rows, helpRow{keys: "config.toml", say: "rebind any action: [keys.SCREEN] ACTION = \"key\" (amr-tui config edit)"})
	a.helpView = hv
}

// allKeys lists every key of a binding as the user presses it.
func allKeys(b key.Binding) string {
	ks := make([]string, 0, len(b.Keys()))
	for _, s := range b.Keys() {
		switch s {
		case " ":
			s = "space"
		}
		ks = append(ks, s)
	}
	return strings.Join(ks, " ")
}

// visible is the rows matching the search (a heading stays when one of its rows matches).
func (hv *helpOverlay) visible() []helpRow {
	q := strings.ToLower(hv.query)
	if hv.search != nil {
		q = strings.ToLower(hv.search.Value())
	}
	if q == "" {
		return hv.rows
	}
	var out []helpRow
	var head *helpRow
	for i := range hv.rows {
		r := hv.rows[i]
		if r.head != "" {
			head = &hv.rows[i]
			continue
		}
		if strings.Contains(strings.ToLower(r.keys+" "+r.say), q) {
			if head != nil {
				out = append(out, *head)
				head = nil
			}
			out = append(out, r)
		}
	}
	return out
}

// helpKey handles a key while the overlay is open.
func (a *App) helpKey(msg tea.KeyPressMsg) tea.Cmd {
	hv, k := a.helpView, a.c.Keys
	if hv.search != nil {
		switch msg.String() {
		case "enter":
			hv.query, hv.search = hv.search.Value(), nil
		case "esc":
			hv.search = nil
		default:
			cmd, _ := hv.search.Update(msg)
			hv.offset = 0
			return cmd
		}
		return nil
	}
	n := len(hv.visible())
	page := max(1, a.c.BodyHeight()-2)
	switch {
	case msg.String() == "/":
		hv.search = common.NewLineInput(a.c, common.InputFilter, "/", hv.query)
	case key.Matches(msg, k.Back), key.Matches(msg, k.Help), key.Matches(msg, k.Quit):
		if hv.query != "" && key.Matches(msg, k.Back) && msg.String() == "esc" {
			hv.query = ""
			return nil
		}
		a.helpView = nil
	case key.Matches(msg, k.Down):
		hv.offset++
	case key.Matches(msg, k.Up):
		hv.offset--
	case key.Matches(msg, k.PageDown):
		hv.offset += page
	case key.Matches(msg, k.PageUp):
		hv.offset -= page
	case key.Matches(msg, k.Top):
		hv.offset = 0
	case key.Matches(msg, k.Bottom):
		hv.offset = n
	}
	hv.offset = max(0, min(hv.offset, n-page))
	return nil
}

// View draws the overlay in w×h.
func (hv *helpOverlay) View(c *common.Common, w, h int) string {
	st := c.Styles
	rows := hv.visible()
	keyW := 8
	for _, r := range rows {
		if r.head == "" {
			keyW = max(keyW, min(common.WidthOf(common.Printable(r.keys)), 24))
		}
	}
	var sb strings.Builder
	title := "Help — " + hv.title
	if hv.query != "" {
		title += " · search: " + common.Printable(hv.query)
	}
	sb.WriteString(st.Title.Render(common.Fit(title, w)))
	lines := 1
	body := h - 2
	for i := hv.offset; i < len(rows) && lines-1 < body; i++ {
		sb.WriteByte('\n')
		r := rows[i]
		if r.head != "" {
			sb.WriteString(st.Header.Render(common.Fit(r.head, w)))
		} else {
			k := common.Fit(common.Printable(r.keys), keyW)
			sb.WriteString(common.Fit("  "+st.Prompt.Render(k)+"  "+r.say, w))
		}
		lines++
	}
	if len(rows) == 0 {
		sb.WriteByte('\n')
		sb.WriteString(st.Dim.Render("no key or command matches"))
		lines++
	}
	for ; lines < h-1; lines++ {
		sb.WriteByte('\n')
	}
	sb.WriteByte('\n')
	if hv.search != nil {
		sb.WriteString(hv.search.View(w))
	} else {
		sb.WriteString(st.Dim.Render(common.Fit("/ search · ↑/↓ scroll · esc/?/q close", w)))
	}
	return sb.String()
}
