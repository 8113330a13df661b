// Package keyspace describes a Redis keyspace without holding its keys: PrefixIndex counts the
// keys under every folder (a key name's prefix up to a delimiter) as one SCAN feeds it.
package keyspace

import (
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/amr-tui/amr-tui/internal/natural"
)

// DefaultDelimiters are the folder delimiters when none are configured.
var DefaultDelimiters = []string{":"}

// PrefixIndex counts keys per folder. A key's folders are its proper prefixes that end right
// after a delimiter: with [":"], "user:42:profile" is in "user:" and "user:42:", and it is one of
// the keys directly in "user:42:". The root folder is "".
//
// Memory is proportional to the number of folders (about 100 bytes each plus the folder's own
// name segment), never to the number of keys: keys themselves are not kept, so the index cannot
// tell a key it has seen from a new one. Feed every key once (SCAN may return a key twice:
// de-duplicate first, as the key browser's set does) and Remove only keys that were added.
//
// Counts are complete only once the whole keyspace has been fed and MarkComplete called;
// until then every Folder says Complete false. A PrefixIndex is safe for concurrent use.
type PrefixIndex struct {
	mu       sync.Mutex
	delims   []string
	delim1   byte // the delimiter when there is one of one byte (not NUL); 0 otherwise
	root     *node
	folders  int
	complete bool
}

type node struct {
	segment  string // this folder's part of the prefix, delimiter included ("" for the root)
	parent   *node
	direct   int64 // keys directly in this folder
	total    int64 // keys in this folder and below
	children map[string]*node
	sorted   []*node // children in natural order; nil when stale
	last     *node   // the child the previous key went to: keys in a row often share it
}

// Folder is one folder's counts.
type Folder struct {
	Prefix   string // the folder's full prefix, delimiter included ("" for the root)
	Name     string // the last segment of Prefix, delimiter included
	Keys     int64  // keys in the folder and its sub-folders
	Direct   int64  // keys directly in the folder
	Folders  int    // direct sub-folders
	Complete bool   // the counts cover the whole keyspace (see PrefixIndex.MarkComplete)
}

// NewPrefixIndex returns an empty index splitting key names at any of delims; nil or empty
// delims mean DefaultDelimiters. Empty delimiters are ignored.
func NewPrefixIndex(delims []string) *PrefixIndex {
	var ds []string
	for _, d := range delims {
		if d != "" && !slices.Contains(ds, d) {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		ds = slices.Clone(DefaultDelimiters)
	}
	x := &PrefixIndex{delims: ds, root: &node{}}
	if len(ds) == 1 && len(ds[0]) == 1 && ds[0][0] != 0 {
		x.delim1 = ds[0][0]
	}
	return x
}

// Delimiters returns the delimiters the index splits at.
func (x *PrefixIndex) Delimiters() []string { return slices.Clone(x.delims) }

// nextDelim returns the end (after the delimiter) of the first delimiter in key at or after
// from, or -1.
func (x *PrefixIndex) nextDelim(key string, from int) int {
	if x.delim1 != 0 { // the usual case, one single-byte delimiter
		if i := strings.IndexByte(key[from:], x.delim1); i >= 0 {
			return from + i + 1
		}
		return -1
	}
	best := -1
	for _, d := range x.delims {
		if i := strings.Index(key[from:], d); i >= 0 {
			if end := from + i + len(d); best < 0 || end < best {
				best = end
			}
		}
	}
	return best
}

// Parent returns the prefix of the folder key is directly in ("" for the root): the key up to
// its last delimiter that is not at the very end.
func (x *PrefixIndex) Parent(key string) string {
	parent := 0
	for from := 0; ; {
		end := x.nextDelim(key, from)
		if end < 0 || end == len(key) {
			return key[:parent]
		}
		parent, from = end, end
	}
}

// Add counts key in each of its folders, creating the folders it is the first key of.
func (x *PrefixIndex) Add(key string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.add(key)
}

// AddAll adds every key of keys under one lock: cheaper per key than Add, but readers wait
// for the whole batch, so feed a large keyspace in batches of a few thousand keys.
func (x *PrefixIndex) AddAll(keys iter.Seq[string]) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for k := range keys {
		x.add(k)
	}
}

// add is Add with mu held.
func (x *PrefixIndex) add(key string) {
	n := x.root
	n.total++
	for from := 0; ; {
		end := x.nextDelim(key, from)
		if end < 0 || end == len(key) {
			break
		}
		seg := key[from:end]
		c := n.last
		if c == nil || c.segment != seg {
			c = n.children[seg]
		}
		if c == nil {
			if n.children == nil {
				n.children = map[string]*node{}
			}
			// Clone: the key may be a slice of a whole SCAN page, which must not stay alive.
			c = &node{segment: strings.Clone(seg), parent: n}
			n.children[c.segment] = c
			n.sorted = nil
			x.folders++
		}
		n.last = c
		c.total++
		n, from = c, end
	}
	n.direct++
}

// Merge adds the counts of other, an index with the same delimiters that nobody uses
// afterwards (its folders may be moved into x), so that several goroutines can each index a
// part of a keyspace and join their work at a cost proportional to folders, not keys.
func (x *PrefixIndex) Merge(other *PrefixIndex) {
	if other == x {
		return
	}
	other.mu.Lock()
	defer other.mu.Unlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.merge(x.root, other.root)
	other.root, other.folders = &node{}, 0
}

// merge adds the counts of src into dst, the same folder in x.
func (x *PrefixIndex) merge(dst, src *node) {
	dst.total += src.total
	dst.direct += src.direct
	for seg, c := range src.children {
		if d := dst.children[seg]; d != nil {
			x.merge(d, c)
			continue
		}
		if dst.children == nil {
			dst.children = map[string]*node{}
		}
		c.parent, c.last = dst, nil
		dst.children[seg] = c
		dst.sorted = nil
		x.folders += c.count()
	}
}

// count returns the number of folders in n's subtree, n included.
func (n *node) count() int {
	k := 1
	for _, c := range n.children {
		k += c.count()
	}
	return k
}

// IsDirect reports whether key is directly in the folder prefix: Parent(key) == prefix.
// With one single-byte delimiter (the usual ":") it looks only at the part of the key after
// prefix.
func (x *PrefixIndex) IsDirect(key, prefix string) bool {
	if !strings.HasPrefix(key, prefix) {
		return false
	}
	if len(x.delims) != 1 || len(x.delims[0]) != 1 {
		return x.Parent(key) == prefix
	}
	d := x.delims[0][0]
	if prefix != "" && (prefix[len(prefix)-1] != d || len(key) == len(prefix)) {
		return false // a folder ends with its delimiter; a key is never its own folder
	}
	// Parent(key) is key up to its last delimiter before the final byte.
	return len(key) == 0 || strings.IndexByte(key[len(prefix):len(key)-1], d) < 0
}

// Remove uncounts a key that was added; folders left with no keys disappear. It reports false
// (and changes nothing) when the key's folder does not exist or holds no keys directly, which
// means the key was never added.
func (x *PrefixIndex) Remove(key string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := x.root
	for from := 0; ; {
		end := x.nextDelim(key, from)
		if end < 0 || end == len(key) {
			break
		}
		c := n.children[key[from:end]]
		if c == nil {
			return false
		}
		n, from = c, end
	}
	if n.direct == 0 {
		return false
	}
	n.direct--
	for ; n != nil; n = n.parent {
		n.total--
		if n.total == 0 && n.parent != nil {
			delete(n.parent.children, n.segment)
			n.parent.sorted = nil
			if n.parent.last == n {
				n.parent.last = nil
			}
			x.folders--
		}
	}
	return true
}

// MarkComplete records that the whole keyspace has been fed (a SCAN walk ended): counts are
// exact from now on, as long as every later write is fed too.
func (x *PrefixIndex) MarkComplete() {
	x.mu.Lock()
	x.complete = true
	x.mu.Unlock()
}

// Complete reports whether MarkComplete was called since the index was made or Reset.
func (x *PrefixIndex) Complete() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.complete
}

// Reset empties the index for a new scan; the delimiters stay.
func (x *PrefixIndex) Reset() {
	x.mu.Lock()
	x.root, x.folders, x.complete = &node{}, 0, false
	x.mu.Unlock()
}

// Len returns the number of keys counted and the number of folders (the root not included).
func (x *PrefixIndex) Len() (keys int64, folders int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.root.total, x.folders
}

// find returns the folder with the given prefix, or nil. Caller holds mu.
func (x *PrefixIndex) find(prefix string) *node {
	n := x.root
	for from := 0; from < len(prefix); {
		end := x.nextDelim(prefix, from)
		if end < 0 {
			return nil // a folder's prefix ends with a delimiter
		}
		if n = n.children[prefix[from:end]]; n == nil {
			return nil
		}
		from = end
	}
	return n
}

func (x *PrefixIndex) folder(n *node, prefix string) Folder {
	return Folder{Prefix: prefix, Name: n.segment, Keys: n.total, Direct: n.direct, Folders: len(n.children),
		Complete: x.complete}
}

// Folder returns the counts of the folder with the given prefix ("" for the root); false when
// no key counted so far is in it.
func (x *PrefixIndex) Folder(prefix string) (Folder, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := x.find(prefix)
	if n == nil {
		return Folder{}, false
	}
	return x.folder(n, prefix), true
}

// Children returns the direct sub-folders of the folder with the given prefix, in natural
// order ("user:2:" before "user:10:"), from the offset-th on and at most limit of them
// (limit < 0: all), and how many there are in all. The order is computed once per change of
// the folder's sub-folders, so paging through a folder of a million sub-folders is cheap.
// The folder's own key count is in Folder(prefix).Direct.
func (x *PrefixIndex) Children(prefix string, offset, limit int) (subs []Folder, total int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := x.find(prefix)
	if n == nil {
		return nil, 0
	}
	if n.sorted == nil && len(n.children) > 0 {
		n.sorted = make([]*node, 0, len(n.children))
		for _, c := range n.children {
			n.sorted = append(n.sorted, c)
		}
		slices.SortFunc(n.sorted, func(a, b *node) int { return natural.Compare(a.segment, b.segment) })
	}
	total = len(n.sorted)
	offset = max(0, min(offset, total))
	end := total
	if limit >= 0 {
		end = min(total, offset+limit)
	}
	subs = make([]Folder, 0, end-offset)
	for _, c := range n.sorted[offset:end] {
		subs = append(subs, x.folder(c, prefix+c.segment))
	}
	return subs, total
}
