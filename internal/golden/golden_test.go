package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of stopping the test.
type recorder struct {
	testing.TB
	name   string
	failed bool
}

func (r *recorder) Name() string          { return r.name }
func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; panic(r) }
func (r *recorder) Fatal(...any)          { r.failed = true; panic(r) }

// run calls Assert with a recorder, turning its Fatal back into a return.
func run(name, golden string, got []byte) (failed bool) {
	r := &recorder{name: name}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
		failed = r.failed
	}()
	Assert(r, golden, got)
	return r.failed
}

func TestPath(t *testing.T) {
	for _, tc := range []struct{ test, name, want string }{
		{"TestX", "", "testdata/TestX.golden"},
		{"TestX/sub", "", "testdata/TestX/sub.golden"},
		{"TestX", "main", "testdata/TestX/main.golden"},
		{"TestX/sub", "out", "testdata/TestX/sub/out.golden"},
	} {
		if got := Path(&recorder{name: tc.test}, tc.name); got != filepath.FromSlash(tc.want) {
			t.Errorf("Path(%q, %q) = %q, want %q", tc.test, tc.name, got, tc.want)
		}
	}
}

// TestUpdateCreatesDirectories: -update writes a golden file for a new subtest, whose folder does
// not exist yet; without -update the same output then matches and other output does not.
func TestUpdateCreatesDirectories(t *testing.T) {
	t.Chdir(t.TempDir())
	old := *update
	t.Cleanup(func() { *update = old })

	*update = true
	if run("TestNew/case", "", []byte("hello\n")) {
		t.Fatal("update failed")
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "TestNew", "case.golden")); err != nil || string(b) != "hello\n" {
		t.Fatalf("golden file: %q, %v", b, err)
	}
	*update = false
	if run("TestNew/case", "", []byte("hello\n")) {
		t.Error("matching output failed")
	}
	if !run("TestNew/case", "", []byte("bye\n")) {
		t.Error("different output passed")
	}
	if !run("TestNew/missing", "", []byte("x")) {
		t.Error("missing golden file passed")
	}
}
