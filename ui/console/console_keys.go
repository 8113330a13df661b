package console

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// consoleAction is what the console asks App to do after a key.
type consoleAction int

const (
	actNone    consoleAction = iota // handled
	ActBack                         // leave the console for the key list
	ActCommand                      // open the `:` prompt
	ActQuit                         // quit the application
)

// Key handles a key press on the console screen. The console takes every key, as a text
// editor must (q, h, : are text here); esc leaves it, and `:` on an empty line opens the
// command prompt.
func (con *Model) Key(msg tea.KeyPressMsg) (tea.Cmd, consoleAction) {
	if con.Confirm != nil {
		return con.confirmKey(msg), actNone
	}
	if con.Search != nil {
		return con.searchKey(msg)
	}
	k := con.c.Keys
	s := msg.String()
	if s != "tab" {
		con.comp = nil
	}
	switch {
	case s == "ctrl+c":
		con.Queue = nil
		if cmd, ok := con.interrupt(); ok {
			return cmd, actNone
		}
		if con.In.Value() != "" {
			con.In.SetValue("")
			return nil, actNone
		}
		return nil, ActQuit
	case s == "esc":
		return nil, ActBack
	case s == ":" && con.In.Value() == "":
		return nil, ActCommand
	case key.Matches(msg, k.PageUp):
		con.ScrollBy(con.Rows() - 1)
		return nil, actNone
	case key.Matches(msg, k.PageDown):
		con.ScrollBy(-(con.Rows() - 1))
		return nil, actNone
	case s == "ctrl+l":
		con.Lines, con.offset = nil, 0
		return nil, actNone
	case s == "up":
		if v, ok := con.Hist.older(con.In.Value()); ok {
			con.setLine(v)
		}
		return nil, actNone
	case s == "down":
		if v, ok := con.Hist.newer(); ok {
			con.setLine(v)
		}
		return nil, actNone
	case s == "ctrl+r":
		con.Search = &consoleSearch{match: -1, saved: con.In.Value()}
		return nil, actNone
	case s == "tab":
		if v, ok := con.complete(con.In.Value()); ok {
			con.setLine(v)
		}
		return nil, actNone
	case s == "enter":
		if con.Stream != nil {
			con.c.Flash(strings.ToUpper(con.Running[0])+" is streaming: ctrl+c stops it", common.FlashWarn)
			return nil, actNone
		}
		if con.Running != nil || con.opening {
			// Typed ahead (or pasted): run it when the console is free, as redis-cli would.
			if len(con.Queue) < consoleQueueMax {
				con.Queue = append(con.Queue, con.In.Value())
			}
			con.In.SetValue("")
			return nil, actNone
		}
		line := con.In.Value()
		con.In.SetValue("")
		return con.submit(line)
	}
	return con.edit(msg), actNone
}

// edit feeds a key to the line editor.
func (con *Model) edit(msg tea.Msg) tea.Cmd {
	con.fitInput(1)
	var cmd tea.Cmd
	con.In, cmd = con.In.Update(msg)
	con.fitInput(0)
	return cmd
}

// fitInput gives the editor no width limit while the line fits (so nothing pads it and the
// hint can follow the cursor) and the free width once it does not (the editor then scrolls).
func (con *Model) fitInput(growth int) {
	avail := con.c.Width - ansi.StringWidth(con.PromptText()) - 1
	if ansi.StringWidth(con.In.Value())+growth+1 < avail {
		con.In.SetWidth(0)
	} else {
		con.In.SetWidth(max(1, avail))
	}
}

func (con *Model) setLine(v string) {
	con.In.SetValue(v)
	con.In.CursorEnd()
	con.fitInput(0)
}

// confirmKey reads the profile name asked for before a dangerous command: the exact name
// sends it; anything else, esc or ctrl+c cancels and nothing is sent.
func (con *Model) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	cf := con.Confirm
	switch msg.String() {
	case "enter":
		typed := con.In.Value()
		con.Confirm = nil
		con.In.SetValue("")
		if typed != cf.word {
			con.note(lineNote, "cancelled: "+cf.what+" was not sent ("+common.Printable(typed)+" is not "+cf.word+")")
			return con.dequeue()
		}
		return con.send(cf.args)
	case "esc", "ctrl+c":
		con.Confirm = nil
		con.In.SetValue("")
		con.note(lineNote, "cancelled: "+cf.what+" was not sent")
		return con.dequeue()
	}
	return con.edit(msg)
}

// searchKey is readline's ctrl+r: typing narrows the search, ctrl+r finds an older match,
// enter runs the match, esc or ctrl+g restores the line, and any other key keeps the match for
// editing.
func (con *Model) searchKey(msg tea.KeyPressMsg) (tea.Cmd, consoleAction) {
	sr := con.Search
	s := msg.String()
	switch s {
	case "ctrl+r":
		from := len(con.Hist.Entries) - 1
		if sr.match >= 0 {
			from = sr.match - 1
		}
		if i := con.Hist.search(sr.Query, from); i >= 0 {
			sr.match = i
		}
		return nil, actNone
	case "backspace":
		if sr.Query != "" {
			_, size := lastRune(sr.Query)
			sr.Query = sr.Query[:len(sr.Query)-size]
			sr.match = con.Hist.search(sr.Query, len(con.Hist.Entries)-1)
		}
		return nil, actNone
	case "esc", "ctrl+g", "ctrl+c":
		con.Search = nil
		con.setLine(sr.saved)
		return nil, actNone
	case "enter":
		con.Search = nil
		if sr.match < 0 {
			con.setLine(sr.saved)
			return nil, actNone
		}
		return con.submit(con.Hist.Entries[sr.match])
	}
	if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
		sr.Query += msg.Text
		from := len(con.Hist.Entries) - 1
		if sr.match >= 0 {
			from = sr.match // the current match may still match the longer query
		}
		sr.match = con.Hist.search(sr.Query, from)
		return nil, actNone
	}
	con.Search = nil
	if sr.match >= 0 {
		con.setLine(con.Hist.Entries[sr.match])
	}
	return con.Key(msg)
}

func lastRune(s string) (rune, int) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return []rune(s[i:])[0], len(s) - i
		}
	}
	return 0, len(s)
}

// Rows is the number of scrollback rows on screen.
func (con *Model) Rows() int { return max(1, con.c.BodyHeight()-1) }

// ScrollBy moves the view d lines back (positive) or forward (negative).
func (con *Model) ScrollBy(d int) {
	con.offset = max(0, min(con.offset+d, len(con.Lines)-con.Rows()))
	con.offset = max(0, con.offset)
}

// Paste inserts text at the cursor; every newline in it acts as enter.
func (con *Model) Paste(text string) tea.Cmd {
	if con.Confirm != nil || con.Search != nil || con.Stream != nil {
		return nil // a question or a running stream is not where a paste belongs
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	var cmds []tea.Cmd
	for i, l := range lines {
		v := []rune(con.In.Value())
		pos := min(con.In.Position(), len(v)) // in runes
		con.In.SetValue(string(v[:pos]) + l + string(v[pos:]))
		con.In.SetCursor(pos + utf8.RuneCountInString(l))
		con.fitInput(0)
		if i == len(lines)-1 {
			break
		}
		line := con.In.Value()
		con.In.SetValue("")
		if con.Running != nil || con.opening || con.Confirm != nil || len(con.Queue) > 0 {
			if len(con.Queue) < consoleQueueMax {
				con.Queue = append(con.Queue, line)
			}
			continue
		}
		cmd, _ := con.submit(line)
		cmds = append(cmds, cmd)
	}
	return common.Batch(cmds...)
}
