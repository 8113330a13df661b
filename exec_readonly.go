package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/amr-tui/amr-tui/rediscli"
)

// execAlwaysWrites are commands that change data or the server although COMMAND INFO flags
// them neither write nor may_replicate: scripts and functions that may write, and
// administrative changes.
var execAlwaysWrites = []string{"eval", "evalsha", "fcall", "script|flush", "config|set", "shutdown", "debug", "client|kill"}

// readOnlyRefusal says why args may not run on a read-only profile, or "" when they may: the
// server's COMMAND INFO decides (flag write or may_replicate, category @write), with
// execAlwaysWrites on top. A command COMMAND INFO does not know is left to the server, which
// refuses it; a server that refuses COMMAND INFO gets nothing past a read-only profile.
func (c *execConn) readOnlyRefusal(args []string) string {
	name := strings.ToLower(args[0])
	key := name
	if len(args) > 1 {
		key = name + "|" + strings.ToLower(args[1])
	}
	switch {
	case slices.Contains(execAlwaysWrites, name):
		return strings.ToUpper(name) + " can change data"
	case slices.Contains(execAlwaysWrites, key):
		return strings.ToUpper(strings.ReplaceAll(key, "|", " ")) + " can change data"
	}
	if c.infos == nil {
		c.infos = map[string]rediscli.Reply{}
	}
	if name == "multi" && !c.allInfos {
		// Inside MULTI a COMMAND INFO would be queued, not answered: learn every command now.
		if why := c.loadAllInfos(); why != "" {
			return why
		}
	}
	r, ok := c.infos[name]
	if !ok && c.allInfos {
		return "" // unknown command: the server's own error says so
	}
	if !ok {
		var err error
		_, r, err = c.do([]string{"COMMAND", "INFO", name}, c.timeout)
		if err != nil {
			return fmt.Sprintf("cannot tell whether %s writes: COMMAND INFO failed (%v)", strings.ToUpper(name), err)
		}
		c.infos[name] = r
	}
	if r.IsError() || len(r.Elems) != 1 {
		return fmt.Sprintf("cannot tell whether %s writes: COMMAND INFO answered %s", strings.ToUpper(name), strings.TrimSpace(rediscli.FormatRaw(r)))
	}
	return writeVerdict(r.Elems[0], name, key)
}

// loadAllInfos caches COMMAND's description of every command.
func (c *execConn) loadAllInfos() string {
	_, r, err := c.do([]string{"COMMAND"}, c.timeout)
	if err != nil || r.IsError() {
		reason := fmt.Sprint(err)
		if err == nil {
			reason = r.Str
		}
		return "cannot tell which commands write: COMMAND failed (" + reason + ")"
	}
	for _, info := range r.Elems {
		if len(info.Elems) > 0 {
			c.infos[strings.ToLower(info.Elems[0].Str)] = rediscli.Array(info)
		}
	}
	c.allInfos = true
	return ""
}

// writeVerdict reads one COMMAND INFO entry: "" for a command that does not write.
func writeVerdict(info rediscli.Reply, name, key string) string {
	if info.Kind == rediscli.KindNil {
		return "" // unknown command: the server's own error says so
	}
	// A container command (CONFIG, CLIENT, …) describes its subcommands in element 10.
	if len(info.Elems) >= 10 && key != name {
		for _, sub := range info.Elems[9].Elems {
			if len(sub.Elems) > 0 && strings.EqualFold(sub.Elems[0].Str, key) {
				info = sub
				break
			}
		}
	}
	if len(info.Elems) < 3 {
		return ""
	}
	var flags, cats []string
	for _, f := range info.Elems[2].Elems {
		flags = append(flags, strings.ToLower(f.Str))
	}
	if len(info.Elems) > 6 {
		for _, f := range info.Elems[6].Elems {
			cats = append(cats, strings.ToLower(f.Str))
		}
	}
	shown := strings.ToUpper(strings.ReplaceAll(strings.ToLower(info.Elems[0].Str), "|", " "))
	switch {
	case slices.Contains(flags, "write"):
		return shown + " is flagged write"
	case slices.Contains(flags, "may_replicate"):
		return shown + " is flagged may_replicate"
	case slices.Contains(cats, "@write"):
		return shown + " is in the @write category"
	}
	return ""
}
