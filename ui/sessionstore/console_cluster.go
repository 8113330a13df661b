package sessionstore

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/rediscli"
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
