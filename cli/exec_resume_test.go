package cli

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/emulator"
)

// scriptFeed runs `exec -p demo-sp` in-process reading its script from a pipe the test
// writes to as it goes, so faults can fall between two lines.
type scriptFeed struct {
	t         *testing.T
	w         *io.PipeWriter
	out, errs *execSyncBuffer
	done      chan error
}

func startScriptFeed(t *testing.T, ctx context.Context, config string, args ...string) *scriptFeed {
	t.Helper()
	pr, pw := io.Pipe()
	f := &scriptFeed{t: t, w: pw, out: &execSyncBuffer{}, errs: &execSyncBuffer{}, done: make(chan error, 1)}
	root := &cobra.Command{Use: "amr-tui", SilenceUsage: true, SilenceErrors: true}
	root.PersistentFlags().String("config", "", "profiles file")
	root.AddCommand(newExecCmdWith(execAuthOptions(t)))
	root.SetIn(pr)
	root.SetOut(f.out)
	root.SetErr(f.errs)
	root.SetArgs(append([]string{"--config", config, "exec", "-p", "demo-sp", "--no-raw"}, args...))
	go func() { f.done <- root.ExecuteContext(ctx) }()
	t.Cleanup(func() { _ = pw.Close() })
	return f
}

// send writes lines and waits until stdout holds want replies in all.
func (f *scriptFeed) send(lines string, wantLines int) {
	f.t.Helper()
	if _, err := io.WriteString(f.w, lines); err != nil {
		f.t.Fatal(err)
	}
	execWaitFor(f.t, fmt.Sprintf("%d reply lines (stdout %q, stderr %q)", wantLines, f.out.String(), f.errs.String()), func() bool {
		return strings.Count(f.out.String(), "\n") >= wantLines
	})
}

// finish closes standard input and returns exec's result.
func (f *scriptFeed) finish() error {
	f.t.Helper()
	_ = f.w.Close()
	select {
	case err := <-f.done:
		return err
	case <-time.After(30 * time.Second):
		f.t.Fatal("exec did not end after its standard input closed")
		return nil
	}
}

// TestExecScriptResumesAfterLostConnection: the gate drops exec's idle connection, then the
// script sits idle longer than the token's life; every later line still runs, on the
// database and under the name the script chose.
func TestExecScriptResumesAfterLostConnection(t *testing.T) {
	ctx := execCtx(t, 2*time.Minute)
	d, config := startExecDemo(t, ctx, 4*time.Second)
	f := startScriptFeed(t, ctx, config)
	f.send("SELECT 2\nCLIENT SETNAME scripty\nSET resume:a 1\n", 3)
	if _, err := d.Inject(emulator.Fault{Kind: emulator.FaultCloseConnections}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	f.send("INCR resume:a\nCLIENT GETNAME\n", 5)
	time.Sleep(6 * time.Second) // idle past the 4 s token
	f.send("INCR resume:a\nGET resume:a\n", 7)
	err := f.finish()
	want := "OK\nOK\nOK\n(integer) 2\n\"scripty\"\n(integer) 3\n\"3\"\n"
	if got := f.out.String(); got != want || err != nil {
		t.Fatalf("script across a dropped connection and an idle gap:\n%q\nwant\n%q\nerr %v, stderr %q", got, want, err, f.errs.String())
	}
	if !strings.Contains(f.errs.String(), "resumed before line 4") || !strings.Contains(f.errs.String(), "SELECT 2, CLIENT SETNAME scripty") {
		t.Errorf("stderr does not say the connection was resumed with its state: %q", f.errs.String())
	}
	if got := execRedisCLI(t, d.Backend, "", "-n", "2", "GET", "resume:a"); got != "3\n" {
		t.Errorf("database 2 holds resume:a = %q, want 3", got)
	}
}

// TestExecScriptSurvivesRedisRestart restarts the Redis behind the gate between two lines of a
// 200-line script: every line after the restart runs, once, in order.
func TestExecScriptSurvivesRedisRestart(t *testing.T) {
	ctx := execCtx(t, 2*time.Minute)
	d, config := startExecDemo(t, ctx, 10*time.Minute)
	f := startScriptFeed(t, ctx, config)
	var first, rest strings.Builder
	for i := 1; i <= 200; i++ {
		b := &rest
		if i <= 50 {
			b = &first
		}
		fmt.Fprintf(b, "RPUSH restart:order %d\n", i)
	}
	f.send(first.String(), 50)
	if _, err := d.Inject(emulator.Fault{Kind: emulator.FaultBackendRestart, For: "1s"}); err != nil {
		t.Fatal(err)
	}
	f.send(rest.String(), 200)
	if err := f.finish(); err != nil {
		t.Fatalf("script across a Redis restart: %v (stderr %q)", err, f.errs.String())
	}
	got := execRedisCLI(t, d.Backend, "", "LRANGE", "restart:order", "0", "-1")
	var want strings.Builder
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&want, "%d\n", i)
	}
	if got != want.String() {
		t.Errorf("after the restart the list holds\n%s\nwant 1…200 in order", got)
	}
	if !strings.Contains(f.errs.String(), "resumed before line 51") {
		t.Errorf("stderr does not say the connection was resumed before line 51: %q", f.errs.String())
	}
}

// TestExecScriptLostReplyAndTransaction: a write whose reply was lost is reported with its
// line and not sent again; a read-only command is sent again; a transaction lost with its
// connection never runs in parts.
func TestExecScriptLostReplyAndTransaction(t *testing.T) {
	ctx := execCtx(t, 2*time.Minute)
	d, config := startExecDemo(t, ctx, 10*time.Minute)
	f := startScriptFeed(t, ctx, config)
	dropSoon := func() {
		time.Sleep(500 * time.Millisecond)
		if _, err := d.Inject(emulator.Fault{Kind: emulator.FaultCloseConnections}); err != nil {
			t.Error(err)
		}
	}

	// Line 1: BLPOP is flagged write; its reply is lost while it blocks.
	go dropSoon()
	if _, err := io.WriteString(f.w, "BLPOP lost:q 3\n"); err != nil {
		t.Fatal(err)
	}
	execWaitFor(t, "the lost BLPOP reported", func() bool { return strings.Contains(f.errs.String(), "line 1: BLPOP") })
	// Line 2: XREAD only reads; its reply is lost, and it is sent again.
	go dropSoon()
	f.send("XREAD BLOCK 1500 STREAMS lost:s $\n", 1)
	// Lines 3-7: the connection drops inside MULTI.
	f.send("MULTI\nSET lost:t 1\n", 3)
	if _, err := d.Inject(emulator.Fault{Kind: emulator.FaultCloseConnections}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	f.send("INCR lost:t\nEXEC\nGET lost:t\n", 4)
	err := f.finish()

	// The resent XREAD waits its 1.5 s again, so redis-cli's timing line follows its reply.
	timing := regexp.MustCompile(`(?m)^\(\d+\.\d\ds\)\n`)
	if got, want := timing.ReplaceAllString(f.out.String(), ""), "(nil)\nOK\nQUEUED\n(nil)\n"; got != want {
		t.Errorf("stdout %q, want %q (stderr %q)", got, want, f.errs.String())
	}
	if err == nil {
		t.Error("exec exited 0 after a lost reply and a lost transaction; want status 1")
	}
	errs := f.errs.String()
	for _, want := range []string{
		"line 1: BLPOP: the connection was lost after the command was sent",
		"not sent again (only read-only commands are)",
		"line 2: XREAD: the connection was lost before the reply; sent again",
		"line 5: INCR: not sent: the connection was lost inside MULTI",
		"line 6: EXEC: not sent: the transaction it ends was discarded",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if got := execRedisCLI(t, d.Backend, "", "EXISTS", "lost:t"); got != "0\n" {
		t.Errorf("part of the lost transaction ran: EXISTS lost:t = %q", got)
	}
}
