package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// The TTL prompt takes what the list shows and what people type, and says what it understood.
func TestTTLPromptForms(t *testing.T) {
	f := uitest.NewFakeStore()
	f.AddStrings("k", 1)
	a, _ := testApp(t, f, nil, 140, 20)
	start(t, a)
	for _, c := range []struct{ typed, sent, said string }{
		{"3600", "EXPIRE k0 1h0m0s", "TTL set to 1h00m (3600s) on k0"},
		{"90s", "EXPIRE k0 1m30s", "TTL set to 1m30s (90s) on k0"},
		{"15m", "EXPIRE k0 15m0s", "TTL set to 15m00s (900s) on k0"},
		{"1d2h", "EXPIRE k0 26h0m0s", "TTL set to 1d02h (93600s) on k0"},
		{"1h30m", "EXPIRE k0 1h30m0s", "TTL set to 1h30m (5400s) on k0"},
		{"1d02h", "EXPIRE k0 26h0m0s", "TTL set to 1d02h (93600s) on k0"},
	} {
		f.Calls = nil
		press(t, a, "x")
		typeText(t, a, c.typed)
		press(t, a, "enter")
		if got := f.CallsOf("EXPIRE"); !slices.Equal(got, []string{c.sent}) {
			t.Errorf("%q: calls %v, want %q", c.typed, got, c.sent)
		}
		if !strings.Contains(a.Render(), c.said) {
			t.Errorf("%q: %q not on screen:\n%s", c.typed, c.said, a.Render())
		}
	}
	f.Calls = nil
	press(t, a, "x")
	typeText(t, a, "1.5s")
	press(t, a, "enter")
	if len(f.CallsOf("EXPIRE")) != 0 || !strings.Contains(a.Render(), "seconds (3600) or a duration like 90s") {
		t.Fatalf("a bad TTL was not explained:\n%s", a.Render())
	}
}
