package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// view renders the scrollback window and the input line. Lines longer than the width wrap,
// as in a terminal. The window is built from the newest visible line backwards and stops
// when the screen is full, so a full scrollback costs the same as an empty one.
func (con *console) view(w, h int) string {
	st := con.c.Styles
	rows := max(1, h-1)
	var window []string // screen rows, newest first
	for i := len(con.lines) - con.offset - 1; i >= 0 && len(window) < rows; i-- {
		l := con.lines[i]
		wrapped := wrapRows(l.text, w)
		for j := len(wrapped) - 1; j >= 0 && len(window) < rows; j-- {
			text := fit(wrapped[j], w)
			switch l.style {
			case lineNote:
				text = st.FlashWarn.Render(text)
			case lineError:
				text = st.FlashError.Render(text)
			}
			window = append(window, text)
		}
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

// wrapRows cuts a line into rows of at most w cells.
func wrapRows(s string, w int) []string {
	if w <= 0 || ansi.StringWidth(s) <= w {
		return []string{s}
	}
	return strings.Split(ansi.Hardwrap(s, w, true), "\n")
}

// inputLine is the prompt and the line being typed, or what stands in its place: a
// confirmation question, the reverse search, a running command or stream.
func (con *console) inputLine(w int) string {
	st := con.c.Styles
	switch {
	case con.confirm != nil:
		q := "Type " + con.confirm.word + " to run " + con.confirm.what + " (anything else cancels): "
		return fit(st.Danger.Render(q)+con.in.View(), w)
	case con.search != nil:
		match := ""
		if con.search.match >= 0 {
			match = con.hist.entries[con.search.match]
		}
		label := "(reverse-i-search)`"
		if con.search.match < 0 && con.search.query != "" {
			label = "(failed reverse-i-search)`"
		}
		return fit(label+printable(con.search.query)+"': "+printable(match), w)
	case con.stream != nil:
		return fit(st.Dim.Render(strings.ToUpper(con.running[0])+" is streaming · ctrl+c stops it · pgup/pgdn scroll"), w)
	case con.running != nil:
		return fit(st.Dim.Render(con.promptText()+strings.ToUpper(con.running[0])+" … ctrl+c abandons it"), w)
	case con.opening:
		return fit(st.Dim.Render("connecting the console…"), w)
	}
	line := con.promptText() + con.in.View()
	if con.in.Position() == len(con.in.Value()) {
		if hnt := hint(con.table, con.in.Value()); hnt != "" {
			line += st.Dim.Render(printable(hnt))
		}
	}
	return fit(line, w)
}

var consoleKeys = func() helpKeys {
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	run, tab, hist := b("enter", "run"), b("tab", "complete"), b("↑/↓", "history")
	search, stop, page, back := b("ctrl+r", "search"), b("ctrl+c", "stop"), b("pgup/pgdn", "scroll"), b("esc", "back")
	return helpKeys{short: []key.Binding{run, tab, hist, search, stop, page, back},
		full: [][]key.Binding{{run, tab, hist, search}, {stop, page, b("ctrl+l", "clear"), back}}}
}()

func (con *console) help() helpKeys { return consoleKeys }
