package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
)

// execResult is what one `amr-tui exec` run printed and returned.
type execResult struct {
	stdout, stderr string
	err            error
}

// status is the process exit status main would give err.
func (r execResult) status() int {
	if r.err == nil {
		return 0
	}
	if ee, ok := r.err.(exitError); ok {
		return ee.code
	}
	return 1
}

// runExecCLI runs `amr-tui --config CONFIG exec ARGS…` in-process, under a root that has the
// --config flag as main's root does, with auth requests held to loopback.
func runExecCLI(t *testing.T, ctx context.Context, config, stdin string, args ...string) execResult {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runExecCLITo(t, ctx, config, stdin, &out, &errOut, args...)
	return execResult{stdout: out.String(), stderr: errOut.String(), err: err}
}

// runExecCLITo is runExecCLI writing to out and errOut as it goes.
func runExecCLITo(t *testing.T, ctx context.Context, config, stdin string, out, errOut io.Writer, args ...string) error {
	t.Helper()
	root := &cobra.Command{Use: "amr-tui", SilenceUsage: true, SilenceErrors: true}
	root.PersistentFlags().String("config", "", "profiles file")
	root.AddCommand(newExecCmdWith(execAuthOptions(t)))
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(out)
	root.SetErr(errOut)
	root.SetArgs(append([]string{"--config", config, "exec"}, execModeArgs(args)...))
	return root.ExecuteContext(ctx)
}

// execSyncBuffer is a bytes.Buffer that one goroutine writes while another reads.
type execSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *execSyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *execSyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// execWaitFor polls until cond holds, failing the test after 10 s.
func execWaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// execAuthOptions keep every Entra request on loopback and fail at once instead of retrying.
func execAuthOptions(t *testing.T) auth.Options {
	return auth.Options{
		WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return emutest.Guard(t, rt) },
		Retry:         &policy.RetryOptions{MaxRetries: -1},
	}
}

// execWriteProfiles saves ps into a new profiles file and returns its path.
func execWriteProfiles(t *testing.T, ps ...profiles.Profile) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profiles.toml")
	f, err := profiles.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if err := f.Put(p); err != nil {
			t.Fatalf("profile %s: %v", p.Name, err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return path
}

// execPlainProfile is an auth-none, TLS-off profile for the redis-server at addr.
func execPlainProfile(t *testing.T, name, addr string) profiles.Profile {
	t.Helper()
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	off := false
	return profiles.Profile{Name: name, Host: host, Port: port, Cluster: profiles.ClusterOff,
		TLS: profiles.TLS{Enabled: &off}, Auth: profiles.Auth{Kind: profiles.AuthNone}}
}

// execRedisCLI runs the real redis-cli against addr with flags then args, and returns its stdout.
func execRedisCLI(t *testing.T, addr, stdin string, flagsAndArgs ...string) string {
	t.Helper()
	bin := redistest.RedisCLIPath(t)
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, append([]string{"-h", host, "-p", port}, flagsAndArgs...)...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("redis-cli %q: %v\n%s", flagsAndArgs, err, errOut.String())
	}
	return out.String()
}

// execSendRaw runs setup commands (binary-safe, unlike redis-cli's argv) on a plain connection.
func execSendRaw(t *testing.T, addr string, cmds ...[]string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	rd := rediscli.NewReader(c)
	for _, args := range cmds {
		if err := rediscli.WriteCommand(c, args...); err != nil {
			t.Fatal(err)
		}
		r, err := rd.ReadReply()
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if r.IsError() {
			t.Fatalf("setup %q: %s", args, r.Str)
		}
	}
}

func execCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// execModeArgs asks for --no-raw when args choose no output mode: an in-process run writes to
// a buffer, which exec (as redis-cli) would otherwise treat as a pipe and print raw. The
// pipe default is checked on the real binary (TestExecPipeAndTerminalMatchRedisCLI).
func execModeArgs(args []string) []string {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--raw" || a == "--no-raw" || a == "--json" {
			return args
		}
	}
	return append([]string{"--no-raw"}, args...)
}
