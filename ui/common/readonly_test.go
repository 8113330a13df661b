package common

import "testing"

// The browser's and viewer's write actions are judged by rediscli's read-only rule, by the
// command each sends: refused on a read-only profile, never elsewhere; a read is not refused.
func TestWriteRefusedUsesTheReadOnlyRule(t *testing.T) {
	ro, rw := &Common{ReadOnly: true}, &Common{}
	for _, cmd := range []string{"DEL", "PEXPIRE", "RENAME", "PERSIST", "SET", "LPUSH", "RPUSH", "HSET", "HDEL",
		"SADD", "SREM", "ZADD", "ZREM", "LSET", "LREM", "XADD", "XDEL"} {
		if !ro.WriteRefused([]string{cmd}) {
			t.Errorf("%s let through on a read-only profile", cmd)
		}
		if rw.WriteRefused([]string{cmd}) {
			t.Errorf("%s refused on a read-write profile", cmd)
		}
	}
	if ro.WriteRefused([]string{"GET"}) {
		t.Error("the rule refused GET")
	}
}

// An action that names no command is assumed to write: refused on a read-only profile.
func TestWriteRefusedWithoutACommandRefuses(t *testing.T) {
	if !(&Common{ReadOnly: true}).WriteRefused(nil) {
		t.Error("an action naming no command got through on a read-only profile")
	}
	if (&Common{}).WriteRefused(nil) {
		t.Error("an action naming no command was refused on a read-write profile")
	}
}
