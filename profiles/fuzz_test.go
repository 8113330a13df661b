package profiles

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must never panic, and whatever it accepts
// must save and load back. Run with: go test ./profiles -run '^$' -fuzz FuzzLoad -fuzztime 30s
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.toml")
	more, _ := filepath.Glob("testdata/TestLoadErrors/*.toml")
	for _, s := range append(seeds, more...) {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("version = 1\n[profiles.a]\nhost='localhost'\nauth={kind='none'}\ntls.enabled=false\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := parse("fuzz.toml", data)
		if err != nil {
			return
		}
		out, err := file.encode()
		if err != nil {
			t.Fatalf("accepted input does not encode: %v", err)
		}
		if _, err := parse("fuzz.toml", out); err != nil {
			t.Fatalf("accepted input does not load back after saving: %v\n%s", err, out)
		}
	})
}
