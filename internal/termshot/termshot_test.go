package termshot

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"testing"
)

func TestParseStyles(t *testing.T) {
	capture := "\x1b[1;38;5;196mA\x1b[0m\x1b[7mB\x1b[27;48;2;1;2;3mC\x1b[0m\x1b]8;;http://x\x07D\n\x1b[2;94m世E\x1b[m"
	s := Parse(capture, 6, 2)
	a, b, c, d := s.Cells[0][0], s.Cells[0][1], s.Cells[0][2], s.Cells[0][3]
	if a.Rune != 'A' || !a.Style.Bold || a.Style.FG == nil || *a.Style.FG != Palette(196) {
		t.Errorf("A: %+v", a)
	}
	if b.Rune != 'B' || !b.Style.Reverse || b.Style.Bold || b.Style.FG != nil {
		t.Errorf("B: %+v", b)
	}
	if c.Rune != 'C' || c.Style.Reverse || c.Style.BG == nil || *c.Style.BG != (color.RGBA{1, 2, 3, 0xff}) {
		t.Errorf("C: %+v", c)
	}
	if d.Rune != 'D' || d.Style != (Style{}) {
		t.Errorf("D after an OSC hyperlink: %+v", d)
	}
	wide, cont, e := s.Cells[1][0], s.Cells[1][1], s.Cells[1][2]
	if wide.Rune != '世' || !cont.Cont || e.Rune != 'E' || !e.Style.Faint || *e.Style.FG != Palette(12) {
		t.Errorf("row 2: %+v %+v %+v", wide, cont, e)
	}
	if s.Cells[1][5].Rune != ' ' {
		t.Errorf("unwritten cells are blank: %+v", s.Cells[1][5])
	}
}

func TestParseClipsToTheGrid(t *testing.T) {
	s := Parse("abcdef\n1\n2\n3", 3, 2)
	if got := string([]rune{s.Cells[0][0].Rune, s.Cells[0][2].Rune, s.Cells[1][0].Rune}); got != "ac1" {
		t.Errorf("got %q", got)
	}
}

func TestPalette(t *testing.T) {
	for n, want := range map[int]color.RGBA{1: {0xcd, 0, 0, 0xff}, 16: {0, 0, 0, 0xff}, 21: {0, 0, 0xff, 0xff}, 196: {0xff, 0, 0, 0xff}, 232: {8, 8, 8, 0xff}, 255: {0xee, 0xee, 0xee, 0xff}} {
		if got := Palette(n); got != want {
			t.Errorf("Palette(%d) = %v, want %v", n, got, want)
		}
	}
}

// TestRender checks what lands in pixels: reverse video paints the cell in the foreground colour,
// a background colour fills its cell, a glyph puts ink in its cell and a blank cell stays paper.
func TestRender(t *testing.T) {
	r, err := NewRenderer(14, DarkTheme)
	if err != nil {
		t.Fatal(err)
	}
	s := Parse("\x1b[7m \x1b[0m\x1b[41m \x1b[0mM  ─", 6, 1)
	img := r.Render(s)
	at := func(col int, dx, dy int) color.RGBA {
		return img.RGBAAt(r.pad+col*r.cellW+dx, r.pad+dy)
	}
	if got := at(0, 1, 2); got != DarkTheme.FG {
		t.Errorf("reverse cell = %v, want the foreground %v", got, DarkTheme.FG)
	}
	if got := at(1, 1, 2); got != Palette(1) {
		t.Errorf("red background cell = %v", got)
	}
	ink := func(col int) int {
		n := 0
		for y := 0; y < r.cellH; y++ {
			for x := 0; x < r.cellW; x++ {
				if at(col, x, y) != DarkTheme.BG {
					n++
				}
			}
		}
		return n
	}
	if ink(2) == 0 {
		t.Error("M drew nothing")
	}
	if ink(4) != 0 {
		t.Errorf("a blank cell has %d inked pixels", ink(4))
	}
	if got := ink(5); got != r.cellW {
		t.Errorf("─ inked %d pixels, want one full-width line of %d", got, r.cellW)
	}
}

func TestAnimate(t *testing.T) {
	r, err := NewRenderer(12, DarkTheme)
	if err != nil {
		t.Fatal(err)
	}
	frames := []*image.RGBA{r.Render(Parse("one", 10, 2)), r.Render(Parse("\x1b[32mtwo", 10, 2))}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, Animate(frames, 100)); err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 2 || g.Delay[1] != 100 {
		t.Fatalf("%d frames, delays %v", len(g.Image), g.Delay)
	}
	// The paper colour is exact, not dithered.
	if got := color.RGBAModel.Convert(g.Image[0].At(0, 0)).(color.RGBA); got != DarkTheme.BG {
		t.Errorf("corner = %v, want %v", got, DarkTheme.BG)
	}
}
