package ui

import (
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
	actBack                         // leave the console for the key list
	actCommand                      // open the `:` prompt
	actQuit                         // quit the application
)

// key handles a key press on the console screen. The console takes every key, as a text
// editor must (q, h, : are text here); esc leaves it, and `:` on an empty line opens the
// command prompt.
func (con *console) key(msg tea.KeyPressMsg) (tea.Cmd, consoleAction) {
	if con.confirm != nil {
		return con.confirmKey(msg), actNone
	}
	if con.search != nil {
		return con.searchKey(msg)
	}
	k := con.c.Keys
	s := msg.String()
	if s != "tab" {
		con.comp = nil
	}
	switch {
	case s == "ctrl+c":
		con.queue = nil
		if cmd, ok := con.interrupt(); ok {
			return cmd, actNone
		}
		if con.in.Value() != "" {
			con.in.SetValue("")
			return nil, actNone
		}
		return nil, actQuit
	case s == "esc":
		return nil, actBack
	case s == ":" && con.in.Value() == "":
		return nil, actCommand
	case key.Matches(msg, k.PageUp):
		con.scrollBy(con.rows() - 1)
		return nil, actNone
	case key.Matches(msg, k.PageDown):
		con.scrollBy(-(con.rows() - 1))
		return nil, actNone
	case s == "ctrl+l":
		con.lines, con.offset = nil, 0
		return nil, actNone
	case s == "up":
		if v, ok := con.hist.older(con.in.Value()); ok {
			con.setLine(v)
		}
		return nil, actNone
	case s == "down":
		if v, ok := con.hist.newer(); ok {
			con.setLine(v)
		}
		return nil, actNone
	case s == "ctrl+r":
		con.search = &consoleSearch{match: -1, saved: con.in.Value()}
		return nil, actNone
	case s == "tab":
		if v, ok := con.complete(con.in.Value()); ok {
			con.setLine(v)
		}
		return nil, actNone
	case s == "enter":
		if con.stream != nil {
			con.c.flash(strings.ToUpper(con.running[0])+" is streaming: ctrl+c stops it", FlashWarn)
			return nil, actNone
		}
		if con.running != nil || con.opening {
			// Typed ahead (or pasted): run it when the console is free, as redis-cli would.
			if len(con.queue) < consoleQueueMax {
				con.queue = append(con.queue, con.in.Value())
			}
			con.in.SetValue("")
			return nil, actNone
		}
		line := con.in.Value()
		con.in.SetValue("")
		return con.submit(line)
	}
	return con.edit(msg), actNone
}

// edit feeds a key to the line editor.
func (con *console) edit(msg tea.Msg) tea.Cmd {
	con.fitInput(1)
	var cmd tea.Cmd
	con.in, cmd = con.in.Update(msg)
	con.fitInput(0)
	return cmd
}

// fitInput gives the editor no width limit while the line fits (so nothing pads it and the
// hint can follow the cursor) and the free width once it does not (the editor then scrolls).
func (con *console) fitInput(growth int) {
	avail := con.c.Width - ansi.StringWidth(con.promptText()) - 1
	if ansi.StringWidth(con.in.Value())+growth+1 < avail {
		con.in.SetWidth(0)
	} else {
		con.in.SetWidth(max(1, avail))
	}
}

func (con *console) setLine(v string) {
	con.in.SetValue(v)
	con.in.CursorEnd()
	con.fitInput(0)
}

// confirmKey reads the profile name asked for before a dangerous command: the exact name
// sends it; anything else, esc or ctrl+c cancels and nothing is sent.
func (con *console) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	cf := con.confirm
	switch msg.String() {
	case "enter":
		typed := con.in.Value()
		con.confirm = nil
		con.in.SetValue("")
		if typed != cf.word {
			con.note(lineNote, "cancelled: "+cf.what+" was not sent ("+printable(typed)+" is not "+cf.word+")")
			return con.dequeue()
		}
		return con.send(cf.args)
	case "esc", "ctrl+c":
		con.confirm = nil
		con.in.SetValue("")
		con.note(lineNote, "cancelled: "+cf.what+" was not sent")
		return con.dequeue()
	}
	return con.edit(msg)
}

// searchKey is readline's ctrl+r: typing narrows the search, ctrl+r finds an older match,
// enter runs the match, esc or ctrl+g restores the line, and any other key keeps the match for
// editing.
func (con *console) searchKey(msg tea.KeyPressMsg) (tea.Cmd, consoleAction) {
	sr := con.search
	s := msg.String()
	switch s {
	case "ctrl+r":
		from := len(con.hist.entries) - 1
		if sr.match >= 0 {
			from = sr.match - 1
		}
		if i := con.hist.search(sr.query, from); i >= 0 {
			sr.match = i
		}
		return nil, actNone
	case "backspace":
		if sr.query != "" {
			_, size := lastRune(sr.query)
			sr.query = sr.query[:len(sr.query)-size]
			sr.match = con.hist.search(sr.query, len(con.hist.entries)-1)
		}
		return nil, actNone
	case "esc", "ctrl+g", "ctrl+c":
		con.search = nil
		con.setLine(sr.saved)
		return nil, actNone
	case "enter":
		con.search = nil
		if sr.match < 0 {
			con.setLine(sr.saved)
			return nil, actNone
		}
		return con.submit(con.hist.entries[sr.match])
	}
	if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
		sr.query += msg.Text
		from := len(con.hist.entries) - 1
		if sr.match >= 0 {
			from = sr.match // the current match may still match the longer query
		}
		sr.match = con.hist.search(sr.query, from)
		return nil, actNone
	}
	con.search = nil
	if sr.match >= 0 {
		con.setLine(con.hist.entries[sr.match])
	}
	return con.key(msg)
}

func lastRune(s string) (rune, int) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return []rune(s[i:])[0], len(s) - i
		}
	}
	return 0, len(s)
}

// rows is the number of scrollback rows on screen.
func (con *console) rows() int { return max(1, con.c.bodyHeight()-1) }

// scrollBy moves the view d lines back (positive) or forward (negative).
func (con *console) scrollBy(d int) {
	con.offset = max(0, min(con.offset+d, len(con.lines)-con.rows()))
	con.offset = max(0, con.offset)
}

// paste inserts text at the cursor; every newline in it acts as enter.
func (con *console) paste(text string) tea.Cmd {
	if con.confirm != nil || con.search != nil || con.stream != nil {
		return nil // a question or a running stream is not where a paste belongs
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	var cmds []tea.Cmd
	for i, l := range lines {
		v := []rune(con.in.Value())
		pos := min(con.in.Position(), len(v)) // in runes
		con.in.SetValue(string(v[:pos]) + l + string(v[pos:]))
		con.in.SetCursor(pos + utf8.RuneCountInString(l))
		con.fitInput(0)
		if i == len(lines)-1 {
			break
		}
		line := con.in.Value()
		con.in.SetValue("")
		if con.running != nil || con.opening || con.confirm != nil || len(con.queue) > 0 {
			if len(con.queue) < consoleQueueMax {
				con.queue = append(con.queue, line)
			}
			continue
		}
		cmd, _ := con.submit(line)
		cmds = append(cmds, cmd)
	}
	return batch(cmds...)
}
