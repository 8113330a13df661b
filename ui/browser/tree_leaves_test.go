package browser

import (
	"slices"
	"testing"
)

func leafPositions(l *leafList) []int32 {
	out := []int32{}
	for i := range l.Len() {
		out = append(out, l.At(i))
	}
	return out
}

// A folder holding every loaded key keeps no slice of positions until a key outside it, or
// a gap, breaks the run; what it lists is the same either way.
func TestLeafList(t *testing.T) {
	for _, tc := range []struct {
		name     string
		build    func(l *leafList)
		want     []int32
		identity bool
	}{
		{"every key", func(l *leafList) { *l = allLeaves(4) }, []int32{0, 1, 2, 3}, true},
		{"every key, then one more", func(l *leafList) { *l = allLeaves(2); l.Add(2) }, []int32{0, 1, 2}, true},
		{"every key, then a gap", func(l *leafList) { *l = allLeaves(2); l.Add(3) }, []int32{0, 1, 3}, false},
		{"a pass from 0 without gaps", func(l *leafList) { l.AddAll([]int32{0, 1, 2}); l.AddAll([]int32{3}) }, []int32{0, 1, 2, 3}, true},
		{"a pass with gaps", func(l *leafList) { l.AddAll([]int32{1, 4}); l.AddAll([]int32{7, 8}) }, []int32{1, 4, 7, 8}, false},
		{"every key, then a pass with a gap", func(l *leafList) { *l = allLeaves(2); l.AddAll([]int32{2, 5}) }, []int32{0, 1, 2, 5}, false},
		{"one by one from 0", func(l *leafList) { l.Add(0); l.Add(1) }, []int32{0, 1}, true},
		{"removing from every key", func(l *leafList) { *l = allLeaves(4); l.Remove(1) }, []int32{0, 1, 2}, true},
		{"removing a key after the folder's", func(l *leafList) { *l = allLeaves(2); l.Remove(5) }, []int32{0, 1}, true},
		{"removing among gaps", func(l *leafList) { l.AddAll([]int32{1, 4, 6}); l.Remove(4) }, []int32{1, 5}, false},
		{"removing a key between", func(l *leafList) { l.AddAll([]int32{1, 4, 6}); l.Remove(2) }, []int32{1, 3, 5}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l leafList
			tc.build(&l)
			if got := leafPositions(&l); !slices.Equal(got, tc.want) {
				t.Errorf("positions %v, want %v", got, tc.want)
			}
			if l.identity() != tc.identity {
				t.Errorf("identity %v, want %v", l.identity(), tc.identity)
			}
		})
	}
}
