package common

import (
	"context"
	"errors"
	"strconv"
)

// SafeWriter is the store capability behind every write that could replace data the user did
// not see: renames that never overwrite, adds that never replace a field or member, edits that
// apply only while the value is still the one shown. A store without it gets those actions
// refused with a message, never a blind write.
type SafeWriter interface {
	// RenameNX renames key only if newKey does not exist (RENAMENX) and reports whether it did.
	RenameNX(ctx context.Context, key, newKey string) (bool, error)
	// CreateKey creates key of type typ holding its first member, only if key does not exist,
	// and reports whether it did. first is: string [value]; hash [field, value]; list [element];
	// set [member]; zset [member, score]; stream [field, value, …] (XADD key * …).
	CreateKey(ctx context.Context, typ, key string, first []string) (bool, error)
	// HGet returns a field's value; ok is false when the field (or key) does not exist.
	HGet(ctx context.Context, key, field string) (value string, ok bool, err error)
	// HSetNX sets a field only if it does not exist and reports whether it did.
	HSetNX(ctx context.Context, key, field, value string) (bool, error)
	// ZScore returns a member's score; ok is false when the member (or key) does not exist.
	ZScore(ctx context.Context, key, member string) (score float64, ok bool, err error)
	// ZAddNX adds a member only if it is not in the set and reports whether it did.
	ZAddNX(ctx context.Context, key, member string, score float64) (bool, error)
	// HSetIf and LSetIf replace a hash value or list element only while it still equals
	// expect (WATCH, check, MULTI/EXEC); otherwise they change nothing and return ErrChanged.
	HSetIf(ctx context.Context, key, field, expect, value string) error
	LSetIf(ctx context.Context, key string, index int64, expect, value string) error
	// ZScoreIf sets a member's score only while the member is still in the set.
	ZScoreIf(ctx context.Context, key, member string, score float64) error
}

// ErrChanged is returned by the conditional writes of SafeWriter when the value is no longer
// the one the user saw: nothing was written.
var ErrChanged = errors.New("the value changed on the server since it was read; nothing was written (reload and try again)")

// ErrGone is returned when the key or member no longer exists: nothing was written.
var ErrGone = errors.New("it no longer exists on the server; nothing was written")

// KeySlot is the Redis Cluster hash slot of key (CRC16/XMODEM of the {hash tag} or the whole
// name, mod 16384). Hand-written: go-redis keeps its own in an internal package.
func KeySlot(key string) int {
	if i := indexByte(key, '{'); i >= 0 {
		if j := indexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	var crc uint16
	for i := 0; i < len(key); i++ {
		crc ^= uint16(key[i]) << 8
		for b := 0; b < 8; b++ {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return int(crc) % 16384
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// CrossSlotMessage explains a CROSSSLOT refusal of a two-key command.
func CrossSlotMessage(key, newKey string) string {
	return "in a cluster both names must be in the same hash slot: " + Printable(key) + " is in slot " +
		strconv.Itoa(KeySlot(key)) + ", " + Printable(newKey) + " in slot " + strconv.Itoa(KeySlot(newKey)) +
		" (a shared {hash tag} in both names keeps them together); nothing was changed"
}
