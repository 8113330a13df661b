package execrun

import (
	"context"
	"fmt"
	"strings"

	"github.com/amr-tui/amr-tui/rediscli"
)

// readOnlyRefusal says why args may not run on a read-only profile, or "" when they may: the
// server's COMMAND INFO decides (flag write or may_replicate, category @write), with
// rediscli.AlwaysWrites on top; the console shares both rules (rediscli/commands.go). A
// command COMMAND INFO does not know is left to the server, which refuses it; a server that refuses COMMAND INFO gets nothing past a read-only profile.
func (c *Conn) readOnlyRefusal(ctx context.Context, args []string) string {
	name := strings.ToLower(args[0])
	key := name
	if len(args) > 1 {
		key = name + "|" + strings.ToLower(args[1])
	}
	if why := rediscli.AlwaysWritesRefusal(args); why != "" {
		return why
	}
	if c.infos == nil {
		c.infos = map[string]rediscli.Reply{}
	}
	if name == "multi" && !c.allInfos {
		// Inside MULTI a COMMAND INFO would be queued, not answered: learn every command now.
		if why := c.loadAllInfos(ctx); why != "" {
			return why
		}
	}
	r, ok := c.infos[name]
	if !ok && c.allInfos {
		return "" // unknown command: the server's own error says so
	}
	if !ok {
		var err error
		_, r, err = c.do(ctx, []string{"COMMAND", "INFO", name})
		if err != nil {
			return fmt.Sprintf("cannot tell whether %s writes: COMMAND INFO failed (%v)", strings.ToUpper(name), err)
		}
		c.infos[name] = r
	}
	if r.IsError() || len(r.Elems) != 1 {
		return fmt.Sprintf("cannot tell whether %s writes: COMMAND INFO answered %s", strings.ToUpper(name), strings.TrimSpace(rediscli.FormatRaw(r)))
	}
	return rediscli.WriteVerdict(r.Elems[0], name, key)
}

// loadAllInfos caches COMMAND's description of every command.
func (c *Conn) loadAllInfos(ctx context.Context) string {
	_, r, err := c.do(ctx, []string{"COMMAND"})
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
