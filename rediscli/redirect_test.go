package rediscli

import "testing"

// TestParseRedirect checks MOVED and ASK parsing, including an empty host (the current
// connection's) and replies that are not redirections.
func TestParseRedirect(t *testing.T) {
	cases := []struct {
		reply Reply
		want  Redirect
		ok    bool
	}{
		{Error("MOVED 3999 127.0.0.1:6381"), Redirect{Slot: "3999", Host: "127.0.0.1", Port: 6381}, true},
		{Error("ASK 12 10.0.0.5:8500"), Redirect{Ask: true, Slot: "12", Host: "10.0.0.5", Port: 8500}, true},
		{Error("MOVED 7 :7000"), Redirect{Slot: "7", Host: "192.0.2.1", Port: 7000}, true},
		{Error("MOVED 7 ::1:7000"), Redirect{Slot: "7", Host: "::1", Port: 7000}, true},
		{Error("MOVED 7 host"), Redirect{}, false},
		{Error("MOVED 7 host:0"), Redirect{}, false},
		{Error("ERR MOVED 7 host:1"), Redirect{}, false},
		{Bulk("MOVED 7 host:1"), Redirect{}, false},
	}
	for _, c := range cases {
		got, ok := ParseRedirect(c.reply, "192.0.2.1:6380")
		if ok != c.ok || got != c.want {
			t.Errorf("%q: %+v %v, want %+v %v", c.reply.Str, got, ok, c.want, c.ok)
		}
	}
}
