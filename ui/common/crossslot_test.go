package common

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestCrossSlotExplain(t *testing.T) {
	refused := errors.New("CROSSSLOT Keys in request don't hash to the same slot")
	if err := CrossSlotExplain(errors.New("ERR no such key"), "a", "b"); err.Error() != "ERR no such key" {
		t.Fatalf("another error rewritten: %v", err)
	}
	if err := CrossSlotExplain(refused, "a"); err != refused {
		t.Fatalf("one key: %v", err)
	}
	two := CrossSlotExplain(refused, "a", "b")
	if two.Error() != CrossSlotMessage("a", "b") {
		t.Fatalf("two keys: %v", two)
	}
	if again := CrossSlotExplain(two, "a", "b"); again != two {
		t.Fatalf("explained twice: %v", again)
	}
	// Several keys are grouped by slot, slots in order, names escaped.
	got := CrossSlotExplain(refused, "{x}1", "b\x00", "{x}2", "c").Error()
	xs := "slot " + strconv.Itoa(KeySlot("{x}1")) + ": {x}1, {x}2"
	if !strings.Contains(got, xs) || !strings.Contains(got, `b\x00`) || !strings.Contains(got, "these 4 keys are in 3 slots") ||
		!strings.HasSuffix(got, "nothing was changed") {
		t.Fatalf("several keys: %s", got)
	}
	// Past eight names the rest is counted.
	got = CrossSlotExplain(refused, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j").Error()
	if !strings.Contains(got, "… and 2 more") || strings.Count(got, "; slot ") != 7 {
		t.Fatalf("ten keys: %s", got)
	}
}
