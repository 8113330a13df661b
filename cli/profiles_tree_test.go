package cli

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

// --tree-delimiter sets a profile's tree delimiters, one string per flag (a comma is a
// delimiter like any other); --unset tree_delimiters goes back to the default; an empty one, a
// control byte (newline, ESC) or invalid UTF-8 (0xff) is refused and changes nothing.
func TestProfilesTreeDelimiterFlag(t *testing.T) {
	cfg := tempConfig(t)
	mustRun(t, cfg, "", "profiles", "add", "p", "--from-url", "redis://127.0.0.1:6390/0", "--tree-delimiter", ":", "--tree-delimiter", "/")
	if p, _ := loadCfg(t, cfg).Get("p"); !slices.Equal(p.TreeDelimiters, []string{":", "/"}) {
		t.Fatalf("delimiters after add: %q", p.TreeDelimiters)
	}
	mustRun(t, cfg, "", "profiles", "edit", "p", "--tree-delimiter", ",", "--tree-delimiter", "a,b")
	if p, _ := loadCfg(t, cfg).Get("p"); !slices.Equal(p.TreeDelimiters, []string{",", "a,b"}) {
		t.Fatalf("delimiters after edit: %q", p.TreeDelimiters)
	}
	if out := mustRun(t, cfg, "", "profiles", "show", "p"); !strings.Contains(out, `tree folders  split at ",", "a,b"`) {
		t.Fatalf("profiles show:\n%s", out)
	}
	data, _ := os.ReadFile(cfg)
	for _, bad := range []string{"", "\n", "\x1b", "\xff"} {
		if _, _, err := runCLI(t, cfg, "", "profiles", "edit", "p", "--tree-delimiter", bad); err == nil || !strings.Contains(err.Error(), "tree_delimiters") {
			t.Fatalf("delimiter %q: %v", bad, err)
		}
	}
	if after, _ := os.ReadFile(cfg); !bytes.Equal(after, data) {
		t.Fatal("a refused edit changed the file")
	}
	mustRun(t, cfg, "", "profiles", "edit", "p", "--unset", "tree_delimiters")
	if p, _ := loadCfg(t, cfg).Get("p"); p.TreeDelimiters != nil || !slices.Equal(p.EffectiveTreeDelimiters(), []string{":"}) {
		t.Fatalf("delimiters after --unset: %q", p.TreeDelimiters)
	}
}
