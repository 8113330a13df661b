package ui

import "github.com/amr-tui/amr-tui/rediscli"

// refusesReadOnly applies rediscli's read-only rule — the one the console and exec use — to
// cmd, the command an action would send: on a read-only profile a refused action is flashed
// and reported true.
func (c *Common) refusesReadOnly(what string, cmd ...string) bool {
	if !c.writeRefused(cmd) {
		return false
	}
	c.flash(what+" refused: this profile is read-only (set read_only = false in the profile to allow writes)", FlashWarn)
	return true
}

// writeRefused reports whether the read-only rule refuses cmd on this profile.
func (c *Common) writeRefused(cmd []string) bool {
	return c.ReadOnly && rediscli.ReadOnlyRefusal(cmd, rediscli.EmbeddedTable()) != ""
}

// memberWrite is the command the viewer sends to edit, add or delete a member of typ.
func memberWrite(typ, op string) string {
	cmds := map[string]map[string]string{
		"edit":   {TypeHash: "HSET", TypeList: "LSET", TypeZSet: "ZADD"},
		"add":    {TypeHash: "HSET", TypeSet: "SADD", TypeZSet: "ZADD", TypeList: "RPUSH", TypeStream: "XADD"},
		"delete": {TypeHash: "HDEL", TypeSet: "SREM", TypeZSet: "ZREM", TypeList: "LREM", TypeStream: "XDEL"},
	}
	if c, ok := cmds[op][typ]; ok {
		return c
	}
	return "SET" // a write all the same: the rule refuses it on a read-only profile
}
