package emutest

import (
	"bufio"
	"fmt"
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
	p, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server not found on PATH under CI (.ci/run installs it): %v", err)
		}
		t.Skip("redis-server not installed; apt-get install redis-server to run this test")
	}
	return p
}

// RedisServer is a real redis-server started for one test on a free loopback port.
type RedisServer struct {
	Addr string // 127.0.0.1:PORT
	Dir  string // working directory (dump files, logs)
	cmd  *exec.Cmd
	t    testing.TB
	args []string
}

// StartRedisServer starts redis-server on a free loopback port with persistence off, and stops
// it when the test ends. Extra arguments are passed as redis-server command-line options
// (e.g. "--maxmemory", "100mb").
func StartRedisServer(t testing.TB, extra ...string) *RedisServer {
	t.Helper()
	bin := RedisServerPath(t)
	port := FreePort(t)
	dir := t.TempDir()
	args := append([]string{
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--protected-mode", "no", "--logfile", filepath.Join(dir, "redis.log"),
	}, extra...)
	s := &RedisServer{Addr: fmt.Sprintf("127.0.0.1:%d", port), Dir: dir, t: t, args: args}
	s.start(bin)
	t.Cleanup(s.Stop)
	return s
}

func (s *RedisServer) start(bin string) {
	s.t.Helper()
	s.cmd = exec.Command(bin, s.args...)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("starting redis-server: %v", err)
	}
	if err := waitForPing(s.Addr, 10*time.Second); err != nil {
		s.Stop()
		log, _ := os.ReadFile(filepath.Join(s.Dir, "redis.log"))
		s.t.Fatalf("redis-server on %s did not answer PING: %v\n%s", s.Addr, err, log)
	}
}

// Stop kills the server and waits for it to exit. It is safe to call twice.
func (s *RedisServer) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Restart stops the server and starts it again on the same address (data is lost: persistence
// is off), as an operator restart or a failover would look to a client.
func (s *RedisServer) Restart() {
	s.t.Helper()
	s.Stop()
	s.start(RedisServerPath(s.t))
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

func waitForPing(addr string, within time.Duration) error {
	deadline := time.Now().Add(within)
	var last error
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			_ = c.SetDeadline(time.Now().Add(time.Second))
			_, err = c.Write([]byte("PING\r\n"))
			if err == nil {
				var line string
				line, err = bufio.NewReader(c).ReadString('\n')
				if err == nil && strings.HasPrefix(line, "+PONG") {
					c.Close()
					return nil
				}
			}
			c.Close()
		}
		last = err
		time.Sleep(25 * time.Millisecond)
	}
	return last
}
