package infopanel

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/ui/common"
)

// nodeFake answers per node; a node listed in refuse answers with NOPERM.
type nodeFake struct{ refuse map[int]bool }

var fakeNodes = []common.Node{
	{Addr: "10.0.0.1:7000", FirstSlot: 0, Ranges: [][2]int{{0, 5460}}},
	{Addr: "10.0.0.2:7000", FirstSlot: 5461, Ranges: [][2]int{{5461, 10922}}},
}

var errNoPerm = errors.New("NOPERM this user has no permissions to run the 'slowlog|get' command")

func (f nodeFake) Nodes(context.Context) ([]common.Node, error) { return fakeNodes, nil }
func (f nodeFake) NodeInfo(_ context.Context, n common.Node, _ string) (string, error) {
	if f.refuse[n.FirstSlot] {
		return "", errNoPerm
	}
	return "# Server\r\nrole:master\r\nport:" + n.Addr[len(n.Addr)-4:] + "\r\n", nil
}
func (f nodeFake) NodeClientList(_ context.Context, n common.Node) (string, error) {
	if f.refuse[n.FirstSlot] {
		return "", errNoPerm
	}
	return "id=1 addr=10.9.9.9:1 cmd=get\n", nil
}
func (f nodeFake) NodeSlowLog(_ context.Context, n common.Node, _ int64) ([]common.SlowLogEntry, error) {
	if f.refuse[n.FirstSlot] {
		return nil, errNoPerm
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return []common.SlowLogEntry{{ID: 1, Time: t0.Add(time.Duration(n.FirstSlot) * time.Second), Args: []string{"GET", n.Addr}}}, nil
}

// A node that refuses is a row saying so in the merged views; the others are still shown; when
// every node refuses the tab says so as a whole.
func TestMergedViewsKeepTheNodesThatAnswer(t *testing.T) {
	f := nodeFake{refuse: map[int]bool{0: true}}
	ctx := context.Background()
	m := readNodes(ctx, f, fakeNodes, TabSlowlog, "", allNodes)
	if m.err != nil || len(m.table.rows) != 2 {
		t.Fatalf("slow log: %v %v", m.err, m.table.rows)
	}
	if r := m.table.rows[0]; r[2] != "10.0.0.1:7000" || !strings.HasPrefix(r[5], "not permitted: NOPERM") {
		t.Fatalf("refusing node's row %q", r)
	}
	if r := m.table.rows[1]; r[2] != "10.0.0.2:7000" || r[5] != "GET 10.0.0.2:7000" {
		t.Fatalf("answering node's row %q", r)
	}
	m = readNodes(ctx, f, fakeNodes, TabClients, "", allNodes)
	if r := m.table.rows[0]; r[0] != "10.0.0.1:7000" || !strings.HasPrefix(r[len(r)-1], "not permitted") || m.table.rows[1][0] != "10.0.0.2:7000" {
		t.Fatalf("clients: %q", m.table.rows)
	}
	m = readNodes(ctx, f, fakeNodes, TabInfo, "", allNodes)
	st := common.NewStyles(true, true)
	got := common.AnsiStrip(strings.Join(sideBySide(st, 100, fakeNodes, m.nodeTexts, m.nodeErrs), "\n"))
	if !strings.Contains(got, "10.0.0.1:7000 not permitted") || !strings.Contains(got, "role") || !strings.Contains(got, "master") {
		t.Fatalf("INFO side by side:\n%s", got)
	}
	all := nodeFake{refuse: map[int]bool{0: true, 5461: true}}
	if m := readNodes(ctx, all, fakeNodes, TabSlowlog, "", allNodes); !errors.Is(m.err, errNoPerm) {
		t.Fatalf("every node refused: %v", m.err)
	}
	// One node picked: its reply alone, without a NODE column.
	m = readNodes(ctx, f, fakeNodes, TabSlowlog, "", 5461)
	if len(m.table.rows) != 1 || m.table.cols[2].title == "NODE" {
		t.Fatalf("node 2 alone: %v", m.table.rows)
	}
}
