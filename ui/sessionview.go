package ui

import (
	"github.com/amr-tui/amr-tui/ui/sessionpanel"

	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// sessionPanel is the `:session` screen: who is signed in where, the token's life (issued,
// expires, next refresh, a live countdown), connection counts, a pending device code, the last
// error explained, and the refresh and re-AUTH history, newest first. It scrolls with ↑/↓.
func (a *App) sessionPanel(w, h int) string {
	lines := sessionpanel.SessionLines(a.c, a.state, a.session != nil, a.life.history, w)
	off := max(0, min(a.life.panelOffset, len(lines)-h))
	lines = lines[off:]
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:h], "\n")
}

// sessionPanelKey scrolls the panel.
func (a *App) sessionPanelKey(msg tea.KeyPressMsg) {
	k := a.c.Keys
	switch {
	case key.Matches(msg, k.Down):
		a.life.panelOffset++
	case key.Matches(msg, k.Up):
		a.life.panelOffset = max(0, a.life.panelOffset-1)
	case key.Matches(msg, k.PageDown):
		a.life.panelOffset += a.c.BodyHeight()
	case key.Matches(msg, k.PageUp):
		a.life.panelOffset = max(0, a.life.panelOffset-a.c.BodyHeight())
	case key.Matches(msg, k.Top):
		a.life.panelOffset = 0
	}
}
