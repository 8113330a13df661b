package keyspace

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// names lists folder names and their key counts.
func names(fs []Folder) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s=%d/%d", f.Name, f.Keys, f.Direct))
	}
	return out
}

func TestPrefixIndexCountsExactAfterACompleteScan(t *testing.T) {
	x := NewPrefixIndex(nil)
	keys := []string{"user:1:profile", "user:1:tags", "user:2:profile", "user:10:profile",
		"session:abc", "plain", "a:", "cache:x:y:z"}
	for _, k := range keys[:4] {
		x.Add(k)
	}
	// Before the walk ends, every folder says its counts are partial.
	if f, _ := x.Folder("user:"); f.Complete || f.Keys != 4 {
		t.Fatalf("mid-scan user: = %+v, want 4 keys, partial", f)
	}
	for _, k := range keys[4:] {
		x.Add(k)
	}
	x.MarkComplete()
	root, ok := x.Folder("")
	if !ok || root.Keys != 8 || root.Direct != 2 || !root.Complete || root.Folders != 3 {
		t.Fatalf("root = %+v", root) // "plain" and "a:" (a key is never its own folder)
	}
	subs, total := x.Children("", 0, -1)
	if got := names(subs); total != 3 || !slices.Equal(got, []string{"cache:=1/0", "session:=1/1", "user:=4/0"}) {
		t.Fatalf("root children = %v (%d)", got, total)
	}
	subs, _ = x.Children("user:", 0, -1)
	if got := names(subs); !slices.Equal(got, []string{"1:=2/2", "2:=1/1", "10:=1/1"}) {
		t.Fatalf("user: children (natural order) = %v", got)
	}
	if subs[2].Prefix != "user:10:" || !subs[2].Complete {
		t.Fatalf("user:10: = %+v", subs[2])
	}
	if f, ok := x.Folder("cache:x:y:"); !ok || f.Keys != 1 || f.Direct != 1 {
		t.Fatalf("cache:x:y: = %+v %v", f, ok)
	}
	if _, ok := x.Folder("user:3:"); ok {
		t.Fatal("a folder with no keys exists")
	}
	if _, ok := x.Folder("user"); ok {
		t.Fatal("a prefix without its delimiter is a folder")
	}
	if k, f := x.Len(); k != 8 || f != 8 {
		t.Fatalf("Len = %d keys, %d folders; want 8, 8", k, f)
	}
	// Paging through children.
	subs, total = x.Children("user:", 1, 1)
	if got := names(subs); total != 3 || !slices.Equal(got, []string{"2:=1/1"}) {
		t.Fatalf("user: children [1:2] = %v (%d)", got, total)
	}
	if subs, total = x.Children("user:", 5, 10); len(subs) != 0 || total != 3 {
		t.Fatalf("user: children past the end = %v (%d)", subs, total)
	}
	x.Reset()
	if k, f := x.Len(); k != 0 || f != 0 || x.Complete() {
		t.Fatalf("after Reset: %d keys, %d folders, complete %v", k, f, x.Complete())
	}
}

func TestPrefixIndexDeletesRemoveEmptyFolders(t *testing.T) {
	x := NewPrefixIndex(nil)
	for _, k := range []string{"a:b:c", "a:b:d", "a:e", "f"} {
		x.Add(k)
	}
	x.MarkComplete()
	if !x.Remove("a:b:c") {
		t.Fatal("Remove of an added key reported false")
	}
	if f, _ := x.Folder("a:b:"); f.Keys != 1 {
		t.Fatalf("a:b: after one delete = %+v", f)
	}
	x.Remove("a:b:d")
	if _, ok := x.Folder("a:b:"); ok {
		t.Fatal("a:b: still exists with 0 keys")
	}
	if subs, _ := x.Children("a:", 0, -1); len(subs) != 0 {
		t.Fatalf("a: still lists %v", names(subs))
	}
	if f, _ := x.Folder("a:"); f.Keys != 1 || f.Direct != 1 || f.Folders != 0 {
		t.Fatalf("a: = %+v", f)
	}
	x.Remove("a:e")
	if _, ok := x.Folder("a:"); ok {
		t.Fatal("a: still exists with 0 keys")
	}
	if x.Remove("a:e") || x.Remove("zzz:q") || x.Remove("a:b:c") {
		t.Fatal("Remove of a key not counted reported true")
	}
	if k, f := x.Len(); k != 1 || f != 0 {
		t.Fatalf("Len = %d, %d; want 1 key, 0 folders", k, f)
	}
}

func TestPrefixIndexDelimiters(t *testing.T) {
	x := NewPrefixIndex([]string{":", "/", ":", ""})
	if d := x.Delimiters(); !slices.Equal(d, []string{":", "/"}) {
		t.Fatalf("delimiters %q", d)
	}
	for _, k := range []string{"img/2024/a.png", "img/2024:b", "img::c", "img/"} {
		x.Add(k)
	}
	subs, _ := x.Children("img/", 0, -1)
	if got := names(subs); !slices.Equal(got, []string{"2024/=1/1", "2024:=1/1"}) {
		t.Fatalf("img/ children = %v", got)
	}
	if f, ok := x.Folder("img::"); !ok || f.Direct != 1 {
		t.Fatalf("img:: (an empty segment) = %+v %v", f, ok)
	}
	for k, want := range map[string]string{"img/2024/a.png": "img/2024/", "img/": "", "img::c": "img::", "x": "", "a:b/": "a:"} {
		if got := x.Parent(k); got != want {
			t.Errorf("Parent(%q) = %q, want %q", k, got, want)
		}
	}
	// Multi-byte delimiters.
	y := NewPrefixIndex([]string{"::"})
	y.Add("a::b::c")
	y.Add("a:b")
	if f, ok := y.Folder("a::b::"); !ok || f.Keys != 1 {
		t.Fatalf("a::b:: = %+v %v", f, ok)
	}
	if f, _ := y.Folder(""); f.Direct != 1 {
		t.Fatalf("root direct = %d, want 1 (a:b)", f.Direct)
	}
}

// Against a brute-force count over random keys, with random deletes.
func TestPrefixIndexMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := NewPrefixIndex([]string{":", "/"})
	present := map[string]bool{}
	parts := []string{"a", "b", "10", "2", ""}
	for range 3000 {
		var sb strings.Builder
		for j := range 1 + r.IntN(4) {
			if j > 0 {
				sb.WriteString([]string{":", "/"}[r.IntN(2)])
			}
			sb.WriteString(parts[r.IntN(len(parts))])
		}
		k := sb.String()
		if present[k] {
			if r.IntN(2) == 0 {
				x.Remove(k)
				delete(present, k)
			}
			continue
		}
		present[k] = true
		x.Add(k)
	}
	want := map[string]int64{}
	for k := range present {
		for i := 0; i < len(k)-1; i++ {
			if k[i] == ':' || k[i] == '/' {
				want[k[:i+1]]++
			}
		}
	}
	if _, folders := x.Len(); folders != len(want) {
		t.Fatalf("%d folders, want %d", folders, len(want))
	}
	for p, n := range want {
		if f, ok := x.Folder(p); !ok || f.Keys != n {
			t.Fatalf("%q: %+v, want %d keys", p, f, n)
		}
	}
}

// The index holds no key: 300,000 keys in 2001 folders cost a few hundred KB.
func TestPrefixIndexMemoryFollowsFolders(t *testing.T) {
	if testing.Short() {
		t.Skip("adds a million keys")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := NewPrefixIndex(nil)
	buf := make([]byte, 0, 64)
	for i := range 300_000 {
		buf = fmt.Appendf(buf[:0], "cache:%d:item:%d", i%1000, i)
		x.Add(string(buf))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if k, f := x.Len(); k != 300_000 || f != 2001 {
		t.Fatalf("Len = %d keys, %d folders", k, f)
	}
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 2<<20 {
		t.Fatalf("heap grew %d bytes for 2001 folders", grew)
	}
	runtime.KeepAlive(x)
}

func BenchmarkPrefixIndexAdd(b *testing.B) {
	keys := make([]string, 100_000)
	for i := range keys {
		keys[i] = fmt.Sprintf("user:%d:profile", i)
	}
	b.ReportAllocs()
	for b.Loop() {
		x := NewPrefixIndex(nil)
		for _, k := range keys {
			x.Add(k)
		}
	}
}

// randomKeys draws n keys of segments and delimiters, empty segments and trailing delimiters
// included.
func randomKeys(r *rand.Rand, n int, delims []string) []string {
	parts := []string{"a", "b", "10", "2", ""}
	keys := make([]string, n)
	for i := range keys {
		var sb strings.Builder
		for j := range r.IntN(5) {
			if j > 0 || r.IntN(4) == 0 {
				sb.WriteString(delims[r.IntN(len(delims))])
			}
			sb.WriteString(parts[r.IntN(len(parts))])
		}
		keys[i] = sb.String()
	}
	return keys
}

// IsDirect is Parent(key) == prefix, for every folder and the root, with one single-byte
// delimiter (its fast path) and others.
func TestIsDirectIsParent(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, delims := range [][]string{{":"}, {"::"}, {":", "/"}} {
		x := NewPrefixIndex(delims)
		keys := randomKeys(r, 2000, delims)
		prefixes := map[string]bool{"": true, "a": true, "a" + delims[0]: true}
		for _, k := range keys {
			prefixes[x.Parent(k)] = true
			prefixes[k] = true
		}
		for p := range prefixes {
			for _, k := range keys {
				if got, want := x.IsDirect(k, p), x.Parent(k) == p; got != want {
					t.Fatalf("delims %q: IsDirect(%q, %q) = %v, Parent is %q", delims, k, p, got, x.Parent(k))
				}
			}
		}
	}
}

// dump lists every folder of x under prefix with its counts, depth first.
func dump(x *PrefixIndex, prefix string) []string {
	f, _ := x.Folder(prefix)
	out := []string{fmt.Sprintf("%q=%d/%d/%d", prefix, f.Keys, f.Direct, f.Folders)}
	subs, _ := x.Children(prefix, 0, -1)
	for _, s := range subs {
		out = append(out, dump(x, s.Prefix)...)
	}
	return out
}

// Indexes of parts of a keyspace, merged, are the index of the whole, and AddAll is Add.
func TestPrefixIndexMergeAndAddAll(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	delims := []string{":", "/"}
	keys := randomKeys(r, 5000, delims)
	whole := NewPrefixIndex(delims)
	for _, k := range keys {
		whole.Add(k)
	}
	merged := NewPrefixIndex(delims)
	merged.AddAll(slices.Values(keys[:1000]))
	for _, part := range [][]string{keys[1000:1100], keys[1100:4000], nil, keys[4000:]} {
		p := NewPrefixIndex(delims)
		p.AddAll(slices.Values(part))
		merged.Merge(p)
	}
	if got, want := dump(merged, ""), dump(whole, ""); !slices.Equal(got, want) {
		t.Fatalf("merged:\n%v\nwhole:\n%v", got, want)
	}
	wk, wf := whole.Len()
	if k, f := merged.Len(); k != wk || f != wf {
		t.Fatalf("merged Len %d keys %d folders, want %d %d", k, f, wk, wf)
	}
	// A merged index keeps working: removing every key empties it.
	for _, k := range keys {
		if !merged.Remove(k) {
			t.Fatalf("Remove(%q) after the merge: false", k)
		}
	}
	if k, f := merged.Len(); k != 0 || f != 0 {
		t.Fatalf("after removing every key: %d keys, %d folders", k, f)
	}
}
