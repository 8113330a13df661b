package cli

import (
	"context"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/internal/redistest"
	"github.com/amr-tui/amr-tui/rediscli"
)

// execNumSub is how many clients are subscribed to channel ch on the server at addr.
func execNumSub(t *testing.T, addr, ch string) int64 {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if err := rediscli.WriteCommand(c, "PUBSUB", "NUMSUB", ch); err != nil {
		t.Fatal(err)
	}
	r, err := rediscli.NewReader(c).ReadReply()
	if err != nil || len(r.Elems) != 2 {
		t.Fatalf("PUBSUB NUMSUB: %v %v", r, err)
	}
	return r.Elems[1].Int
}

// TestExecSubscribeMatchesRedisCLI subscribes to two channels with redis-cli and with exec,
// publishes a message, interrupts both, and compares what they printed, under RESP2 and
// RESP3, in --no-raw and --raw. Interrupting a stream is a clean end (status 0).
func TestExecSubscribeMatchesRedisCLI(t *testing.T) {
	bin := redistest.RedisCLIPath(t)
	srv := redistest.StartRedisServer(t)
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))
	host, port, _ := net.SplitHostPort(srv.Addr)

	for _, proto := range []string{"-2", "-3"} {
		for _, mode := range []string{"--no-raw", "--raw"} {
			// redis-cli, stopped with SIGINT once the message is printed. Each side starts once
			// the previous subscriber is gone, so that NUMSUB counts only its own.
			execWaitFor(t, "the last subscriber to leave", func() bool { return execNumSub(t, srv.Addr, "other") == 0 })
			var cliOut execSyncBuffer
			cli := exec.Command(bin, "-h", host, "-p", port, proto, mode, "SUBSCRIBE", "news", "other")
			cli.Stdout = &cliOut
			if err := cli.Start(); err != nil {
				t.Fatal(err)
			}
			execWaitFor(t, "redis-cli to subscribe", func() bool { return execNumSub(t, srv.Addr, "other") == 1 })
			execSendRaw(t, srv.Addr, []string{"PUBLISH", "news", "line one\nline \"two\""})
			execWaitFor(t, "redis-cli to print the message", func() bool { return strings.Contains(cliOut.String(), "two") })
			_ = cli.Process.Signal(syscall.SIGINT)
			_ = cli.Wait()

			execWaitFor(t, "redis-cli to leave", func() bool { return execNumSub(t, srv.Addr, "other") == 0 })
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			var out, errOut execSyncBuffer
			args := []string{"-p", "local", proto}
			if mode == "--raw" {
				args = append(args, "--raw")
			}
			done := make(chan error, 1)
			go func() {
				done <- runExecCLITo(t, ctx, config, "", &out, &errOut, append(args, "--", "SUBSCRIBE", "news", "other")...)
			}()
			execWaitFor(t, "exec to subscribe", func() bool { return execNumSub(t, srv.Addr, "other") == 1 })
			execSendRaw(t, srv.Addr, []string{"PUBLISH", "news", "line one\nline \"two\""})
			execWaitFor(t, "exec to print the message", func() bool { return strings.Contains(out.String(), "two") })
			cancel()
			if err := <-done; err != nil {
				t.Errorf("%s %s: exec ended with %v after Ctrl-C, want status 0", proto, mode, err)
			}
			if out.String() != cliOut.String() {
				t.Errorf("%s %s:\nredis-cli printed\n%q\namr-tui exec printed\n%q", proto, mode, cliOut.String(), out.String())
			}
			if errOut.String() != "" {
				t.Errorf("%s %s: stderr %q", proto, mode, errOut.String())
			}
		}
	}
}
