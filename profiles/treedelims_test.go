package profiles

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTreeDelimiters(t *testing.T) {
	p := Profile{Name: "p", Host: "localhost", Auth: Auth{Kind: AuthNone}}
	if d := p.EffectiveTreeDelimiters(); !slices.Equal(d, []string{":"}) {
		t.Fatalf("default delimiters %q", d)
	}
	p.TreeDelimiters = []string{":", "/"}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	d := p.EffectiveTreeDelimiters()
	d[0] = "x" // a copy
	if p.TreeDelimiters[0] != ":" {
		t.Fatal("EffectiveTreeDelimiters returned the profile's own slice")
	}
	for _, tc := range []struct {
		delims []string
		msg    string
	}{
		{[]string{}, "at least one delimiter"},
		{[]string{":", ""}, "delimiter 2 is empty"},
		{[]string{":", ":"}, `":" is listed twice`},
		{[]string{"\x1b[31m"}, "control characters"},
		{[]string{"\xff"}, "invalid UTF-8"},
		{[]string{"123456789"}, "at most 8"},
		{[]string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}, "at most 8 delimiters"},
	} {
		q := p.Clone()
		q.TreeDelimiters = tc.delims
		err := q.Validate()
		if err == nil || !strings.Contains(err.Error(), "tree_delimiters") || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: %v, want a tree_delimiters problem saying %q", tc.delims, err, tc.msg)
		}
	}
}

// A bad tree_delimiters in the file is reported with the file, line, profile and field.
func TestTreeDelimitersFileErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profiles.toml")
	data := "version = 1\n\n[profiles.local]\nhost = \"localhost\"\ntree_delimiters = [\":\", \"\"]\n\n[profiles.local.auth]\nkind = \"none\"\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "profiles.toml:5:") || !strings.Contains(err.Error(), "tree_delimiters") {
		t.Fatalf("Load: %v, want profiles.toml:5: … tree_delimiters", err)
	}
	data = strings.Replace(data, `[":", ""]`, `":"`, 1)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "tree_delimiters") {
		t.Fatalf("Load of a string where a list belongs: %v", err)
	}
	// A good one round-trips through the file, comments kept.
	data = strings.Replace(data, `tree_delimiters = ":"`, `tree_delimiters = [":", "/"] # folders`, 1)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := f.Get("local")
	if !slices.Equal(p.TreeDelimiters, []string{":", "/"}) {
		t.Fatalf("loaded %q", p.TreeDelimiters)
	}
	p.Label = "Local"
	if err := f.Put(p); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	saved, _ := os.ReadFile(path)
	if !strings.Contains(string(saved), `tree_delimiters = [":", "/"] # folders`) {
		t.Fatalf("saved file lost the line:\n%s", saved)
	}
}
