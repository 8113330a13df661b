package browser

import "testing"

func TestGlobEscape(t *testing.T) {
	eq := func(got, want string) {
		t.Helper()
		if got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	eq(globEscape("a*b?[c]\\"), `a\*b\?\[c\]\\`)
	eq(globEscape("user:"), "user:")
	if !hasGlob("a*") || hasGlob("user:42") {
		t.Fatal("hasGlob")
	}
}
