package browser

import (
	"context"
	"slices"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/internal/natural"
	"github.com/amr-tui/amr-tui/ui/common"
)

// SortBy is what the flat key list is ordered by.
type SortBy int

// Sort orders: SortNone is load order.
const (
	SortNone SortBy = iota
	SortName
	SortType
	SortTTL
	SortMemory
)

// sortMetaChunk is how many keys one background metadata request covers.
const sortMetaChunk = 500

var sortNames = map[SortBy]string{SortName: "name", SortType: "type", SortTTL: "TTL", SortMemory: "memory"}

// ParseSort reads a sort field as `:sort` takes it.
func ParseSort(s string) (SortBy, bool) {
	switch s {
	case "name", "key", "n":
		return SortName, true
	case "type", "t":
		return SortType, true
	case "ttl":
		return SortTTL, true
	case "memory", "mem", "size", "m":
		return SortMemory, true
	case "none", "off", "load":
		return SortNone, true
	}
	return SortNone, false
}

// sortState orders the loaded keys: order is a permutation of the positions loaded when the
// sort ran (keys loaded later follow in load order until the next sort). Type, TTL and memory
// need every loaded key's metadata, fetched in the background chunk by chunk with a progress
// line; the values live in a compact array per position, not in the visible-rows cache.
type sortState struct {
	By    SortBy
	Desc  bool
	order []uint32
	gen   uint64

	fetching bool
	fetched  int
	metas    []sortMeta
	sorting  bool
}

type sortMeta struct {
	typ     string
	expires int64 // unix ms the key expires at; -1 no expiry, -2 gone
	mem     int64
}

// SortMetaMsg carries one chunk of metadata for a sort.
type SortMetaMsg struct {
	gen   uint64
	from  int
	metas []common.KeyMeta
	err   error
}

// SortedMsg carries a finished order.
type SortedMsg struct {
	gen   uint64
	order []uint32
}

// Sorting reports whether a sort is fetching metadata or ordering keys.
func (b *Model) Sorting() bool { return b.Sort.fetching || b.Sort.sorting }

// CycleSort is the sort key: load order → name ↑ → name ↓ → type → TTL ↑ → TTL ↓ → memory ↓ →
// memory ↑ → load order.
func (b *Model) CycleSort() tea.Cmd {
	steps := []struct {
		by   SortBy
		desc bool
	}{{SortNone, false}, {SortName, false}, {SortName, true}, {SortType, false}, {SortTTL, false}, {SortTTL, true}, {SortMemory, true}, {SortMemory, false}}
	i := 0
	for j, s := range steps {
		if s.by == b.Sort.By && s.desc == b.Sort.Desc {
			i = j
		}
	}
	next := steps[(i+1)%len(steps)]
	return b.SetSort(next.by, next.desc)
}

// SetSort orders the loaded keys by by, descending when desc.
func (b *Model) SetSort(by SortBy, desc bool) tea.Cmd {
	b.Sort = sortState{By: by, Desc: desc, gen: b.c.NextGen()}
	if by == SortNone {
		b.Move(0, b.c.BodyHeight())
		return b.MetaCmd()
	}
	if by == SortName {
		return b.sortCmd()
	}
	b.Sort.fetching = true
	b.Sort.metas = make([]sortMeta, b.Keys.Len())
	return b.fetchSortMeta(0)
}

func (b *Model) fetchSortMeta(from int) tea.Cmd {
	snap, gen, st := b.Keys.Snapshot(), b.Sort.gen, b.c.Store
	end := min(from+sortMetaChunk, len(b.Sort.metas))
	return b.c.IO(func(ctx context.Context) tea.Msg {
		keys := make([]string, 0, end-from)
		for i := from; i < end; i++ {
			keys = append(keys, snap.At(i))
		}
		metas, err := st.Meta(ctx, keys)
		return SortMetaMsg{gen: gen, from: from, metas: metas, err: err}
	})
}

// OnSortMeta stores one chunk and asks for the next, or starts ordering.
func (b *Model) OnSortMeta(msg SortMetaMsg) tea.Cmd {
	if msg.gen != b.Sort.gen || !b.Sort.fetching {
		return nil
	}
	if msg.err != nil {
		b.c.Flash("sort by "+sortNames[b.Sort.By]+": reading metadata failed ("+msg.err.Error()+"); the list stays in load order", common.FlashWarn)
		b.Sort = sortState{}
		return nil
	}
	now := b.c.Now().UnixMilli()
	for i, m := range msg.metas {
		p := msg.from + i
		if p >= len(b.Sort.metas) {
			break
		}
		sm := sortMeta{typ: m.Type, expires: -1, mem: m.Memory}
		switch {
		case m.Type == common.TypeNone || m.TTL == -2:
			sm.expires = -2
		case m.TTL >= 0:
			sm.expires = now + m.TTL.Milliseconds()
		}
		b.Sort.metas[p] = sm
	}
	b.Sort.fetched = msg.from + len(msg.metas)
	if b.Sort.fetched < len(b.Sort.metas) && len(msg.metas) > 0 {
		return b.fetchSortMeta(b.Sort.fetched)
	}
	b.Sort.fetching = false
	return b.sortCmd()
}

// sortCmd orders the positions in a Cmd (work proportional to the loaded keys stays off Update).
func (b *Model) sortCmd() tea.Cmd {
	b.Sort.sorting = true
	snap, by, desc, gen, metas := b.Keys.Snapshot(), b.Sort.By, b.Sort.Desc, b.Sort.gen, b.Sort.metas
	n := len(snap.Refs)
	if by != SortName {
		n = min(n, len(metas))
	}
	return func() tea.Msg {
		order := make([]uint32, n)
		for i := range order {
			order[i] = uint32(i)
		}
		name := func(a, c uint32) int { return natural.Compare(snap.At(int(a)), snap.At(int(c))) }
		cmp := func(a, c uint32) int {
			r := 0
			switch by {
			case SortName:
				r = name(a, c)
			case SortType:
				r = compareStrings(metas[a].typ, metas[c].typ)
			case SortTTL:
				r = compareLast(metas[a].expires, metas[c].expires)
			case SortMemory:
				r = compareLast(metas[a].mem, metas[c].mem)
			}
			if desc {
				r = -r
			}
			if r == 0 && by != SortName {
				r = name(a, c)
			}
			return r
		}
		if by == SortTTL || by == SortMemory {
			// Keys without a TTL (or a known size) come last in either direction.
			cmp = func(a, c uint32) int {
				va, vc := metas[a].expires, metas[c].expires
				if by == SortMemory {
					va, vc = metas[a].mem, metas[c].mem
				}
				if (va < 0) != (vc < 0) {
					if va < 0 {
						return 1
					}
					return -1
				}
				r := compareLast(va, vc)
				if desc {
					r = -r
				}
				if r == 0 {
					r = name(a, c)
				}
				return r
			}
		}
		slices.SortStableFunc(order, cmp)
		return SortedMsg{gen: gen, order: order}
	}
}

func compareStrings(a, c string) int {
	switch {
	case a < c:
		return -1
	case a > c:
		return 1
	}
	return 0
}

func compareLast(a, c int64) int {
	switch {
	case a < c:
		return -1
	case a > c:
		return 1
	}
	return 0
}

// OnSorted shows the new order from the top.
func (b *Model) OnSorted(msg SortedMsg) tea.Cmd {
	if msg.gen != b.Sort.gen {
		return nil
	}
	b.Sort.sorting = false
	b.Sort.order = msg.order
	b.Move(0, b.c.BodyHeight())
	return b.MetaCmd()
}

// sortedAt maps visible row i of the unfiltered list to a key position.
func (b *Model) sortedAt(i int) int {
	if i < len(b.Sort.order) {
		return int(b.Sort.order[i])
	}
	return i
}

// removed follows a key that left the key set at position pos.
func (s *sortState) removed(pos int) {
	if pos < 0 || len(s.order) == 0 {
		return
	}
	s.order = dropPosition(s.order, pos)
	if pos < len(s.metas) {
		s.metas = append(s.metas[:pos:pos], s.metas[pos+1:]...)
	}
}

// sortStatus is the status line's part about the order: " · sorted by name ↑", or the
// metadata fetch's progress.
func (b *Model) sortStatus() string {
	if b.Sort.By == SortNone {
		return ""
	}
	arrow := " ↑"
	if b.Sort.Desc {
		arrow = " ↓"
	}
	s := " · sort " + sortNames[b.Sort.By] + arrow
	switch {
	case b.Sort.fetching:
		s += " (reading metadata " + common.Count(int64(b.Sort.fetched)) + "/" + common.Count(int64(len(b.Sort.metas))) + "…)"
	case b.Sort.sorting:
		s += " (sorting…)"
	case len(b.Sort.order) < b.Keys.Len():
		s += " (" + strconv.Itoa(b.Keys.Len()-len(b.Sort.order)) + " newer keys below; o to re-sort)"
	}
	return s
}
