package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// footerHeight is the footer's height: the flash/status line plus the help lines.
func footerHeight(h *help.Model, keys common.HelpKeys) int {
	if h.ShowAll && len(keys.Full) > 0 {
		rows := 0
		for _, col := range keys.Full {
			rows = max(rows, len(col))
		}
		return 1 + rows
	}
	return 2
}

// footerView renders the flash line and the key help.
func footerView(c *common.Common, h *help.Model, keys common.HelpKeys, w int) string {
	s := c.Styles
	line := ""
	if f := c.FlashMsg; f.Text != "" && c.Now().Sub(f.At) < common.FlashTTL {
		st := s.FlashInfo
		switch f.Level {
		case common.FlashWarn:
			st = s.FlashWarn
		case common.FlashError:
			st = s.FlashError
		}
		if common.WidthOf(f.Text) > w && w > 0 {
			// A long message (an error with its cause) wraps over the help lines below it
			// while it shows, instead of being cut at the edge.
			helpLines := strings.Split(helpView(c, h, keys, w), "\n")
			wrapped := wrapFlash(f.Text, w, 1+len(helpLines))
			for i := range wrapped {
				wrapped[i] = st.Render(wrapped[i])
			}
			if n := len(wrapped) - 1; n > 0 {
				return strings.Join(append(wrapped, helpLines[n:]...), "\n")
			}
		}
		line = st.Render(common.Fit(f.Text, w))
	}
	return line + "\n" + helpView(c, h, keys, w)
}

// wrapFlash breaks text into at most most lines of width w, at spaces where it can; the last
// line ends with "…" when even that is not enough.
func wrapFlash(text string, w, most int) []string {
	lines := strings.Split(ansi.Wrap(text, w, ""), "\n")
	if len(lines) > most {
		lines[most-1] = strings.Join(lines[most-1:], " ") // Fit below cuts it with "…"
		lines = lines[:most]
	}
	for i, l := range lines {
		lines[i] = common.Fit(l, w)
	}
	return lines
}

// helpView renders the key help, memoized: bubbles/help measures and styles every binding on
// each call, which made it most of the cost of a frame, and Bubble Tea renders a frame after
// every message (each SCAN page). The memo is keyed by everything the text depends on.
func helpView(c *common.Common, h *help.Model, keys common.HelpKeys, w int) string {
	full := h.ShowAll && len(keys.Full) > 0
	var sig strings.Builder
	bindings := [][]key.Binding{keys.Short}
	if full {
		bindings = keys.Full
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
	m := &c.HelpMemo
	if m.Out != "" && m.W == w && m.Full == full && m.Styles == c.Styles && m.Sig == sig.String() {
		return m.Out
	}
	var hv string
	if full {
		hv = h.FullHelpView(keys.Full)
	} else {
		hv = h.ShortHelpView(keys.Short)
	}
	// bubbles/help overruns the width when not even its ellipsis fits; cut every line.
	hl := strings.Split(hv, "\n")
	for i, l := range hl {
		if common.WidthOf(l) > w {
			hl[i] = ansi.Truncate(l, w, "")
		}
	}
	*m = common.HelpMemo{Sig: sig.String(), W: w, Full: full, Styles: c.Styles, Out: strings.Join(hl, "\n")}
	return m.Out
}
