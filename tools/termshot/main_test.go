package main

import (
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunWritesPNGAndGIF(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.ans"), filepath.Join(dir, "b.ans")
	os.WriteFile(a, []byte("\x1b[1mKEYS\x1b[0m match *\n> user:1042"), 0o600)
	os.WriteFile(b, []byte("\x1b[7mVALUE\x1b[0m user:1042"), 0o600)

	out := filepath.Join(dir, "a.png")
	if err := run(out, []string{a}, 40, 5, 14, 100); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(out)
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w < 40*7 || h < 5*14 {
		t.Errorf("a 40×5 screen at 14 px came out %d×%d", w, h)
	}

	anim := filepath.Join(dir, "walk.gif")
	if err := run(anim, []string{a, b}, 40, 5, 14, 100); err != nil {
		t.Fatal(err)
	}
	f, _ = os.Open(anim)
	g, err := gif.DecodeAll(f)
	f.Close()
	if err != nil || len(g.Image) != 2 {
		t.Fatalf("gif: %v, %d frames", err, len(g.Image))
	}

	for _, bad := range []struct {
		out  string
		ins  []string
		want string
	}{
		{filepath.Join(dir, "two.png"), []string{a, b}, "one capture"},
		{filepath.Join(dir, "x.jpg"), []string{a}, "unknown output type"},
		{"", []string{a}, "usage"},
		{filepath.Join(dir, "m.png"), []string{filepath.Join(dir, "missing.ans")}, "missing.ans"},
	} {
		if err := run(bad.out, bad.ins, 40, 5, 14, 100); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("run(%q, %v) = %v, want an error about %q", bad.out, bad.ins, err, bad.want)
		}
	}
}
