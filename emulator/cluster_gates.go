package emulator

import (
	"errors"
	"time"
)

// ClusterGates puts one AMR gate in front of every node of a RedisCluster, with the topology
// rewritten to the gates' addresses: an emulated Azure Managed Redis with the OSS clustering
// policy. Clients connect to any gate (AMR's port 10000 is Gates[0]), discover the others from
// CLUSTER SLOTS and talk to each shard's gate directly, over TLS checked against the cache's
// host name and with the same token on every one.
type ClusterGates struct {
	Cluster *RedisCluster
	Gates   []*Gate // Gates[i] fronts Cluster.Nodes[i]
	Addrs   *ClusterAddrs
}

// StartClusterGates starts the gates; every gate gets a copy of template with its own Backend
// and the shared Topology.
func StartClusterGates(rc *RedisCluster, template GateOptions) (*ClusterGates, error) {
	if rc == nil || len(rc.Nodes) == 0 {
		return nil, errors.New("emulator cluster: no nodes to put gates in front of")
	}
	cg := &ClusterGates{Cluster: rc, Addrs: NewClusterAddrs()}
	for _, n := range rc.Nodes {
		o := template
		o.Backend, o.Topology, o.Addr = n.Addr, cg.Addrs, ""
		g, err := StartGate(o)
		if err != nil {
			cg.Close()
			return nil, err
		}
		cg.Addrs.Set(n.Addr, g.Addr())
		cg.Gates = append(cg.Gates, g)
	}
	return cg, nil
}

// Entry is the address clients start from (the first primary's gate).
func (cg *ClusterGates) Entry() string { return cg.Gates[0].Addr() }

// GateOf returns the gate in front of n.
func (cg *ClusterGates) GateOf(n *ClusterNode) *Gate {
	for i, m := range cg.Cluster.Nodes {
		if m == n {
			return cg.Gates[i]
		}
	}
	return nil
}

// Stats sums every gate's counters (Live is left empty).
func (cg *ClusterGates) Stats() GateStats {
	var s GateStats
	for _, g := range cg.Gates {
		st := g.Stats()
		s.AuthOK += st.AuthOK
		s.AuthFailed += st.AuthFailed
		s.ClosedForExpiry += st.ClosedForExpiry
		s.Accepted += st.Accepted
	}
	return s
}

// SetLatency sets every gate's simulated round trip (see GateOptions.Latency).
func (cg *ClusterGates) SetLatency(d time.Duration) {
	for _, g := range cg.Gates {
		g.SetLatency(d)
	}
}

// Close stops every gate (not the cluster).
func (cg *ClusterGates) Close() {
	for _, g := range cg.Gates {
		_ = g.Close()
	}
}
