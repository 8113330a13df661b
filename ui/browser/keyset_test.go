package browser

import (
	"slices"
	"strconv"
	"testing"
)

func TestKeySetDedupAndRemove(t *testing.T) {
	s := newKeySet()
	for _, k := range []string{"a", "b", "a", "", "c", "b"} {
		s.Add(k)
	}
	if s.Len() != 4 {
		t.Fatalf("len %d, want 4 (duplicates from SCAN dropped)", s.Len())
	}
	if s.At(0) != "a" || s.At(1) != "b" || s.At(2) != "" || s.At(3) != "c" {
		t.Fatalf("order: %q %q %q %q", s.At(0), s.At(1), s.At(2), s.At(3))
	}
	snap := s.Snapshot()
	if s.remove("b") != 1 || s.remove("b") != -1 {
		t.Fatal("remove")
	}
	if s.Len() != 3 || s.At(1) != "" || s.Has("b") {
		t.Fatalf("after remove: len %d", s.Len())
	}
	if snap.At(1) != "b" {
		t.Fatal("an earlier snapshot changed under a remove")
	}
	if !s.Add("b") || s.At(3) != "b" {
		t.Fatal("re-adding a removed key")
	}
}

// Every key hashing alike must still be kept, found, de-duplicated and removable: the index
// compares bytes whenever tags match.
func TestKeySetHashCollisionKeepsBothKeys(t *testing.T) {
	s := newKeySet()
	s.hash = func(string) uint64 { return 0xdeadbeef_00000000 }
	for _, k := range []string{"first", "second", "third", "second", "", "first"} {
		s.Add(k)
	}
	checkKeySet(t, s, "first", "second", "third", "")
	if s.Add("second") || !s.Has("second") || s.Has("fourth") {
		t.Fatal("colliding key lost or duplicated")
	}
	if s.remove("second") != 1 || s.Has("second") || s.remove("second") != -1 {
		t.Fatal("removing a colliding key")
	}
	checkKeySet(t, s, "first", "third", "")
	if !s.Add("second") {
		t.Fatal("re-adding a removed colliding key")
	}
	checkKeySet(t, s, "first", "third", "", "second")
}

// The index grows past many doublings and renumbers positions on removal, with keys spread
// over few tags so probe runs are long and wrap around the table.
func TestKeySetIndexGrowthAndRemoval(t *testing.T) {
	s := newKeySet()
	s.hash = func(k string) uint64 { return uint64(len(k)%5) << 61 }
	var want []string
	for i := range 3000 {
		k := "k" + strconv.Itoa(i*7%3000)
		if !s.Add(k) {
			t.Fatalf("add %q", k)
		}
		want = append(want, k)
	}
	checkKeySet(t, s, want...)
	for i := 0; i < len(want); i += 3 {
		if s.remove(want[i]) < 0 {
			t.Fatalf("remove %q", want[i])
		}
	}
	var kept []string
	for i, k := range want {
		if i%3 != 0 {
			kept = append(kept, k)
		}
	}
	checkKeySet(t, s, kept...)
	if len(s.Dedup.Slots) != keyIndexSlots(3000) {
		t.Fatalf("%d slots for 3000 keys, want %d", len(s.Dedup.Slots), keyIndexSlots(3000))
	}
}

// checkKeySet asserts that s holds exactly want, in order, and that its index is consistent:
// one slot per key, each with the key's tag, reachable from the key.
func checkKeySet(t *testing.T, s *keySet, want ...string) {
	t.Helper()
	if s.Len() != len(want) || s.Dedup.count != len(want) {
		t.Fatalf("len %d, index count %d, want %d", s.Len(), s.Dedup.count, len(want))
	}
	for i, k := range want {
		if s.At(i) != k {
			t.Fatalf("key %d: %q, want %q", i, s.At(i), k)
		}
		if s.index(k) != i {
			t.Fatalf("index(%q) = %d, want %d", k, s.index(k), i)
		}
	}
	if n := len(s.Dedup.Slots); n > 0 && s.Dedup.count > n*3/4 {
		t.Fatalf("load %d/%d above 3/4", s.Dedup.count, n)
	}
	seen := make([]bool, len(want))
	for _, e := range s.Dedup.Slots {
		if e == 0 {
			continue
		}
		pos := int(uint32(e)) - 1
		if pos < 0 || pos >= len(want) || seen[pos] {
			t.Fatalf("slot %#x: bad or repeated position", e)
		}
		seen[pos] = true
		if uint32(e>>32) != s.tag(want[pos]) {
			t.Fatalf("slot %#x: tag is not %q's", e, want[pos])
		}
	}
}

func TestKeySetLargeKeysAndChunks(t *testing.T) {
	s := newKeySet()
	big := string(make([]byte, keyChunkSize+10))
	s.Add("x")
	s.Add(big)
	for i := range 50_000 {
		s.Add("user:" + strconv.Itoa(i))
	}
	if s.At(1) != big || s.At(2) != "user:0" || s.At(50_001) != "user:49999" {
		t.Fatal("keys across chunks")
	}
}

// TestSnapshotWhileAppending reads a snapshot on another goroutine (as the filter Cmd does)
// while keys keep arriving; run with -race.
func TestSnapshotWhileAppending(t *testing.T) {
	s := newKeySet()
	for i := range 20_000 {
		s.Add("k" + strconv.Itoa(i))
	}
	snap := s.Snapshot()
	done := make(chan int)
	go func() {
		m := filterCmd(1, snap, "k1", nil, nil)().(FilterMsg)
		done <- len(m.matches)
	}()
	for i := 20_000; i < 120_000; i++ {
		s.Add("k" + strconv.Itoa(i))
		if i%10_000 == 0 {
			s.remove("k" + strconv.Itoa(i-5))
		}
	}
	if n := <-done; n != 11_111 { // k1, k10–k19, k100–k199, k1000–k1999, k10000–k19999
		t.Fatalf("matches %d", n)
	}
}

// FuzzKeySet runs a sequence of adds and removes against keySet and a map model. The first
// byte picks the hash: real, or squeezed into a few values so collisions and long probe runs
// are common.
func FuzzKeySet(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 1, 0x81, 2, 0x82, 3})
	f.Add([]byte{1, 5, 5, 6, 7, 0x85, 8, 0x86, 6, 0x87, 0x88})
	f.Add([]byte{2, 0, 0, 0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x83})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) == 0 {
			return
		}
		s := newKeySet()
		switch ops[0] % 3 {
		case 1:
			s.hash = func(k string) uint64 { return uint64(len(k)) << 62 }
		case 2:
			s.hash = func(string) uint64 { return 0 }
		}
		model := map[string]bool{}
		var order []string
		for i, op := range ops[1:] {
			k := "k" + strconv.Itoa(int(op&0x3f))
			if op&0x3f == 0x3f {
				k = ""
			}
			if op&0x80 == 0 {
				if got, want := s.Add(k), !model[k]; got != want {
					t.Fatalf("op %d: add(%q) = %v, want %v", i, k, got, want)
				}
				if !model[k] {
					model[k] = true
					order = append(order, k)
				}
				continue
			}
			want := slices.Index(order, k)
			if got := s.remove(k); got != want {
				t.Fatalf("op %d: remove(%q) = %d, want %d", i, k, got, want)
			}
			if want >= 0 {
				delete(model, k)
				order = slices.Delete(order, want, want+1)
			}
			if op&0x40 != 0 && s.Has(k) {
				t.Fatalf("op %d: %q still present", i, k)
			}
		}
		checkKeySet(t, s, order...)
	})
}

// reserve keeps what is loaded, and de-duplication and order work across it.
func TestKeySetReserve(t *testing.T) {
	s := newKeySet()
	s.Add("a")
	s.Add("b")
	snap := s.Snapshot()
	s.Reserve(1000)
	if cap(s.Refs) < 1000 || s.Len() != 2 || len(s.Dedup.Slots) < keyIndexSlots(1000) {
		t.Fatalf("after reserve: len %d cap %d", s.Len(), cap(s.Refs))
	}
	if s.Add("a") || !s.Add("c") || s.Add("c") {
		t.Fatal("de-duplication across reserve")
	}
	if s.At(0) != "a" || s.At(1) != "b" || s.At(2) != "c" || !s.Has("b") {
		t.Fatalf("keys after reserve: %q %q %q", s.At(0), s.At(1), s.At(2))
	}
	if len(snap.Refs) != 2 || snap.At(1) != "b" {
		t.Fatal("a snapshot taken before reserve changed")
	}
	s.Reserve(10) // smaller: nothing to do
	if cap(s.Refs) < 1000 {
		t.Fatal("reserve shrank the set")
	}
}

// AddAll keeps exactly what Add one key at a time keeps, in the same order: repeats within a
// page and of earlier pages are dropped, colliding tags keep every key, and pages larger than
// the index (growth mid-scan) and empty pages work.
func TestKeySetAddAllMatchesAdd(t *testing.T) {
	for _, collide := range []bool{false, true} {
		one, all := newKeySet(), newKeySet()
		if collide {
			h := func(k string) uint64 { return uint64(len(k)%3) << 40 }
			one.hash, all.hash = h, h
		}
		var pages [][]string
		for p := range 40 {
			var page []string
			for i := range p * 37 {
				page = append(page, "k:"+strconv.Itoa((p*31+i*7)%900), "")
			}
			pages = append(pages, page)
		}
		for _, page := range pages {
			for _, k := range page {
				one.Add(k)
			}
			all.AddAll(page)
		}
		if one.Len() != all.Len() {
			t.Fatalf("collide=%v: AddAll kept %d keys, Add %d", collide, all.Len(), one.Len())
		}
		for i := range one.Len() {
			if one.At(i) != all.At(i) || all.index(all.At(i)) != i {
				t.Fatalf("collide=%v: key %d is %q by AddAll, %q by Add", collide, i, all.At(i), one.At(i))
			}
		}
	}
}
