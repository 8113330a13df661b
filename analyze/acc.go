package analyze

import (
	"math/bits"
	"strings"
)

// cell sums one group of examined keys: how many, and their memory with its sum of squares (the
// sample variance of the extrapolation needs both).
type cell struct {
	keys  int64
	mem   int64
	memSq float64
}

func (c *cell) add(mem int64) {
	c.keys++
	c.mem += mem
	c.memSq += float64(mem) * float64(mem)
}

// keyInfo is what one probe learnt about one key.
type keyInfo struct {
	key      string
	typ      string
	mem      int64
	memEst   bool // mem is an estimate (MEMORY USAGE denied)
	length   int64
	lengthOK bool
	pttl     int64 // milliseconds; -1 no TTL
	enc      string
}

// TTL buckets, in report order.
var ttlBuckets = []struct {
	name  string
	limit int64 // milliseconds, exclusive; 0: no limit
}{
	{"no TTL", 0}, {"< 1 h", 3600e3}, {"< 1 d", 86400e3}, {"< 1 w", 7 * 86400e3}, {"≥ 1 w", 0},
}

func ttlBucket(pttl int64) int {
	if pttl < 0 {
		return 0
	}
	for i := 1; i < len(ttlBuckets)-1; i++ {
		if pttl < ttlBuckets[i].limit {
			return i
		}
	}
	return len(ttlBuckets) - 1
}

// histBins is the number of log2 memory bins of the per-type size histograms (up to 2^40 B).
const histBins = 41

func histBin(mem int64) int {
	if mem <= 0 {
		return 0
	}
	return min(bits.Len64(uint64(mem))-1, histBins-1)
}

// typeAcc accumulates one type.
type typeAcc struct {
	cell
	length   int64 // sum of lengths (bytes for strings, elements otherwise)
	measured bool  // a length command exists for this type
	hist     [histBins]int64
	topMem   topK
	topLen   topK
}

// nsNode is one namespace: every key whose name starts with prefix (which ends in a delimiter;
// segments that look like IDs are folded into "*"), and match is the glob of its keys.
type nsNode struct {
	prefix   string
	match    string
	all      cell
	noTTL    cell
	example  string // a key without TTL, for the finding's command
	children map[string]*nsNode
}

// acc accumulates one shard's examined keys. It is not safe for concurrent use (the shard
// holds a lock around it).
type acc struct {
	opts     Options
	examined int64 // keys SCAN returned, matching or not: the sample size of the extrapolation
	matched  int64 // keys that matched the pattern and were probed
	total    cell
	types    map[string]*typeAcc
	ttl      [5]cell
	enc      map[[2]string]int64
	ns       *nsNode
	nsNodes  int
	topMem   topK
	vanished int64 // keys SCAN returned that were gone when probed
	skipped  int64 // keys the server answered an error about
	skipErr  string
	memEst   int64 // keys whose memory is an estimate
}

func newAcc(o Options) *acc {
	return &acc{opts: o, types: map[string]*typeAcc{}, enc: map[[2]string]int64{},
		ns: &nsNode{}, topMem: topK{n: o.TopN}}
}

func (a *acc) typeAcc(t string) *typeAcc {
	ta := a.types[t]
	if ta == nil {
		ta = &typeAcc{topMem: topK{n: a.opts.TopN}, topLen: topK{n: a.opts.TopN}}
		_, ta.measured = sizeCommands[t]
		a.types[t] = ta
	}
	return ta
}

func (a *acc) add(k keyInfo, shard string) {
	a.matched++
	a.total.add(k.mem)
	if k.memEst {
		a.memEst++
	}
	ta := a.typeAcc(k.typ)
	ta.add(k.mem)
	ta.hist[histBin(k.mem)]++
	ref := KeyRef{Key: k.key, Type: k.typ, Memory: k.mem, MemoryEstimated: k.memEst, Length: -1, TTL: k.pttl, Encoding: k.enc, Shard: shard}
	if k.lengthOK {
		ta.length += k.length
		ref.Length = k.length
		ta.topLen.offer(k.length, ref)
	}
	ta.topMem.offer(k.mem, ref)
	a.topMem.offer(k.mem, ref)
	a.ttl[ttlBucket(k.pttl)].add(k.mem)
	if k.enc != "" {
		a.enc[[2]string{k.typ, k.enc}]++
	}
	a.addNamespaces(k)
}

// addNamespaces counts k in the root and in every namespace its name is under, down to
// MaxDepth levels. A namespace the node budget has no room for is not created: its keys stay
// counted in its parent, where the report shows them as "other keys".
func (a *acc) addNamespaces(k keyInfo) {
	n := a.ns
	n.all.add(k.mem)
	if k.pttl < 0 {
		n.noTTL.add(k.mem)
	}
	rest, end := k.key, 0
	folded := false // prefix differs from the key's own bytes
	var prefix []byte
	for depth := 0; depth < a.opts.MaxDepth; depth++ {
		i, dl := nextDelimiter(rest, a.opts.Delimiters)
		if i < 0 {
			return
		}
		seg := rest[:i]
		fold := !a.opts.KeepIDs && isID(seg)
		if fold && !folded {
			folded = true
			prefix = append(prefix[:0], k.key[:end]...)
		}
		if folded {
			if fold {
				prefix = append(prefix, '*')
			} else {
				prefix = append(prefix, seg...)
			}
			prefix = append(prefix, rest[i:i+dl]...)
		}
		end += i + dl
		rest = rest[i+dl:]
		key := k.key[:end]
		if folded {
			key = string(prefix)
		}
		child := n.children[key]
		if child == nil {
			if a.nsNodes >= a.opts.MaxNamespaces {
				return
			}
			if n.children == nil {
				n.children = map[string]*nsNode{}
			}
			child = &nsNode{prefix: strings.Clone(key), match: nsGlob(k.key[:end], a.opts.Delimiters, !a.opts.KeepIDs)}
			n.children[child.prefix] = child
			a.nsNodes++
		}
		n = child
		n.all.add(k.mem)
		if k.pttl < 0 {
			n.noTTL.add(k.mem)
			if n.example == "" {
				n.example = k.key
			}
		}
	}
}

// isID reports whether a name segment looks like an identifier that varies per key (a number,
// a UUID, a long hex string): such segments are folded into "*" so that user:1:profile and
// user:2:profile fall in one namespace, user:*:, instead of a million namespaces of one key.
func isID(seg string) bool {
	if seg == "" {
		return false
	}
	digits, hex := true, true
	hasDigit := false
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		isDigit := c >= '0' && c <= '9'
		hasDigit = hasDigit || isDigit
		digits = digits && isDigit
		hex = hex && (isDigit || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-')
	}
	switch {
	case digits:
		return true
	case hex && hasDigit && len(seg) == 36 && strings.Count(seg, "-") == 4:
		return true // UUID
	case hex && hasDigit && len(seg) >= 16 && !strings.Contains(seg, "-"):
		return true // hash, object ID
	}
	return false
}

// nsGlob is the SCAN MATCH pattern of the keys under the namespace whose raw prefix is raw:
// literal segments escaped, folded ID segments as "*".
func nsGlob(raw string, delims []string, fold bool) string {
	var b strings.Builder
	rest := raw
	for {
		i, dl := nextDelimiter(rest, delims)
		if i < 0 {
			b.WriteString(globEscape(rest))
			break
		}
		if seg := rest[:i]; fold && isID(seg) {
			b.WriteByte('*')
		} else {
			b.WriteString(globEscape(seg))
		}
		b.WriteString(globEscape(rest[i : i+dl]))
		rest = rest[i+dl:]
	}
	b.WriteByte('*')
	return b.String()
}

// nextDelimiter finds the earliest delimiter in s (the longest when several start there) and
// returns its index and length, or -1.
func nextDelimiter(s string, delims []string) (int, int) {
	best, bl := -1, 0
	for _, d := range delims {
		i := strings.Index(s, d)
		if i < 0 {
			continue
		}
		if best < 0 || i < best || (i == best && len(d) > bl) {
			best, bl = i, len(d)
		}
	}
	return best, bl
}

// topK keeps the n largest offers, first offered first among equals (as redis-cli --bigkeys
// keeps the first key it found of a size).
type topK struct {
	n     int
	items []scored
}

type scored struct {
	score int64
	ref   KeyRef
}

func (t *topK) offer(score int64, ref KeyRef) {
	if len(t.items) == t.n && (t.n == 0 || score <= t.items[len(t.items)-1].score) {
		return
	}
	i := len(t.items)
	for i > 0 && t.items[i-1].score < score {
		i--
	}
	if len(t.items) < t.n {
		t.items = append(t.items, scored{})
	}
	copy(t.items[i+1:], t.items[i:])
	t.items[i] = scored{score, ref}
}

func (t *topK) merge(o topK) {
	for _, it := range o.items {
		t.offer(it.score, it.ref)
	}
}

func (t *topK) refs() []KeyRef {
	out := make([]KeyRef, len(t.items))
	for i, it := range t.items {
		out[i] = it.ref
	}
	return out
}
