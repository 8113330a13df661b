package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// runBulkCLI runs `amr-tui --config CONFIG ARGS…` with the bulk commands, in-process.
func runBulkCLI(t *testing.T, config, stdin string, args ...string) (string, error) {
	t.Helper()
	root := &cobra.Command{Use: "amr-tui", SilenceUsage: true, SilenceErrors: true}
	root.PersistentFlags().String("config", "", "profiles file")
	root.AddCommand(newDeleteCmdWith(execAuthOptions(t)), newExpireCmdWith(execAuthOptions(t)),
		newExportCmdWith(execAuthOptions(t)), newImportCmdWith(execAuthOptions(t)), newCopyCmdWith(execAuthOptions(t)))
	var out bytes.Buffer
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append([]string{"--config", config}, args...))
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

// The bulk commands through saved profiles against real redis-servers: delete needs --yes
// without a terminal; a read-only profile refuses import and copy-to with nothing sent; export
// and import round-trip.
func TestBulkCommandsThroughProfiles(t *testing.T) {
	a, b := redistest.StartRedisServer(t), redistest.StartRedisServer(t)
	ca := redis.NewClient(&redis.Options{Addr: a.Addr})
	cb := redis.NewClient(&redis.Options{Addr: b.Addr})
	t.Cleanup(func() { _ = ca.Close(); _ = cb.Close() })
	ctx := context.Background()
	for _, k := range []string{"tmp:1", "tmp:2", "tmp:\x1b", "keep:1"} {
		ca.Set(ctx, k, "v\xff", 0)
	}
	dir := t.TempDir()
	config := filepath.Join(dir, "profiles.toml")
	profile := func(name, addr, extra string) string {
		return "[profiles." + name + "]\nhost = \"127.0.0.1\"\nport = " + strings.Split(addr, ":")[1] + "\n" + extra +
			"[profiles." + name + ".tls]\nenabled = false\n[profiles." + name + ".auth]\nkind = \"none\"\n"
	}
	toml := "version = 1\n" + profile("a", a.Addr, "") + profile("b", b.Addr, "read_only = true\n") + profile("bw", b.Addr, "")
	if err := os.WriteFile(config, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}

	out, err := runBulkCLI(t, config, "", "delete", "-p", "a", "--match", "tmp:*")
	if err == nil || !strings.Contains(out, "3 keys") || ca.DBSize(ctx).Val() != 4 {
		t.Fatalf("delete without --yes: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "a.jsonl")
	if out, err := runBulkCLI(t, config, "", "export", "-p", "a", "-o", file); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	// INFO itself is counted by the next INFO: compare the other commands.
	stats := func() string {
		var keep []string
		for _, l := range strings.Split(cb.Info(ctx, "commandstats").Val(), "\n") {
			if !strings.HasPrefix(l, "cmdstat_info:") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	before := stats()
	for _, args := range [][]string{{"import", "-p", "b", file, "--yes"}, {"copy", "--from", "a", "--to", "b", "--yes"},
		{"delete", "-p", "b", "--match", "*", "--yes"}, {"expire", "-p", "b", "--match", "*", "--persist", "--yes"}} {
		if out, err := runBulkCLI(t, config, "", args...); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("%v on a read-only profile: %v\n%s", args, err, out)
		}
	}
	if after := stats(); after != before {
		t.Fatalf("commands reached the read-only profile's server:\n%s\n%s", before, after)
	}
	if out, err := runBulkCLI(t, config, "", "import", "-p", "bw", file, "--yes"); err != nil || !strings.Contains(out, "4 created") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if v := cb.Get(ctx, "tmp:\x1b").Val(); v != "v\xff" {
		t.Fatalf("imported value %q", v)
	}
	if out, err := runBulkCLI(t, config, "", "delete", "-p", "a", "--match", "tmp:*", "--yes"); err != nil || ca.DBSize(ctx).Val() != 1 {
		t.Fatalf("delete --yes: %v\n%s", err, out)
	}
}
