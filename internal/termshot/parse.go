// Package termshot turns a terminal capture — the text and SGR escapes that
// `tmux capture-pane -e -p` prints — into a cell grid and renders it as an image with the Go Mono
// font. It exists for the README's screenshots: they come from the real program in a real
// terminal, not from mock-ups.
package termshot

import (
	"image/color"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
)

// Style is how one cell is drawn. A nil colour is the terminal's default.
type Style struct {
	FG, BG                                  *color.RGBA
	Bold, Faint, Italic, Underline, Reverse bool
}

// Cell is one character cell. A wide rune occupies its cell and the next, whose Cont is true.
type Cell struct {
	Rune  rune
	Style Style
	Cont  bool
}

// Screen is a grid of Rows × Cols cells.
type Screen struct {
	Cols, Rows int
	Cells      [][]Cell
}

// Parse lays out a capture on a cols × rows grid. Rows are separated by newlines; SGR escapes
// (ESC [ … m) set the style, which carries on to the next row as it would in a terminal; other
// escape sequences (cursor moves, OSC hyperlinks) are skipped. Text past the grid is dropped.
func Parse(capture string, cols, rows int) *Screen {
	s := &Screen{Cols: cols, Rows: rows, Cells: make([][]Cell, rows)}
	for i := range s.Cells {
		s.Cells[i] = make([]Cell, cols)
		for j := range s.Cells[i] {
			s.Cells[i][j].Rune = ' '
		}
	}
	var st Style
	row, col := 0, 0
	for i := 0; i < len(capture); {
		c := capture[i]
		switch {
		case c == '\n':
			row, col = row+1, 0
			i++
		case c == '\r':
			col = 0
			i++
		case c == 0x1b:
			i = escape(capture, i, &st)
		default:
			r, size := decodeRune(capture[i:])
			i += size
			w := runewidth.RuneWidth(r)
			if r == '\t' {
				r, w = ' ', 8-col%8
			}
			if w == 0 || row >= rows {
				continue // combining marks and controls; rows past the grid
			}
			for k := 0; k < w && col < cols; k++ {
				if k == 0 {
					s.Cells[row][col] = Cell{Rune: r, Style: st}
				} else {
					s.Cells[row][col] = Cell{Rune: ' ', Style: st, Cont: true}
				}
				col++
			}
		}
	}
	return s
}

func decodeRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 1
}

// escape consumes the escape sequence at s[i] and returns the index after it.
func escape(s string, i int, st *Style) int {
	if i+1 >= len(s) {
		return len(s)
	}
	switch s[i+1] {
	case '[': // CSI: parameters, intermediates, one final byte in 0x40–0x7e
		j := i + 2
		for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
			j++
		}
		if j < len(s) && s[j] == 'm' {
			applySGR(s[i+2:j], st)
		}
		return j + 1
	case ']': // OSC: up to BEL or ST
		for j := i + 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
		return len(s)
	default:
		return i + 2
	}
}

// applySGR applies "Select Graphic Rendition" parameters, in either the ';' or the ':' form of
// the extended colours.
func applySGR(params string, st *Style) {
	if params == "" {
		*st = Style{}
		return
	}
	p := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	num := func(k int) int {
		if k >= len(p) {
			return 0
		}
		n, _ := strconv.Atoi(p[k])
		return n
	}
	for k := 0; k < len(p); k++ {
		n := num(k)
		switch {
		case n == 0:
			*st = Style{}
		case n == 1:
			st.Bold = true
		case n == 2:
			st.Faint = true
		case n == 3:
			st.Italic = true
		case n == 4:
			st.Underline = true
		case n == 7:
			st.Reverse = true
		case n == 22:
			st.Bold, st.Faint = false, false
		case n == 23:
			st.Italic = false
		case n == 24:
			st.Underline = false
		case n == 27:
			st.Reverse = false
		case n >= 30 && n <= 37:
			st.FG = ptr(Palette(n - 30))
		case n >= 90 && n <= 97:
			st.FG = ptr(Palette(n - 90 + 8))
		case n >= 40 && n <= 47:
			st.BG = ptr(Palette(n - 40))
		case n >= 100 && n <= 107:
			st.BG = ptr(Palette(n - 100 + 8))
		case n == 39:
			st.FG = nil
		case n == 49:
			st.BG = nil
		case n == 38 || n == 48:
			var c color.RGBA
			switch num(k + 1) {
			case 5:
				c = Palette(num(k + 2))
				k += 2
			case 2:
				c = color.RGBA{uint8(num(k + 2)), uint8(num(k + 3)), uint8(num(k + 4)), 0xff}
				k += 4
			default:
				continue
			}
			if n == 38 {
				st.FG = ptr(c)
			} else {
				st.BG = ptr(c)
			}
		}
	}
}

func ptr(c color.RGBA) *color.RGBA { return &c }

// ansi16 is xterm's default 16-colour palette.
var ansi16 = [16]color.RGBA{
	{0x00, 0x00, 0x00, 0xff}, {0xcd, 0x00, 0x00, 0xff}, {0x00, 0xcd, 0x00, 0xff}, {0xcd, 0xcd, 0x00, 0xff},
	{0x00, 0x00, 0xee, 0xff}, {0xcd, 0x00, 0xcd, 0xff}, {0x00, 0xcd, 0xcd, 0xff}, {0xe5, 0xe5, 0xe5, 0xff},
	{0x7f, 0x7f, 0x7f, 0xff}, {0xff, 0x00, 0x00, 0xff}, {0x00, 0xff, 0x00, 0xff}, {0xff, 0xff, 0x00, 0xff},
	{0x5c, 0x5c, 0xff, 0xff}, {0xff, 0x00, 0xff, 0xff}, {0x00, 0xff, 0xff, 0xff}, {0xff, 0xff, 0xff, 0xff},
}

// Palette is xterm's 256-colour palette: 16 system colours, a 6×6×6 cube, 24 greys.
func Palette(n int) color.RGBA {
	switch {
	case n < 0 || n > 255:
		return ansi16[7]
	case n < 16:
		return ansi16[n]
	case n < 232:
		n -= 16
		level := func(v int) uint8 {
			if v == 0 {
				return 0
			}
			return uint8(55 + 40*v)
		}
		return color.RGBA{level(n / 36), level(n / 6 % 6), level(n % 6), 0xff}
	default:
		g := uint8(8 + 10*(n-232))
		return color.RGBA{g, g, g, 0xff}
	}
}
