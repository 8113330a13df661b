package ui

import (
	"bytes"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/creack/pty"
)

// The splash shows on a terminal only, names the profile escaped, and can be undone.
func TestSplash(t *testing.T) {
	var b bytes.Buffer
	splash(&b, colorprofile.NoTTY, "prod")()
	if b.Len() != 0 {
		t.Fatalf("splash wrote %q to a non-terminal", b.String())
	}
	undo := splash(&b, colorprofile.ANSI256, "pr\x1bod")
	if got, want := b.String(), "\x1b[?1049h\x1b[H\x1b[2Jamr-tui · opening pr\\x1bod…"; got != want {
		t.Fatalf("splash wrote %q, want %q", got, want)
	}
	b.Reset()
	undo()
	if b.String() != "\x1b[?1049l" {
		t.Fatalf("undo wrote %q, want the alternate screen left", b.String())
	}
	b.Reset()
	splash(&b, colorprofile.ANSI256, "")
	if got := b.String(); got != "\x1b[?1049h\x1b[H\x1b[2Jamr-tui" {
		t.Fatalf("splash without a profile wrote %q", got)
	}
}

// A splash painted before the caller's set-up shows on a terminal only; Run's taking it over
// leaves Undo nothing to do (the screen is Bubble Tea's by then), and before that Undo leaves
// the alternate screen once.
func TestShowSplash(t *testing.T) {
	var b bytes.Buffer
	s := ShowSplash(&b, "prod")
	s.Undo()
	if b.Len() != 0 {
		t.Fatalf("ShowSplash wrote %q to a non-terminal", b.String())
	}
	t.Setenv("TERM", "xterm-256color")
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	read := func() string {
		t.Helper()
		buf := make([]byte, 256)
		_ = ptmx.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		n, _ := ptmx.Read(buf)
		return string(buf[:n])
	}

	s = ShowSplash(tty, "prod")
	if got := read(); got != "\x1b[?1049h\x1b[H\x1b[2Jamr-tui · opening prod…" {
		t.Fatalf("the terminal got %q", got)
	}
	if s.profile < colorprofile.ANSI256 {
		t.Fatalf("the splash found colour profile %v on an xterm-256color terminal; Run reuses it", s.profile)
	}
	s.Undo()
	s.Undo()
	if got := read(); got != "\x1b[?1049l" {
		t.Fatalf("undo wrote %q, want the alternate screen left once", got)
	}

	s = ShowSplash(tty, "")
	read()
	s.take()()
	s.Undo()
	var nilSplash *Splash
	nilSplash.Undo()
	if got := read(); got != "\x1b[?1049l" {
		t.Fatalf("after Run took the splash over, Undo wrote %q", got)
	}
}
