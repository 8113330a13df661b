package bulkcli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/rediscli"
)

// Target is a profile: its name and read-only flag, known before anything is sent, and how to
// connect to it.
type Target struct {
	Name     string // the profile's name: what the confirmation asks to type
	ReadOnly bool
	// Connect signs in and connects; it is called only once the command is allowed on the
	// profile, so a refused command sends nothing, not even a handshake. Nil when Client is
	// already connected.
	Connect func(ctx context.Context) (client redis.UniversalClient, close func(), err error)
	Client  redis.UniversalClient
	// Pipe, when set (by Connect), opens a dedicated connection of the same session for an
	// import's native writes (bulk.ImportOptions.Pipe).
	Pipe  func() (bulk.Pipe, error)
	close func()
}

// connect connects the target if it is not yet.
func (t *Target) connect(ctx context.Context) error {
	if t.Client != nil || t.Connect == nil {
		return nil
	}
	c, closeFn, err := t.Connect(ctx)
	if err != nil {
		return err
	}
	t.Client, t.close = c, closeFn
	return nil
}

// Close releases the connection.
func (t *Target) Close() {
	if t.close != nil {
		t.close()
	}
}

// Opener looks up a saved profile.
type Opener func(ctx context.Context, profile string) (*Target, error)

// Env is where a command talks to the person running it.
type Env struct {
	In     io.Reader
	Out    io.Writer // export's data when -o is "-"
	Err    io.Writer // preview, prompts, progress, report
	InTTY  bool      // In is a terminal: a confirmation can be typed
	ErrTTY bool      // Err is a terminal: a progress bar is drawn
}

// StdEnv is the process's standard streams.
func StdEnv() Env {
	return Env{In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY: term.IsTerminal(int(os.Stdin.Fd())), ErrTTY: term.IsTerminal(int(os.Stderr.Fd()))}
}

// EnvOf is the streams a cobra command was given (the process's by default); a stream is a
// terminal only when it is an *os.File on one.
func EnvOf(cmd *cobra.Command) Env {
	isTTY := func(v any) bool {
		f, ok := v.(*os.File)
		return ok && term.IsTerminal(int(f.Fd()))
	}
	in, out, errw := cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	return Env{In: in, Out: out, Err: errw, InTTY: isTTY(in), ErrTTY: isTTY(errw)}
}

// ErrNotConfirmed is returned when the typed name did not match: nothing was changed.
var ErrNotConfirmed = errors.New("not confirmed: nothing was changed")

// confirm asks for the target profile's name, unless yes. Without a terminal to type it on,
// --yes is required: a script has no one to answer, and reading the answer from a pipe would
// take the first line of whatever data the script sends.
func (e Env) confirm(action, profile string, yes bool) error {
	if yes {
		return nil
	}
	if !e.InTTY {
		return fmt.Errorf("a confirmation is needed (to %s) and standard input is not a terminal: check it with --dry-run, then run it with --yes", action)
	}
	fmt.Fprintf(e.Err, "Type the profile name (%s) to %s, anything else to stop: ", profile, action)
	line, err := bufio.NewReader(e.In).ReadString('\n')
	if err != nil && line == "" {
		return ErrNotConfirmed
	}
	if strings.TrimRight(line, "\r\n") != profile {
		return ErrNotConfirmed
	}
	return nil
}

// quote shows a key name safely on a terminal (escaped as redis-cli does).
func quote(s string) string { return rediscli.Quote(s) }

// printPreview shows what an operation will act on.
func (e Env) printPreview(what string, p bulk.PreviewResult, memory bool) {
	fmt.Fprintf(e.Err, "%s: %s\n", what, p.Selection)
	line := fmt.Sprintf("  %s keys", group(p.Count))
	if memory {
		line += fmt.Sprintf(", about %s to be freed", bytesText(p.MemoryBytes))
	}
	if p.Existing > 0 {
		line += fmt.Sprintf(", %s of them exist on the target", group(p.Existing))
	}
	fmt.Fprintln(e.Err, line)
	if len(p.Sample) > 0 {
		names := make([]string, len(p.Sample))
		for i, k := range p.Sample {
			names[i] = quote(k)
		}
		more := ""
		if int64(len(p.Sample)) < p.Count {
			more = ", …"
		}
		fmt.Fprintf(e.Err, "  e.g. %s%s\n", strings.Join(names, ", "), more)
	}
}

// printReport shows what was done, with the first failures.
func (e Env) printReport(r bulk.Report, journal string) {
	fmt.Fprintln(e.Err, r.String()+fmt.Sprintf(" in %s", r.Elapsed.Round(1e7)))
	for i, f := range r.Failures {
		if i == 10 {
			fmt.Fprintf(e.Err, "  … %d more failures\n", r.Failed-10)
			break
		}
		fmt.Fprintf(e.Err, "  failed %s: %s\n", quote(f.Key), f.Reason)
	}
	if journal != "" && r.Affected > 0 {
		fmt.Fprintf(e.Err, "  the keys changed are listed in %s\n", journal)
	}
}

func group(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, u := float64(n), 0
	for f >= unit && u < 4 {
		f /= unit
		u++
	}
	return fmt.Sprintf("%.1f %ciB", f, "KMGT"[u-1])
}
