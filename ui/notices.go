package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/ui/common"
)

// Notice is news from the program that runs the UI, shown in the footer as it comes: `amr-tui
// demo` says when the keys it seeds behind the UI are all there, since a scan that finished
// before them lists only part of the keyspace.
type Notice struct {
	Text string
	Warn bool // a problem (the seeding stopped), not news
}

// noticeMsg carries one Notice; ok is false once the channel is closed.
type noticeMsg struct {
	n  Notice
	ok bool
}

// listenNotices waits for one notice on ch; Update re-arms it after each.
func listenNotices(ch <-chan Notice) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		n, ok := <-ch
		return noticeMsg{n: n, ok: ok}
	}
}

// onNotice shows a notice and waits for the next one.
func (a *App) onNotice(msg noticeMsg) tea.Cmd {
	if !msg.ok {
		a.notices = nil
		return nil
	}
	level := common.FlashInfo
	if msg.n.Warn {
		level = common.FlashWarn
	}
	a.c.Flash(common.Printable(msg.n.Text), level)
	return listenNotices(a.notices)
}
