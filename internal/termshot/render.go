package termshot

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/gomonobolditalic"
	"golang.org/x/image/font/gofont/gomonoitalic"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Theme is the terminal's default colours.
type Theme struct {
	FG, BG color.RGBA
}

// DarkTheme is a dark terminal like most people use.
var DarkTheme = Theme{FG: color.RGBA{0xd4, 0xd4, 0xd4, 0xff}, BG: color.RGBA{0x1a, 0x1b, 0x26, 0xff}}

// Renderer draws screens with the Go Mono faces at one size.
type Renderer struct {
	Theme  Theme
	faces  [4]font.Face // regular, bold, italic, bold italic
	cellW  int
	cellH  int
	ascent int
	pad    int
}

// NewRenderer loads the Go Mono faces at size points (at 72 dpi, so size is pixels).
func NewRenderer(size float64, theme Theme) (*Renderer, error) {
	r := &Renderer{Theme: theme, pad: int(size)}
	for i, ttf := range [][]byte{gomono.TTF, gomonobold.TTF, gomonoitalic.TTF, gomonobolditalic.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("parsing Go Mono: %w", err)
		}
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, fmt.Errorf("Go Mono face: %w", err)
		}
		r.faces[i] = face
	}
	adv, _ := r.faces[0].GlyphAdvance('M')
	m := r.faces[0].Metrics()
	r.cellW = adv.Ceil()
	r.ascent = m.Ascent.Ceil()
	r.cellH = (m.Ascent + m.Descent).Ceil() + 2
	return r, nil
}

// Render draws the screen with a margin of one em around it.
func (r *Renderer) Render(s *Screen) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, s.Cols*r.cellW+2*r.pad, s.Rows*r.cellH+2*r.pad))
	draw.Draw(img, img.Bounds(), image.NewUniform(r.Theme.BG), image.Point{}, draw.Src)
	for y, row := range s.Cells {
		for x := 0; x < len(row); x++ {
			c := row[x]
			if c.Cont {
				continue
			}
			w := 1
			if x+1 < len(row) && row[x+1].Cont {
				w = 2
			}
			r.drawCell(img, x, y, w, c)
		}
	}
	return img
}

// colours resolves a style to the ink and paper it is drawn with.
func (r *Renderer) colours(st Style) (fg, bg color.RGBA) {
	fg, bg = r.Theme.FG, r.Theme.BG
	if st.FG != nil {
		fg = *st.FG
	}
	if st.BG != nil {
		bg = *st.BG
	}
	if st.Reverse {
		fg, bg = bg, fg
	}
	if st.Faint {
		fg = blend(fg, bg, 0.5)
	}
	return fg, bg
}

func (r *Renderer) drawCell(img *image.RGBA, x, y, w int, c Cell) {
	fg, bg := r.colours(c.Style)
	x0, y0 := r.pad+x*r.cellW, r.pad+y*r.cellH
	cell := image.Rect(x0, y0, x0+w*r.cellW, y0+r.cellH)
	if bg != r.Theme.BG {
		draw.Draw(img, cell, image.NewUniform(bg), image.Point{}, draw.Src)
	}
	if c.Style.Underline {
		u := image.Rect(x0, y0+r.ascent+2, x0+w*r.cellW, y0+r.ascent+3)
		draw.Draw(img, u, image.NewUniform(fg), image.Point{}, draw.Src)
	}
	if c.Rune == ' ' {
		return
	}
	if drawBlock(img, cell, c.Rune, fg) {
		return
	}
	face := r.faces[0]
	switch {
	case c.Style.Bold && c.Style.Italic:
		face = r.faces[3]
	case c.Style.Bold:
		face = r.faces[1]
	case c.Style.Italic:
		face = r.faces[2]
	}
	ch := c.Rune
	if _, ok := face.GlyphAdvance(ch); !ok {
		ch = '?' // Go Mono has no glyph for it (emoji, CJK): show that something is there
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(fg), Face: face,
		Dot: fixed.P(x0, y0+r.ascent+1)}
	d.DrawString(string(ch))
}

// drawBlock draws the box-drawing lines and block elements the UI uses as exact cell-filling
// shapes, so that borders join up, which font glyphs do not promise.
func drawBlock(img *image.RGBA, cell image.Rectangle, ch rune, fg color.RGBA) bool {
	ink := image.NewUniform(fg)
	cx := (cell.Min.X + cell.Max.X) / 2
	cy := (cell.Min.Y + cell.Max.Y) / 2
	h := func(x0, x1 int) { draw.Draw(img, image.Rect(x0, cy, x1, cy+1), ink, image.Point{}, draw.Src) }
	v := func(y0, y1 int) { draw.Draw(img, image.Rect(cx, y0, cx+1, y1), ink, image.Point{}, draw.Src) }
	switch ch {
	case '─', '━':
		h(cell.Min.X, cell.Max.X)
	case '│', '┃':
		v(cell.Min.Y, cell.Max.Y)
	case '┌', '╭':
		h(cx, cell.Max.X)
		v(cy, cell.Max.Y)
	case '┐', '╮':
		h(cell.Min.X, cx+1)
		v(cy, cell.Max.Y)
	case '└', '╰':
		h(cx, cell.Max.X)
		v(cell.Min.Y, cy+1)
	case '┘', '╯':
		h(cell.Min.X, cx+1)
		v(cell.Min.Y, cy+1)
	case '├':
		v(cell.Min.Y, cell.Max.Y)
		h(cx, cell.Max.X)
	case '┤':
		v(cell.Min.Y, cell.Max.Y)
		h(cell.Min.X, cx+1)
	case '┬':
		h(cell.Min.X, cell.Max.X)
		v(cy, cell.Max.Y)
	case '┴':
		h(cell.Min.X, cell.Max.X)
		v(cell.Min.Y, cy+1)
	case '┼':
		h(cell.Min.X, cell.Max.X)
		v(cell.Min.Y, cell.Max.Y)
	case '█':
		draw.Draw(img, cell, ink, image.Point{}, draw.Src)
	case '▀':
		draw.Draw(img, image.Rect(cell.Min.X, cell.Min.Y, cell.Max.X, cy), ink, image.Point{}, draw.Src)
	case '▄':
		draw.Draw(img, image.Rect(cell.Min.X, cy, cell.Max.X, cell.Max.Y), ink, image.Point{}, draw.Src)
	case '▸', '▶', '▾', '▼':
		triangle(img, cell, ch == '▾' || ch == '▼', fg)
	default:
		return false
	}
	return true
}

// triangle draws a small solid triangle pointing right (or down) in the middle of the cell: Go
// Mono has no glyph for the tree's folder markers.
func triangle(img *image.RGBA, cell image.Rectangle, down bool, fg color.RGBA) {
	n := cell.Dx() / 2 // the triangle's base
	x0 := cell.Min.X + (cell.Dx()-n/2)/2
	y0 := (cell.Min.Y+cell.Max.Y)/2 - n/2
	if down {
		x0, y0 = cell.Min.X+(cell.Dx()-n)/2, (cell.Min.Y+cell.Max.Y)/2-n/4
	}
	for i := 0; i <= n/2; i++ {
		for j := i; j <= n-i; j++ {
			if down {
				img.SetRGBA(x0+j, y0+i, fg)
			} else {
				img.SetRGBA(x0+i, y0+j, fg)
			}
		}
	}
}

// blend mixes a toward b by t in [0, 1].
func blend(a, b color.RGBA, t float64) color.RGBA {
	mix := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}
