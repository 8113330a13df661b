package rediscli

import (
	"strings"
	"testing"
)

// parseWire reads exactly one reply from wire, failing the test on any error or leftover.
func parseWire(t *testing.T, wire string) Reply {
	t.Helper()
	rd := NewReader(strings.NewReader(wire))
	r, err := rd.ReadReply()
	if err != nil {
		t.Fatalf("reading %q: %v", wire, err)
	}
	if _, err := rd.ReadReply(); err == nil {
		t.Fatalf("%q holds more than one reply", wire)
	}
	return r
}
