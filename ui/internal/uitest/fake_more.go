package uitest

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// More FakeStore: list and stream editing, SELECT, CLIENT LIST and SLOWLOG.
func (f *FakeStore) LRemAt(_ context.Context, k string, i int64, expect string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("LREMAT " + k + " " + strconv.FormatInt(i, 10) + " " + expect)
	if f.Err != nil {
		return f.Err
	}
	l, _ := f.Vals[k].([]string)
	if i < 0 || i >= int64(len(l)) || l[i] != expect {
		return errors.New("the element at index " + strconv.FormatInt(i, 10) + " changed since it was read; nothing was removed")
	}
	f.Vals[k] = slices.Delete(slices.Clone(l), int(i), int(i)+1)
	return nil
}

func (f *FakeStore) push(k, v string, head bool) error {
	l, ok := f.Vals[k].([]string)
	if !ok {
		if _, exists := f.Vals[k]; exists {
			return errors.New("WRONGTYPE Operation against a key holding the wrong kind of value")
		}
		f.order = append(f.order, k)
	}
	if head {
		l = append([]string{v}, l...)
	} else {
		l = append(slices.Clone(l), v)
	}
	f.Vals[k] = l
	return nil
}

func (f *FakeStore) RPush(_ context.Context, k, v string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("RPUSH " + k + " " + v)
	if f.Err != nil {
		return f.Err
	}
	return f.push(k, v, false)
}

func (f *FakeStore) LPush(_ context.Context, k, v string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("LPUSH " + k + " " + v)
	if f.Err != nil {
		return f.Err
	}
	return f.push(k, v, true)
}

func (f *FakeStore) XAdd(_ context.Context, k string, fields []string) (string, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("XADD " + k + " * " + strings.Join(fields, " "))
	if f.Err != nil {
		return "", f.Err
	}
	es, _ := f.Vals[k].([]common.StreamEntry)
	if _, ok := f.Vals[k]; !ok {
		f.order = append(f.order, k)
	}
	id := "1800000000000-" + strconv.Itoa(len(es))
	f.Vals[k] = append(slices.Clone(es), common.StreamEntry{ID: id, Fields: slices.Clone(fields)})
	return id, nil
}

func (f *FakeStore) XDel(_ context.Context, k, id string) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("XDEL " + k + " " + id)
	if f.Err != nil {
		return f.Err
	}
	es, _ := f.Vals[k].([]common.StreamEntry)
	f.Vals[k] = slices.DeleteFunc(slices.Clone(es), func(e common.StreamEntry) bool { return e.ID == id })
	return nil
}

// SelectDB returns the store of database n (empty at first), like SELECT on one server.
func (f *FakeStore) SelectDB(_ context.Context, n int) (common.Store, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("SELECT " + strconv.Itoa(n))
	if f.SelectErr != nil {
		return nil, f.SelectErr
	}
	if n >= 16 {
		return nil, errors.New("ERR DB index is out of range")
	}
	if f.dbs == nil {
		f.dbs = map[int]*FakeStore{0: f}
	}
	d, ok := f.dbs[n]
	if !ok {
		d = NewFakeStore()
		d.dbs = f.dbs
		f.dbs[n] = d
	}
	return d, nil
}

func (f *FakeStore) ClientList(context.Context) (string, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("CLIENT LIST")
	if f.ClientErr != nil {
		return "", f.ClientErr
	}
	return "id=3 addr=127.0.0.1:50100 laddr=127.0.0.1:6379 fd=8 name=amr-tui age=3600 idle=0 flags=N db=0 sub=0 psub=0 cmd=client|list user=alice\n" +
		"id=7 addr=10.0.0.4:41822 laddr=127.0.0.1:6379 fd=9 name= age=65 idle=12 flags=N db=2 sub=0 psub=0 cmd=get user=default\n", nil
}

func (f *FakeStore) SlowLog(_ context.Context, n int64) ([]common.SlowLogEntry, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.log("SLOWLOG GET " + strconv.FormatInt(n, 10))
	if f.SlowErr != nil {
		return nil, f.SlowErr
	}
	return []common.SlowLogEntry{
		{ID: 12, Time: T0.Add(-90 * time.Second), Duration: 12300 * time.Microsecond, Args: []string{"KEYS", "*"}, Client: "10.0.0.4:41822"},
		{ID: 11, Time: T0.Add(-time.Hour), Duration: 850 * time.Microsecond, Args: []string{"HGETALL", "user:1:profile"}, Client: "127.0.0.1:50100", Name: "amr-tui"},
	}, nil
}

// ShardedFake adds per-shard INFO to a FakeStore, as a cluster store reports it.
type ShardedFake struct{ *FakeStore }

func (s ShardedFake) ShardInfo(ctx context.Context, section string) ([]common.ShardInfo, error) {
	text, err := s.Info(ctx, section)
	if err != nil {
		return nil, err
	}
	return []common.ShardInfo{
		{Addr: "10.0.0.1:7000", Text: "# Replication\r\nrole:master\r\n# Memory\r\nused_memory_human:1.50M\r\n# Clients\r\nconnected_clients:4\r\n# Stats\r\ninstantaneous_ops_per_sec:120\r\n" + text},
		{Addr: "10.0.0.2:7000", Err: errors.New("NOPERM User alice has no permissions to run the 'info' command")},
	}, nil
}

// ClusterFake is a ShardedFake whose three primaries answer INFO, CLIENT LIST and SLOWLOG one
// by one (common.NodeReader), as an OSS cluster's nodes do.
type ClusterFake struct{ ShardedFake }

// FakeNodes are ClusterFake's primaries.
var FakeNodes = []common.Node{
	{Addr: "10.0.0.1:7000", FirstSlot: 0, Ranges: [][2]int{{0, 5460}}},
	{Addr: "10.0.0.2:7000", FirstSlot: 5461, Ranges: [][2]int{{5461, 10922}}},
	{Addr: "10.0.0.3:7000", FirstSlot: 10923, Ranges: [][2]int{{10923, 16383}}},
}

// Nodes implements common.NodeReader.
func (ClusterFake) Nodes(context.Context) ([]common.Node, error) { return FakeNodes, nil }

// nodeIndex is n's position in FakeNodes.
func nodeIndex(n common.Node) int {
	for i, x := range FakeNodes {
		if x.FirstSlot == n.FirstSlot {
			return i
		}
	}
	return -1
}

// ShardInfo reports FakeNodes with their slot ranges.
func (s ClusterFake) ShardInfo(ctx context.Context, section string) ([]common.ShardInfo, error) {
	var out []common.ShardInfo
	for _, n := range FakeNodes {
		text, _ := s.NodeInfo(ctx, n, section)
		out = append(out, common.ShardInfo{Addr: n.Addr, FirstSlot: n.FirstSlot, Slots: n.Ranges[0][1] - n.Ranges[0][0] + 1, Ranges: n.Ranges, Text: text})
	}
	return out, nil
}

// NodeInfo implements common.NodeReader: each node has its own memory, clients and keys.
func (ClusterFake) NodeInfo(_ context.Context, n common.Node, _ string) (string, error) {
	i := nodeIndex(n)
	return "# Server\r\nredis_version:7.4.0\r\ntcp_port:7000\r\n# Clients\r\nconnected_clients:" + strconv.Itoa(3+i) +
		"\r\n# Memory\r\nused_memory_human:1." + strconv.Itoa(i) + "0M\r\n# Replication\r\nrole:master\r\n# Stats\r\ninstantaneous_ops_per_sec:" + strconv.Itoa(100*(i+1)) +
		"\r\n# Keyspace\r\ndb0:keys=" + strconv.Itoa(1000+i) + ",expires=0,avg_ttl=0\r\n", nil
}

// NodeClientList implements common.NodeReader: one client per node, the second node two.
func (ClusterFake) NodeClientList(_ context.Context, n common.Node) (string, error) {
	i := nodeIndex(n)
	out := "id=" + strconv.Itoa(10+i) + " addr=10.0.9.9:5010" + strconv.Itoa(i) + " name=amr-tui age=3600 idle=0 flags=N db=0 cmd=client|list user=alice\n"
	if i == 1 {
		out += "id=40 addr=10.0.0.4:41822 name=worker age=65 idle=12 flags=N db=0 cmd=get user=default\n"
	}
	return out, nil
}

// NodeSlowLog implements common.NodeReader: two entries per node, interleaved in time.
func (ClusterFake) NodeSlowLog(_ context.Context, n common.Node, _ int64) ([]common.SlowLogEntry, error) {
	i := nodeIndex(n)
	return []common.SlowLogEntry{
		{ID: 2, Time: T0.Add(time.Duration(-10*i) * time.Second), Duration: 1200 * time.Microsecond, Args: []string{"HGETALL", "user:" + strconv.Itoa(i)}, Client: "10.0.0.4:41822"},
		{ID: 1, Time: T0.Add(time.Duration(-60-10*i) * time.Second), Duration: 15 * time.Millisecond, Args: []string{"KEYS", "*"}, Client: "10.0.0.4:41822"},
	}, nil
}
