package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/analyze"
	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/ui"
)

// demoFlags are the knobs of `amr-tui demo`.
type demoFlags struct {
	serve         bool
	tokenLifetime time.Duration
	keys          int
	plain         bool
	backend       string
	cluster       bool
	masters       int
	replicas      int
}

// demoInfo is the JSON line `demo --serve` prints once ready: everything a client needs to
// connect, e.g. redis-cli --tls --cacert CA_FILE -p PORT --user OID --pass TOKEN PING.
type demoInfo struct {
	Redis     string            `json:"redis"`
	TLS       bool              `json:"tls"`
	CAFile    string            `json:"ca_file"`
	Authority string            `json:"authority"`
	TenantID  string            `json:"tenant_id"`
	ClientID  string            `json:"client_id"`
	OID       string            `json:"oid"`
	Token     string            `json:"token"`
	ExpiresAt time.Time         `json:"token_expires_at"`
	Keys      int               `json:"keys"`
	Config    string            `json:"config"`
	Profiles  []string          `json:"profiles"`
	Env       map[string]string `json:"env"`
	// Shards lists every node's gate of a --cluster demo (Redis is the entry one).
	Shards []string `json:"shards,omitempty"`
	// Control is the loopback URL `amr-tui demo fault --url` injects faults through.
	Control string `json:"control"`
	// Backend is the Redis behind the gate (no auth: loopback only), for test harnesses that
	// need a client unaffected by Entra faults (bench/soak.sh publishes there).
	Backend string `json:"backend"`
	// Management is the fake Azure Resource Manager's endpoint (amr-tui discover
	// --management-endpoint; also in Env as AMR_TUI_MANAGEMENT_ENDPOINT).
	Management string `json:"management"`
}

func newDemoCmd() *cobra.Command {
	var f demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run amr-tui against the embedded emulator (fake Entra ID + AMR-like Redis)",
		Long: "demo starts the embedded emulator on loopback — a fake Microsoft Entra ID and an Azure\n" +
			"Managed Redis–like gate that enforces token AUTH and closes connections whose token\n" +
			"expires — seeds it with sample data, and opens amr-tui against it on the demo-sp profile\n" +
			"(a service principal); the emulator stops when you quit (or on SIGHUP/SIGTERM), and its\n" +
			"temporary folder is removed.\n\n" +
			"The data lives in a redis-server the demo starts when one is on PATH, else in an embedded\n" +
			"in-process Redis. Beyond the first 10,000 keys, --keys are seeded in the background while\n" +
			"the TUI is up; the footer says when they are all there (press r to list them).\n\n" +
			"With --serve it runs the emulator headless until Ctrl-C and prints one JSON line with\n" +
			"everything a client needs to connect, for example:\n\n" +
			"  redis-cli --tls --cacert CA_FILE -p PORT --user OID --pass TOKEN PING\n\n" +
			"The JSON line's \"control\" URL takes faults from `amr-tui demo fault` (Entra down, slow or\n" +
			"failing, dropped connections, a Redis restart): see `amr-tui demo fault --help`.\n\n" +
			"With --cluster it emulates the OSS clustering policy instead: a real redis-server cluster\n" +
			"(--masters primaries with --replicas replicas each; redis-server must be installed), every\n" +
			"node behind its own gate, the cluster's topology and redirections rewritten to the gates'\n" +
			"IP addresses; the profiles reach it by host name (localhost) with cluster = auto.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd, f) },
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.serve, "serve", false, "run the emulator headless and print connection details as one JSON line")
	fl.DurationVar(&f.tokenLifetime, "token-lifetime", 10*time.Minute, "lifetime of the access tokens the fake Entra issues")
	fl.IntVar(&f.keys, "keys", 10000, "number of sample keys to seed")
	fl.BoolVar(&f.plain, "plain", false, "serve the Redis gate without TLS")
	fl.StringVar(&f.backend, "backend", "", "address of a real redis-server to front instead of the demo's own")
	fl.BoolVar(&f.cluster, "cluster", false, "emulate the OSS clustering policy: a redis-server cluster, each node behind its own gate (needs redis-server)")
	fl.IntVar(&f.masters, "masters", 3, "with --cluster: number of primaries (shards)")
	fl.IntVar(&f.replicas, "replicas", 1, "with --cluster: replicas per primary")
	cmd.AddCommand(newDemoFaultCmd())
	return cmd
}

func runDemo(cmd *cobra.Command, f demoFlags) error {
	if f.keys < 0 {
		return fmt.Errorf("--keys must be zero or more, got %d", f.keys)
	}
	if f.tokenLifetime < time.Second {
		return fmt.Errorf("--token-lifetime must be at least 1s, got %s", f.tokenLifetime)
	}
	// SIGHUP (the terminal went away) and SIGTERM end the demo as Ctrl-C does: the TUI stops
	// on the cancelled context and the defers below stop the servers and remove the folder.
	// stop is deferred first so that it runs last: a second signal during the clean-up kills.
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	var early *ui.Splash
	if !f.serve && isTerminal(cmd.InOrStdin()) {
		// Starting the servers and seeding the first keys takes a few hundred milliseconds:
		// a first frame meanwhile. The UI takes it over; an error before that takes it back
		// (this defer runs before the error is printed).
		early = ui.ShowSplash(cmd.OutOrStdout(), demoProfile)
		defer early.Undo()
	}
	dir, err := os.MkdirTemp("", "amr-tui-demo-")
	if err != nil {
		return fmt.Errorf("creating the demo directory: %w", err)
	}
	defer os.RemoveAll(dir)

	opts := emulator.DemoOptions{
		Dir: dir, TokenLifetime: f.tokenLifetime, Keys: f.keys, Plain: f.plain, Backend: f.backend,
		Cluster: f.cluster, ClusterMasters: f.masters, ClusterReplicas: f.replicas,
	}
	if !f.serve {
		// The TUI opens after the first keys and the rest are seeded behind it, so a big
		// keyspace shows at once. --serve seeds everything first: its JSON promises the keys.
		opts.SeedFirst = demoSeedFirst
	}
	d, err := emulator.StartDemo(ctx, opts)
	if err != nil {
		return err
	}
	defer d.Close()

	configPath := filepath.Join(dir, "config", "profiles.toml")
	if err := os.MkdirAll(filepath.Dir(configPath), 0o700); err != nil {
		return fmt.Errorf("creating the demo config directory: %w", err)
	}
	names, err := d.WriteProfiles(configPath)
	if err != nil {
		return fmt.Errorf("writing the demo profiles: %w", err)
	}

	if !f.serve {
		return runDemoTUI(ctx, cmd, configPath, d.Env(os.Getenv("PATH")), tuiExtras{splash: early, notices: seedNotices(ctx, d, f.keys)})
	}
	token, exp, err := d.DemoToken()
	if err != nil {
		return fmt.Errorf("minting the demo token: %w", err)
	}
	control, err := d.ServeControl()
	if err != nil {
		return err
	}
	defer control.Close()
	info := demoInfo{
		Redis: d.Gate.Addr(), TLS: d.TLS(), CAFile: d.CAFile,
		Authority: d.Entra.AuthorityHost(), TenantID: d.Entra.TenantID(),
		ClientID: emulator.DemoAppClientID, OID: emulator.DemoAppObjectID,
		Token: token, ExpiresAt: exp.UTC(), Keys: f.keys,
		Config: configPath, Profiles: names, Env: d.Env(os.Getenv("PATH")), Control: control.URL,
		Backend:    d.Backend,
		Management: d.ARM.Endpoint(),
	}
	if d.Cluster != nil {
		for _, g := range d.Cluster.Gates {
			info.Shards = append(info.Shards, g.Addr())
		}
	}
	if err := json.NewEncoder(cmd.OutOrStdout()).Encode(info); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// demoProfile is the profile `amr-tui demo` opens: the service principal needs nothing from
// the environment (the managed-identity and CLI profiles do).
const demoProfile = "demo-sp"

// demoSeedFirst is how many keys the demo seeds before it opens; the rest follow in the
// background (a million keys take seconds even on redis-server).
const demoSeedFirst = 10000

// runDemoTUI opens the TUI in-process on the demo's service principal profile. The emulator
// stops when it returns (runDemo's defers).
func runDemoTUI(ctx context.Context, cmd *cobra.Command, configPath string, env map[string]string, x tuiExtras) error {
	file, err := profiles.Load(configPath)
	if err != nil {
		return err
	}
	p, ok := file.Get(demoProfile)
	if !ok {
		return fmt.Errorf("the demo profiles file %s has no %q profile", configPath, demoProfile)
	}
	// The demo talks to loopback only: the fake Entra and the gate.
	guard := func(rt http.RoundTripper) http.RoundTripper { return emulator.LoopbackGuard{Next: rt} }
	if isTerminal(cmd.InOrStdin()) {
		// The UI first, so the switcher offers every demo profile. The managed-identity and
		// CLI profiles find the emulator through the environment (the demo process is theirs).
		for k, v := range env {
			if err := os.Setenv(k, v); err != nil {
				return fmt.Errorf("setting %s for the demo profiles: %w", k, err)
			}
		}
		settings, err := settingsPath(cmd)
		if err != nil {
			return err
		}
		return runTUI(ctx, &tuiOpener{path: configPath, settings: settings, auth: auth.Options{WrapTransport: guard}}, p.Name,
			x, cmd.InOrStdin(), cmd.OutOrStdout())
	}
	return openTUI(ctx, tuiRun{Profile: p, ConfigPath: configPath, RememberedAs: file.LastUsed(),
		Auth: auth.Options{WrapTransport: guard}, Notices: x.notices,
		Stdin: cmd.InOrStdin(), Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()})
}

// seedNotices tells the UI when the keys seeded behind it are all there: a scan that finished
// before them listed only part of the keyspace, and its "more since it began" is a count taken
// when it finished. Nil when everything was seeded before the UI opened. The channel is closed
// after its one notice, or without one when the demo ends first.
func seedNotices(ctx context.Context, d *emulator.Demo, keys int) <-chan ui.Notice {
	if keys <= demoSeedFirst {
		return nil
	}
	ch := make(chan ui.Notice, 1) // never blocks: the UI may be gone by then
	go func() {
		defer close(ch)
		stats, err := d.SeedWait()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			ch <- ui.Notice{Text: "demo: seeding stopped after " + analyze.FormatCount(int64(stats.Keys)) +
				" of " + analyze.FormatCount(int64(keys)) + " keys: " + err.Error(), Warn: true}
		default:
			ch <- ui.Notice{Text: "demo: all " + analyze.FormatCount(int64(stats.Keys)) + " sample keys are seeded — r rescans to list them"}
		}
	}()
	return ch
}
