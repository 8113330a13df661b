package browser

// leafList is a folder level's keys, as positions in the key set in load order. While the
// positions are 0, 1, … n-1 (a folder holding every loaded key: a flat prefix over the whole
// keyspace, `key:N`) it holds no slice: 5M positions written out cost 20 MB and, with their
// copy, most of the 200–300 ms a folder of 5M keys took to open.
type leafList struct {
	pos []int32 // the positions; nil: they are 0 … n-1
	n   int     // how many positions, while pos is nil
}

// allLeaves is the list of positions 0 … n-1.
func allLeaves(n int) leafList { return leafList{n: n} }

// identity reports whether the positions are 0 … n-1, held without a slice.
func (l *leafList) identity() bool { return l.pos == nil }

// Len is how many keys the folder holds.
func (l *leafList) Len() int {
	if l.identity() {
		return l.n
	}
	return len(l.pos)
}

// At is the position in the key set of the folder's i-th key.
func (l *leafList) At(i int) int32 {
	if l.identity() {
		return int32(i)
	}
	return l.pos[i]
}

// Add appends a position after every one held.
func (l *leafList) Add(p int32) {
	if len(l.pos) == 0 && l.Len() == int(p) { // identity, or empty
		l.n, l.pos = int(p)+1, nil
		return
	}
	l.materialise()
	l.pos = append(l.pos, p)
}

// AddAll appends positions after every one held; ps is kept, not copied, when the list was
// empty.
func (l *leafList) AddAll(ps []int32) {
	if len(ps) == 0 {
		return
	}
	if len(l.pos) == 0 && continues(ps, l.Len()) { // identity, or empty
		l.n, l.pos = l.Len()+len(ps), nil
		return
	}
	l.materialise()
	if len(l.pos) == 0 {
		l.pos = ps
		return
	}
	l.pos = append(l.pos, ps...)
}

// continues reports whether ps is from, from+1, …
func continues(ps []int32, from int) bool {
	for i, p := range ps {
		if int(p) != from+i {
			return false
		}
	}
	return true
}

func (l *leafList) materialise() {
	if !l.identity() {
		return
	}
	pos := make([]int32, l.n, l.n+l.n/8+1)
	for i := range pos {
		pos[i] = int32(i)
	}
	l.pos, l.n = pos, 0
}

// Remove drops position pos, if held, and shifts the positions after it down by one (the key
// set closed the gap).
func (l *leafList) Remove(pos int) {
	if l.identity() {
		if pos < l.n {
			l.n--
		}
		return
	}
	l.pos = removePosition(l.pos, pos)
}
