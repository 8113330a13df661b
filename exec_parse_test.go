package main

import (
	"slices"
	"testing"

	"github.com/amr-tui/amr-tui/rediscli"
)

// TestExecParseRedirect checks MOVED and ASK parsing, including an empty host (the current
// connection's) and replies that are not redirections.
func TestExecParseRedirect(t *testing.T) {
	cases := []struct {
		reply rediscli.Reply
		want  execRedirect
		ok    bool
	}{
		{rediscli.Error("MOVED 3999 127.0.0.1:6381"), execRedirect{slot: "3999", host: "127.0.0.1", port: 6381}, true},
		{rediscli.Error("ASK 12 10.0.0.5:8500"), execRedirect{ask: true, slot: "12", host: "10.0.0.5", port: 8500}, true},
		{rediscli.Error("MOVED 7 :7000"), execRedirect{slot: "7", host: "192.0.2.1", port: 7000}, true},
		{rediscli.Error("MOVED 7 ::1:7000"), execRedirect{slot: "7", host: "::1", port: 7000}, true},
		{rediscli.Error("MOVED 7 host"), execRedirect{}, false},
		{rediscli.Error("MOVED 7 host:0"), execRedirect{}, false},
		{rediscli.Error("ERR MOVED 7 host:1"), execRedirect{}, false},
		{rediscli.Bulk("MOVED 7 host:1"), execRedirect{}, false},
	}
	for _, c := range cases {
		got, ok := parseRedirect(c.reply, "192.0.2.1:6380")
		if ok != c.ok || got != c.want {
			t.Errorf("%q: %+v %v, want %+v %v", c.reply.Str, got, ok, c.want, c.ok)
		}
	}
}

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
