package redistest

import (
	"strings"
	"testing"
)

// A redis-server that cannot bind its port must not be mistaken for the one already there,
// which may belong to another test.
func TestRedisServerNeverAdoptsAnotherProcess(t *testing.T) {
	first := StartRedisServer(t)
	second := &RedisServer{Addr: first.Addr, Dir: t.TempDir(), t: t}
	err := second.launch(RedisServerPath(t))
	if err == nil {
		second.Stop()
		t.Fatal("a redis-server that could not bind was accepted")
	}
	if !strings.Contains(err.Error(), "exited") && !strings.Contains(err.Error(), "not by our redis-server") {
		t.Fatalf("unexpected error: %v", err)
	}
	if pid, err := serverPID(first.Addr); err != nil || pid != first.cmd.Process.Pid {
		t.Fatalf("the first server: pid %d, %v", pid, err)
	}
	first.Restart()
	if pid, err := serverPID(first.Addr); err != nil || pid != first.cmd.Process.Pid {
		t.Fatalf("after Restart: pid %d, %v", pid, err)
	}
}
