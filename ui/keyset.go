package ui

import (
	"hash/maphash"
	"unsafe"
)

// keySet holds the loaded key names in append-only byte chunks, so a million keys cost their
// bytes plus a small fixed overhead (a 12-byte reference and a dedup-map slot), not a Go string
// header and a separate allocation each.
//
// Chunks are never reallocated or written after a key is stored in them, so a key read through
// at() stays valid, and a snapshot (refs slice + chunks) may be read from a Cmd goroutine while
// Update keeps appending. Removal is copy-on-write for the same reason.
//
// SCAN may return a key more than once (rehashing); add drops duplicates using a map from a
// 64-bit hash to the key's reference, comparing the bytes so a hash collision never loses a key.
type keySet struct {
	chunks [][]byte
	refs   []keyRef
	seen   map[uint64]keyRef
	extra  map[string]struct{} // keys whose hash collided with a different key
	seed   maphash.Seed
	used   int // bytes used in the last chunk; chunk headers never change after creation
	bytes  int // total key bytes stored
}

type keyRef struct {
	chunk, off, n uint32
}

const keyChunkSize = 256 << 10

func newKeySet() *keySet {
	return &keySet{seen: make(map[uint64]keyRef), seed: maphash.MakeSeed()}
}

// reserve makes room for n keys in all, so a scan whose size is known (DBSIZE) does not
// grow the dedup map and the reference slice step by step — at a million keys that growth
// (map splits, slice copies) cost as much as the inserts themselves.
func (s *keySet) reserve(n int) {
	if n <= len(s.refs) || n <= cap(s.refs) {
		return
	}
	refs := make([]keyRef, len(s.refs), n)
	copy(refs, s.refs)
	s.refs = refs
	seen := make(map[uint64]keyRef, n)
	for h, r := range s.seen {
		seen[h] = r
	}
	s.seen = seen
}

// Len returns the number of keys.
func (s *keySet) Len() int { return len(s.refs) }

// at returns key i without copying: the bytes are immutable once stored.
func (s *keySet) at(i int) string { return s.str(s.refs[i]) }

func (s *keySet) str(r keyRef) string {
	if r.n == 0 {
		return ""
	}
	b := s.chunks[r.chunk][r.off : r.off+r.n]
	return unsafe.String(&b[0], len(b))
}

// add stores k unless it is already present, and reports whether it was added.
func (s *keySet) add(k string) bool {
	h := maphash.String(s.seed, k)
	if r, ok := s.seen[h]; ok {
		if s.str(r) == k {
			return false
		}
		if s.extra == nil {
			s.extra = make(map[string]struct{})
		}
		if _, dup := s.extra[k]; dup {
			return false
		}
		s.extra[k] = struct{}{}
		s.refs = append(s.refs, s.store(k))
		return true
	}
	r := s.store(k)
	s.seen[h] = r
	s.refs = append(s.refs, r)
	return true
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
		last++
		s.used = 0
	}
	off := s.used
	copy(s.chunks[last][off:], k)
	s.used += n
	s.bytes += n
	return keyRef{chunk: uint32(last), off: uint32(off), n: uint32(n)}
}

// remove drops key k (after a delete or rename) and returns the position it had, or -1. The
// refs slice is replaced, not shifted in place, so snapshots taken earlier stay consistent.
func (s *keySet) remove(k string) int {
	idx := s.index(k)
	if idx < 0 {
		return -1
	}
	refs := make([]keyRef, 0, len(s.refs)-1)
	refs = append(refs, s.refs[:idx]...)
	s.refs = append(refs, s.refs[idx+1:]...)
	h := maphash.String(s.seed, k)
	if r, ok := s.seen[h]; ok && s.str(r) == k {
		delete(s.seen, h)
	} else {
		delete(s.extra, k)
	}
	return idx
}

// index returns the position of k, or -1. It is linear: used only for rare actions.
func (s *keySet) index(k string) int {
	for i, r := range s.refs {
		if int(r.n) == len(k) && s.str(r) == k {
			return i
		}
	}
	return -1
}

// has reports whether k is loaded.
func (s *keySet) has(k string) bool {
	h := maphash.String(s.seed, k)
	if r, ok := s.seen[h]; ok {
		if s.str(r) == k {
			return true
		}
		_, ok := s.extra[k]
		return ok
	}
	return false
}

// keySnapshot is a read-only view of the first n keys, safe to use from a Cmd goroutine.
type keySnapshot struct {
	chunks [][]byte
	refs   []keyRef
}

func (s *keySet) snapshot() keySnapshot {
	return keySnapshot{chunks: s.chunks[:len(s.chunks):len(s.chunks)], refs: s.refs[:len(s.refs):len(s.refs)]}
}

func (s keySnapshot) at(i int) string {
	r := s.refs[i]
	if r.n == 0 {
		return ""
	}
	b := s.chunks[r.chunk][r.off : r.off+r.n]
	return unsafe.String(&b[0], len(b))
}
