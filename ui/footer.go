package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

func widthOf(s string) int { return ansi.StringWidth(s) }

// footerHeight is the footer's height: the flash/status line plus the help lines.
func footerHeight(h *help.Model, keys helpKeys) int {
	if h.ShowAll && len(keys.full) > 0 {
		rows := 0
		for _, col := range keys.full {
			rows = max(rows, len(col))
		}
		return 1 + rows
	}
	return 2
}

// footerView renders the flash line and the key help.
func footerView(c *Common, h *help.Model, keys helpKeys, w int) string {
	s := c.Styles
	line := ""
	if f := c.flashMsg; f.text != "" && c.Now().Sub(f.at) < flashTTL {
		st := s.FlashInfo
		switch f.level {
		case FlashWarn:
			st = s.FlashWarn
		case FlashError:
			st = s.FlashError
		}
		line = st.Render(fit(f.text, w))
	}
	return line + "\n" + helpView(c, h, keys, w)
}

// helpView renders the key help, memoized: bubbles/help measures and styles every binding on
// each call, which made it most of the cost of a frame, and Bubble Tea renders a frame after
// every message (each SCAN page). The memo is keyed by everything the text depends on.
func helpView(c *Common, h *help.Model, keys helpKeys, w int) string {
	full := h.ShowAll && len(keys.full) > 0
	var sig strings.Builder
	bindings := [][]key.Binding{keys.short}
	if full {
		bindings = keys.full
	}
	for _, col := range bindings {
		for _, b := range col {
			if b.Enabled() {
				sig.WriteString(b.Help().Key)
				sig.WriteByte(0)
				sig.WriteString(b.Help().Desc)
				sig.WriteByte(0)
			}
		}
		sig.WriteByte(1)
	}
	m := &c.helpMemo
	if m.out != "" && m.w == w && m.full == full && m.styles == c.Styles && m.sig == sig.String() {
		return m.out
	}
	var hv string
	if full {
		hv = h.FullHelpView(keys.full)
	} else {
		hv = h.ShortHelpView(keys.short)
	}
	// bubbles/help overruns the width when not even its ellipsis fits; cut every line.
	hl := strings.Split(hv, "\n")
	for i, l := range hl {
		if widthOf(l) > w {
			hl[i] = ansi.Truncate(l, w, "")
		}
	}
	*m = helpMemo{sig: sig.String(), w: w, full: full, styles: c.Styles, out: strings.Join(hl, "\n")}
	return m.out
}

// helpMemo is the last rendered key help and what it was rendered for.
type helpMemo struct {
	sig    string
	w      int
	full   bool
	styles *Styles // a theme change rebuilds Styles (and the help styles with it)
	out    string
}
