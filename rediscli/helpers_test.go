package rediscli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// golden compares got with testdata/<dir>/<name>.golden, rewriting it under -update.
func golden(t *testing.T, dir, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", dir, name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./rediscli -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// parseWire reads exactly one reply from wire, failing the test on any error or leftover.
func parseWire(t *testing.T, wire string) Reply {
	t.Helper()
	rd := NewReader(strings.NewReader(wire))
	r, err := rd.ReadReply()
	if err != nil {
		t.Fatalf("reading %q: %v", wire, err)
	}
	if _, err := rd.ReadReply(); err == nil {
		t.Fatalf("%q holds more than one reply", wire)
	}
	return r
}
