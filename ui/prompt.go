package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
)

// completeScanLimit bounds how many loaded keys one tab press looks through for `:open`
// completion, so a press costs the same at 1k and 10M loaded keys.
const completeScanLimit = 200_000

// promptHistory is the `:` prompt's own history: lines run, oldest first, without repeats in a
// row; ↑/↓ walk it. It lives as long as the UI (per run, not written to disk).
type promptHistory struct {
	lines []string
	pos   int    // index in lines while walking; len(lines) when not
	draft string // what was typed before ↑ was first pressed
}

func (h *promptHistory) add(line string) {
	line = strings.TrimSpace(line)
	if line == "" || (len(h.lines) > 0 && h.lines[len(h.lines)-1] == line) {
		h.pos = len(h.lines)
		return
	}
	h.lines = append(h.lines, line)
	if len(h.lines) > 200 {
		h.lines = h.lines[len(h.lines)-200:]
	}
	h.pos = len(h.lines)
}

// walk moves d (-1 older, +1 newer) from current and returns the line to show.
func (h *promptHistory) walk(current string, d int) (string, bool) {
	if len(h.lines) == 0 {
		return "", false
	}
	if h.pos >= len(h.lines) {
		h.pos = len(h.lines)
		if d > 0 {
			return "", false
		}
		h.draft = current
	}
	n := h.pos + d
	switch {
	case n < 0:
		return "", false
	case n >= len(h.lines):
		h.pos = len(h.lines)
		return h.draft, true
	}
	h.pos = n
	return h.lines[n], true
}

// promptKey handles ↑/↓ (history) and tab (completion) on the `:` prompt.
func (a *App) promptKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	switch msg.String() {
	case "up", "down":
		d := -1
		if msg.String() == "down" {
			d = 1
		}
		if line, ok := a.promptHist.walk(a.prompt.Value(), d); ok {
			a.prompt.SetValue(line)
		}
		return nil, true
	case "tab":
		a.complete()
		return nil, true
	}
	return nil, false
}

// complete extends the prompt's last word: a command (and config aliases), a key name after
// `open` (loaded keys, favourites and recent keys), a type after `keys PATTERN`, a profile
// after `profiles`. One candidate is taken whole; several extend to their common prefix and are
// listed in the footer.
func (a *App) complete() {
	line := a.prompt.Value()
	fields := strings.Fields(line)
	trailing := strings.HasSuffix(line, " ")
	word := ""
	if len(fields) > 0 && !trailing {
		word = fields[len(fields)-1]
	}
	argN := len(fields) // index of the word being completed
	if !trailing && argN > 0 {
		argN--
	}
	var cands []string
	if argN == 0 {
		cands = a.commandCandidates()
	} else {
		switch commandAliases[strings.ToLower(fields[0])] {
		case "open":
			word = strings.TrimLeft(strings.TrimPrefix(line, fields[0]), " ")
			cands = a.keyCandidates(word)
		case "keys":
			if argN == 1 {
				cands = a.keyCandidates(word)
			} else if argN == 2 {
				cands = []string{common.TypeString, common.TypeHash, common.TypeList, common.TypeSet, common.TypeZSet, common.TypeStream, common.TypeJSON}
			}
		case "analyze":
			cands = []string{"full"}
		case "theme":
			cands = []string{"dark", "light"}
		case "sort":
			if argN == 1 {
				cands = []string{"name", "type", "ttl", "memory", "none"}
			} else {
				cands = []string{"asc", "desc"}
			}
		case "profiles":
			cands = a.profileCandidates()
		}
	}
	var match []string
	for _, c := range cands {
		if strings.HasPrefix(c, word) && !slices.Contains(match, c) {
			match = append(match, c)
		}
	}
	if len(match) == 0 {
		a.c.Flash("no completion for "+common.Printable(word), common.FlashInfo)
		return
	}
	slices.Sort(match)
	head := strings.TrimSuffix(line, word)
	if len(match) == 1 {
		a.prompt.SetValue(head + match[0] + " ")
		return
	}
	a.prompt.SetValue(head + commonPrefix(match))
	shown := match
	if len(shown) > 12 {
		shown = shown[:12]
	}
	more := ""
	if len(match) > len(shown) {
		more = " …"
	}
	a.c.Flash(strings.Join(shown, "  ")+more, common.FlashInfo)
}

func (a *App) commandCandidates() []string {
	var out []string
	for name := range commandAliases {
		out = append(out, name)
	}
	if a.cfg != nil {
		for name := range a.cfg.Aliases {
			out = append(out, name)
		}
	}
	return out
}

// keyCandidates are key names, escaped as the prompt takes them, that start with prefix.
func (a *App) keyCandidates(prefix string) []string {
	var out []string
	add := func(k string) {
		if e := common.Escape(k); strings.HasPrefix(e, prefix) {
			out = append(out, e)
		}
	}
	for _, k := range a.favKeys() {
		add(k)
	}
	n := min(a.browser.Keys.Len(), completeScanLimit)
	for i := 0; i < n && len(out) < 1000; i++ {
		add(a.browser.Keys.At(i))
	}
	return out
}

func (a *App) profileCandidates() []string {
	if a.life.list == nil {
		return nil
	}
	var out []string
	for _, p := range a.life.list.Profiles {
		out = append(out, p.Name)
	}
	return out
}

func commonPrefix(s []string) string {
	p := s[0]
	for _, x := range s[1:] {
		for !strings.HasPrefix(x, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
