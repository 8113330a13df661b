package browser

import (
	"encoding/binary"
	"hash/maphash"
	"slices"
	"unsafe"
)

// keySet holds the loaded key names in append-only byte chunks, so a million keys cost their
// bytes plus a small fixed overhead (a 12-byte reference and an 8-byte index slot at load
// ≤ 3/4), not a Go string header and a separate allocation each.
//
// Chunks are never reallocated or written after a key is stored in them, so a key read through
// at() stays valid, and a snapshot (refs slice + chunks) may be read from a Cmd goroutine while
// Update keeps appending. Removal is copy-on-write for the same reason.
//
// SCAN may return a key more than once (rehashing); add drops duplicates using keyIndex, a
// hash set of positions in refs that compares the bytes, so a hash collision never loses a key.
type keySet struct {
	chunks [][]byte
	flags  []chunkFlags // per chunk: what kinds of bytes its keys hold (see chunkFlags)
	Refs   []keyRef
	Dedup  keyIndex
	seed   maphash.Seed
	hash   func(string) uint64 // tests force collisions through it; nil = maphash
	used   int                 // bytes used in the last chunk; chunk headers never change after creation
	bytes  int                 // total key bytes stored

	tags    []uint32 // AddAll's scratch
	touched uint64   // AddAll's reads of the home slots, kept
}

type keyRef struct {
	chunk, off, n uint32
}

const keyChunkSize = 256 << 10

// chunkFlags says which kinds of bytes the keys stored in a chunk hold, so the filter can
// search a whole chunk's bytes at once where case folding cannot change the answer (see
// chunkSearch). Bytes of removed keys keep their chunk's flags set: a flag may be set in
// vain, never missing.
type chunkFlags uint8

const (
	chunkUpper    chunkFlags = 1 << iota // an ASCII upper-case letter
	chunkNonASCII                        // a byte ≥ 0x80 (UTF-8 or not)
)

// flagsOf returns the chunkFlags of one key. Every key of a load passes through it, so it
// looks at eight bytes at a time (a byte-at-a-time switch was a sixth of a load's inserts).
func flagsOf(k string) chunkFlags {
	const (
		high  = 0x8080808080808080
		low7  = 0x7f7f7f7f7f7f7f7f
		fromA = 0x3f3f3f3f3f3f3f3f // 0x80 - 'A': the high bit set for a byte ≥ 'A'
		pastZ = 0x2525252525252525 // 0x80 - ('Z'+1): the high bit set for a byte > 'Z'
	)
	var hi, up uint64
	i := 0
	for ; i+8 <= len(k); i += 8 {
		w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(k[i:]), 8))
		hi |= w
		a := w & low7                         // no byte can carry into the next
		up |= (a + fromA) &^ (a + pastZ) &^ w // 'A'…'Z', and not a byte ≥ 0x80
	}
	var f chunkFlags
	if hi&high != 0 {
		f |= chunkNonASCII
	}
	if up&high != 0 {
		f |= chunkUpper
	}
	return f | flagsBytewise(k[i:])
}

// flagsBytewise is flagsOf one byte at a time: the definition, and the tail of a key shorter
// than a word.
func flagsBytewise(k string) chunkFlags {
	var f chunkFlags
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case c >= 0x80:
			f |= chunkNonASCII
		case 'A' <= c && c <= 'Z':
			f |= chunkUpper
		}
	}
	return f
}

// newKeySet returns an empty key set.
func newKeySet() *keySet {
	return &keySet{seed: maphash.MakeSeed()}
}

// Reserve makes room for n keys in all, so a scan whose size is known (DBSIZE) does not
// grow the dedup index and the reference slice step by step — at a million keys that growth
// (rehashes, slice copies) costs as much as the inserts themselves.
func (s *keySet) Reserve(n int) {
	if n <= len(s.Refs) {
		return
	}
	if n > cap(s.Refs) {
		refs := make([]keyRef, len(s.Refs), n)
		copy(refs, s.Refs)
		s.Refs = refs
	}
	s.Dedup.ensure(n)
}

// keyRoom is memory for a set of n keys: its reference slice and index table, allocated and
// faulted in by makeKeyRoom off the UI goroutine, then moved into by adopt.
type keyRoom struct {
	n     int
	refs  []keyRef // empty, capacity n
	slots []uint64 // zeroed
}

// makeKeyRoom allocates room for n keys and writes to every page of it, so the page faults
// (on a VM 5–12 µs each: tens of ms at a million keys) are taken by the goroutine that runs it.
func makeKeyRoom(n int) keyRoom {
	const page = 4096
	refs := make([]keyRef, n)
	for i := 0; i < len(refs); i += page / int(unsafe.Sizeof(keyRef{})) {
		refs[i] = keyRef{}
	}
	slots := make([]uint64, keyIndexSlots(n))
	for i := 0; i < len(slots); i += page / 8 {
		slots[i] = 0
	}
	return keyRoom{n: n, refs: refs[:0], slots: slots}
}

// reserved reports whether the set already has room for n keys.
func (s *keySet) reserved(n int) bool {
	return n <= cap(s.Refs) && s.Dedup.holds(n)
}

// adopt moves the set into r where r is larger: the references are copied, the index rehashed
// into r's table. The set may have grown since r was asked for; parts it outgrew are left.
func (s *keySet) adopt(r keyRoom) {
	if cap(r.refs) > cap(s.Refs) {
		s.Refs = append(r.refs[:0], s.Refs...)
	}
	if len(r.slots) > len(s.Dedup.Slots) { // a larger table holds what the smaller one did
		s.Dedup.rehashInto(r.slots)
	}
}

// Len returns the number of keys.
func (s *keySet) Len() int { return len(s.Refs) }

// At returns key i without copying: the bytes are immutable once stored.
func (s *keySet) At(i int) string { return s.str(s.Refs[i]) }

func (s *keySet) str(r keyRef) string {
	if r.n == 0 {
		return ""
	}
	b := s.chunks[r.chunk][r.off : r.off+r.n]
	return unsafe.String(&b[0], len(b))
}

// tag is the part of k's hash the index keeps: its upper 32 bits.
func (s *keySet) tag(k string) uint32 {
	if s.hash != nil {
		return uint32(s.hash(k) >> 32)
	}
	return uint32(maphash.String(s.seed, k) >> 32)
}

// find returns the index slot holding k and k's position, or the empty slot where k would
// go and -1. The index must have at least one slot.
func (s *keySet) find(k string, tag uint32) (slot uint32, pos int) {
	x := &s.Dedup
	mask := x.mask()
	for i := x.home(tag); ; i = (i + 1) & mask {
		e := x.Slots[i]
		if e == 0 {
			return i, -1
		}
		if uint32(e>>32) == tag {
			p := int(uint32(e)) - 1
			if r := s.Refs[p]; int(r.n) == len(k) && s.str(r) == k {
				return i, p
			}
		}
	}
}

// Add stores k unless it is already present, and reports whether it was added.
func (s *keySet) Add(k string) bool {
	s.Dedup.ensure(len(s.Refs) + 1)
	return s.addTagged(k, s.tag(k))
}

func (s *keySet) addTagged(k string, tag uint32) bool {
	i, pos := s.find(k, tag)
	if pos >= 0 {
		return false
	}
	s.Dedup.insert(i, tag, len(s.Refs))
	s.Refs = append(s.Refs, s.store(k))
	return true
}

// AddAll stores a SCAN page's keys as Add does, one after the other. At millions of keys the
// index outgrows the CPU's caches and each probe waited on memory, one key at a time (150 ns a
// key at 5M, half of a load-all's client CPU): AddAll first reads every key's home slot, loads
// that do not depend on each other and overlap, so the probes that follow find them cached.
func (s *keySet) AddAll(keys []string) {
	if len(keys) == 0 {
		return
	}
	s.Dedup.ensure(len(s.Refs) + len(keys))
	tags := s.tags[:0]
	for _, k := range keys {
		tags = append(tags, s.tag(k))
	}
	x := &s.Dedup
	var touched uint64
	for _, t := range tags {
		touched += x.Slots[x.home(t)]
	}
	s.touched = touched // kept, so the reads are not optimised away
	for i, k := range keys {
		s.addTagged(k, tags[i])
	}
	s.tags = tags
}

func (s *keySet) store(k string) keyRef {
	n := len(k)
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last])-s.used < n {
		size := keyChunkSize
		if n > size {
			size = n
		}
		s.chunks = append(s.chunks, make([]byte, size))
		s.flags = append(s.flags, 0)
		last++
		s.used = 0
	}
	off := s.used
	copy(s.chunks[last][off:], k)
	s.flags[last] |= flagsOf(k)
	s.used += n
	s.bytes += n
	return keyRef{chunk: uint32(last), off: uint32(off), n: uint32(n)}
}

// remove drops key k (after a delete or rename) and returns the position it had, or -1. The
// refs slice is replaced, not shifted in place, so snapshots taken earlier stay consistent.
func (s *keySet) remove(k string) int {
	if len(s.Dedup.Slots) == 0 {
		return -1
	}
	slot, idx := s.find(k, s.tag(k))
	if idx < 0 {
		return -1
	}
	s.Dedup.delete(slot, idx)
	refs := make([]keyRef, 0, len(s.Refs)-1)
	refs = append(refs, s.Refs[:idx]...)
	s.Refs = append(refs, s.Refs[idx+1:]...)
	return idx
}

// index returns the position of k, or -1.
func (s *keySet) index(k string) int {
	if len(s.Dedup.Slots) == 0 {
		return -1
	}
	_, pos := s.find(k, s.tag(k))
	return pos
}

// Has reports whether k is loaded.
func (s *keySet) Has(k string) bool { return s.index(k) >= 0 }

// keySnapshot is a read-only view of the first n keys, safe to use from a Cmd goroutine.
type keySnapshot struct {
	chunks [][]byte
	flags  []chunkFlags // a copy: the last chunk's flags change as keys are added to it
	Refs   []keyRef
}

// Snapshot is an immutable view of the keys loaded so far, safe to read from a Cmd.
func (s *keySet) Snapshot() keySnapshot {
	return keySnapshot{chunks: s.chunks[:len(s.chunks):len(s.chunks)], flags: slices.Clone(s.flags),
		Refs: s.Refs[:len(s.Refs):len(s.Refs)]}
}

// At returns key i of the snapshot.
func (s keySnapshot) At(i int) string {
	r := s.Refs[i]
	if r.n == 0 {
		return ""
	}
	b := s.chunks[r.chunk][r.off : r.off+r.n]
	return unsafe.String(&b[0], len(b))
}
