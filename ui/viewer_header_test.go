package ui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// The member table's column titles stay on screen while the rows scroll, and the selected row
// stays visible.
func TestMemberColumnTitlesStayWhileScrolling(t *testing.T) {
	f := uitest.NewFakeStore()
	h := map[string]string{}
	for i := range 60 {
		h["field"+strconv.Itoa(100+i)] = "v" + strconv.Itoa(i)
	}
	f.Set("h", h)
	a, _ := testApp(t, f, nil, 80, 14)
	start(t, a)
	drain(t, a, a.runCommand("open h"))
	for range 30 {
		press(t, a, "j")
	}
	lines := strings.Split(common.AnsiStrip(a.Render()), "\n")
	if !strings.HasPrefix(lines[3], "FIELD") {
		t.Fatalf("column titles scrolled away:\n%s", strings.Join(lines, "\n"))
	}
	sel := a.viewer.Page.Rows[a.viewer.Sel][0]
	if !strings.Contains(strings.Join(lines, "\n"), sel) {
		t.Fatalf("selected row %s not on screen:\n%s", sel, strings.Join(lines, "\n"))
	}
	if strings.Count(strings.Join(lines, "\n"), "FIELD") != 1 {
		t.Fatalf("titles twice:\n%s", strings.Join(lines, "\n"))
	}
	press(t, a, "G")
	lines = strings.Split(common.AnsiStrip(a.Render()), "\n")
	if !strings.HasPrefix(lines[3], "FIELD") || !strings.Contains(strings.Join(lines, "\n"), a.viewer.Page.Rows[len(a.viewer.Page.Rows)-1][0]) {
		t.Fatalf("bottom:\n%s", strings.Join(lines, "\n"))
	}
}

// The key list's and the tree's column titles stay on screen at the bottom of a long list.
func TestKeyListColumnTitlesStayWhileScrolling(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("a:", 200)
	a, _ := testApp(t, f, nil, 80, 14)
	start(t, a)
	press(t, a, "G")
	if v := common.AnsiStrip(a.Render()); !strings.Contains(v, "  KEY ") || !strings.Contains(v, "a:199") {
		t.Fatalf("key list:\n%s", v)
	}
	press(t, a, "t")
	drain(t, a, nil)
	press(t, a, "enter", "G")
	if v := common.AnsiStrip(a.Render()); !strings.Contains(v, "  NAME ") {
		t.Fatalf("tree:\n%s", v)
	}
}
