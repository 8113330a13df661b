package sessionstore

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/ui/common"
)

var _ common.NodeReader = (*Store)(nil)

// errNotCluster answers a per-node read on a standalone store, which has no nodes to pick.
var errNotCluster = errors.New("sessionstore: not a cluster")

// Nodes implements common.NodeReader: the primaries in slot order with their slot ranges, each
// at the address the pooled client reaches it by (through its gate on AMR). Empty standalone.
func (s *Store) Nodes(ctx context.Context) ([]common.Node, error) {
	if s.cluster == nil {
		return nil, nil
	}
	shards, err := s.primaries(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]common.Node, len(shards))
	for i, sh := range shards {
		out[i] = common.Node{Addr: sh.Addr, FirstSlot: sh.FirstSlot, Ranges: sh.Ranges}
		if c, err := s.cluster.MasterForKey(ctx, slotKey(sh.FirstSlot)); err == nil {
			out[i].Addr = c.Options().Addr
		}
	}
	return out, nil
}

// node is the pooled client of the primary owning n's first slot now.
func (s *Store) node(ctx context.Context, n common.Node) (*redis.Client, error) {
	if s.cluster == nil {
		return nil, errNotCluster
	}
	return s.cluster.MasterForKey(ctx, slotKey(n.FirstSlot))
}

// NodeInfo implements common.NodeReader.
func (s *Store) NodeInfo(ctx context.Context, n common.Node, section string) (string, error) {
	c, err := s.node(ctx, n)
	if err != nil {
		return "", err
	}
	return c.Info(ctx, section).Result()
}

// NodeClientList implements common.NodeReader.
func (s *Store) NodeClientList(ctx context.Context, n common.Node) (string, error) {
	c, err := s.node(ctx, n)
	if err != nil {
		return "", err
	}
	return c.ClientList(ctx).Result()
}

// NodeSlowLog implements common.NodeReader.
func (s *Store) NodeSlowLog(ctx context.Context, n common.Node, count int64) ([]common.SlowLogEntry, error) {
	c, err := s.node(ctx, n)
	if err != nil {
		return nil, err
	}
	return slowLog(ctx, c, count)
}
