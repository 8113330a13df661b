package auth

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	goldenfile "github.com/amr-tui/amr-tui/internal/golden"
)

// Fixed secrets used by the tests. They are constants so that TestNoSecretInGoldens can scan
// every golden file for them.
const (
	testSecret      = "Sup3r-Secret~Value.For-Tests_42"
	testWrongSecret = "Wrong-Secret~Value.For-Tests_99"
	testCertPass    = "Cert-Pa55word!For-Tests"
	testAccessKey   = "AccessKey+Value/For=Tests0123456789"
)

var fixedSecrets = []string{testSecret, testWrongSecret, testCertPass, testAccessKey}

// seenSecrets collects every secret and token a test obtained; goldens and errors are checked
// against it.
var seenSecrets struct {
	sync.Mutex
	v []string
}

func trackSecret(s string) {
	if len(s) < 8 {
		return
	}
	seenSecrets.Lock()
	seenSecrets.v = append(seenSecrets.v, s)
	seenSecrets.Unlock()
}

func allSecrets() []string {
	seenSecrets.Lock()
	defer seenSecrets.Unlock()
	return append(append([]string(nil), fixedSecrets...), seenSecrets.v...)
}

// assertNoSecret fails the test when text contains any known secret or token (or a token's
// signature part, which is what a truncated token would leak).
func assertNoSecret(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range allSecrets() {
		if strings.Contains(text, s) {
			t.Errorf("%s contains a secret or token (%d chars starting %q…)", what, len(s), s[:4])
		}
		if parts := strings.Split(s, "."); len(parts) == 3 && len(parts[2]) > 16 && strings.Contains(text, parts[2]) {
			t.Errorf("%s contains a token signature", what)
		}
	}
}

var (
	guidRE    = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	portRE    = regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\]):\d+`)
	rfc3339RE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)
	dateRE    = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}Z?)?\b`)
	tmpRE     = regexp.MustCompile(`(/tmp|/var/folders)/[^\s"':,)]+`)
	// How a dropped connection reads varies with timing; goldens show one placeholder.
	droppedRE = regexp.MustCompile(`(read tcp \S+->\S+: read: connection reset by peer|write tcp \S+->\S+: write: broken pipe|unexpected EOF|\bEOF\b)`)
)

// normalise replaces what differs between runs (GUIDs, ports, times, temp paths) with stable
// placeholders. GUIDs the test names get readable names first.
func normalise(s string, names map[string]string) string {
	for v, name := range names {
		if v != "" {
			s = strings.ReplaceAll(s, v, "<"+name+">")
		}
	}
	s = guidRE.ReplaceAllString(s, "<GUID>")
	s = portRE.ReplaceAllString(s, "$1:<PORT>")
	s = rfc3339RE.ReplaceAllString(s, "<TIME>")
	s = dateRE.ReplaceAllString(s, "<DATE>")
	s = tmpRE.ReplaceAllString(s, "<TMP>")
	s = droppedRE.ReplaceAllString(s, "<CONNECTION DROPPED>")
	return s
}

// golden compares got with testdata/<Test>/<Subtest>.golden, or testdata/<Test>/main.golden for
// a test without subtests (rewriting it under -update), after checking it holds no secret.
func golden(t *testing.T, got string) {
	t.Helper()
	assertNoSecret(t, "golden output", got)
	name := ""
	if !strings.Contains(t.Name(), "/") {
		name = "main"
	}
	goldenfile.Assert(t, name, []byte(got))
}

// asError returns err as *Error or fails the test.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error is %T, not *auth.Error: %v", err, err)
	}
	assertNoSecret(t, "error", err.Error())
	if strings.ContainsAny(err.Error(), "\r\n") {
		t.Errorf("Error() is not one line: %q", err.Error())
	}
	assertNoSecret(t, "explanation", e.Explain())
	return e
}

// explainGolden renders a classified error as the golden text: the step and code on their own
// lines (so a reader sees the classification), then the Explain form.
func explainGolden(e *Error, names map[string]string) string {
	var b strings.Builder
	b.WriteString("step: " + e.Step.String() + "\n")
	if e.Code != "" {
		b.WriteString("code: " + e.Code + "\n")
	}
	b.WriteString("---\n")
	b.WriteString(e.Explain())
	b.WriteString("\n")
	return normalise(b.String(), names)
}

// TestNoSecretInGoldens scans every golden file for the tests' fixed secrets.
func TestNoSecretInGoldens(t *testing.T) {
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".golden") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range fixedSecrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s contains a test secret", path)
			}
		}
		if regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.`).Match(b) {
			t.Errorf("%s contains something that looks like a JWT", path)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
}
