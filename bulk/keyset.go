package bulk

import "hash/maphash"

// keySet remembers which key names a walk has seen, so that keys SCAN returns twice (it may,
// while the server resizes its hash table) are counted and acted on once. It keeps two
// independent 64-bit hashes per name in an open-addressing table (16 bytes a slot, at most
// half full): a false "seen" needs both hashes of two different names to collide (about 2^-128
// per pair), and holding every name instead would cost several times the memory on a walk of
// millions of keys. maphash is used rather than a hand-written hash because it is the
// standard library's seeded, fast string hash.
type keySet struct {
	s1, s2 maphash.Seed
	slots  [][2]uint64 // {0,0} is empty; a name whose hashes are both 0 is stored as {0,1}
	n      int
}

func newKeySet() *keySet {
	return &keySet{s1: maphash.MakeSeed(), s2: maphash.MakeSeed(), slots: make([][2]uint64, 1024)}
}

// add records name and reports whether it was new.
func (s *keySet) add(name string) bool {
	h := [2]uint64{maphash.String(s.s1, name), maphash.String(s.s2, name)}
	if h == [2]uint64{} {
		h[1] = 1
	}
	if (s.n+1)*2 > len(s.slots) {
		s.grow()
	}
	if !s.insert(h) {
		return false
	}
	s.n++
	return true
}

func (s *keySet) insert(h [2]uint64) bool {
	mask := uint64(len(s.slots) - 1)
	for i := h[0] & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return false
		case [2]uint64{}:
			s.slots[i] = h
			return true
		}
	}
}

func (s *keySet) grow() {
	old := s.slots
	s.slots = make([][2]uint64, len(old)*2)
	for _, h := range old {
		if h != [2]uint64{} {
			s.insert(h)
		}
	}
}
