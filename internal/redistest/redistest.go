// Package redistest starts real redis-server processes for tests, on free loopback ports. It is
// a leaf (no project imports) so that any package's tests can use it without import cycles.
package redistest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RedisServerPath returns the path of redis-server. When it is missing the test is skipped, or
// failed under CI=true, where .ci/run installs it and its absence is a broken setup.
func RedisServerPath(t testing.TB) string {
	t.Helper()
	return lookTool(t, "redis-server", "redis-server")
}

// RedisCLIPath returns the path of redis-cli, skipping or failing like RedisServerPath.
func RedisCLIPath(t testing.TB) string {
	t.Helper()
	return lookTool(t, "redis-cli", "redis-tools")
}

func lookTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found on PATH under CI (.ci/run installs %s): %v", name, pkg, err)
		}
		t.Skipf("%s not installed; apt-get install %s to run this test", name, pkg)
	}
	return p
}

// RedisServer is a real redis-server started for one test on a free loopback port.
type RedisServer struct {
	Addr   string // 127.0.0.1:PORT
	Dir    string // working directory (dump files, logs)
	cmd    *exec.Cmd
	exited chan struct{} // closed once cmd has exited
	t      testing.TB
	extra  []string
}

// startAttempts bounds the retries when another process takes the chosen port first.
const startAttempts = 5

// StartRedisServer starts redis-server on a free loopback port with persistence off, and stops
// it when the test ends. Extra arguments are passed as redis-server command-line options
// (e.g. "--maxmemory", "100mb"). FreePort's port can be taken by another test process before
// redis-server binds it, so the server is only accepted once INFO shows its own process ID; if
// it failed to bind, another port is tried.
func StartRedisServer(t testing.TB, extra ...string) *RedisServer {
	t.Helper()
	bin := RedisServerPath(t)
	s := &RedisServer{Dir: t.TempDir(), t: t, extra: extra}
	t.Cleanup(s.Stop)
	var err error
	for range startAttempts {
		s.Addr = fmt.Sprintf("127.0.0.1:%d", FreePort(t))
		if err = s.launch(bin); err == nil {
			return s
		}
	}
	t.Fatalf("starting redis-server: %v", err)
	return nil
}

// launch starts redis-server on s.Addr and waits until it answers as itself.
func (s *RedisServer) launch(bin string) error {
	_, port, _ := strings.Cut(s.Addr, ":")
	logFile := filepath.Join(s.Dir, "redis.log")
	args := append([]string{
		"--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", s.Dir, "--protected-mode", "no", "--logfile", logFile,
	}, s.extra...)
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-exited:
			log, _ := os.ReadFile(logFile)
			return fmt.Errorf("redis-server on %s exited: %s\n%s", s.Addr, cmd.ProcessState, log)
		default:
		}
		pid, err := serverPID(s.Addr)
		if err == nil && pid == cmd.Process.Pid {
			s.cmd, s.exited = cmd, exited
			return nil
		}
		if err == nil {
			err = fmt.Errorf("%s is served by process %d, not by our redis-server (%d)", s.Addr, pid, cmd.Process.Pid)
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("redis-server on %s did not answer as itself: %w", s.Addr, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// Stop kills the server and waits for it to exit. It is safe to call twice.
func (s *RedisServer) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// Restart stops the server and starts it again on the same address (data is lost: persistence
// is off), as an operator restart or a failover would look to a client.
func (s *RedisServer) Restart() {
	s.t.Helper()
	s.Stop()
	bin := RedisServerPath(s.t)
	var err error
	for range startAttempts { // the old process's socket may linger for a moment
		if err = s.launch(bin); err == nil {
			return
		}
	}
	s.t.Fatalf("restarting redis-server: %v", err)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// SilentListener returns the address of a loopback listener that accepts connections and
// never answers on them (a server that hangs, or a plain port waiting for a command); it and
// its connections close when the test ends.
func SilentListener(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var held []net.Conn
		defer func() {
			for _, c := range held {
				_ = c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		<-done
	})
	return l.Addr().String()
}

// serverPID asks the Redis at addr for the process_id in INFO server.
func serverPID(addr string) (int, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("INFO server\r\n")); err != nil {
		return 0, err
	}
	r := bufio.NewReader(c)
	header, err := r.ReadString('\n')
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(header, "$")))
	if !strings.HasPrefix(header, "$") || err != nil {
		return 0, fmt.Errorf("INFO server answered %q", header)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(body), "\r\n") {
		if v, ok := strings.CutPrefix(line, "process_id:"); ok {
			return strconv.Atoi(v)
		}
	}
	return 0, fmt.Errorf("no process_id in INFO server")
}
