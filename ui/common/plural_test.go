package common

import "testing"

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n          int64
		noun, want string
	}{
		{0, "key", "0 keys"}, {1, "key", "1 key"}, {2, "key", "2 keys"}, {1234, "key", "1,234 keys"},
		{1, "folder", "1 folder"}, {1, "member", "1 member"}, {3, "field", "3 fields"},
		{1, "entry", "1 entry"}, {2, "entry", "2 entries"}, {1, "element", "1 element"},
	} {
		if got := Plural(c.n, c.noun); got != c.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}
