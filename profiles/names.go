package profiles

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// ValidName reports whether name can name a profile: 1–64 letters, digits, '.', '_' or '-',
// starting with a letter or digit. Names are used in keychain accounts and on the command line,
// so they are kept free of spaces, slashes and quoting.
func ValidName(name string) error {
	if !wordOf(name, 64, "._-") {
		return fmt.Errorf("invalid profile name %q: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// ExpandPath expands a leading "~/" to the user's home directory. Paths in profiles are absolute
// or start with "~/", so they mean the same whatever directory amr-tui is started from.
func ExpandPath(p string) (string, error) {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("expanding %q: %w", p, err)
		}
		return filepath.Join(home, rest), nil
	}
	return p, nil
}

// checkPath explains what is wrong with a path stored in a profile, or returns "".
func checkPath(p string) string {
	switch {
	case hasControl(p):
		return "the path contains control characters"
	case strings.HasPrefix(p, "~/") || filepath.IsAbs(p):
		return ""
	}
	return fmt.Sprintf("want an absolute path or one starting with ~/, got %q (relative paths would depend on the directory amr-tui is started from)", p)
}

// hasControl reports whether s contains control characters, which must never reach a terminal
// from a file someone else may have edited.
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// The package's regular expressions compile on first use: a package-level MustCompile runs
// in every process at start-up, `amr-tui exec -- PING` and the TUI's first frame included.
var guidRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)
})

// isGUID reports whether s looks like an Entra ID (00000000-0000-0000-0000-000000000000).
func isGUID(s string) bool { return guidRE().MatchString(s) }

// validTenant accepts a tenant GUID, a verified domain (contoso.onmicrosoft.com) or one of the
// multi-tenant aliases (organizations, common, consumers).
func validTenant(s string) bool { return wordOf(s, 253, ".-") }

// wordOf reports whether s is 1 to max ASCII letters, digits or the punctuation in also,
// starting with a letter or digit. It is written out rather than a regexp because compiling
// `{0,252}` repetitions costs a quarter of a millisecond on every start of the program.
func wordOf(s string, max int, also string) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || strings.IndexByte(also, c) < 0) {
			return false
		}
	}
	return true
}

// hostRE is deliberately loose (underscores appear in real internal names) but excludes
// anything that would need quoting or is a URL or host:port.
var hostRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$`) })
