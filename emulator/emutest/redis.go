package emutest

import (
	"testing"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// RedisServer is a real redis-server started for one test; see internal/redistest.
type RedisServer = redistest.RedisServer

// StartRedisServer starts redis-server on a free loopback port for the test; see
// redistest.StartRedisServer.
func StartRedisServer(t testing.TB, extra ...string) *RedisServer {
	t.Helper()
	return redistest.StartRedisServer(t, extra...)
}

// RedisServerPath returns the path of redis-server, skipping the test (failing it under CI)
// when it is missing; see redistest.RedisServerPath.
func RedisServerPath(t testing.TB) string {
	t.Helper()
	return redistest.RedisServerPath(t)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	return redistest.FreePort(t)
}
