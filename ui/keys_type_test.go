package ui

import (
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// :keys PATTERN TYPE refuses a type SCAN does not know (SCAN would match nothing, silently),
// listing the types, and leaves the list as it was; a known type in any case is accepted.
func TestKeysCommandRefusesUnknownType(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 3)
	a, _ := testApp(t, f, nil, 200, 20)
	start(t, a)
	scans := len(f.CallsOf("SCAN"))
	drain(t, a, a.runCommand("keys * strnig"))
	view := a.Render()
	if !strings.Contains(view, `unknown type strnig; the types are string, hash, list, set, zset, stream, ReJSON-RL`) {
		t.Fatalf("no refusal listing the types:\n%s", view)
	}
	if n := len(f.CallsOf("SCAN")); n != scans || a.browser.Scan.Typ != "" {
		t.Fatalf("the refused :keys scanned (%d SCANs, type %q)", n-scans, a.browser.Scan.Typ)
	}
	drain(t, a, a.runCommand("keys k* ZSET"))
	if a.browser.Scan.Typ != "zset" || a.browser.Scan.Match != "k*" {
		t.Fatalf("scan %+v", a.browser.Scan)
	}
}
