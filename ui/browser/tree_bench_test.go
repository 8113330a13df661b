package browser

import (
	"testing"

	"github.com/amr-tui/amr-tui/keyspace"
)

// BenchmarkTreeScale is tree mode's background work over bench/scale.sh's keyspaces: "index"
// builds the keyspace.PrefixIndex of every loaded key (entering tree mode shows the complete
// root once it ends), "leaves" finds the keys directly in a folder (opening it), for the
// folders the script opens and a small and a large folder of the realistic mix.
func BenchmarkTreeScale(b *testing.B) {
	mixed, keyN := scaleSets(b)
	for _, c := range []struct {
		name    string
		set     *keySet
		folders []string
	}{{"mixed1M", mixed, []string{"cache:", "user:100042:", "cache:svc7:route3:", ""}}, {"keyN5M", keyN, []string{"key:", ""}}} {
		snap := c.set.Snapshot()
		b.Run(c.name+"/index", func(b *testing.B) {
			for b.Loop() {
				_ = buildIndex(snap, keyspace.NewPrefixIndex(nil))
			}
		})
		index := keyspace.NewPrefixIndex(nil)
		_ = buildIndex(snap, index)
		for _, f := range c.folders {
			b.Run(c.name+"/leaves/"+f, func(b *testing.B) {
				for b.Loop() {
					for m := leavesCmd(1, snap, 0, f, index)().(TreeMsg); m.more != nil; m = m.more().(TreeMsg) {
					}
				}
			})
		}
	}
}
