package bulk

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
)

// A value too big for one command is built under a temporary name and renamed over its target
// by a script, which in a cluster needs both names in one hash slot. tmpName finds, for any
// target name, a temporary name whose hash tag maps to the target's slot. go-redis computes
// slots in an internal package, so the CRC16 of the cluster specification is written here.

// keySlot is the cluster hash slot of key (CRC16/XMODEM of its hash tag, mod 16384).
func keySlot(key string) int {
	if s := strings.IndexByte(key, '{'); s >= 0 {
		if e := strings.IndexByte(key[s+1:], '}'); e > 0 {
			key = key[s+1 : s+1+e]
		}
	}
	return int(crc16(key) % 16384)
}

func crc16(s string) uint16 {
	var crc uint16
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

var (
	slotTagsOnce sync.Once
	slotTags     [16384]string
)

// slotTag returns a short hash tag whose slot is slot.
func slotTag(slot int) string {
	slotTagsOnce.Do(func() {
		left := len(slotTags)
		for n := 0; left > 0; n++ {
			t := strconv.Itoa(n)
			if s := crc16(t) % 16384; slotTags[s] == "" {
				slotTags[s] = t
				left--
			}
		}
	})
	return slotTags[slot]
}

// tmpPrefix starts every temporary name, so that one left by an interrupted import (it
// expires by itself, see tmpTTL) can be recognised.
const tmpPrefix = "amr-tui:tmp:"

// tmpName returns a fresh temporary name in key's hash slot.
func tmpName(key string) string {
	var r [12]byte
	_, _ = rand.Read(r[:])
	return "{" + slotTag(keySlot(key)) + "}" + tmpPrefix + hex.EncodeToString(r[:])
}
