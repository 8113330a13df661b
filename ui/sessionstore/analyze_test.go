package sessionstore

import (
	"testing"

	"github.com/amr-tui/amr-tui/analyze"
)

// An analysis through a real Entra session on the emulated OSS-policy cluster walks every
// primary behind its gate: three shards, every key counted once, the seeded namespace exact.
func TestAnalysisOnOSSClusterSession(t *testing.T) {
	_, s := startClusterDemo(t, 0)
	seedNumbered(t, s, 3000)
	st := New(s)
	run, err := st.StartAnalysis(ctxT(t), analyze.Options{Mode: analyze.Full, Rate: -1})
	if err != nil {
		t.Fatal(err)
	}
	<-run.Done()
	rep, err := run.Result()
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Complete || len(rep.Shards) != 3 {
		t.Fatalf("complete %v, %d shards", rep.Complete, len(rep.Shards))
	}
	if rep.Keys.Value+rep.Keyspace.Vanished != rep.Keyspace.Keys {
		t.Errorf("%d keys + %d vanished, DBSIZE summed over primaries %d", rep.Keys.Value, rep.Keyspace.Vanished, rep.Keyspace.Keys)
	}
	var k *analyze.Namespace
	for i, n := range rep.Namespaces.Children {
		if n.Prefix == "k:" {
			k = &rep.Namespaces.Children[i]
		}
	}
	if k == nil || k.Keys.Value != 3000 || !k.Keys.Exact {
		t.Errorf("namespace k: %+v", k)
	}
}
