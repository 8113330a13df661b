package ui

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// Counts of one read "1 field", "1 folder", "1 key"; the value header's size unit too.
func TestPluralsInHeaders(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("h", map[string]string{"only": "v"})
	f.Set("l", []string{"a", "b"})
	f.Set("app:x:1", "v")
	a, _ := testApp(t, f, nil, 140, 20)
	start(t, a)
	drain(t, a, a.runCommand("open h"))
	if v := common.AnsiStrip(a.Render()); !strings.Contains(v, "HLEN 1 field ·") {
		t.Fatalf("hash header:\n%s", v)
	}
	drain(t, a, a.runCommand("open l"))
	if v := common.AnsiStrip(a.Render()); !strings.Contains(v, "LLEN 2 elements") {
		t.Fatalf("list header:\n%s", v)
	}
	drain(t, a, a.runCommand("tree"))
	if v := common.AnsiStrip(a.Render()); !strings.Contains(v, "1 folder · 2 keys") {
		t.Fatalf("tree header:\n%s", v)
	}
}
