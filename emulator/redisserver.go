package emulator

import (
	"context"
	"errors"
	"os"
	"os/exec"
)

// RedisServerOptions configure StartRedisServer.
type RedisServerOptions struct {
	// Dir is the server's working directory (its log). Required.
	Dir string
	// Bin is the redis-server binary; empty means "redis-server" on PATH.
	Bin string
}

// RedisServer is one standalone redis-server process on loopback, without persistence.
type RedisServer struct {
	Addr string // 127.0.0.1:<port>
	node *ClusterNode
}

// HaveRedisServer reports whether redis-server is on PATH.
func HaveRedisServer() bool {
	_, err := exec.LookPath("redis-server")
	return err == nil
}

// StartRedisServer starts a standalone redis-server on a free loopback port and waits until it
// answers as itself. Stop it with Close. Without redis-server on PATH it returns
// ErrNoRedisServer.
func StartRedisServer(ctx context.Context, opts RedisServerOptions) (*RedisServer, error) {
	if opts.Dir == "" {
		return nil, errors.New("emulator: a directory for redis-server is required")
	}
	if opts.Bin == "" {
		p, err := exec.LookPath("redis-server")
		if err != nil {
			return nil, ErrNoRedisServer
		}
		opts.Bin = p
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	n, err := launchNode(ctx, opts.Bin, opts.Dir)
	if err != nil {
		return nil, err
	}
	return &RedisServer{Addr: n.Addr, node: n}, nil
}

// Close kills the server and waits for it to exit. It is safe to call twice.
func (s *RedisServer) Close() {
	if s == nil || s.node == nil {
		return
	}
	_ = s.node.cmd.Process.Kill()
	<-s.node.exited
}
