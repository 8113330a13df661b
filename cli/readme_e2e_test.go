package cli

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// readmeCommands returns the shell commands of the README's "Two commands" section: the code
// blocks in it, in order (the demo, then the tests).
func readmeCommands(t *testing.T) (demo, test string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "\n## Two commands\n")
	if !ok {
		t.Fatal(`README.md has no "## Two commands" section`)
	}
	if i := strings.Index(sec, "\n## "); i >= 0 {
		sec = sec[:i]
	}
	var blocks []string
	for rest := sec; ; {
		_, after, ok := strings.Cut(rest, "```sh\n")
		if !ok {
			break
		}
		body, tail, ok := strings.Cut(after, "```")
		if !ok {
			t.Fatal("an unterminated code block in the Two commands section")
		}
		blocks, rest = append(blocks, strings.TrimSpace(body)), tail
	}
	if len(blocks) != 2 {
		t.Fatalf("the Two commands section has %d sh blocks, want 2: %q", len(blocks), blocks)
	}
	for _, c := range blocks {
		if strings.Contains(c, "\n") {
			t.Fatalf("a README command spans lines: %q", c)
		}
	}
	return blocks[0], blocks[1]
}

// ciTestCommand is the `go test` line .ci/run runs.
func ciTestCommand(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join(moduleRoot, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var found []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "go test ") {
			found = append(found, line)
		}
	}
	if len(found) != 1 {
		t.Fatalf(".ci/run has %d `go test` lines, want 1: %q", len(found), found)
	}
	return found[0]
}

// TestReadmeTestCommandIsCIs: the README's test command is the very one CI runs.
func TestReadmeTestCommandIsCIs(t *testing.T) {
	_, test := readmeCommands(t)
	if ci := ciTestCommand(t); test != ci {
		t.Fatalf("README says %q, .ci/run runs %q", test, ci)
	}
	if !strings.Contains(test, "-race") || !strings.HasSuffix(test, "./...") {
		t.Errorf("the test command %q should run every package with -race", test)
	}
}

// TestReadmeDemoEndToEnd follows the README on a fresh checkout: it clones this repository's
// HEAD into a temporary directory, runs the README's demo command there exactly as written,
// under tmux, opens a key and checks that the value and the token countdown are on screen.
func TestReadmeDemoEndToEnd(t *testing.T) {
	demo, _ := readmeCommands(t)
	if !strings.HasPrefix(demo, "go run . demo") {
		t.Fatalf("the README's demo command is %q; this test types keys into `amr-tui demo`", demo)
	}
	tmuxPath(t)
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	top, err := exec.Command(git, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("not a git checkout under CI: %v", err)
		}
		t.Skip("not a git checkout; the README test clones it")
	}
	clone := filepath.Join(t.TempDir(), "amr-tui")
	if out, err := exec.Command(git, "clone", "-q", "--no-hardlinks", strings.TrimSpace(string(top)), clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	// Build first, as the README's `go run` would, so the wait below is for the program only.
	build := exec.Command("go", "build", "-o", os.DevNull, ".")
	build.Dir = clone
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build in the clone: %v\n%s", err, out)
	}

	r := startTmux(t, []string{"AMR_TUI_CONFIG=" + filepath.Join(t.TempDir(), "unused.toml")},
		"sh", "-c", "cd "+shellQuote(clone)+" && exec "+demo)
	r.waitFor("the key list", 3*time.Minute, func(s string) bool {
		return strings.Contains(s, "demo-sp") && strings.Contains(s, "KEY") && strings.Contains(s, "loaded")
	})
	r.send(false, ":open user:1042:profile")
	r.send(true, "Enter")
	s := r.waitFor("the hash", time.Minute, func(s string) bool {
		return strings.Contains(s, "user:1042:profile") && strings.Contains(s, "created_at")
	})
	if header := strings.SplitN(s, "\n", 2)[0]; !countdown.MatchString(header) {
		t.Errorf("no token countdown (mm:ss) in the header: %q", header)
	}
	r.quit()
	if rc := r.exitStatus(time.Minute); rc != 0 {
		errOut, _ := os.ReadFile(r.errFile)
		t.Fatalf("%q exited with %d\n%s", demo, rc, errOut)
	}
}

// TestReadmeImagesExist: every image the README shows is committed under assets/.
func TestReadmeImagesExist(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	refs := readmeImage.FindAllStringSubmatch(string(b), -1)
	if len(refs) < 4 {
		t.Fatalf("the README shows %d images, want the screenshots (at least 4)", len(refs))
	}
	for _, m := range refs {
		if _, err := os.Stat(filepath.Join(moduleRoot, m[1])); err != nil {
			t.Errorf("README shows %s: %v", m[1], err)
		}
	}
}

var readmeImage = regexp.MustCompile(`!\[[^\]]*\]\((assets/[^)]+)\)`)
