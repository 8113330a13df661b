package rediscli

import (
	"path/filepath"
	"testing"
)

func TestConsoleHistoryPath(t *testing.T) {
	dir := filepath.Join("home", "u", ".config", "amr-tui")
	if got, want := HistoryPath(filepath.Join(dir, "profiles.yaml"), "prod-weu"), filepath.Join(dir, "history", "prod-weu.console"); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	for _, c := range [][2]string{{"", "prod"}, {"/x/profiles.yaml", ".."}, {"/x/profiles.yaml", "a/b"}} {
		if got := HistoryPath(c[0], c[1]); got != "" {
			t.Errorf("HistoryPath(%q, %q) = %q, want none", c[0], c[1], got)
		}
	}
}
