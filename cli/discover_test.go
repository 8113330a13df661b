package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
	"github.com/amr-tui/amr-tui/profiles"
)

// runDiscoverCLI runs `amr-tui --config CONFIG discover ARGS…` in-process, every HTTP request
// held to loopback.
func runDiscoverCLI(t *testing.T, config string, args ...string) execResult {
	t.Helper()
	root := &cobra.Command{Use: "amr-tui", SilenceUsage: true, SilenceErrors: true}
	root.PersistentFlags().String("config", "", "profiles file")
	root.AddCommand(newDiscoverCmdWith(discoverDeps{
		wrap:  func(rt http.RoundTripper) http.RoundTripper { return emutest.Guard(t, rt) },
		retry: &policy.RetryOptions{MaxRetries: 2, RetryDelay: 10 * time.Millisecond},
	}))
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"--config", config, "discover"}, args...))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := root.ExecuteContext(ctx)
	return execResult{stdout: out.String(), stderr: errOut.String(), err: err}
}

// TestDiscoverCmdDemo: against the demo's fake ARM (found through the environment the demo
// gives), discover lists the caches and the failing subscription, writes profiles, and shows
// who may use a cache.
func TestDiscoverCmdDemo(t *testing.T) {
	emutest.CleanAzureEnv(t)
	d, err := emulator.StartDemo(context.Background(), emulator.DemoOptions{Dir: t.TempDir(), Keys: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	config := filepath.Join(t.TempDir(), "profiles.toml")
	if _, err := d.WriteProfiles(config); err != nil {
		t.Fatal(err)
	}
	for k, v := range d.Env(os.Getenv("PATH")) {
		t.Setenv(k, v)
	}

	t.Run("list", func(t *testing.T) {
		r := runDiscoverCLI(t, config, "--method", "azure-cli")
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		for _, want := range []string{
			"Signed in as user " + emulator.DemoUserPrincipalName + " (" + emulator.DemoUserObjectID + ")",
			"amr-tui demo (" + emulator.DemoSubscriptionID + ")",
			"demo-amr/default  AMR", "EnterpriseCluster", "RediSearch,RedisJSON",
			"demo-acr          ACR", "NoCluster",
			"amr-tui demo (no access)", "403 AuthorizationFailed",
			"3 subscription(s), 2 cache(s)",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r.stdout)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		r := runDiscoverCLI(t, config, "-p", "demo-sp", "--json", "--subscription", "amr-tui demo")
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		var res struct {
			Identity struct {
				ObjectID string `json:"object_id"`
			} `json:"identity"`
			Subscriptions []struct {
				Caches []struct {
					Name, Database, Host string
					Port                 int
					Policy               string `json:"clustering_policy"`
				} `json:"caches"`
			} `json:"subscriptions"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
			t.Fatalf("%v\n%s", err, r.stdout)
		}
		if res.Identity.ObjectID != emulator.DemoAppObjectID || len(res.Subscriptions) != 1 || len(res.Subscriptions[0].Caches) != 2 {
			t.Fatalf("%+v", res)
		}
	})
	t.Run("add", func(t *testing.T) {
		r := runDiscoverCLI(t, config, "-p", "demo-sp", "--add", "demo-amr", "--name", "found", "--read-only")
		if r.err != nil || !strings.Contains(r.stdout, "Wrote profile found") {
			t.Fatalf("%v\n%s%s", r.err, r.stdout, r.stderr)
		}
		f, err := profiles.Load(config)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := f.Get("found")
		if !ok || p.Port != d.GatePort() || p.Cluster != profiles.ClusterOff || !p.ReadOnly || p.TLS.CAFile != d.CAFile ||
			p.Auth.Kind != profiles.AuthServicePrincipal || p.Auth.ClientID != emulator.DemoAppClientID {
			t.Fatalf("profile = %+v", p)
		}
		// It opens for real: doctor passes every step on it.
		dr := runDoctorCLI(t, config, "-p", "found")
		if dr.status() != 0 || !strings.HasSuffix(dr.stdout, "profile \"found\": OK\n") {
			t.Fatalf("doctor on the written profile:\n%s%s", dr.stdout, dr.stderr)
		}
		// The same name again is refused and the profile kept.
		r = runDiscoverCLI(t, config, "-p", "demo-sp", "--add", "demo-acr", "--name", "found")
		if r.err == nil || !strings.Contains(r.err.Error(), "already exists") {
			t.Fatalf("second --add: %v", r.err)
		}
	})
	t.Run("access", func(t *testing.T) {
		r := runDiscoverCLI(t, config, "-p", "demo-sp", "--access", "demo-acr")
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		for _, want := range []string{
			"Data Owner", emulator.DemoUserObjectID,
			emulator.DemoAppClientID + "  amr-tui-demo-app     Data Contributor  -              ← your app's client ID, not its object ID",
			"you (" + emulator.DemoAppObjectID + ") have no access policy on this cache",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r.stdout)
			}
		}
	})
	t.Run("verbose", func(t *testing.T) {
		d.ARM.SetFixture(d.ARMFixture()) // the busy subscription throttles once more
		r := runDiscoverCLI(t, config, "-p", "demo-sp", "--verbose", "--subscription", "amr-tui demo (busy)")
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		// The 429 and its retry are logged; the bearer token never is.
		for _, want := range []string{"/subscriptions?api-version=2022-12-01", "429", "Retry-After", "Authorization: REDACTED"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("verbose log lacks %q:\n%s", want, r.stderr)
			}
		}
		if strings.Contains(r.stderr, "eyJ") {
			t.Errorf("a token reached the verbose log:\n%s", r.stderr)
		}
	})
	t.Run("flags", func(t *testing.T) {
		for args, want := range map[string]string{
			"--add demo-amr":                        "--add needs --name",
			"--name x":                              "go with --add",
			"--method nope":                         `--method "nope"`,
			"-p demo-sp --method azure-cli":         "leave out --method",
			"--add a --name b --access c":           "run them separately",
			"--method azure-cli --add zzz --name z": `no cache found is named "zzz"`,
		} {
			r := runDiscoverCLI(t, config, strings.Fields(args)...)
			if r.err == nil || !strings.Contains(r.err.Error(), want) {
				t.Errorf("discover %s: %v, want %q", args, r.err, want)
			}
		}
	})
}

// TestDiscoverCmdClusterDemo: on the OSS-policy demo, the database found has the OSSCluster
// policy, and the profile --add writes (cluster = on, host name for TLS) passes every doctor
// step, the cluster step included.
func TestDiscoverCmdClusterDemo(t *testing.T) {
	emutest.RedisServerPath(t)
	emutest.CleanAzureEnv(t)
	d, err := emulator.StartDemo(context.Background(), emulator.DemoOptions{Dir: t.TempDir(), Keys: 20, Cluster: true, ClusterMasters: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	config := filepath.Join(t.TempDir(), "profiles.toml")
	if _, err := d.WriteProfiles(config); err != nil {
		t.Fatal(err)
	}
	for k, v := range d.Env(os.Getenv("PATH")) {
		t.Setenv(k, v)
	}
	r := runDiscoverCLI(t, config, "-p", "demo-sp", "--add", "demo-amr-oss/default", "--name", "oss")
	if r.err != nil || !strings.Contains(r.stdout, "cluster on (OSSCluster)") {
		t.Fatalf("%v\n%s%s", r.err, r.stdout, r.stderr)
	}
	f, err := profiles.Load(config)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := f.Get("oss"); p.Host != "localhost" || p.Cluster != profiles.ClusterOn {
		t.Fatalf("profile = %+v", p)
	}
	dr := runDoctorCLI(t, config, "-p", "oss")
	if dr.status() != 0 || !strings.Contains(dr.stdout, "PASS  cluster  OSS clustering policy") || !strings.Contains(dr.stdout, "PASS  access") {
		t.Fatalf("doctor:\n%s%s", dr.stdout, dr.stderr)
	}
}
