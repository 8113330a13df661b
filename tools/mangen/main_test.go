package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestManPages: the root page goes to stdout as roff, and --dir writes one page per visible
// command, the way goreleaser's before hook calls it.
func TestManPages(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, "", "v9.9.9"); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	for _, want := range []string{`.TH "AMR-TUI" "1"`, ".SH NAME", "amr-tui", ".SH SYNOPSIS", "--profile", "amr-tui-demo(1)", "amr-tui v9.9.9"} {
		if !strings.Contains(page, want) {
			t.Errorf("%q not in the man page:\n%.600s", want, page)
		}
	}

	dir := filepath.Join(t.TempDir(), "man")
	if err := run(&out, dir, ""); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"amr-tui.1", "amr-tui-demo.1", "amr-tui-exec.1", "amr-tui-profiles.1", "amr-tui-profiles-add.1"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Contains(b, []byte(".SH SYNOPSIS")) {
			t.Errorf("%s has no SYNOPSIS:\n%.300s", name, b)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "amr-tui-man.1")); err == nil {
		t.Errorf("a page was written for a man command")
	}
}
