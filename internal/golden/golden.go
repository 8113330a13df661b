// Package golden compares test output with golden files under testdata/ and rewrites them when
// the test binary runs with -update (go test ./pkg -update).
//
// A golden file lives at testdata/<t.Name()>.golden, so a subtest's file sits in a folder named
// after its parent test: testdata/TestLoadErrors/syntax.golden. A test that compares more than
// one output names each one: testdata/<t.Name()>/<name>.golden.
//
// The package registers the -update flag, so a test binary that imports it must not define
// -update itself (nor import another golden package that does, such as
// github.com/charmbracelet/x/exp/golden).
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/ with the output the tests produce")

// Updating reports whether the test binary runs with -update.
func Updating() bool { return *update }

// Path is where Assert keeps the golden file for t and name (name may be empty).
func Path(t testing.TB, name string) string {
	p := filepath.FromSlash(t.Name())
	if name != "" {
		p = filepath.Join(p, name)
	}
	return filepath.Join("testdata", p+".golden")
}

// Assert compares got with the golden file for t and name (see Path) and fails the test if they
// differ. Under -update it writes got to the file instead, creating its directory.
func Assert(t testing.TB, name string, got []byte) {
	t.Helper()
	path := Path(t, name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden file %s (run go test with -update to create it): %v", path, err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("output differs from %s (run go test with -update to accept it):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
