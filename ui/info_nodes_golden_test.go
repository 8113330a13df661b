package ui

import (
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/amr-tui/amr-tui/ui/infopanel"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

// TestGoldenInfoNodes: :info on an OSS cluster (a fake with three primaries, so every figure is
// fixed) says which node each tab shows, with the ←/→ picker in the tab bar: INFO side by side,
// CLIENTS and SLOWLOG merged with a NODE column (the slow log newest first across nodes), one
// node alone, SHARDS with slot ranges, and the help listing the picker's keys.
func TestGoldenInfoNodes(t *testing.T) {
	cluster := func() Options {
		return Options{Store: uitest.ClusterFake{ShardedFake: uitest.ShardedFake{FakeStore: demoStore()}}, Session: prodSession(), NoColor: true}
	}
	on := func(tab infopanel.Tab, node int) func(*App) bool {
		return func(a *App) bool { return onInfoTab(tab)(a) && a.info.PickedNode() == node }
	}
	open := func(t *testing.T) []screenStep {
		return []screenStep{settled(t), keys(":"), text("info"), keys("enter"), until(t, "info", on(infopanel.TabInfo, 0))}
	}
	cases := []struct {
		name  string
		w, h  int
		steps func(t *testing.T) []screenStep
	}{
		{"InfoAllNodes", 120, 20, open},
		{"InfoNode2", 120, 20, func(t *testing.T) []screenStep {
			return append(open(t), keys("right", "right"), until(t, "node 2", on(infopanel.TabInfo, 2)))
		}},
		{"ClientsAllNodes", 130, 12, func(t *testing.T) []screenStep {
			return append(open(t), keys("2"), until(t, "clients", on(infopanel.TabClients, 0)))
		}},
		{"SlowlogAllNodes", 130, 14, func(t *testing.T) []screenStep {
			return append(open(t), keys("3"), until(t, "slowlog", on(infopanel.TabSlowlog, 0)))
		}},
		{"SlowlogNode3", 130, 10, func(t *testing.T) []screenStep {
			return append(open(t), keys("3", "left"), until(t, "slowlog node 3", on(infopanel.TabSlowlog, 3)))
		}},
		{"Shards", 130, 10, func(t *testing.T) []screenStep {
			return append(open(t), keys("4"), until(t, "shards", on(infopanel.TabShards, 0)))
		}},
		{"Help", 120, 30, func(t *testing.T) []screenStep {
			return append(open(t), keys("?"), until(t, "help", func(a *App) bool { return a.helpView != nil }))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			golden.RequireEqual(t, []byte(runScreen(t, cluster(), c.w, c.h, c.steps(t)...)))
		})
	}
}
