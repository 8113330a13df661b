package profiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/internal/golden"
)

// TestLoadErrors loads each malformed file in testdata/TestLoadErrors and compares the error
// with its golden file. Every message must name the file and a line.
func TestLoadErrors(t *testing.T) {
	inputs, err := filepath.Glob("testdata/TestLoadErrors/*.toml")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".toml")
		t.Run(name, func(t *testing.T) {
			before, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(in)
			if err == nil {
				t.Fatal("loaded without error")
			}
			msg := err.Error()
			for _, line := range strings.Split(msg, "\n") {
				if !strings.HasPrefix(line, in+":") || strings.HasPrefix(line, in+": ") {
					t.Errorf("problem without file and line: %q", line)
				}
			}
			for _, secret := range []string{"Zx8Q~sUpErSeCrEt", "AbCdEfSeCrEtKeY", "12345"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error message repeats a secret value %q", secret)
				}
			}
			golden.Assert(t, "", []byte(msg+"\n"))
			after, _ := os.ReadFile(in)
			if string(after) != string(before) {
				t.Error("Load changed the file")
			}
		})
	}
}
