package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// boxWidth is an overlay's width on a terminal w cells wide.
func boxWidth(w int) int { return max(20, min(w-2, 84)) }

// boxInner is the text width inside a box of width bw ("│ " and " │").
func boxInner(bw int) int { return bw - 4 }

// boxView frames lines (already styled, cut to fit) with a rounded border and a title.
func boxView(c *Common, title string, lines []string, w int) []string {
	bw := boxWidth(w)
	in := boxInner(bw)
	t := " " + c.Styles.Title.Render(title) + " "
	top := "╭─" + t + strings.Repeat("─", max(0, bw-3-widthOf(t))) + "╮"
	out := []string{top}
	for _, l := range lines {
		out = append(out, "│ "+fit(l, in)+" │")
	}
	return append(out, "╰"+strings.Repeat("─", bw-2)+"╯")
}

// wrap splits plain text into lines of at most w cells, keeping its own line breaks.
func wrap(text string, w int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		para = printable(strings.TrimRight(para, " \r\t"))
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, strings.Split(ansi.Wrap(para, max(1, w), ""), "\n")...)
	}
	return out
}

// overlay draws box centred horizontally in the upper third of body (h lines, w cells wide);
// the body stays visible around it.
func overlay(body string, box []string, w, h int) string {
	lines := strings.Split(body, "\n")
	for len(lines) < h {
		lines = append(lines, "")
	}
	lines = lines[:h]
	if len(box) > h {
		box = box[:h]
	}
	bw := 0
	for _, b := range box {
		bw = max(bw, widthOf(b))
	}
	x := max(0, (w-bw)/2)
	y := max(0, min((h-len(box))/3, h-len(box)))
	for i, b := range box {
		l := lines[y+i]
		left := ansi.Truncate(l, x, "")
		if strings.Contains(left, "\x1b") {
			left += "\x1b[m" // a style cut in the middle must not run into the box
		}
		left += strings.Repeat(" ", max(0, x-widthOf(left)))
		right := ""
		if widthOf(l) > x+bw {
			right = ansi.TruncateLeft(l, x+bw, "")
		}
		lines[y+i] = left + b + right
	}
	return strings.Join(lines, "\n")
}

// openingView is the box shown while a profile opens: what is happening, for how long, and a
// device code login's instructions when one waits for the user.
func openingView(c *Common, o *opening, w int) []string {
	s := c.Styles
	in := boxInner(boxWidth(w))
	elapsed := shortDuration(c.Now().Sub(o.since).Truncate(time.Second))
	var lines []string
	if o.code == nil {
		lines = append(lines, "Signing in and connecting to "+s.Header.Render(printable(o.name))+"…",
			s.Dim.Render("waiting "+elapsed))
	} else {
		lines = append(lines, "Sign in to open "+s.Header.Render(printable(o.name))+":", "")
		if o.code.URL != "" {
			lines = append(lines, "  1. open  "+s.Title.Render(printable(o.code.URL)))
		}
		if o.code.Code != "" {
			lines = append(lines, "  2. enter the code  "+s.Badge.Render(" "+printable(o.code.Code)+" "))
		}
		if o.code.Message != "" {
			lines = append(lines, "")
			for _, l := range wrap(o.code.Message, in) {
				lines = append(lines, s.Dim.Render(l))
			}
		}
		lines = append(lines, "", s.Dim.Render("waiting for the login · "+elapsed))
	}
	lines = append(lines, "", s.Dim.Render("esc cancel"))
	return boxView(c, "Opening "+printable(o.name), lines, w)
}
