package console

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"fmt"
	"strings"

	"github.com/amr-tui/amr-tui/rediscli"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// View renders the scrollback window and the input line. Lines longer than the width wrap,
// as in a terminal. The window is built from the newest visible line backwards and stops
// when the screen is full, so a full scrollback costs the same as an empty one.
func (con *Model) View(w, h int) string {
	st := con.c.Styles
	rows := max(1, h-1)
	var window []string // screen rows, newest first
	for i := len(con.Lines) - con.offset - 1; i >= 0 && len(window) < rows; i-- {
		l := con.Lines[i]
		wrapped := wrapRows(l.Text, w)
		for j := len(wrapped) - 1; j >= 0 && len(window) < rows; j-- {
			text := common.Fit(wrapped[j], w)
			switch l.style {
			case lineNote:
				text = st.FlashWarn.Render(text)
			case lineError:
				text = st.FlashError.Render(text)
			}
			window = append(window, text)
		}
	}
	if con.PasteAsk != nil {
		window = con.pastePreview(window, w, rows)
	}
	var sb strings.Builder
	for i := len(window) - 1; i >= 0; i-- {
		sb.WriteString(window[i])
		sb.WriteByte('\n')
	}
	sb.WriteString(con.inputLine(w))
	for n := len(window) + 1; n < h; n++ {
		sb.WriteString("\n" + strings.Repeat(" ", w))
	}
	return sb.String()
}

// pastePreview puts the pasted block, numbered and with secrets redacted, at the bottom of the
// window (newest first) so the question below it says what would run.
func (con *Model) pastePreview(window []string, w, rows int) []string {
	st := con.c.Styles
	lines := con.PasteAsk.lines
	shown := make([]string, 0, len(lines)+1)
	shown = append(shown, st.Dim.Render(common.Fit("pasted:", w)))
	room := rows - 1
	for i, l := range lines {
		if len(lines) > room && i == room-1 {
			shown = append(shown, st.Dim.Render(common.Fit("  … and "+plural(len(lines)-i, "more command"), w)))
			break
		}
		if args, err := rediscli.SplitArgs(l); err == nil {
			if red, changed := rediscli.Redact(args); changed {
				l = rediscli.JoinArgs(red)
			}
		} else {
			l = redactUnparsed(l)
		}
		shown = append(shown, common.Fit(fmt.Sprintf("%3d  %s", i+1, common.Printable(l)), w))
	}
	out := make([]string, 0, rows)
	for i := len(shown) - 1; i >= 0 && len(out) < rows; i-- {
		out = append(out, shown[i])
	}
	for _, r := range window {
		if len(out) >= rows {
			break
		}
		out = append(out, r)
	}
	return out
}

// wrapRows cuts a line into rows of at most w cells.
func wrapRows(s string, w int) []string {
	if w <= 0 || ansi.StringWidth(s) <= w {
		return []string{s}
	}
	return strings.Split(ansi.Hardwrap(s, w, true), "\n")
}

// inputLine is the prompt and the line being typed, or what stands in its place: a
// confirmation question, the reverse search, a running command or stream.
func (con *Model) inputLine(w int) string {
	st := con.c.Styles
	switch {
	case con.Confirm != nil:
		q := "Type " + common.Printable(con.Confirm.word) + " to run " + con.Confirm.what + " on " + con.Confirm.on + " (anything else cancels): "
		return common.Fit(st.Danger.Render(q)+con.In.View(), w)
	case con.PasteAsk != nil:
		return common.Fit(st.Danger.Render("Run the "+plural(len(con.PasteAsk.lines), "pasted command")+" above in order? y: all · s: stop at the first error · n: none"), w)
	case con.Search != nil:
		match := ""
		if con.Search.match >= 0 {
			match = con.Hist.Entries[con.Search.match]
		}
		label := "(reverse-i-search)`"
		if con.Search.match < 0 && con.Search.Query != "" {
			label = "(failed reverse-i-search)`"
		}
		return common.Fit(label+common.Printable(con.Search.Query)+"': "+common.Printable(match), w)
	case con.Stream != nil:
		waiting := ""
		if n := len(con.Queue); n > 0 {
			waiting = " (and drops the " + plural(n, "waiting command") + ")"
		}
		return common.Fit(st.Dim.Render(strings.ToUpper(con.Running[0])+" is streaming · ctrl+c stops it"+waiting+" · pgup/pgdn scroll · typing is refused until it stops"), w)
	case con.Running != nil:
		return common.Fit(st.Dim.Render(con.PromptText()+strings.ToUpper(con.Running[0])+" … ctrl+c abandons it"), w)
	case con.opening:
		return common.Fit(st.Dim.Render("connecting the console…"), w)
	}
	line := con.PromptText() + con.In.View()
	if con.In.Position() == len(con.In.Value()) {
		if hnt := hint(con.commands(), con.In.Value()); hnt != "" {
			line += st.Dim.Render(common.Printable(hnt))
		}
	}
	return common.Fit(line, w)
}

var consoleKeys = func() common.HelpKeys {
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	run, tab, hist := b("enter", "run"), b("tab", "complete"), b("↑/↓", "history")
	search, stop, page, back := b("ctrl+r", "search"), b("ctrl+c", "clear/stop"), b("pgup/pgdn", "scroll"), b("esc", "back")
	edit := b("ctrl+a/e ctrl+w/k/u alt+b/f", "edit")
	return common.HelpKeys{Short: []key.Binding{run, tab, hist, search, stop, page, back},
		Full: [][]key.Binding{{run, tab, hist, search, edit}, {stop, page, b("ctrl+l", "clear screen"), back, b(":q", "quit amr-tui")}}}
}()

// Help lists the bindings of the console.
func (con *Model) Help() common.HelpKeys { return consoleKeys }
