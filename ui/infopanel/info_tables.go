package infopanel

import (
	"github.com/amr-tui/amr-tui/ui/common"

	"strconv"
	"strings"
	"time"
)

// Parsing of the server panel's replies into tables. It runs in the Cmd (pure functions of
// the reply); styling is left to the view.
// infoSections lists the section names of an INFO reply ("# Server" → "server").
func infoSections(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r")
		if name, ok := strings.CutPrefix(l, "# "); ok && name != "" {
			out = append(out, strings.ToLower(strings.TrimSpace(name)))
		}
	}
	return out
}

// infoFields parses INFO's name:value lines.
func infoFields(text string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if k, v, ok := strings.Cut(l, ":"); ok {
			out[k] = v
		}
	}
	return out
}

// clientTable turns CLIENT LIST's lines into rows.
func clientTable(text string) *infoTable {
	t := &infoTable{empty: "no clients", cols: []infoCol{
		{title: "ID", width: 6, right: true}, {title: "ADDR", width: 21}, {title: "NAME", width: 12},
		{title: "USER", width: 14}, {title: "DB", width: 3, right: true}, {title: "AGE", width: 7, right: true},
		{title: "IDLE", width: 7, right: true}, {title: "FLAGS", width: 5}, {title: "CMD"},
	}}
	secs := func(v string) string {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return v
		}
		return common.ShortDuration(time.Duration(n) * time.Second)
	}
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		f := map[string]string{}
		for _, kv := range strings.Fields(l) {
			if k, v, ok := strings.Cut(kv, "="); ok {
				f[k] = v
			}
		}
		t.rows = append(t.rows, []string{f["id"], f["addr"], f["name"], f["user"], f["db"],
			secs(f["age"]), secs(f["idle"]), f["flags"], f["cmd"]})
	}
	return t
}

// slowlogTable turns SLOWLOG GET entries into rows: when (UTC), how long, who, what.
func slowlogTable(es []common.SlowLogEntry) *infoTable {
	t := &infoTable{empty: "the slow log is empty", cols: []infoCol{
		{title: "ID", width: 6, right: true}, {title: "WHEN (UTC)", width: 19}, {title: "DURATION", width: 9, right: true},
		{title: "CLIENT", width: 28}, {title: "COMMAND"},
	}}
	for _, e := range es {
		client := e.Client
		if e.Name != "" {
			client += " (" + e.Name + ")"
		}
		t.rows = append(t.rows, []string{strconv.FormatInt(e.ID, 10), e.Time.UTC().Format("2006-01-02 15:04:05"),
			micros(e.Duration), client, strings.Join(e.Args, " ")})
	}
	return t
}

// micros formats a command's duration with the unit that keeps it short: 850µs, 12.3ms, 1.2s.
func micros(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return strconv.FormatInt(d.Microseconds(), 10) + "µs"
	case d < time.Second:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
}

// shardTable is one row per primary: memory, clients, load and keys from its INFO.
func shardTable(shards []common.ShardInfo) *infoTable {
	t := &infoTable{empty: "no shards reported", cols: []infoCol{
		{title: "ADDR", width: 21}, {title: "SLOTS", width: 6, right: true}, {title: "RANGES", width: 12}, {title: "ROLE", width: 7}, {title: "MEMORY", width: 9, right: true},
		{title: "CLIENTS", width: 7, right: true}, {title: "OPS/S", width: 7, right: true},
		{title: "KEYS", width: 10, right: true}, {title: "NOTE"},
	}}
	for _, sh := range shards {
		if sh.Err != nil {
			t.rows = append(t.rows, []string{sh.Addr, slotCount(sh.Slots), common.SlotRanges(sh.Ranges), "", "", "", "", "", refusal(sh.Err)})
			continue
		}
		f := infoFields(sh.Text)
		var keys int64
		for k, v := range f {
			if !strings.HasPrefix(k, "db") {
				continue
			}
			if _, err := strconv.Atoi(k[2:]); err != nil {
				continue
			}
			for _, part := range strings.Split(v, ",") {
				if n, ok := strings.CutPrefix(part, "keys="); ok {
					x, _ := strconv.ParseInt(n, 10, 64)
					keys += x
				}
			}
		}
		t.rows = append(t.rows, []string{sh.Addr, slotCount(sh.Slots), common.SlotRanges(sh.Ranges), f["role"], f["used_memory_human"], f["connected_clients"],
			f["instantaneous_ops_per_sec"], common.Count(keys), ""})
	}
	return t
}

// slotCount is a shard's share of the 16384 hash slots; blank for a standalone server.
func slotCount(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
