package ui

import (
	"bytes"
	"testing"

	"github.com/charmbracelet/colorprofile"
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
