package rediscli

import (
	"bufio"
	"flag"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/assets"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// updating reports -update (the flag the golden helpers define): it also rewrites
// assets/commands.json from the real redis-server.
// realVersion is the version of the server realTable last read.
var realVersion string

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// rawDo sends one command to addr under RESP2 and reads the reply with Reader.
func rawDo(t *testing.T, addr string, args ...string) Reply {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := WriteCommand(c, args...); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(bufio.NewReader(c)).ReadReply()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tableVersion is the redis-server version assets/commands.json was generated from.
const tableVersion = "7.0.15"

// serverVersion is the version a server reports in INFO server.
func serverVersion(t *testing.T, addr string) string {
	for _, l := range strings.Split(rawDo(t, addr, "INFO", "server").Str, "\r\n") {
		if v, ok := strings.CutPrefix(l, "redis_version:"); ok {
			return v
		}
	}
	return ""
}

// realTable builds the table from a real redis-server's COMMAND and COMMAND DOCS.
func realTable(t *testing.T) (CommandTable, Reply) {
	t.Helper()
	srv := redistest.StartRedisServer(t)
	realVersion = serverVersion(t, srv.Addr)
	cmds := rawDo(t, srv.Addr, "COMMAND")
	table, err := TableFromCommand(cmds)
	if err != nil {
		t.Fatal(err)
	}
	if err := table.AddDocs(rawDo(t, srv.Addr, "COMMAND", "DOCS")); err != nil {
		t.Fatal(err)
	}
	return table, cmds
}

// TestCommandTableAsset checks the embedded table against the real redis-server's and, with
// -update, regenerates it.
func TestCommandTableAsset(t *testing.T) {
	table, _ := realTable(t)
	data, err := table.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if updating() {
		if err := os.WriteFile(filepath.Join("..", "assets", "commands.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	embedded, err := ParseCommandTable(assets.Commands)
	if err != nil {
		t.Fatal(err)
	}
	for name, spec := range table {
		e, ok := embedded[name]
		if !ok {
			if realVersion == tableVersion {
				t.Errorf("embedded table lacks %q (regenerate with -update)", name)
			} else { // another server version: its new commands are its own business
				t.Logf("redis-server %s has %q, which the %s table lacks", realVersion, name, tableVersion)
			}
			continue
		}
		if !slices.Equal(e.Flags, spec.Flags) || !slices.Equal(e.Categories, spec.Categories) {
			t.Errorf("%s: embedded flags %v %v, server %v %v", name, e.Flags, e.Categories, spec.Flags, spec.Categories)
		}
	}
	if got := embedded["set"].Hint; !strings.HasPrefix(got, "key value [NX|XX]") {
		t.Errorf("SET hint = %q", got)
	}
}

func TestDangerous(t *testing.T) {
	cases := map[string]string{
		"FLUSHALL": "FLUSHALL", "flushdb async": "FLUSHDB", "keys *": "KEYS", "DEBUG sleep 1": "DEBUG",
		"shutdown nosave": "SHUTDOWN", "config set maxmemory 1": "CONFIG SET", "script flush": "SCRIPT FLUSH",
		"FUNCTION FLUSH": "FUNCTION FLUSH", "client kill id 1": "CLIENT KILL", "swapdb 0 1": "SWAPDB",
		"config get x": "", "client list": "", "get keys": "", "scan 0": "",
	}
	for line, want := range cases {
		if got := Dangerous(strings.Fields(line)); got != want {
			t.Errorf("Dangerous(%q) = %q, want %q", line, got, want)
		}
	}
}
