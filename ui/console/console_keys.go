package console

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"strconv"
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
)

// Key handles a key press on the console screen. The console takes every key, as a text
// editor must (q, h, : are text here); esc leaves it, and `:` on an empty line opens the
// command prompt.
func (con *Model) Key(msg tea.KeyPressMsg) (tea.Cmd, consoleAction) {
	if con.Confirm != nil {
		return con.confirmKey(msg), actNone
	}
	if con.PasteAsk != nil {
		return con.pasteAskKey(msg), actNone
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
		con.dropQueue("ctrl+c")
		if cmd, ok := con.interrupt(); ok {
			return cmd, actNone
		}
		if con.In.Value() != "" {
			con.In.SetValue("")
			return nil, actNone
		}
		// redis-cli users press ctrl+c on an empty line by habit: it must not end the
		// application (and with it every other screen's state).
		con.c.Flash("ctrl+c does not quit from the console: esc or quit goes back, :q leaves amr-tui", common.FlashInfo)
		return nil, actNone
	case s == "esc":
		return nil, ActBack
	case s == ":" && con.In.Value() == "":
		return nil, ActCommand
	// Only the page keys scroll here: the key map's ctrl+b/ctrl+u and ctrl+f/ctrl+d are the
	// line editor's (readline's) keys on the console.
	case s == "pgup" || s == "shift+pgup" || key.Matches(msg, k.PageUp) && msg.Mod&tea.ModCtrl == 0:
		con.ScrollBy(con.Rows() - 1)
		return nil, actNone
	case s == "pgdown" || s == "shift+pgdown" || key.Matches(msg, k.PageDown) && msg.Mod&tea.ModCtrl == 0:
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
	case con.Stream != nil && (s == "enter" || msg.Text != "" || s == "tab" || s == "up" || s == "down" || s == "ctrl+r"):
		// Nothing typed now could run before the stream ends, and a hidden line would be glued
		// to the next command: typing is refused, visibly.
		con.c.Flash(strings.ToUpper(con.Running[0])+" is streaming: nothing typed is kept; ctrl+c stops it, then type the next command", common.FlashWarn)
		return nil, actNone
	case s == "enter":
		line := con.In.Value()
		con.In.SetValue("")
		if con.Running != nil || con.opening {
			// Typed ahead: run it when the console is free, as redis-cli would.
			return con.enterLine(line), actNone
		}
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
			// The answer is never echoed: it may be a secret pasted by mistake.
			con.note(lineNote, "cancelled: the name did not match; "+cf.what+" was not sent")
			con.failed()
			return con.dequeue()
		}
		return con.send(cf.args)
	case "esc", "ctrl+c":
		con.Confirm = nil
		con.In.SetValue("")
		con.note(lineNote, "cancelled: "+cf.what+" was not sent")
		con.failed()
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

// Paste inserts text at the cursor. A paste with one complete line runs it, as enter would; a
// block of several commands is shown and asked about first (pasteAskKey), then run in order.
// The text after the last newline stays on the prompt.
func (con *Model) Paste(text string) tea.Cmd {
	switch {
	case con.Confirm != nil && !strings.ContainsAny(text, "\r\n"):
		con.insert(text) // the profile name may be pasted as the answer
		return nil
	case con.Confirm != nil || con.PasteAsk != nil:
		con.c.Flash("answer the question first: nothing was pasted", common.FlashWarn)
		return nil
	case con.Search != nil:
		con.c.Flash("leave the history search (esc) before pasting: nothing was pasted", common.FlashWarn)
		return nil
	case con.Stream != nil:
		con.c.Flash(strings.ToUpper(con.Running[0])+" is streaming: nothing was pasted; ctrl+c stops it", common.FlashWarn)
		return nil
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	v := []rune(con.In.Value())
	pos := min(con.In.Position(), len(v)) // in runes
	before, after := string(v[:pos]), string(v[pos:])
	if len(lines) == 1 {
		con.insert(lines[0])
		return nil
	}
	lines[0] = before + lines[0]
	rest := lines[len(lines)-1]
	var block []string
	for _, l := range lines[:len(lines)-1] {
		if strings.TrimSpace(l) != "" {
			block = append(block, l)
		}
	}
	con.In.SetValue(rest + after)
	con.In.SetCursor(utf8.RuneCountInString(rest))
	con.fitInput(0)
	switch len(block) {
	case 0:
		return nil
	case 1:
		return con.enterLine(block[0])
	}
	con.PasteAsk = &pasteAsk{lines: block}
	con.offset = 0
	return nil
}

// insert puts text at the cursor.
func (con *Model) insert(text string) {
	v := []rune(con.In.Value())
	pos := min(con.In.Position(), len(v)) // in runes
	con.In.SetValue(string(v[:pos]) + text + string(v[pos:]))
	con.In.SetCursor(pos + utf8.RuneCountInString(text))
	con.fitInput(0)
}

// enterLine is a line entered: run now, or typed ahead of a running command.
func (con *Model) enterLine(line string) tea.Cmd {
	if con.Running != nil || con.opening || con.Confirm != nil || len(con.Queue) > 0 {
		if len(con.Queue) < consoleQueueMax {
			con.Queue = append(con.Queue, line)
		} else {
			con.note(lineNote, "not run: more than "+strconv.Itoa(consoleQueueMax)+" commands are waiting")
		}
		return nil
	}
	cmd, _ := con.submit(line)
	return cmd
}

// pasteAskKey answers the question asked before a pasted block runs: y runs every command in
// order, s runs them but stops at the first error, n or esc runs none.
func (con *Model) pasteAskKey(msg tea.KeyPressMsg) tea.Cmd {
	pa := con.PasteAsk
	switch msg.String() {
	case "y", "Y", "enter":
		con.PasteAsk = nil
		return con.runBlock(pa.lines, false)
	case "s", "S":
		con.PasteAsk = nil
		return con.runBlock(pa.lines, true)
	case "n", "N", "esc", "ctrl+c":
		con.PasteAsk = nil
		con.note(lineNote, "cancelled: "+plural(len(pa.lines), "pasted command")+" not run")
		return nil
	}
	con.c.Flash("y runs the pasted commands, s runs them stopping at the first error, n cancels", common.FlashInfo)
	return nil
}

// runBlock queues a confirmed block and starts it.
func (con *Model) runBlock(lines []string, stopOnError bool) tea.Cmd {
	if room := consoleQueueMax - len(con.Queue); len(lines) > room {
		con.note(lineNote, "cancelled: the block has "+plural(len(lines), "command")+", more than the "+strconv.Itoa(room)+" the console can queue now; nothing was run")
		return nil
	}
	con.Queue = append(con.Queue, lines...)
	con.stopOnError = stopOnError
	return con.dequeue()
}

// failed is told that a command failed (an error reply, a refusal, a cancelled question): a
// block run with "stop at the first error" drops the rest, saying how many were not run.
func (con *Model) failed() {
	if !con.stopOnError {
		return
	}
	con.stopOnError = false
	if n := len(con.Queue); n > 0 {
		con.Queue = nil
		con.note(lineNote, "stopped at the first error: "+plural(n, "command")+" not run")
	}
}

// dropQueue empties the commands waiting to run, saying so (why: what dropped them).
func (con *Model) dropQueue(why string) {
	if n := len(con.Queue); n > 0 {
		con.note(lineNote, why+": "+plural(n, "waiting command")+" not run")
	}
	con.Queue, con.stopOnError = nil, false
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
