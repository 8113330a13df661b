package rediscli

import (
	"slices"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/internal/golden"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// The commands the issue found reaching a server through a read-only profile, and names no
// table knows.
var issueRefused = []string{
	"CONFIG REWRITE", "CONFIG RESETSTAT", "CLIENT PAUSE 100", "CLIENT UNPAUSE", "CLIENT NO-EVICT on",
	"SAVE", "BGSAVE", "BGREWRITEAOF", "SLOWLOG RESET", "LATENCY RESET", "MEMORY PURGE",
	"SCRIPT LOAD return 1", "SCRIPT KILL", "FUNCTION KILL", "ACL SAVE", "SYNC", "PSYNC ? -1",
	"NOSUCHCMD", "JSON.SET k $ 1", "CONFIG NOSUCHSUB", "CLIENT", "CONFIG",
	// and what the old rule caught with a hand list
	"EVAL return 1 0", "EVALSHA abc 0", "FCALL f 0", "CONFIG SET maxmemory 1", "SHUTDOWN", "DEBUG SLEEP 0",
	"CLIENT KILL ID 1", "REPLICAOF no one", "SLAVEOF no one", "FAILOVER", "CLUSTER RESET", "CLUSTER FAILOVER",
	"ACL SETUSER bob", "ACL DELUSER bob", "ACL LOAD", "MODULE LOAD /x.so", "MODULE UNLOAD x",
	// identity and connection state other clients see
	"HELLO 3 AUTH user pass", "hello 3 setname x", "AUTH pass", "CLIENT SETNAME x", "RESET", "ACL LOG RESET",
	"PUBLISH ch msg", "SPUBLISH ch msg", "SET k v", "FLUSHALL", "KEYS *", "SORT_RO k",
}

// Harmless commands a read-only profile runs.
var issueAllowed = []string{
	"PING", "ECHO x", "HELLO 3", "HELLO", "SELECT 1", "MULTI", "EXEC", "DISCARD", "WATCH k", "UNWATCH",
	"INFO", "INFO commandstats", "CONFIG GET maxmemory", "CLIENT LIST", "CLIENT INFO", "CLIENT GETNAME",
	"CLIENT ID", "SLOWLOG GET 10", "SLOWLOG LEN", "LATENCY LATEST", "LATENCY HISTORY command",
	"LATENCY DOCTOR", "MEMORY USAGE k", "MEMORY STATS", "MEMORY DOCTOR", "COMMAND", "COMMAND DOCS get",
	"COMMAND COUNT", "COMMAND INFO get", "SUBSCRIBE ch", "PSUBSCRIBE c*", "SSUBSCRIBE ch", "UNSUBSCRIBE",
	"PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR", "EVAL_RO return 1 0", "EVALSHA_RO abc 0", "FCALL_RO f 0",
	"GET k", "SCAN 0", "TYPE k", "TTL k", "HGETALL h", "XRANGE s - +", "ACL WHOAMI", "ACL LOG",
	"CLUSTER INFO", "MODULE LIST", "PUBSUB CHANNELS", "OBJECT ENCODING k", "DBSIZE", "TIME",
}

func TestReadOnlyRefusalIssueList(t *testing.T) {
	for _, table := range []struct {
		name string
		t    CommandTable
	}{{"embedded", EmbeddedTable()}, {"empty", CommandTable{}}} {
		for _, line := range issueRefused {
			if why := ReadOnlyRefusal(strings.Fields(line), table.t); why == "" {
				t.Errorf("%s table: %q is let through on a read-only profile", table.name, line)
			}
		}
		if table.name == "empty" {
			continue // only the allow-list runs without a table
		}
		for _, line := range issueAllowed {
			if why := ReadOnlyRefusal(strings.Fields(line), table.t); why != "" {
				t.Errorf("%s table: %q refused: %s", table.name, line, why)
			}
		}
	}
	for line, want := range map[string]string{
		"NOSUCHCMD x":      "NOSUCHCMD is not in the command table",
		"config rewrite":   "CONFIG REWRITE is not flagged readonly",
		"SET k v":          "SET is flagged write",
		"KEYS *":           "KEYS is in the @dangerous category",
		"CONFIG NOSUCH":    "CONFIG NOSUCH is not a subcommand the command table lists",
		"PUBLISH c m":      "PUBLISH is ",
		"HELLO 3 AUTH u p": "HELLO AUTH changes who",
	} {
		if why := ReadOnlyRefusal(strings.Fields(line), EmbeddedTable()); !strings.Contains(why, want) {
			t.Errorf("%q: reason %q, want %q", line, why, want)
		}
	}
}

func TestClientReplyRefusedOnEveryProfile(t *testing.T) {
	for _, line := range []string{"CLIENT REPLY OFF", "client reply skip", "Client Reply Off"} {
		for _, ro := range []bool{false, true} {
			if why := Refusal(strings.Fields(line), EmbeddedTable(), ro); !strings.Contains(why, "stop answering") {
				t.Errorf("%q (read-only %v): %q", line, ro, why)
			}
		}
	}
	for _, line := range []string{"CLIENT REPLY ON", "SET k v", "NOSUCHCMD", "CONFIG REWRITE"} {
		if why := Refusal(strings.Fields(line), EmbeddedTable(), false); why != "" {
			t.Errorf("%q refused on a read-write profile: %s", line, why)
		}
	}
	if Refusal([]string{"CLIENT", "REPLY", "ON"}, EmbeddedTable(), true) == "" {
		t.Error("CLIENT REPLY ON let through on a read-only profile")
	}
}

// TestReadOnlyRefusalWalksEveryCommand walks every command and subcommand a real
// redis-server's COMMAND DOCS lists and checks each against the flags COMMAND gives it: it is
// either allowed (flagged readonly and neither admin nor @dangerous, or on the allow-list) or
// refused with a reason; whatever is flagged write or may_replicate is refused; the embedded
// table gives the same verdicts. The allowed set is kept in a golden file, so widening it is a
// reviewed change.
func TestReadOnlyRefusalWalksEveryCommand(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	cmds := rawDo(t, srv.Addr, "COMMAND")
	table, err := TableFromCommand(cmds)
	if err != nil {
		t.Fatal(err)
	}
	var docNames []string
	for _, p := range pairsOf(rawDo(t, srv.Addr, "COMMAND", "DOCS")) {
		name := strings.ToLower(p.Key.Str)
		docNames = append(docNames, name)
		for _, f := range pairsOf(p.Value) {
			if f.Key.Str == "subcommands" {
				for _, s := range pairsOf(f.Value) {
					docNames = append(docNames, strings.ToLower(s.Key.Str))
				}
			}
		}
	}
	if len(docNames) < 300 {
		t.Fatalf("COMMAND DOCS listed only %d commands", len(docNames))
	}
	sameVersion := serverVersion(t, srv.Addr) == tableVersion
	var allowed []string
	refused := 0
	for _, name := range docNames {
		spec, ok := table[name]
		if !ok {
			t.Errorf("%s: in COMMAND DOCS but not in COMMAND", name)
			continue
		}
		args := strings.Split(name, "|")
		why := ReadOnlyRefusal(args, table)
		if sameVersion {
			if e := ReadOnlyRefusal(args, EmbeddedTable()); e != why {
				t.Errorf("%s: embedded table says %q, server table %q", name, e, why)
			}
		}
		if why != "" {
			refused++
			continue
		}
		allowed = append(allowed, name)
		flaggedRead := slices.Contains(spec.Flags, "readonly") && !slices.Contains(spec.Flags, "admin") &&
			!slices.Contains(spec.Categories, "@dangerous")
		if !flaggedRead && !readOnlyAllowed[name] {
			t.Errorf("%s allowed but neither flagged readonly nor on the allow-list", name)
		}
		if slices.Contains(spec.Flags, "write") || slices.Contains(spec.Flags, "may_replicate") ||
			slices.Contains(spec.Categories, "@write") {
			t.Errorf("%s allowed but it writes (%v %v)", name, spec.Flags, spec.Categories)
		}
	}
	if refused < 150 {
		t.Errorf("only %d commands refused", refused)
	}
	slices.Sort(allowed)
	if sameVersion {
		golden.Assert(t, "allowed", []byte(strings.Join(allowed, "\n")+"\n"))
	}
}
