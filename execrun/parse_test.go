package execrun

import (
	"slices"
	"testing"
)

// TestExecRepeatCount checks redis-cli's repeat prefix: a whole number (as strtol reads it)
// before a command, positive; anything else is the command itself.
func TestExecRepeatCount(t *testing.T) {
	cases := []struct {
		args []string
		n    int64
		rest []string
		ok   bool
	}{
		{[]string{"3", "INCR", "k"}, 3, []string{"INCR", "k"}, true},
		{[]string{"+2", "PING"}, 2, []string{"PING"}, true},
		{[]string{" 2", "PING"}, 2, []string{"PING"}, true},
		{[]string{"3"}, 1, []string{"3"}, true},
		{[]string{"0", "PING"}, 0, nil, false},
		{[]string{"-1", "PING"}, 0, nil, false},
		{[]string{"", "PING"}, 0, nil, false},
		{[]string{"99999999999999999999", "PING"}, 0, nil, false},
		{[]string{"3x", "PING"}, 1, []string{"3x", "PING"}, true},
		{[]string{"-", "PING"}, 1, []string{"-", "PING"}, true},
		{[]string{"GET", "k"}, 1, []string{"GET", "k"}, true},
	}
	for _, c := range cases {
		n, rest, ok := repeatCount(c.args)
		if n != c.n || ok != c.ok || !slices.Equal(rest, c.rest) {
			t.Errorf("%q: %d %q %v, want %d %q %v", c.args, n, rest, ok, c.n, c.rest, c.ok)
		}
	}
}
