package emulator

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RedisClusterOptions configure StartRedisCluster.
type RedisClusterOptions struct {
	// Dir receives one working directory per node (nodes.conf, log). Required.
	Dir string
	// Masters is the number of primaries (3 when zero); the slots are split evenly.
	Masters int
	// Replicas is the number of replicas per primary (0: none).
	Replicas int
	// NodeTimeout is cluster-node-timeout: how long a primary may be unreachable before its
	// replica takes over (1 s when zero, so failovers in tests and demos take seconds).
	NodeTimeout time.Duration
	// Bin is the redis-server binary; empty means "redis-server" on PATH.
	Bin string
}

// RedisCluster is a real Redis Cluster of redis-server processes on loopback.
type RedisCluster struct {
	Nodes []*ClusterNode // primaries first (in slot order), then replicas

	mu sync.Mutex
}

// ClusterNode is one redis-server of a RedisCluster.
type ClusterNode struct {
	Addr string // 127.0.0.1:<port>, as the node announces itself
	ID   string // cluster node ID
	// ReplicaOf is the ID of the primary this node was started as a replica of; empty for a
	// primary. After a failover the roles are what CLUSTER NODES says, not this.
	ReplicaOf string
	Dir       string

	cmd    *exec.Cmd
	exited chan struct{}
}

// ErrNoRedisServer is returned when redis-server is not installed.
var ErrNoRedisServer = errors.New("redis-server was not found on PATH; an emulated OSS-policy cluster " +
	"runs real redis-server processes: install Redis (e.g. apt-get install redis-server) and try again")

// StartRedisCluster starts Masters primaries and their replicas as redis-server processes on free
// loopback ports, joins them into one cluster (CLUSTER ADDSLOTSRANGE, MEET, REPLICATE) and waits
// until every node reports the cluster healthy and every replica is in sync. Stop it with Close.
func StartRedisCluster(ctx context.Context, opts RedisClusterOptions) (*RedisCluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("emulator cluster: a directory for the nodes is required")
	}
	if opts.Masters == 0 {
		opts.Masters = 3
	}
	if opts.Masters < 1 || opts.Masters > 16 || opts.Replicas < 0 || opts.Replicas > 4 {
		return nil, fmt.Errorf("emulator cluster: %d primaries with %d replicas each is out of range (1–16, 0–4)", opts.Masters, opts.Replicas)
	}
	if opts.NodeTimeout <= 0 {
		opts.NodeTimeout = time.Second
	}
	if opts.Bin == "" {
		p, err := exec.LookPath("redis-server")
		if err != nil {
			return nil, ErrNoRedisServer
		}
		opts.Bin = p
	}
	rc := &RedisCluster{}
	if err := rc.start(ctx, opts); err != nil {
		rc.Close()
		return nil, err
	}
	return rc, nil
}

func (rc *RedisCluster) start(ctx context.Context, opts RedisClusterOptions) error {
	total := opts.Masters * (1 + opts.Replicas)
	for i := range total {
		dir := filepath.Join(opts.Dir, "node-"+strconv.Itoa(i))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("emulator cluster: %w", err)
		}
		n, err := launchClusterNode(ctx, opts.Bin, dir, opts.NodeTimeout)
		if err != nil {
			return err
		}
		rc.Nodes = append(rc.Nodes, n)
	}
	for _, n := range rc.Nodes {
		id, err := nodeCommand(ctx, n.Addr, "CLUSTER", "MYID")
		if err != nil {
			return fmt.Errorf("emulator cluster: CLUSTER MYID on %s: %w", n.Addr, err)
		}
		n.ID = id
	}
	per := 16384 / opts.Masters
	for i := range opts.Masters {
		lo, hi := i*per, (i+1)*per-1
		if i == opts.Masters-1 {
			hi = 16383
		}
		if _, err := nodeCommand(ctx, rc.Nodes[i].Addr, "CLUSTER", "ADDSLOTSRANGE", strconv.Itoa(lo), strconv.Itoa(hi)); err != nil {
			return fmt.Errorf("emulator cluster: assigning slots %d-%d to %s: %w", lo, hi, rc.Nodes[i].Addr, err)
		}
	}
	host, port, _ := net.SplitHostPort(rc.Nodes[0].Addr)
	for _, n := range rc.Nodes[1:] {
		if _, err := nodeCommand(ctx, n.Addr, "CLUSTER", "MEET", host, port); err != nil {
			return fmt.Errorf("emulator cluster: CLUSTER MEET from %s: %w", n.Addr, err)
		}
	}
	if err := rc.waitFor(ctx, "every node to know every other", func(info, nodes string) bool {
		return strings.Contains(info, "cluster_known_nodes:"+strconv.Itoa(total)+"\r")
	}); err != nil {
		return err
	}
	for i := opts.Masters; i < total; i++ {
		n, master := rc.Nodes[i], rc.Nodes[(i-opts.Masters)%opts.Masters]
		// A replica may only follow a primary it already knows as one; MEET has just run.
		if err := retry(ctx, func() error {
			_, err := nodeCommand(ctx, n.Addr, "CLUSTER", "REPLICATE", master.ID)
			return err
		}); err != nil {
			return fmt.Errorf("emulator cluster: making %s a replica of %s: %w", n.Addr, master.Addr, err)
		}
		n.ReplicaOf = master.ID
	}
	return rc.waitFor(ctx, "the cluster to be healthy with every replica in sync", func(info, nodes string) bool {
		return strings.Contains(info, "cluster_state:ok") &&
			strings.Count(nodes, "master") == opts.Masters && strings.Count(nodes, "slave") == total-opts.Masters &&
			!strings.Contains(nodes, "fail") && !strings.Contains(nodes, "handshake")
	}, rc.replicasInSync)
}

// replicasInSync reports whether every replica's link to its primary is up.
func (rc *RedisCluster) replicasInSync(ctx context.Context) bool {
	for _, n := range rc.Nodes {
		if n.ReplicaOf == "" {
			continue
		}
		info, err := nodeCommand(ctx, n.Addr, "INFO", "replication")
		if err != nil || !strings.Contains(info, "master_link_status:up") {
			return false
		}
	}
	return true
}

// waitFor polls CLUSTER INFO and CLUSTER NODES on every live node until ok holds on all of them
// and every extra check passes.
func (rc *RedisCluster) waitFor(ctx context.Context, what string, ok func(info, nodes string) bool, extra ...func(context.Context) bool) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		all := true
		for _, n := range rc.liveNodes() {
			info, err1 := nodeCommand(ctx, n.Addr, "CLUSTER", "INFO")
			nodes, err2 := nodeCommand(ctx, n.Addr, "CLUSTER", "NODES")
			if err1 != nil || err2 != nil || !ok(info, nodes) {
				all = false
				break
			}
		}
		for _, e := range extra {
			all = all && e(ctx)
		}
		if all {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("emulator cluster: timed out waiting for %s", what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// WaitHealthy waits until every live node reports cluster_state:ok and sees no node in a failed
// state other than the ones stopped with Kill — after a failover, for example.
func (rc *RedisCluster) WaitHealthy(ctx context.Context) error {
	return rc.waitFor(ctx, "the cluster to be healthy", func(info, _ string) bool {
		return strings.Contains(info, "cluster_state:ok")
	})
}

func (rc *RedisCluster) liveNodes() []*ClusterNode {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []*ClusterNode
	for _, n := range rc.Nodes {
		if n.cmd != nil {
			out = append(out, n)
		}
	}
	return out
}

// Masters returns the nodes started as primaries.
func (rc *RedisCluster) Masters() []*ClusterNode {
	var out []*ClusterNode
	for _, n := range rc.Nodes {
		if n.ReplicaOf == "" {
			out = append(out, n)
		}
	}
	return out
}

// Kill stops a node at once (SIGKILL), as a crashed VM would; its replica is promoted by the
// cluster after NodeTimeout.
func (rc *RedisCluster) Kill(n *ClusterNode) {
	rc.mu.Lock()
	cmd, exited := n.cmd, n.exited
	n.cmd = nil
	rc.mu.Unlock()
	if cmd != nil {
		_ = cmd.Process.Kill()
		<-exited
	}
}

// Close kills every node. It is safe to call twice and on a partly started cluster.
func (rc *RedisCluster) Close() {
	if rc == nil {
		return
	}
	for _, n := range rc.Nodes {
		rc.Kill(n)
	}
}

// launchClusterNode starts one cluster-enabled redis-server on a free port, retrying with
// another port if the chosen one was taken in the meantime.
func launchClusterNode(ctx context.Context, bin, dir string, nodeTimeout time.Duration) (*ClusterNode, error) {
	return launchNode(ctx, bin, dir, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
		"--cluster-node-timeout", strconv.FormatInt(nodeTimeout.Milliseconds(), 10),
		// A replica takes over however long its primary was gone (the demo may sit idle).
		"--cluster-replica-validity-factor", "0")
}

// launchNode starts one redis-server with extra arguments on a free port, retrying with
// another port if the chosen one was taken in the meantime.
func launchNode(ctx context.Context, bin, dir string, extra ...string) (*ClusterNode, error) {
	var lastErr error
	for range 5 {
		port, err := freeLoopbackPort()
		if err != nil {
			return nil, err
		}
		var n *ClusterNode
		if n, lastErr = launchNodeOn(ctx, bin, dir, port, extra...); lastErr == nil {
			return n, nil
		}
	}
	return nil, lastErr
}

// launchNodeOn starts redis-server on port and waits until it answers as itself. The server
// loads dump.rdb from dir when there is one (a restart after SAVE keeps the data).
func launchNodeOn(ctx context.Context, bin, dir string, port int, extra ...string) (*ClusterNode, error) {
	n := &ClusterNode{Addr: "127.0.0.1:" + strconv.Itoa(port), Dir: dir}
	logFile := filepath.Join(dir, "redis.log")
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir, "--protected-mode", "no",
		"--logfile", logFile}, extra...)
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("emulator cluster: starting %s: %w", bin, err)
	}
	n.cmd, n.exited = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); close(n.exited) }()
	if err := waitNodeUp(ctx, n); err != nil {
		_ = cmd.Process.Kill()
		<-n.exited
		return nil, err
	}
	return n, nil
}

// waitNodeUp waits until the node answers with its own process ID (the port may have been taken
// by another process between freeLoopbackPort and the server's bind).
func waitNodeUp(ctx context.Context, n *ClusterNode) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-n.exited:
			log, _ := os.ReadFile(filepath.Join(n.Dir, "redis.log"))
			return fmt.Errorf("emulator cluster: redis-server on %s exited:\n%s", n.Addr, log)
		default:
		}
		info, err := nodeCommand(ctx, n.Addr, "INFO", "server")
		if err == nil && strings.Contains(info, "process_id:"+strconv.Itoa(n.cmd.Process.Pid)+"\r") {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("emulator cluster: redis-server on %s did not answer as itself: %v", n.Addr, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("emulator cluster: finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func retry(ctx context.Context, f func() error) error {
	var err error
	for range 100 {
		if err = f(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
	return err
}

// nodeCommand sends one command to a node over a bare RESP2 connection and returns a simple or
// bulk reply as text; an error reply is an error.
func nodeCommand(ctx context.Context, addr string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	bargs := make([][]byte, len(args))
	for i, a := range args {
		bargs[i] = []byte(a)
	}
	if _, err := conn.Write(appendCommand(nil, bargs...)); err != nil {
		return "", err
	}
	var reply []byte
	if err := readReply(bufio.NewReader(conn), &reply); err != nil {
		return "", err
	}
	v, _, ok := parseValue(reply)
	if !ok {
		return "", fmt.Errorf("unreadable reply %q", reply)
	}
	if v.typ == '-' {
		return "", errors.New(string(v.str))
	}
	return string(v.str), nil
}
