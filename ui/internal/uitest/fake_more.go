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
