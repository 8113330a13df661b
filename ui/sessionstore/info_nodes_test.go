package sessionstore

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/infopanel"
)

// infoPanel is the :info panel over st, sized w×h, with a fixed clock.
func infoPanel(t *testing.T, st *Store, w, h int) (*infopanel.Model, *common.Common) {
	t.Helper()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := &common.Common{Width: w, Height: h, Body: h, Styles: common.NewStyles(true, true), Keys: common.DefaultKeyMap(),
		Now: func() time.Time { return t0 }, Store: st, Ctx: ctxT(t), Timeout: 30 * time.Second}
	return infopanel.New(c), c
}

// runInfo runs a panel Cmd and feeds its reply back, as App does.
func runInfo(t *testing.T, m *infopanel.Model, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		return
	}
	msg, ok := cmd().(infopanel.Msg)
	if !ok {
		t.Fatalf("panel Cmd answered %T", msg)
	}
	m.OnInfo(msg)
}

func pressInfo(t *testing.T, m *infopanel.Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "left":
			msg = tea.KeyPressMsg{Code: tea.KeyLeft}
		case "right":
			msg = tea.KeyPressMsg{Code: tea.KeyRight}
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		default:
			msg = tea.KeyPressMsg{Code: rune(k[0]), Text: k}
		}
		runInfo(t, m, m.Update(msg))
	}
}

// maskNodes replaces each node's address by a placeholder of the same width (ports change
// from run to run; the columns must not move).
func maskNodes(s string, nodes []common.Node) string {
	for i, n := range nodes {
		host, port, _ := strings.Cut(n.Addr, ":")
		s = strings.ReplaceAll(s, n.Addr, host+":"+strings.Repeat(string(rune('A'+i)), len(port)))
	}
	return s
}

// primaryClients are plain clients straight to the cluster's primaries (behind no gate), in
// slot order.
func primaryClients(t *testing.T, d *emulator.Demo) []*redis.Client {
	var out []*redis.Client
	for _, n := range d.Cluster.Cluster.Masters() {
		c := redis.NewClient(&redis.Options{Addr: n.Addr})
		t.Cleanup(func() { c.Close() })
		out = append(out, c)
	}
	return out
}

// TestInfoPanelPerNodeOnCluster: on the emulated OSS cluster, :info learns the three primaries
// and their slot ranges, says which node each tab shows, and ← → move the picker over "all
// nodes" and every node. INFO for all nodes is one column per node (golden, keyspace section,
// which is deterministic here); SHARDS shows slot ranges; CLIENTS merged has a row per node.
func TestInfoPanelPerNodeOnCluster(t *testing.T) {
	_, s := startClusterDemo(t, 0)
	seedNumbered(t, s, 300)
	st := New(s)
	nodes, err := st.Nodes(ctxT(t))
	if err != nil || len(nodes) != 3 {
		t.Fatalf("Nodes: %v %v", nodes, err)
	}
	// The three primaries split the slots in three contiguous ranges, in slot order.
	var wantRanges []string
	next := 0
	for _, n := range nodes {
		if len(n.Ranges) != 1 || n.Ranges[0][0] != next || n.FirstSlot != next {
			t.Fatalf("nodes do not split the slots in order: %+v", nodes)
		}
		next = n.Ranges[0][1] + 1
		wantRanges = append(wantRanges, strconv.Itoa(n.Ranges[0][0])+"-"+strconv.Itoa(n.Ranges[0][1]))
	}
	if next != 16384 || wantRanges[0][:2] != "0-" {
		t.Fatalf("nodes do not cover the slots: %+v", nodes)
	}
	m, _ := infoPanel(t, st, 110, 14)
	runInfo(t, m, m.Load())
	// The section picker moves back to keyspace, whose values depend only on the seeded keys.
	for range 30 {
		if v := common.AnsiStrip(m.View(110, 14)); strings.Contains(v, "\nKeyspace") && !strings.Contains(v, "\nServer") {
			break
		}
		pressInfo(t, m, "[")
	}
	golden.RequireEqual(t, []byte(maskNodes(m.View(110, 14), nodes)))
	t.Run("Node2", func(t *testing.T) {
		pressInfo(t, m, "right", "right")
		golden.RequireEqual(t, []byte(maskNodes(m.View(110, 14), nodes)))
	})
	t.Run("Wraps", func(t *testing.T) {
		pressInfo(t, m, "right", "right")
		v := common.AnsiStrip(m.View(110, 14))
		if !strings.Contains(v, "‹ all 3 nodes ›") {
			t.Fatalf("→ past the last node does not come back to all nodes:\n%s", v)
		}
	})
	t.Run("Shards", func(t *testing.T) {
		pressInfo(t, m, "4")
		v := common.AnsiStrip(m.View(140, 14))
		golden.RequireEqual(t, []byte(maskShardFigures(maskNodes(v, nodes))))
		for i, r := range wantRanges {
			if !regexp.MustCompile(regexp.QuoteMeta(nodes[i].Addr) + `\s+\d+\s+` + r + `\s+master`).MatchString(v) {
				t.Fatalf("SHARDS lacks %s with %s:\n%s", nodes[i].Addr, r, v)
			}
		}
		if strings.Contains(v, "‹") {
			t.Fatalf("SHARDS shows a node picker:\n%s", v)
		}
	})
	t.Run("ClientsAllNodes", func(t *testing.T) {
		pressInfo(t, m, "2")
		v := common.AnsiStrip(m.View(160, 60))
		if !strings.Contains(v, "‹ all 3 nodes ›") || !strings.Contains(v, "NODE") {
			t.Fatalf("CLIENTS is not merged:\n%s", v)
		}
		for _, n := range nodes {
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(n.Addr) + ` +\d+ `).MatchString(v) {
				t.Fatalf("CLIENTS has no row of %s:\n%s", n.Addr, v)
			}
		}
		pressInfo(t, m, "left")
		v = common.AnsiStrip(m.View(160, 60))
		if !strings.Contains(v, "node 3/3 "+nodes[2].Addr+" slots "+wantRanges[2]) || strings.Contains(v, "NODE") {
			t.Fatalf("← from all nodes does not pick the last node alone:\n%s", v)
		}
	})
}

// TestInfoPanelMergedSlowlogOnCluster: slow entries made on every primary (slowlog-log-slower-
// than 0, set on the nodes directly) come back in the SLOWLOG tab's "all nodes" view newest
// first across nodes, each with the node it was logged on; picking a node shows its own only.
func TestInfoPanelMergedSlowlogOnCluster(t *testing.T) {
	d, s := startClusterDemo(t, 0)
	st := New(s)
	ctx := ctxT(t)
	nodes, err := st.Nodes(ctx)
	if err != nil || len(nodes) != 3 {
		t.Fatalf("Nodes: %v %v", nodes, err)
	}
	// Warm each node's pooled connection first: a new one would log its CLIENT SETINFO.
	for _, n := range nodes {
		c, err := st.node(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Ping(ctx).Err(); err != nil {
			t.Fatal(err)
		}
	}
	raw := primaryClients(t, d)
	for _, c := range raw {
		if err := c.ConfigSet(ctx, "slowlog-log-slower-than", "0").Err(); err != nil {
			t.Fatal(err)
		}
		if err := c.SlowLogReset(ctx).Err(); err != nil {
			t.Fatal(err)
		}
	}
	// Round r writes a tagged ECHO on every node, through the session's pool (so through each
	// node's gate). The slow log's clock has seconds only: each round starts just after a
	// second begins, so rounds are ordered by time and a round's entries share their second.
	const rounds = 3
	var want []string // newest first: by time, ties in node order
	for r := range rounds {
		now := time.Now()
		time.Sleep(now.Truncate(time.Second).Add(time.Second + 20*time.Millisecond).Sub(now))
		for k := range nodes {
			c, err := st.node(ctx, nodes[k])
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Do(ctx, "ECHO", "slow-r"+strconv.Itoa(r)+"-n"+strconv.Itoa(k)).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Nothing else is logged from here: the panel's own SLOWLOG GET would be.
	for _, c := range raw {
		if err := c.ConfigSet(ctx, "slowlog-log-slower-than", "-1").Err(); err != nil {
			t.Fatal(err)
		}
	}
	for r := rounds - 1; r >= 0; r-- {
		for k := range nodes {
			want = append(want, "slow-r"+strconv.Itoa(r)+"-n"+strconv.Itoa(k)+" @"+nodes[k].Addr)
		}
	}
	m, _ := infoPanel(t, st, 160, 200)
	runInfo(t, m, m.Load())
	pressInfo(t, m, "3")
	echoes := func() []string {
		var out []string
		row := regexp.MustCompile(`^\s*\d+ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d (\S+)\s+\S+ .* ECHO (slow-\S+)`)
		for _, l := range strings.Split(common.AnsiStrip(m.View(160, 200)), "\n") {
			if g := row.FindStringSubmatch(l); g != nil {
				out = append(out, g[2]+" @"+g[1])
			}
		}
		return out
	}
	if got := echoes(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("merged slow log:\n%s\nwant:\n%s\n\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), common.AnsiStrip(m.View(160, 200)))
	}
	pressInfo(t, m, "right", "right")
	v := common.AnsiStrip(m.View(160, 200))
	if !strings.Contains(v, "node 2/3 "+nodes[1].Addr) || strings.Contains(v, "slow-r0-n0") || !strings.Contains(v, "ECHO slow-r2-n1") {
		t.Fatalf("node 2 alone:\n%s", v)
	}
}

// maskShardFigures blanks the SHARDS columns a live server changes from run to run (MEMORY,
// CLIENTS, OPS/S: cells 51–75 of a row, each left as a dot), keeping addresses, slots, ranges, role and keys.
func maskShardFigures(v string) string {
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		r := []rune(l)
		if i < 3 || len(r) < 76 {
			continue
		}
		for j := 51; j < 76; j++ {
			r[j] = ' '
		}
		r[59], r[67], r[75] = '·', '·', '·' // each column's last cell
		lines[i] = string(r)
	}
	return strings.Join(lines, "\n")
}
