package uitest

import "testing"

// The fake's SCAN MATCH follows Redis glob rules, escapes included.
func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		p, s string
		ok   bool
	}{{"user:*", "user:1", true}, {`we\*ird:*`, "we*ird:1", true}, {`we\*ird:*`, "weXird:1", false}, {"h?llo", "hallo", true}, {"h[^e]llo", "hello", false}} {
		if globMatch(c.p, c.s) != c.ok {
			t.Fatalf("fake glob %q %q", c.p, c.s)
		}
	}
}
