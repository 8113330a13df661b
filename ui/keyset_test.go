package ui

import (
	"hash/maphash"
	"strconv"
	"testing"
)

func TestKeySetDedupAndRemove(t *testing.T) {
	s := newKeySet()
	for _, k := range []string{"a", "b", "a", "", "c", "b"} {
		s.add(k)
	}
	if s.Len() != 4 {
		t.Fatalf("len %d, want 4 (duplicates from SCAN dropped)", s.Len())
	}
	if s.at(0) != "a" || s.at(1) != "b" || s.at(2) != "" || s.at(3) != "c" {
		t.Fatalf("order: %q %q %q %q", s.at(0), s.at(1), s.at(2), s.at(3))
	}
	snap := s.snapshot()
	if s.remove("b") != 1 || s.remove("b") != -1 {
		t.Fatal("remove")
	}
	if s.Len() != 3 || s.at(1) != "" || s.has("b") {
		t.Fatalf("after remove: len %d", s.Len())
	}
	if snap.at(1) != "b" {
		t.Fatal("an earlier snapshot changed under a remove")
	}
	if !s.add("b") || s.at(3) != "b" {
		t.Fatal("re-adding a removed key")
	}
}

func TestKeySetHashCollisionKeepsBothKeys(t *testing.T) {
	s := newKeySet()
	s.add("first")
	// Force "second" to collide with "first": point its hash at first's reference.
	s.seen[maphash.String(s.seed, "second")] = s.refs[0]
	if !s.add("second") || s.add("second") {
		t.Fatal("colliding key lost or duplicated")
	}
	if s.Len() != 2 || s.at(1) != "second" || !s.has("second") {
		t.Fatalf("len %d", s.Len())
	}
	if s.remove("second") != 1 || s.has("second") {
		t.Fatal("removing a colliding key")
	}
}

func TestKeySetLargeKeysAndChunks(t *testing.T) {
	s := newKeySet()
	big := string(make([]byte, keyChunkSize+10))
	s.add("x")
	s.add(big)
	for i := range 50_000 {
		s.add("user:" + strconv.Itoa(i))
	}
	if s.at(1) != big || s.at(2) != "user:0" || s.at(50_001) != "user:49999" {
		t.Fatal("keys across chunks")
	}
}

// TestSnapshotWhileAppending reads a snapshot on another goroutine (as the filter Cmd does)
// while keys keep arriving; run with -race.
func TestSnapshotWhileAppending(t *testing.T) {
	s := newKeySet()
	for i := range 20_000 {
		s.add("k" + strconv.Itoa(i))
	}
	snap := s.snapshot()
	done := make(chan int)
	go func() {
		m := filterCmd(1, snap, "k1")().(filterMsg)
		done <- len(m.matches)
	}()
	for i := 20_000; i < 120_000; i++ {
		s.add("k" + strconv.Itoa(i))
		if i%10_000 == 0 {
			s.remove("k" + strconv.Itoa(i-5))
		}
	}
	if n := <-done; n != 11_111 { // k1, k10–k19, k100–k199, k1000–k1999, k10000–k19999
		t.Fatalf("matches %d", n)
	}
}
