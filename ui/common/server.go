package common

import (
	"context"
	"strconv"
	"time"
)

// InfoReader is implemented by stores that can run INFO. It is optional: restricted users
// (and some managed services) are denied INFO, and the UI must work without it.
type InfoReader interface {
	Info(ctx context.Context, section string) (string, error)
}

// ServerReader is implemented by stores that can list clients and read the slow log. It is
// optional, and either command may be denied (NOPERM, or unknown/blocked on managed services):
// the server panel shows that tab as not permitted and keeps the others.
type ServerReader interface {
	// ClientList returns CLIENT LIST's text: one client per line, space-separated name=value.
	ClientList(ctx context.Context) (string, error)
	// SlowLog returns the newest n SLOWLOG GET entries, newest first.
	SlowLog(ctx context.Context, n int64) ([]SlowLogEntry, error)
}

// SlowLogEntry is one SLOWLOG GET entry.
type SlowLogEntry struct {
	ID       int64
	Time     time.Time
	Duration time.Duration
	Args     []string
	Client   string // client address, when the server reports it
	Name     string // CLIENT SETNAME, when set
}

// ShardInfoReader is implemented by stores that can run INFO on every primary of a cluster
// (a standalone store reports its one server). It is optional: the panel then has no SHARDS
// tab. A shard whose INFO failed carries the error and the others are still shown.
type ShardInfoReader interface {
	ShardInfo(ctx context.Context, section string) ([]ShardInfo, error)
}

// ShardInfo is one primary's INFO text, or why it could not be read.
type ShardInfo struct {
	FirstSlot int      // the lowest slot the shard owns (shards come in slot order); 0 standalone
	Slots     int      // how many slots it owns; 0 for a standalone server
	Ranges    [][2]int // its slot ranges, inclusive, in slot order; nil for a standalone server
	Addr      string   // the primary, as the cluster advertises it (AMR: IP:port)
	Text      string   // the INFO reply
	Err       error    // why INFO could not be read on this shard
}

// NodeReader is implemented by stores over an OSS cluster, where INFO, CLIENT LIST and SLOWLOG
// answer for one node only: the server panel reads them node by node and offers a node picker
// with an "all nodes" position. Nodes is empty over a standalone server (no picker).
type NodeReader interface {
	// Nodes lists the primaries in slot order.
	Nodes(ctx context.Context) ([]Node, error)
	// NodeInfo runs INFO section on one primary.
	NodeInfo(ctx context.Context, n Node, section string) (string, error)
	// NodeClientList runs CLIENT LIST on one primary.
	NodeClientList(ctx context.Context, n Node) (string, error)
	// NodeSlowLog returns one primary's newest n SLOWLOG GET entries, newest first.
	NodeSlowLog(ctx context.Context, n Node, count int64) ([]SlowLogEntry, error)
}

// Node is one primary of a cluster: its address and the hash slots it owns.
type Node struct {
	Addr      string   // as the store reaches it (AMR: IP:port)
	FirstSlot int      // the lowest slot it owns: its stable name while slots do not move
	Ranges    [][2]int // its slot ranges, inclusive, in slot order
}

// SlotRanges is "0-5460" or "0-100,200-300": slot ranges as a cluster operator writes them.
func SlotRanges(rs [][2]int) string {
	var b []byte
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(r[0]), 10)
		if r[1] != r[0] {
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(r[1]), 10)
		}
	}
	return string(b)
}
