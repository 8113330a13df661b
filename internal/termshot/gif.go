package termshot

import (
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"sort"
)

// Animate builds an animated GIF from frames of the same size, each shown for delay
// hundredths of a second. The palette is the 256 colours the frames use most, so terminal
// colours come out exact and only the anti-aliased glyph edges are approximated.
func Animate(frames []*image.RGBA, delay int) *gif.GIF {
	counts := map[color.RGBA]int{}
	for _, f := range frames {
		for i := 0; i+3 < len(f.Pix); i += 4 {
			counts[color.RGBA{f.Pix[i], f.Pix[i+1], f.Pix[i+2], 0xff}]++
		}
	}
	cols := make([]color.RGBA, 0, len(counts))
	for c := range counts {
		cols = append(cols, c)
	}
	sort.Slice(cols, func(i, j int) bool {
		if counts[cols[i]] != counts[cols[j]] {
			return counts[cols[i]] > counts[cols[j]]
		}
		a, b := cols[i], cols[j]
		return uint32(a.R)<<16|uint32(a.G)<<8|uint32(a.B) < uint32(b.R)<<16|uint32(b.G)<<8|uint32(b.B)
	})
	if len(cols) > 256 {
		cols = cols[:256]
	}
	pal := make(color.Palette, len(cols))
	for i, c := range cols {
		pal[i] = c
	}
	g := &gif.GIF{}
	for _, f := range frames {
		p := image.NewPaletted(f.Bounds(), pal)
		draw.Draw(p, p.Bounds(), f, f.Bounds().Min, draw.Src)
		g.Image = append(g.Image, p)
		g.Delay = append(g.Delay, delay)
	}
	return g
}
