package bulk

import (
	"encoding/binary"
	"hash/crc64"
	"math"
	"strconv"
	"sync"
	"unsafe"
)

// Import writes small lists, sets, hashes and sorted sets with one native RESTORE each, of a
// DUMP payload built here: RESTORE writes the key whole, with its TTL, and without REPLACE it
// refuses a key that exists (BUSYKEY) — the conflict rule of skip and fail in one command, as
// cheap for the server as the bare HSET/RPUSH/SADD of redis-cli --pipe, where the script it
// replaces (putScript) cost twice as much. No module in go.mod writes RDB objects, and the
// subset needed (four value types in the encodings every server since Redis 5 loads) is short,
// so it is written here. A server that refuses such a payload (older than RDB version 9,
// RESTORE not allowed) gets the key by putScript instead.

// RDB object types and the version the payloads claim (Redis 5.0; every later server loads it).
const (
	rdbTypeList  = 1 // a plain list of strings (loaded into whatever encoding the server uses)
	rdbTypeSet   = 2
	rdbTypeHash  = 4
	rdbTypeZSet2 = 5 // scores as binary doubles
	rdbVersion   = 9
)

// crcJones is the CRC-64 (Jones polynomial, reflected) a DUMP payload ends with. Built on
// first use: MakeTable fills 16 KiB of slicing tables (~0.5 ms), which every command's start
// would pay at package init though only import and copy ever frame a payload.
var crcJones = sync.OnceValue(func() *crc64.Table { return crc64.MakeTable(0x95ac9329ac4bc9b5) })

// redisCRC64 is Redis's crc64(0, p): no initial or final inversion (crc64.Update has both).
func redisCRC64(p []byte) uint64 {
	return ^crc64.Update(^uint64(0), crcJones(), p)
}

func appendRDBLen(b []byte, n int) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(n>>8)|0x40, byte(n))
	case n <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, 0x80), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, 0x81), uint64(n))
}

func appendRDBString(b []byte, s string) []byte {
	return append(appendRDBLen(b, len(s)), s...)
}

// typedPayload builds the DUMP payload of a small list, set, hash or sorted set from the
// writer's element strings (putScript's order: items; field, value; member, score). Duplicate
// set members, hash fields and sorted set members are folded as SADD/HSET/ZADD would fold them
// (the last value or score wins), since a payload holding duplicates is corrupt. ok is false
// for other types, a score that does not parse, or a value that folds to nothing.
func typedPayload(typ string, elems []string) (payload string, ok bool) {
	size := 1 + 9 + 10
	for _, e := range elems {
		size += 5 + len(e)
	}
	b := make([]byte, 0, size)
	switch typ {
	case typeList:
		b = append(b, rdbTypeList)
		b = appendRDBLen(b, len(elems))
		for _, e := range elems {
			b = appendRDBString(b, e)
		}
	case typeSet:
		members := foldPairs(elems, 1)
		b = append(b, rdbTypeSet)
		b = appendRDBLen(b, len(members))
		for _, m := range members {
			b = appendRDBString(b, m)
		}
	case typeHash, typeZSet:
		pairs := foldPairs(elems, 2)
		if typ == typeHash {
			b = append(b, rdbTypeHash)
		} else {
			b = append(b, rdbTypeZSet2)
		}
		b = appendRDBLen(b, len(pairs)/2)
		for i := 0; i < len(pairs); i += 2 {
			b = appendRDBString(b, pairs[i])
			if typ == typeHash {
				b = appendRDBString(b, pairs[i+1])
				continue
			}
			f, err := strconv.ParseFloat(pairs[i+1], 64)
			if err != nil || math.IsNaN(f) {
				return "", false
			}
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
		}
	default:
		return "", false
	}
	if len(elems) == 0 {
		return "", false
	}
	b = binary.LittleEndian.AppendUint16(b, rdbVersion)
	b = binary.LittleEndian.AppendUint64(b, redisCRC64(b))
	// b is this call's own and never written again: the string shares it (no second copy of
	// every payload).
	return unsafe.String(unsafe.SliceData(b), len(b)), true
}

// foldPairs returns elems (groups of size strings, the first of each its name) with later
// groups of an earlier name folded into the first one's place.
func foldPairs(elems []string, size int) []string {
	if distinctNames(elems, size) {
		return elems
	}
	out := make([]string, 0, len(elems))
	var seen map[string]int // name -> index in out; nil while a linear search is cheaper
	for i := 0; i+size <= len(elems); i += size {
		name := elems[i]
		at := -1
		if seen != nil {
			if j, ok := seen[name]; ok {
				at = j
			}
		} else {
			for j := 0; j < len(out); j += size {
				if out[j] == name {
					at = j
					break
				}
			}
		}
		if at >= 0 {
			for k := 1; k < size; k++ {
				out[at+k] = elems[i+k]
			}
			continue
		}
		if seen == nil && len(out) >= 32*size {
			seen = make(map[string]int, len(elems)/size)
			for j := 0; j < len(out); j += size {
				seen[out[j]] = j
			}
		}
		if seen != nil {
			seen[name] = len(out)
		}
		for k := range size {
			out = append(out, elems[i+k])
		}
	}
	return out
}

// distinctNames tells whether no name (the first string of each group of size) comes twice;
// small collections, the common case, are compared without a map.
func distinctNames(elems []string, size int) bool {
	n := len(elems) / size
	if n > 32 {
		seen := make(map[string]struct{}, n)
		for i := 0; i+size <= len(elems); i += size {
			if _, dup := seen[elems[i]]; dup {
				return false
			}
			seen[elems[i]] = struct{}{}
		}
		return true
	}
	for i := 0; i+size <= len(elems); i += size {
		for j := 0; j < i; j += size {
			if elems[j] == elems[i] {
				return false
			}
		}
	}
	return true
}
