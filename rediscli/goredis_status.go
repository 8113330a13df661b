package rediscli

import "strings"

// statusCommands answer with a status (a simple string such as OK or PONG) whenever their
// reply is a string, as lower-case names or "container|sub" keys.
var statusCommands = map[string]bool{
	"mset": true, "select": true, "flushall": true, "flushdb": true, "type": true,
	"rename": true, "lset": true, "ltrim": true, "hmset": true, "setex": true, "psetex": true,
	"multi": true, "discard": true, "watch": true, "unwatch": true, "auth": true, "quit": true,
	"save": true, "bgsave": true, "bgrewriteaof": true, "shutdown": true, "swapdb": true,
	"restore": true, "migrate": true, "pfmerge": true, "readonly": true, "readwrite": true,
	"replicaof": true, "slaveof": true, "reset": true, "xsetid": true, "debug": true,
	"config|set": true, "config|resetstat": true, "config|rewrite": true,
	"client|setname": true, "client|pause": true, "client|unpause": true, "client|reply": true,
	"client|no-evict": true, "client|no-touch": true, "client|setinfo": true,
	"script|flush": true, "script|kill": true,
	"function|delete": true, "function|flush": true, "function|restore": true, "function|kill": true,
	"xgroup|create": true, "xgroup|setid": true,
	"acl|setuser": true, "acl|load": true, "acl|save": true,
	"slowlog|reset": true, "memory|purge": true, "module|load": true, "module|unload": true,
	"cluster|meet": true, "cluster|forget": true, "cluster|addslots": true, "cluster|delslots": true,
	"cluster|addslotsrange": true, "cluster|delslotsrange": true, "cluster|flushslots": true,
	"cluster|setslot": true, "cluster|replicate": true, "cluster|reset": true, "cluster|saveconfig": true,
	"cluster|failover": true, "cluster|set-config-epoch": true, "cluster|bumpepoch": true,
}

// AnswersStatus reports whether the reply to args, when it is a string, is a status rather
// than a bulk string: SET (without GET), SELECT, PING without a message, TYPE, FLUSHDB,
// CONFIG SET, the OK of ACL LOG RESET and CLIENT KILL's old form, and the others in
// statusCommands.
func AnswersStatus(args []string) bool {
	if len(args) == 0 {
		return false
	}
	name, key := lookupKey(args)
	switch name {
	case "set":
		for _, a := range args[min(3, len(args)):] {
			if strings.EqualFold(a, "get") {
				return false
			}
		}
		return true
	case "ping":
		return len(args) == 1
	case "client":
		if key == "client|kill" {
			return len(args) == 3 // CLIENT KILL addr:port answers OK; the filter form a count
		}
	case "acl":
		if key == "acl|log" {
			return len(args) == 3 && strings.EqualFold(args[2], "reset")
		}
	}
	return statusCommands[name] || statusCommands[key]
}

// FromGoRedisFor is FromGoRedis for the reply to args: go-redis hands a status over as a
// string, so a string replying to a command that answers with a status (AnswersStatus)
// becomes a status again, printed as redis-cli prints it (OK rather than "OK"). Other
// reshaping by go-redis remains (see FromGoRedis).
func FromGoRedisFor(args []string, v any, err error) (Reply, error) {
	r, err := FromGoRedis(v, err)
	if err == nil && r.Kind == KindBulk && AnswersStatus(args) {
		r.Kind = KindStatus
	}
	return r, err
}
