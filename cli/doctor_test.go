package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/doctor"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// runDoctorCLI runs `amr-tui --config CONFIG doctor ARGS…` in-process with Entra requests held
// to loopback.
func runDoctorCLI(t *testing.T, config string, args ...string) execResult {
	t.Helper()
	root := &cobra.Command{Use: "amr-tui", SilenceUsage: true, SilenceErrors: true}
	root.PersistentFlags().String("config", "", "profiles file")
	root.AddCommand(newDoctorCmdWith(doctor.Options{Auth: execAuthOptions(t)}))
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"--config", config, "doctor"}, args...))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := root.ExecuteContext(ctx)
	return execResult{stdout: out.String(), stderr: errOut.String(), err: err}
}

// statusColumn is the first word of each step line: PASS, WARN, FAIL or SKIP.
func statusColumn(out string) []string {
	var st []string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 && len(f[0]) == 4 && f[0] == strings.ToUpper(f[0]) && !strings.HasPrefix(line, " ") {
			st = append(st, f[0]+" "+f[1])
		}
	}
	return st
}

// TestDoctorCmdDemoProfiles runs doctor on every profile the demo writes: none may fail or
// warn, and demo-sp passes every step.
func TestDoctorCmdDemoProfiles(t *testing.T) {
	emutest.CleanAzureEnv(t)
	d, err := emulator.StartDemo(context.Background(), emulator.DemoOptions{Dir: t.TempDir(), Keys: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	config := filepath.Join(t.TempDir(), "profiles.toml")
	names, err := d.WriteProfiles(config)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range d.Env(os.Getenv("PATH")) {
		t.Setenv(k, v)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			r := runDoctorCLI(t, config, "-p", name)
			if r.status() != 0 {
				t.Fatalf("exit status %d: %v\n%s%s", r.status(), r.err, r.stdout, r.stderr)
			}
			st := statusColumn(r.stdout)
			if len(st) != len(doctor.Steps) {
				t.Fatalf("%d steps printed, want %d:\n%s", len(st), len(doctor.Steps), r.stdout)
			}
			for _, s := range st {
				pass := strings.HasPrefix(s, "PASS ")
				if !pass && !(s == "SKIP secrets" && name != "demo-sp") {
					t.Fatalf("step %s:\n%s", s, r.stdout)
				}
			}
			if !strings.HasSuffix(r.stdout, "profile \""+name+"\": OK\n") {
				t.Fatalf("summary:\n%s", r.stdout)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		r := runDoctorCLI(t, config, "--json") // the last used profile: demo-sp
		if r.status() != 0 {
			t.Fatalf("exit status %d: %v\n%s%s", r.status(), r.err, r.stdout, r.stderr)
		}
		var rep struct {
			Profile string           `json:"profile"`
			OK      bool             `json:"ok"`
			Steps   []map[string]any `json:"steps"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("not one JSON document: %v\n%s", err, r.stdout)
		}
		if rep.Profile != "demo-sp" || !rep.OK || len(rep.Steps) != len(doctor.Steps) {
			t.Fatalf("report: %+v", rep)
		}
		for i, s := range rep.Steps {
			if s["name"] != doctor.Steps[i] || s["status"] != "pass" {
				t.Fatalf("step %d: %v", i, s)
			}
			if _, ok := s["duration_ms"].(float64); !ok {
				t.Fatalf("step %d has no duration_ms: %v", i, s)
			}
		}
	})
	t.Run("failure exits 1", func(t *testing.T) {
		d.Entra.FailNext(emulator.EndpointToken, 1, 401, "AADSTS7000215", "Invalid client secret provided.")
		r := runDoctorCLI(t, config, "-p", "demo-sp")
		if r.status() != 1 {
			t.Fatalf("exit status %d, want 1:\n%s", r.status(), r.stdout)
		}
		if !strings.Contains(r.stdout, "FAIL  token") || !strings.Contains(r.stdout, "AADSTS7000215") ||
			!strings.Contains(r.stdout, "fix:") || !strings.HasSuffix(r.stdout, "FAIL at token\n") {
			t.Fatalf("output:\n%s", r.stdout)
		}
	})
	t.Run("unknown profile", func(t *testing.T) {
		r := runDoctorCLI(t, config, "-p", "nope")
		if r.status() != 1 || !strings.Contains(r.stdout, "FAIL  profile") || !strings.Contains(r.stdout, `no profile named "nope"`) {
			t.Fatalf("exit %d:\n%s%s", r.status(), r.stdout, r.stderr)
		}
	})
}

// TestDoctorCmdMalformedFile reports a profiles file that does not load as a failed profile
// step, naming the line and field, without printing the plain-text secret it holds.
func TestDoctorCmdMalformedFile(t *testing.T) {
	config := filepath.Join(t.TempDir(), "profiles.toml")
	const body = "version = 1\n\n[profiles.bad]\nhost = \"127.0.0.1\"\n[profiles.bad.auth]\nkind = \"access-key\"\npassword = \"hunter2-plain-text\"\n"
	if err := os.WriteFile(config, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-p", "bad"}, {"-p", "bad", "--json"}} {
		r := runDoctorCLI(t, config, args...)
		if r.status() != 1 || strings.Contains(r.stdout, "hunter2") || !strings.Contains(r.stdout, "auth.password") {
			t.Fatalf("%v: exit %d:\n%s%s", args, r.status(), r.stdout, r.stderr)
		}
	}
}

// TestDoctorCmdAgainstDemoServe runs the real binary's doctor on the profiles `amr-tui demo
// --serve` writes, with the environment it prints: every step of demo-sp passes.
func TestDoctorCmdAgainstDemoServe(t *testing.T) {
	bin := buildBinary(t)
	info := startDemoServe(t, bin, "--keys", "20")
	for _, name := range []string{"demo-sp", "demo-mi"} {
		cmd := exec.Command(bin, "--config", info.Config, "doctor", "-p", name)
		cmd.Env = os.Environ()
		for k, v := range info.Env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("doctor -p %s: %v\n%s", name, err, out)
		}
		for _, s := range statusColumn(string(out)) {
			if !strings.HasPrefix(s, "PASS ") && !(name == "demo-mi" && s == "SKIP secrets") {
				t.Fatalf("doctor -p %s: step %s\n%s", name, s, out)
			}
		}
	}
}
