package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/analyze"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// runAnalyzeCLI runs `amr-tui --config CONFIG analyze ARGS…` in-process.
func runAnalyzeCLI(t *testing.T, config string, args ...string) execResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	root := &cobra.Command{Use: "amr-tui", SilenceUsage: true, SilenceErrors: true}
	root.PersistentFlags().String("config", "", "profiles file")
	root.AddCommand(newAnalyzeCmdWith(execAuthOptions(t)))
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"--config", config, "analyze"}, args...))
	err := root.ExecuteContext(ctx)
	return execResult{stdout: out.String(), stderr: errOut.String(), err: err}
}

// `amr-tui analyze` on a real server: --json is the documented report with exact totals in
// full mode, the text report has its charts, a read-only profile can analyze, and bad flags
// get specific errors before anything connects.
func TestAnalyzeCommand(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, DisableIdentity: true})
	defer c.Close()
	ctx := context.Background()
	for i := range 500 {
		if err := c.Set(ctx, fmt.Sprintf("user:%d:name", i), strings.Repeat("n", i), 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	c.HSet(ctx, "cache:big", "a", 1, "b", 2)
	ro := execPlainProfile(t, "ro", srv.Addr)
	ro.ReadOnly = true
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr), ro)

	r := runAnalyzeCLI(t, config, "-p", "local", "--full", "--json")
	if r.err != nil {
		t.Fatalf("analyze --full --json: %v\n%s", r.err, r.stderr)
	}
	var rep analyze.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("--json printed what is not a report: %v\n%s", err, r.stdout)
	}
	if rep.SchemaVersion != analyze.SchemaVersion || !rep.Complete || rep.Keys.Value != 501 || !rep.Keys.Exact {
		t.Errorf("report: schema %d complete %v keys %+v", rep.SchemaVersion, rep.Complete, rep.Keys)
	}
	if len(rep.Namespaces.Children) != 2 {
		t.Errorf("namespaces: %+v", rep.Namespaces.Children)
	}

	r = runAnalyzeCLI(t, config, "-p", "ro", "--match", "user:*", "--rate", "0")
	if r.err != nil {
		t.Fatalf("analyze on a read-only profile: %v\n%s", r.err, r.stderr)
	}
	for _, want := range []string{"Memory by type", "string", "user:*:", "█", "Biggest keys by memory"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "cache:big") {
		t.Errorf("--match user:* reported cache:big:\n%s", r.stdout)
	}

	for _, bad := range [][]string{{"--sample", "0"}, {"--rate", "-5"}, {"--sample", "10", "--full"}, {"--memory-samples", "-1"}, {"--top", "0"}} {
		r := runAnalyzeCLI(t, config, append([]string{"-p", "local"}, bad...)...)
		if r.err == nil || r.stdout != "" {
			t.Errorf("analyze %v: err %v, printed %q", bad, r.err, r.stdout)
		}
	}
}
