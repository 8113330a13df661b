package editor

import (
	"context"
	"slices"
	"testing"

	"github.com/amr-tui/amr-tui/profiles"
)

// The form edits tree_delimiters as space-separated strings; a profile saved without touching
// the field keeps the delimiters it had, even one with a space in it, and an emptied field
// means the default.
func TestEditorTreeDelimiters(t *testing.T) {
	ctx := context.Background()
	path := writeProfiles(t, profiles.Profile{Name: "local", Host: "127.0.0.1", Port: 6379,
		TreeDelimiters: []string{":", " - "}, Auth: profiles.Auth{Kind: profiles.AuthNone}})
	o := &Editor{Path: path}
	saved := func() []string {
		t.Helper()
		f, err := profiles.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := f.Get("local")
		return p.TreeDelimiters
	}

	v, err := o.Load(ctx, "local")
	if err != nil {
		t.Fatal(err)
	}
	if v["tree_delimiters"] != ":  - " {
		t.Fatalf("form value %q", v["tree_delimiters"])
	}
	v["db"] = "2" // another field changes
	if err := o.Save(ctx, "local", v); err != nil {
		t.Fatal(err)
	}
	if got := saved(); !slices.Equal(got, []string{":", " - "}) {
		t.Fatalf("an untouched field changed the delimiters to %q", got)
	}

	v["tree_delimiters"] = ": /  ::"
	if err := o.Save(ctx, "local", v); err != nil {
		t.Fatal(err)
	}
	if got := saved(); !slices.Equal(got, []string{":", "/", "::"}) {
		t.Fatalf("delimiters %q", got)
	}

	for _, bad := range []string{": \x1b", "\xff"} {
		v["tree_delimiters"] = bad
		if err := o.Save(ctx, "local", v); err == nil {
			t.Fatalf("delimiters %q saved", bad)
		}
		if got := saved(); !slices.Equal(got, []string{":", "/", "::"}) {
			t.Fatalf("a refused save changed the delimiters to %q", got)
		}
	}

	v["tree_delimiters"] = "  "
	if err := o.Save(ctx, "local", v); err != nil {
		t.Fatal(err)
	}
	if got := saved(); got != nil {
		t.Fatalf("an emptied field saved %q, want the default (none set)", got)
	}
}
