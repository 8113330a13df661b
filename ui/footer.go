package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
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
	var hv string
	if h.ShowAll && len(keys.full) > 0 {
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
	return line + "\n" + strings.Join(hl, "\n")
}
