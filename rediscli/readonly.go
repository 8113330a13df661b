package rediscli

import (
	"slices"
	"strings"
	"sync"

	"github.com/amr-tui/amr-tui/assets"
)

// readOnlyAllowed are the commands and subcommands ("container|sub") a read-only profile may
// run although the command table does not flag them readonly: connection handling,
// transactions, introspection, and pub/sub listening. None of them changes data, the server's
// configuration or persistence, or another client. Arguments that would (HELLO AUTH or
// SETNAME, ACL LOG RESET) are checked by argRefusal.
var readOnlyAllowed = map[string]bool{
	// connection and transactions
	"ping": true, "echo": true, "hello": true, "select": true, "quit": true,
	"readonly": true, "readwrite": true, "asking": true,
	"multi": true, "exec": true, "discard": true, "watch": true, "unwatch": true,
	// server introspection
	"info": true, "time": true, "lastsave": true, "role": true,
	"config|get": true, "config|help": true,
	"client|list": true, "client|info": true, "client|getname": true, "client|id": true,
	"client|getredir": true, "client|trackinginfo": true, "client|help": true,
	"slowlog|get": true, "slowlog|len": true, "slowlog|help": true,
	"latency|latest": true, "latency|history": true, "latency|doctor": true, "latency|graph": true,
	"latency|histogram": true, "latency|help": true,
	"memory|usage": true, "memory|stats": true, "memory|doctor": true, "memory|malloc-stats": true,
	"memory|help": true,
	"command":     true, "command|count": true, "command|docs": true, "command|getkeys": true,
	"command|getkeysandflags": true, "command|help": true, "command|info": true, "command|list": true,
	"acl|whoami": true, "acl|cat": true, "acl|log": true, "acl|help": true,
	"module|list": true, "module|help": true,
	"function|list": true, "function|stats": true, "function|dump": true, "function|help": true,
	"script|exists": true, "script|help": true,
	"object|help": true, "xinfo|help": true, "xgroup|help": true,
	"cluster|info": true, "cluster|nodes": true, "cluster|slots": true, "cluster|shards": true,
	"cluster|myid": true, "cluster|myshardid": true, "cluster|keyslot": true, "cluster|countkeysinslot": true,
	"cluster|getkeysinslot": true, "cluster|links": true, "cluster|replicas": true, "cluster|slaves": true,
	"cluster|count-failure-reports": true, "cluster|help": true,
	// pub/sub listening and monitoring (PUBLISH is not here: it reaches other clients)
	"subscribe": true, "psubscribe": true, "ssubscribe": true,
	"unsubscribe": true, "punsubscribe": true, "sunsubscribe": true,
	"pubsub|channels": true, "pubsub|numsub": true, "pubsub|numpat": true,
	"pubsub|shardchannels": true, "pubsub|shardnumsub": true, "pubsub|help": true,
	"monitor": true,
	// read-only scripts: the server runs them with writes refused
	"eval_ro": true, "evalsha_ro": true, "fcall_ro": true,
}

// ReadOnlyAllowList returns the commands and subcommands ("container|sub") a read-only
// profile runs without the table flagging them readonly, sorted.
func ReadOnlyAllowList() []string {
	out := make([]string, 0, len(readOnlyAllowed))
	for k := range readOnlyAllowed {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Refusal says why args must not be sent, or "" when they may: ClientReplyRefusal on every
// profile, then ReadOnlyRefusal on a read-only one ("the profile is read-only and SET is
// flagged write"). The console, exec, the key browser and
// every bulk path ask it before sending anything a user asked for.
func Refusal(args []string, t CommandTable, readOnly bool) string {
	if why := ClientReplyRefusal(args); why != "" {
		return why
	}
	if !readOnly {
		return ""
	}
	if why := ReadOnlyRefusal(args, t); why != "" {
		return "the profile is read-only and " + why
	}
	return ""
}

// ClientReplyRefusal says why CLIENT REPLY OFF or SKIP must not be sent: the console and exec
// wait for a reply to every command, and after these none comes.
func ClientReplyRefusal(args []string) string {
	if len(args) < 3 || !strings.EqualFold(args[0], "client") || !strings.EqualFold(args[1], "reply") {
		return ""
	}
	mode := strings.ToUpper(args[2])
	if mode != "OFF" && mode != "SKIP" {
		return ""
	}
	return "CLIENT REPLY " + mode + " makes the server stop answering, and every command here waits for its answer"
}

// ReadOnlyRefusal is the read-only rule: it says why args may not run on a read-only profile,
// or "" when they may. Default deny: a command (or, for a container such as CONFIG, its
// subcommand) runs only when t flags it readonly and neither admin nor @dangerous, or when it
// is on the written allow-list (ReadOnlyAllowList) with harmless arguments. Everything else,
// including a command t does not know, is refused.
func ReadOnlyRefusal(args []string, t CommandTable) string {
	if len(args) == 0 {
		return ""
	}
	name, key := lookupKey(args)
	if why := argRefusal(args, name); why != "" {
		return why
	}
	container := len(t.Subcommands(name)) > 0 || isContainer(name)
	if container {
		if len(args) < 2 {
			if readOnlyAllowed[name] {
				return "" // COMMAND alone lists every command
			}
			return strings.ToUpper(name) + " needs a subcommand, and only some of them only read"
		}
		if readOnlyAllowed[key] {
			return ""
		}
		spec, ok := t[key]
		if !ok {
			return shown(key) + " is not a subcommand the command table lists, so nothing says it only reads"
		}
		return specRefusal(spec)
	}
	if readOnlyAllowed[name] {
		return ""
	}
	spec, ok := t[name]
	if !ok {
		return strings.ToUpper(name) + " is not in the command table, so nothing says it only reads"
	}
	return specRefusal(spec)
}

// isContainer names the allow-listed containers, so their subcommands are checked even with a
// table that lacks them (an empty one when nothing could be loaded).
func isContainer(name string) bool {
	for k := range readOnlyAllowed {
		if c, _, ok := strings.Cut(k, "|"); ok && c == name {
			return true
		}
	}
	return false
}

// argRefusal refuses allow-listed commands whose arguments change something.
func argRefusal(args []string, name string) string {
	switch name {
	case "hello":
		for i := 1; i < len(args); i++ {
			switch strings.ToLower(args[i]) {
			case "auth":
				return "HELLO AUTH changes who the connection is logged in as"
			case "setname":
				return "HELLO SETNAME renames the connection, which other clients see"
			}
		}
	case "acl":
		if len(args) > 2 && strings.EqualFold(args[1], "log") && strings.EqualFold(args[2], "reset") {
			return "ACL LOG RESET clears the server's ACL log"
		}
	}
	return ""
}

// specRefusal applies the flags of a command the allow-list does not name.
func specRefusal(spec CommandSpec) string {
	s := shown(spec.Name)
	switch {
	case slices.Contains(spec.Flags, "write"):
		return s + " is flagged write"
	case slices.Contains(spec.Flags, "may_replicate"):
		return s + " is flagged may_replicate (it can change data)"
	case slices.Contains(spec.Categories, "@write"):
		return s + " is in the @write category"
	case !slices.Contains(spec.Flags, "readonly"):
		return s + " is not flagged readonly, nor on the read-only allow-list"
	case slices.Contains(spec.Flags, "admin"):
		return s + " is flagged admin"
	case slices.Contains(spec.Categories, "@dangerous"):
		return s + " is in the @dangerous category (it can stall the server)"
	}
	return ""
}

// shown is a table key as typed: "config|set" → "CONFIG SET".
func shown(key string) string { return strings.ToUpper(strings.ReplaceAll(key, "|", " ")) }

// EmbeddedTable is the command table shipped in the binary (assets/commands.json), parsed
// once: what the read-only rule uses when the server refuses COMMAND. Callers must not modify
// it.
var EmbeddedTable = sync.OnceValue(func() CommandTable {
	t, err := ParseCommandTable(assets.Commands)
	if err != nil {
		panic(err) // the asset is generated and tested: a parse error is a broken build
	}
	return t
})

// ServerTable builds the table the read-only rule uses for a connection: the server's
// COMMAND over the embedded table, or the embedded table alone when do fails or the server
// refuses COMMAND (as a managed Redis may). do sends one command and returns its reply.
func ServerTable(do func(args []string) (Reply, error)) CommandTable {
	r, err := do([]string{"COMMAND"})
	if err != nil || r.IsError() {
		return EmbeddedTable()
	}
	t, err := TableFromCommand(r)
	if err != nil {
		return EmbeddedTable()
	}
	return EmbeddedTable().Merge(t)
}
