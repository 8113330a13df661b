package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/discover"
)

// openDiscover shows `:discover`, listing the caches on first use (or again when asked), signed
// in as the profile in use does.
func (a *App) openDiscover(again bool) tea.Cmd {
	d, ok := a.life.opener.(common.Discoverer)
	if !ok {
		a.c.Flash(":discover needs a saved profile to sign in with; open one first", common.FlashWarn)
		return nil
	}
	if a.disc == nil {
		a.disc = discover.New(a.c, d)
	}
	a.screen = screenDiscover
	a.layout()
	if a.disc.Loaded() && !again {
		return nil
	}
	return a.disc.Start(a.state.Profile)
}

// discoverKey routes a key on the discover screen: ctrl+c and the `:` prompt stay global.
func (a *App) discoverKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case msg.String() == "ctrl+c":
		return tea.Quit
	case msg.String() == ":":
		a.prompt = common.NewLineInput(a.c, common.InputCommand, ":", "")
		a.layout()
		return nil
	}
	cmd, back := a.disc.Update(msg)
	if back {
		a.screen = screenKeys
		a.layout()
		return a.browser.MetaCmd()
	}
	return cmd
}

// onDiscoverMsg takes the discover screen's replies; a profile written for a cache is opened.
func (a *App) onDiscoverMsg(msg tea.Msg) tea.Cmd {
	if a.disc == nil {
		return nil
	}
	switch msg := msg.(type) {
	case discover.ProgressMsg:
		return a.disc.OnProgress(msg)
	case discover.AccessMsg:
		a.disc.OnAccess(msg)
	case discover.AddedMsg:
		a.disc.OnAdded(msg)
		if msg.Err != nil {
			return nil
		}
		a.c.Flash("wrote profile "+common.Printable(msg.Name)+" for "+common.Printable(msg.Cache.Ref())+"; opening it", common.FlashInfo)
		a.screen = screenKeys
		a.layout()
		return a.startOpen(msg.Name)
	}
	return nil
}
