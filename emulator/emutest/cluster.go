package emutest

import (
	"context"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator"
)

// StartCluster starts an emulated OSS-policy cluster for the test: a real redis-server Redis
// Cluster of masters primaries with replicas replicas each, every node behind its own gate
// (a copy of gate with its own backend). It is skipped, or failed under CI=true, when
// redis-server is missing, and stopped when the test ends.
func StartCluster(t testing.TB, masters, replicas int, gate emulator.GateOptions) *emulator.ClusterGates {
	t.Helper()
	bin := RedisServerPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rc, err := emulator.StartRedisCluster(ctx, emulator.RedisClusterOptions{
		Dir: t.TempDir(), Masters: masters, Replicas: replicas, Bin: bin})
	if err != nil {
		t.Fatalf("starting the Redis cluster: %v", err)
	}
	t.Cleanup(rc.Close)
	cg, err := emulator.StartClusterGates(rc, gate)
	if err != nil {
		t.Fatalf("starting the cluster's gates: %v", err)
	}
	t.Cleanup(cg.Close)
	return cg
}
