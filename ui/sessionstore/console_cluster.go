package sessionstore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

// clusterFanOut are the key-less commands a cluster console sends to every primary, printing
// one line per node as `redis-cli --cluster call` does (lower-case names or "container|sub"
// keys). Other commands run on the console's own connection, which follows MOVED/ASK as
// redis-cli -c does (session.Console).
var clusterFanOut = map[string]bool{
	"dbsize": true, "info": true, "ping": true, "lastsave": true, "time": true, "keys": true,
	"flushall": true, "flushdb": true, "save": true, "bgsave": true, "bgrewriteaof": true,
	"slowlog|get": true, "slowlog|len": true, "slowlog|reset": true,
	"config|get": true, "config|set": true, "config|resetstat": true, "config|rewrite": true,
	"memory|stats": true, "memory|doctor": true, "memory|purge": true, "memory|malloc-stats": true,
	"client|list": true, "latency|latest": true, "latency|doctor": true, "latency|reset": true,
	"script|load": true, "script|flush": true, "script|exists": true,
	"function|load": true, "function|flush": true, "function|delete": true, "function|list": true, "function|stats": true,
}

// fansOut reports whether args is sent to every primary of a cluster.
func fansOut(args []string) bool {
	name := strings.ToLower(args[0])
	if len(args) > 1 && clusterFanOut[name+"|"+strings.ToLower(args[1])] {
		return true
	}
	return clusterFanOut[name]
}

// callMasters runs args on every primary and renders the replies as `redis-cli --cluster call`
// does: ">>> Calling ARGS", then "host:port: reply" per node (the reply printed raw), in
// address order; a node that fails says why.
func callMasters(ctx context.Context, cc *redis.ClusterClient, args []string) (rediscli.Reply, error) {
	type result struct{ addr, text string }
	var (
		mu  sync.Mutex
		out []result
	)
	err := cc.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
		v, err := node.Do(ctx, anyArgs(args)...).Result()
		r, err := rediscli.FromGoRedisFor(args, v, err)
		text := ""
		switch {
		case err != nil:
			text = "Failed! (" + err.Error() + ")"
		case r.IsError():
			text = "Failed! (" + r.Str + ")"
		default:
			text = strings.TrimSuffix(rediscli.FormatRaw(r), "\n")
		}
		mu.Lock()
		out = append(out, result{node.Options().Addr, text})
		mu.Unlock()
		return nil
	})
	if err != nil {
		return rediscli.Reply{}, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].addr < out[j].addr })
	var b strings.Builder
	b.WriteString(">>> Calling " + strings.Join(args, " "))
	for _, r := range out {
		b.WriteString("\n" + r.addr + ": " + r.text)
	}
	return rediscli.Verbatim("txt", b.String()), nil
}

// monitorCluster runs MONITOR on every primary of the cluster, each on a console of its own
// pinned to the node (through its gate, re-AUTHed in place and reconnected as any console
// stream), and merges their lines, each tagged with its node. Closing the stream closes them
// all.
func monitorCluster(ctx context.Context, s *session.Session, cc *redis.ClusterClient) (common.ReplyStream, error) {
	var (
		mu    sync.Mutex
		addrs []string
	)
	if err := cc.ForEachMaster(ctx, func(_ context.Context, node *redis.Client) error {
		mu.Lock()
		addrs = append(addrs, node.Options().Addr)
		mu.Unlock()
		return nil
	}); err != nil {
		return nil, fmt.Errorf("MONITOR: listing the primaries: %w", err)
	}
	sort.Strings(addrs)
	var (
		cons  []*session.Console
		pumps []*pump
	)
	closeAll := func() error {
		for _, p := range pumps {
			_ = p.Close()
		}
		for _, c := range cons {
			_ = c.Close()
		}
		return nil
	}
	for _, addr := range addrs {
		con, err := s.ConsoleWith(ctx, session.ConsoleOptions{Addr: addr})
		if err != nil {
			_ = closeAll()
			return nil, err
		}
		cons = append(cons, con)
		p, err := streamOn(ctx, con, []string{"MONITOR"}, addr)
		if err != nil {
			_ = closeAll()
			return nil, fmt.Errorf("MONITOR on %s: %w", addr, err)
		}
		pumps = append(pumps, p)
	}
	out := newPump(closeAll)
	var wg sync.WaitGroup
	for _, p := range pumps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				rs, err := p.Next(context.Background(), streamBatch)
				if err != nil {
					if !errors.Is(err, common.ErrStreamClosed) {
						out.send(rediscli.Status("-- MONITOR stopped on one node: " + err.Error() + " --"))
					}
					return
				}
				for _, r := range rs {
					if !out.send(r) {
						return
					}
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		select {
		case <-out.done:
		default:
			out.fail(errors.New("MONITOR ended on every node"))
		}
	}()
	return out, nil
}

// streamBatch is how many replies a node's MONITOR hands over at once to the merged stream.
const streamBatch = 256
