// Command termshot renders `tmux capture-pane -e -p` captures to images with the Go Mono font:
// one capture to a PNG, several to an animated GIF. bench/screenshots.sh uses it for the
// README's screenshots of the real program.
//
//	termshot -cols 120 -rows 36 -o shot.png capture.ans
//	termshot -cols 120 -rows 36 -delay 200 -o demo.gif a.ans b.ans c.ans
package main

import (
	"flag"
	"fmt"
	"image"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/amr-tui/amr-tui/internal/termshot"
)

func main() {
	cols := flag.Int("cols", 120, "terminal width in cells")
	rows := flag.Int("rows", 36, "terminal height in cells")
	size := flag.Float64("size", 16, "font size in pixels")
	delay := flag.Int("delay", 200, "GIF frame delay in hundredths of a second")
	out := flag.String("o", "", "output file: .png (one capture) or .gif (one or more)")
	flag.Parse()
	if err := run(*out, flag.Args(), *cols, *rows, *size, *delay); err != nil {
		fmt.Fprintln(os.Stderr, "termshot:", err)
		os.Exit(1)
	}
}

func run(out string, inputs []string, cols, rows int, size float64, delay int) error {
	if out == "" || len(inputs) == 0 {
		return fmt.Errorf("usage: termshot [-cols N -rows N -size PX -delay CS] -o OUT.png|OUT.gif CAPTURE...")
	}
	if cols <= 0 || rows <= 0 {
		return fmt.Errorf("-cols and -rows must be positive, got %d×%d", cols, rows)
	}
	r, err := termshot.NewRenderer(size, termshot.DarkTheme)
	if err != nil {
		return err
	}
	var frames []*image.RGBA
	for _, in := range inputs {
		b, err := os.ReadFile(in)
		if err != nil {
			return err
		}
		frames = append(frames, r.Render(termshot.Parse(string(b), cols, rows)))
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	switch ext := strings.ToLower(filepath.Ext(out)); ext {
	case ".png":
		if len(frames) != 1 {
			f.Close()
			return fmt.Errorf("a PNG holds one capture, got %d", len(frames))
		}
		err = png.Encode(f, frames[0])
	case ".gif":
		err = gif.EncodeAll(f, termshot.Animate(frames, delay))
	default:
		err = fmt.Errorf("unknown output type %q (want .png or .gif)", ext)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
