package keylists

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Every byte of a key name survives a save and a load.
var awkward = []string{"plain", "nl:line1\nline2", "esc\x1b[31m", "bad\xff\xfe", "nul\x00x", "emoji 😀", "rtl\u202eevil", " spaces ", `quote"back\`}

func TestKeysRoundTripByteForByte(t *testing.T) {
	path := Path(filepath.Join(t.TempDir(), "profiles.toml"), "prod", Favorites)
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range awkward {
		if !l.Toggle(k) {
			t.Fatalf("Toggle(%q) did not add it", k)
		}
	}
	if err := l.Save(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", info.Mode(), err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Keys(), awkward) {
		t.Fatalf("keys = %q", back.Keys())
	}
}

func TestToggleRemovesAndRecentIsNewestFirstAndBounded(t *testing.T) {
	l := &List{valid: true}
	l.Toggle("a")
	l.Toggle("b")
	if l.Toggle("a") || !reflect.DeepEqual(l.Keys(), []string{"b"}) {
		t.Fatalf("keys = %q", l.Keys())
	}
	r := &List{valid: true}
	for _, k := range []string{"1", "2", "3", "2"} {
		r.Touch(k, 3)
	}
	r.Touch("4", 3)
	if !reflect.DeepEqual(r.Keys(), []string{"4", "2", "3"}) {
		t.Fatalf("recent = %q", r.Keys())
	}
	r.Rename("2", "two")
	if !reflect.DeepEqual(r.Keys(), []string{"4", "two", "3"}) {
		t.Fatalf("after rename = %q", r.Keys())
	}
}

func TestAMalformedFileIsReportedAndNeverOverwritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history", "prod.favorites")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	const text = "\"ok\"\nnot quoted\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "prod.favorites:2:") {
		t.Fatalf("err = %v", err)
	}
	l.Toggle("x")
	if err := l.Save(); err == nil {
		t.Fatal("saved over a malformed file")
	}
	if data, _ := os.ReadFile(path); string(data) != text {
		t.Fatalf("file changed: %q", data)
	}
}

func TestNoPathForAnUnsafeProfileName(t *testing.T) {
	if p := Path("/x/profiles.toml", "../evil", Recent); p != "" {
		t.Fatalf("path = %q", p)
	}
	if p := Path("/x/profiles.toml", "prod", Recent); p != "/x/history/prod.recent" {
		t.Fatalf("path = %q", p)
	}
}
