package ui

import "testing"

// The browser's and viewer's write actions are judged by rediscli's read-only rule, by the
// command each sends: every one of them is refused on a read-only profile, none elsewhere.
func TestBrowserActionsUseTheReadOnlyRule(t *testing.T) {
	ro := &Common{ReadOnly: true}
	rw := &Common{}
	cmds := []string{"DEL", "PEXPIRE", "RENAME", "PERSIST", "SET", "LPUSH"}
	for _, typ := range []string{TypeHash, TypeList, TypeSet, TypeZSet, TypeStream, TypeString} {
		for _, op := range []string{"edit", "add", "delete"} {
			cmds = append(cmds, memberWrite(typ, op))
		}
	}
	for _, cmd := range cmds {
		if !ro.writeRefused([]string{cmd}) {
			t.Errorf("%s let through on a read-only profile", cmd)
		}
		if rw.writeRefused([]string{cmd}) {
			t.Errorf("%s refused on a read-write profile", cmd)
		}
	}
	if ro.writeRefused([]string{"GET"}) {
		t.Error("the rule refused GET")
	}
}
