package emulator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
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
	bin  string
	mu   sync.Mutex // guards node across Restart and Close
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
	return &RedisServer{Addr: n.Addr, bin: opts.Bin, node: n}, nil
}

// Restart saves the data (SAVE), stops the server (every connection to it drops), keeps it
// down for down and starts it again on the same port, where it loads what it saved: a Redis
// restarted with persistence.
func (s *RedisServer) Restart(ctx context.Context, down time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.node == nil {
		return errors.New("emulator: restarting a redis-server that was closed")
	}
	if _, err := nodeCommand(ctx, s.Addr, "SAVE"); err != nil {
		return fmt.Errorf("emulator: saving redis-server %s before its restart: %w", s.Addr, err)
	}
	_ = s.node.cmd.Process.Kill()
	<-s.node.exited
	dir := s.node.Dir
	s.node = nil
	if down > 0 {
		time.Sleep(down)
	}
	_, port, _ := strings.Cut(s.Addr, ":")
	p, _ := strconv.Atoi(port)
	n, err := launchNodeOn(ctx, s.bin, dir, p)
	if err != nil {
		return fmt.Errorf("emulator: restarting redis-server on %s: %w", s.Addr, err)
	}
	s.node = n
	return nil
}

// Close kills the server and waits for it to exit. It is safe to call twice.
func (s *RedisServer) Close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.node == nil {
		return
	}
	_ = s.node.cmd.Process.Kill()
	<-s.node.exited
	s.node = nil
}
