package common

import (
	"slices"
	"strconv"
	"strings"
)

// crossSlotShown is how many key names a CROSSSLOT explanation lists before "and N more".
const crossSlotShown = 8

// IsCrossSlot reports whether err is a cluster's CROSSSLOT refusal: a command's keys hash to
// different slots.
func IsCrossSlot(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "CROSSSLOT") || strings.HasPrefix(err.Error(), "in a cluster "))
}

// CrossSlotExplain replaces a CROSSSLOT refusal of a command on keys with which key is in which
// slot (CrossSlotMessage for two keys; keys grouped by slot for more); any other error, and a
// CROSSSLOT already explained, is returned as it is.
func CrossSlotExplain(err error, keys ...string) error {
	if !IsCrossSlot(err) || len(keys) < 2 {
		return err
	}
	if e, ok := err.(ConstErr); ok && strings.HasPrefix(string(e), "in a cluster ") {
		return e
	}
	if len(keys) == 2 {
		return ConstErr(CrossSlotMessage(keys[0], keys[1]))
	}
	return ConstErr(CrossSlotKeysMessage(keys))
}

// CrossSlotKeysMessage explains a CROSSSLOT refusal of a command on several keys: the keys by
// slot, slots in order, the first crossSlotShown names shown (escaped).
func CrossSlotKeysMessage(keys []string) string {
	bySlot := map[int][]string{}
	var slots []int
	for _, k := range keys {
		s := KeySlot(k)
		if _, ok := bySlot[s]; !ok {
			slots = append(slots, s)
		}
		bySlot[s] = append(bySlot[s], k)
	}
	slices.Sort(slots)
	var b strings.Builder
	b.WriteString("in a cluster a command's keys must all be in one hash slot; these " + strconv.Itoa(len(keys)) +
		" keys are in " + strconv.Itoa(len(slots)) + " slots: ")
	shown := 0
	for i, s := range slots {
		if shown == crossSlotShown {
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString("slot " + strconv.Itoa(s) + ": ")
		for j, k := range bySlot[s] {
			if shown == crossSlotShown {
				break
			}
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(Printable(k))
			shown++
		}
	}
	if rest := len(keys) - shown; rest > 0 {
		b.WriteString(" … and " + strconv.Itoa(rest) + " more")
	}
	b.WriteString(" (a shared {hash tag} in the names keeps them together); nothing was changed")
	return b.String()
}
