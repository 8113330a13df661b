package browser

// keyIndex is keySet's de-duplication index: an open-addressing hash set (linear probing) of
// positions in keySet.refs. A Go map[uint64]keyRef cost about 58 bytes per key at a million
// keys and a cache miss or two per lookup in its buckets; this is one 8-byte slot per table
// entry at a load factor ≤ 3/4 (11–21 bytes per key), and one cache line touched per probe.
//
// A slot packs the upper 32 bits of the key's 64-bit hash (the tag) with the position + 1
// (0 = empty slot). The home slot is the tag's top bits, so growing rehashes from the slots
// alone without reading a key, and a probe compares key bytes only when the tags match.
// Equal tags of different keys (a hash collision) simply occupy two slots: the bytes decide.
//
// Only Update touches the index; snapshots read refs and chunks, never the index, so it may be
// rewritten in place (growth, deletion) while a Cmd reads a snapshot.
type keyIndex struct {
	Slots []uint64
	count int  // occupied slots
	shift uint // 32 - log2(len(slots)): a tag's home slot is tag >> shift
}

const minKeyIndexSlots = 8

// keyIndexSlots is the table size that holds n entries at a load factor ≤ 3/4.
func keyIndexSlots(n int) int {
	size := minKeyIndexSlots
	for size*3/4 < n {
		size *= 2
	}
	return size
}

func (x *keyIndex) mask() uint32 { return uint32(len(x.Slots) - 1) }

func (x *keyIndex) home(tag uint32) uint32 { return tag >> x.shift }

// ensure makes room for n entries in all, rehashing into a larger table if needed.
func (x *keyIndex) ensure(n int) {
	if x.holds(n) {
		return
	}
	size := keyIndexSlots(n)
	if size <= len(x.Slots) {
		return
	}
	x.rehashInto(make([]uint64, size))
}

// rehashInto moves the index into slots, a zeroed table of a power-of-two size larger than
// the current one.
func (x *keyIndex) rehashInto(slots []uint64) {
	old := x.Slots
	x.Slots = slots
	size := len(slots)
	x.shift = 32
	for s := size; s > 1; s >>= 1 {
		x.shift--
	}
	mask := x.mask()
	for _, e := range old {
		if e == 0 {
			continue
		}
		i := x.home(uint32(e >> 32))
		for x.Slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.Slots[i] = e
	}
}

// holds reports whether the table holds n entries at a load factor ≤ 3/4.
func (x *keyIndex) holds(n int) bool { return n <= len(x.Slots)*3/4 }

// insert records position pos under tag at slot i, which a probe found empty.
func (x *keyIndex) insert(i uint32, tag uint32, pos int) {
	x.Slots[i] = uint64(tag)<<32 | uint64(uint32(pos+1))
	x.count++
}

// delete empties slot i, which holds position pos, and renumbers the positions above pos
// down by one, as keySet.refs does when the key at pos is removed.
func (x *keyIndex) delete(i uint32, pos int) {
	x.unlink(i)
	x.count--
	above := uint32(pos + 1)
	for k, e := range x.Slots {
		if uint32(e) > above {
			x.Slots[k] = e - 1
		}
	}
}

// unlink empties slot i and shifts later entries of its probe run back (backward-shift
// deletion), so lookups never meet a tombstone.
func (x *keyIndex) unlink(i uint32) {
	mask := x.mask()
	x.Slots[i] = 0
	for j := (i + 1) & mask; x.Slots[j] != 0; j = (j + 1) & mask {
		// The entry at j may fill the hole at i unless its home lies cyclically in (i, j].
		h := x.home(uint32(x.Slots[j] >> 32))
		if (i <= j && (h <= i || h > j)) || (i > j && h <= i && h > j) {
			x.Slots[i] = x.Slots[j]
			x.Slots[j] = 0
			i = j
		}
	}
}
