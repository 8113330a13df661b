package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// BoxWidth is an overlay's width on a terminal w cells wide.
func BoxWidth(w int) int { return max(20, min(w-2, 84)) }

// BoxInner is the text width inside a box of width bw ("│ " and " │").
func BoxInner(bw int) int { return bw - 4 }

// BoxView frames lines (already styled, cut to fit) with a rounded border and a title.
func BoxView(c *Common, title string, lines []string, w int) []string {
	bw := BoxWidth(w)
	in := BoxInner(bw)
	t := " " + c.Styles.Title.Render(title) + " "
	top := "╭─" + t + strings.Repeat("─", max(0, bw-3-WidthOf(t))) + "╮"
	out := []string{top}
	for _, l := range lines {
		out = append(out, "│ "+Fit(l, in)+" │")
	}
	return append(out, "╰"+strings.Repeat("─", bw-2)+"╯")
}

// Wrap splits plain text into lines of at most w cells, keeping its own line breaks.
func Wrap(text string, w int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		para = Printable(strings.TrimRight(para, " \r\t"))
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, strings.Split(ansi.Wrap(para, max(1, w), ""), "\n")...)
	}
	return out
}

// Overlay draws box centred horizontally in the upper third of body (h lines, w cells wide);
// the body stays visible around it.
func Overlay(body string, box []string, w, h int) string {
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
		bw = max(bw, WidthOf(b))
	}
	x := max(0, (w-bw)/2)
	y := max(0, min((h-len(box))/3, h-len(box)))
	for i, b := range box {
		l := lines[y+i]
		left := ansi.Truncate(l, x, "")
		if strings.Contains(left, "\x1b") {
			left += "\x1b[m" // a style cut in the middle must not run into the box
		}
		left += strings.Repeat(" ", max(0, x-WidthOf(left)))
		right := ""
		if WidthOf(l) > x+bw {
			right = ansi.TruncateLeft(l, x+bw, "")
		}
		lines[y+i] = left + b + right
	}
	return strings.Join(lines, "\n")
}
