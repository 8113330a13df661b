package analyze

import (
	"slices"
	"testing"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// matchGlob agrees with the server's SCAN MATCH on every pattern and key here, including
// escapes, classes, ranges, unterminated classes and bytes above 0x7f.
func TestGlobAgreesWithScanMatch(t *testing.T) {
	keys := []string{"", "a", "ab", "abc", "user:1", "user:12", "user:1:x", "User:1", "a*b", "a?b", "a[b", "a]b",
		`a\b`, "a-b", "héllo", "\xff\xfe", "\x00x", "x\x00", "[", "]", "-", "^", "aaaaaaaaaaaaaaaaaaaab", "b", "c", "z"}
	patterns := []string{"*", "a*", "*b", "a?", "a??", "user:*", "user:?", "user:*:*", "[a-c]", "[c-a]", "[^a]", "[^a-b]*",
		`a\*b`, `a\?b`, `a\[b`, "a[]]b", "a[", "a[b", "[", "[]", "[^]", `a\`, `\`, "a[\\]]b", "a[-]b", "a[a-]b",
		"h*o", "h?llo", "\xff*", "[\xfe-\xff]*", "*\x00*", "a*a*a*a*a*b", "**", "*?*", "[abc", "[a-", "?"}
	srv := redistest.StartRedisServer(t)
	c := client(t, srv.Addr, 0)
	ctx := testCtx(t)
	for _, k := range keys {
		if err := c.Set(ctx, "g|"+k, 1, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range patterns {
		want, _, err := c.Scan(ctx, 0, "g|"+p, 1000).Result()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, k := range keys {
			if matchGlob("g|"+p, "g|"+k) {
				got = append(got, "g|"+k)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("pattern %q: matchGlob %q, SCAN MATCH %q", p, got, want)
		}
	}
}
