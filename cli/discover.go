package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/spf13/cobra"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/profiles"
)

// discoverFlags are the knobs of `amr-tui discover`.
type discoverFlags struct {
	method, tenant, subscription, profile string
	json, verbose                         bool
	add, name, access                     string
	readOnly                              bool
	endpoint, caFile                      string
	timeout                               time.Duration
}

// discoverDeps are what tests replace: the loopback guard around every HTTP request and a
// faster retry policy.
type discoverDeps struct {
	wrap  func(http.RoundTripper) http.RoundTripper
	retry *policy.RetryOptions
}

func newDiscoverCmd() *cobra.Command { return newDiscoverCmdWith(discoverDeps{}) }

func newDiscoverCmdWith(deps discoverDeps) *cobra.Command {
	var f discoverFlags
	cmd := &cobra.Command{
		Use:   "discover [--method M] [--tenant T] [--subscription S] [--json] [--add NAME[/DB] --name PROFILE [--read-only]] [--access NAME[/DB]]",
		Short: "Find the Azure caches you can reach, write a profile for one, or see who may use it",
		Long: "discover signs in to Azure Resource Manager, lists the enabled subscriptions, then every\n" +
			"Azure Managed Redis database and Azure Cache for Redis instance in them, with the endpoint,\n" +
			"clustering policy, Entra and access-key authentication, modules, version and state.\n" +
			"A subscription that cannot be read (403, or throttled past its retries) says so; the others\n" +
			"still show. Listing needs the Reader role (or any role with Microsoft.Cache/redis/read and\n" +
			"Microsoft.Cache/redisEnterprise/read) on the subscriptions or resource groups.\n\n" +
			"Sign-in: --method (azure-cli, azd, device-code, browser, default) with an optional\n" +
			"--tenant, or --profile to sign in as that profile does.\n\n" +
			"--add NAME[/DB] --name PROFILE writes a profile for the cache (host, port, TLS, cluster\n" +
			"setting from the clustering policy, and the same sign-in); NAME is the cache's name, or for\n" +
			"Azure Managed Redis CLUSTER/DATABASE, or a full resource ID.\n\n" +
			"--access NAME[/DB] lists the cache's data access policies and who is assigned them, marks\n" +
			"you, and says plainly when you have none. Reading assignments needs\n" +
			"Microsoft.Cache/redis/accessPolicyAssignments/read or\n" +
			"Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments/read, which Reader has.\n\n" +
			"The management endpoint follows the sign-in's cloud (public, china, usgov);\n" +
			"--management-endpoint (or " + azure.EnvEndpoint + ") overrides it, e.g. for the demo's.",
		Example: "  amr-tui discover --method azure-cli\n" +
			"  amr-tui discover --json --subscription Production\n" +
			"  amr-tui discover --method azure-cli --add orders/default --name orders --read-only\n" +
			"  amr-tui discover --profile orders --access orders/default",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDiscover(cmd, f, deps) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.method, "method", string(profiles.DeveloperDefault), "sign-in method: azure-cli, azd, device-code, browser or default")
	fl.StringVar(&f.tenant, "tenant", "", "Entra tenant (directory) ID or domain to sign in to")
	fl.StringVarP(&f.profile, "profile", "p", "", "sign in as this profile does (instead of --method/--tenant)")
	fl.StringVar(&f.subscription, "subscription", "", "only this subscription (ID or name)")
	fl.BoolVar(&f.json, "json", false, "print JSON instead of tables")
	fl.StringVar(&f.add, "add", "", "write a profile for this cache (NAME, CLUSTER/DATABASE or resource ID)")
	fl.StringVar(&f.name, "name", "", "with --add: the new profile's name")
	fl.BoolVar(&f.readOnly, "read-only", false, "with --add: make the profile read-only")
	fl.StringVar(&f.access, "access", "", "show who may use this cache (NAME, CLUSTER/DATABASE or resource ID)")
	fl.StringVar(&f.endpoint, "management-endpoint", "", "Azure Resource Manager endpoint (default: the cloud's, or $"+azure.EnvEndpoint+")")
	fl.StringVar(&f.caFile, "management-ca-file", "", "extra CA certificates (PEM) to trust for the management endpoint and the caches found (default $"+azure.EnvCAFile+")")
	fl.BoolVar(&f.verbose, "verbose", false, "log every request, response and retry to stderr (secrets redacted)")
	fl.DurationVar(&f.timeout, "timeout", 2*time.Minute, "give up after this long")
	return cmd
}

func runDiscover(cmd *cobra.Command, f discoverFlags, deps discoverDeps) error {
	if err := checkDiscoverFlags(cmd, f); err != nil {
		return err
	}
	envEndpoint, envCA := azure.FromEnvironment()
	if f.endpoint == "" {
		f.endpoint = envEndpoint
	}
	if f.caFile == "" {
		f.caFile = envCA
	}
	signIn, err := discoverSignIn(cmd, f)
	if err != nil {
		return err
	}
	ep, err := azure.EndpointFor(signIn.Auth.Authority, f.endpoint)
	if err != nil {
		return err
	}
	tr, err := azure.Transport(f.caFile, deps.wrap)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	opts := auth.Options{WrapTransport: deps.wrap, DeviceCodePrompt: func(_ context.Context, dp auth.DeviceCodePrompt) error {
		msg := dp.Message
		if msg == "" {
			msg = fmt.Sprintf("To sign in, open %s and enter the code %s", dp.VerificationURL, dp.UserCode)
		}
		fmt.Fprintln(stderr, "amr-tui:", msg)
		return nil
	}}
	cred, err := azure.Credential(signIn, ep, opts)
	if err != nil {
		return err
	}
	client, err := azure.New(cred, azure.Options{Endpoint: ep, Transport: tr, Retry: deps.retry})
	if err != nil {
		return err
	}
	if f.verbose {
		log.SetEvents(log.EventRequest, log.EventResponse, log.EventRetryPolicy, log.EventResponseError)
		var logMu sync.Mutex // requests run in parallel; their log lines must not interleave
		log.SetListener(func(ev log.Event, msg string) {
			logMu.Lock()
			defer logMu.Unlock()
			fmt.Fprintf(stderr, "[%s] %s\n", ev, msg)
		})
		defer log.SetListener(nil)
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), f.timeout)
	defer cancel()
	res, err := client.Discover(ctx, azure.DiscoverOptions{Subscription: f.subscription})
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	switch {
	case f.add != "":
		cache, err := azure.Find(res.Caches(), f.add)
		if err != nil {
			return err
		}
		path, err := profilesPath(cmd)
		if err != nil {
			return err
		}
		p, err := azure.ProfileFor(cache, azure.ProfileOptions{Name: f.name, ReadOnly: f.readOnly, Auth: signIn.Auth, CAFile: f.caFile})
		if err != nil {
			return err
		}
		if err := azure.AddProfile(path, p); err != nil {
			return err
		}
		fmt.Fprintf(out, "Wrote profile %s to %s: %s %s at %s, TLS %s, cluster %s (%s), sign-in %s\nOpen it with: amr-tui -p %s\n",
			p.Name, path, cache.ServiceName(), azure.Safe(cache.Ref()), azure.Safe(cache.Addr()), onOffWord(cache.TLS), p.Cluster,
			cache.ClusteringPolicy, auth.KindName(p.Auth), p.Name)
		return nil
	case f.access != "":
		cache, err := azure.Find(res.Caches(), f.access)
		if err != nil {
			return err
		}
		acc, err := client.Access(ctx, cache, res.Identity)
		if err != nil {
			return err
		}
		if f.json {
			enc := json.NewEncoder(out)
			enc.SetIndent("", "  ")
			return enc.Encode(struct {
				azure.Access
				HasAccess bool     `json:"has_access"`
				Verdict   []string `json:"verdict"`
			}{acc, acc.HasAccess(), acc.Verdict()})
		}
		return azure.WriteAccessText(out, acc)
	case f.json:
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return azure.WriteText(out, res)
}

func onOffWord(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func checkDiscoverFlags(cmd *cobra.Command, f discoverFlags) error {
	switch {
	case f.add != "" && f.access != "":
		return errors.New("--add and --access do one thing each; run them separately")
	case f.add != "" && f.name == "":
		return errors.New("--add needs --name PROFILE: the name of the profile to write")
	case f.add == "" && (f.name != "" || f.readOnly):
		return errors.New("--name and --read-only go with --add")
	case f.profile != "" && (cmd.Flags().Changed("method") || f.tenant != ""):
		return errors.New("--profile signs in as the profile does; leave out --method and --tenant")
	}
	if f.name != "" {
		if err := profiles.ValidName(f.name); err != nil {
			return fmt.Errorf("--name: %w", err)
		}
	}
	if !slices.Contains(profiles.DeveloperMethods, profiles.DeveloperMethod(f.method)) {
		var ms []string
		for _, m := range profiles.DeveloperMethods {
			ms = append(ms, string(m))
		}
		return fmt.Errorf("--method %q: want one of %s", f.method, strings.Join(ms, ", "))
	}
	return nil
}

// discoverSignIn is the profile whose sign-in discovery uses: --profile's, or a developer
// sign-in from --method and --tenant.
func discoverSignIn(cmd *cobra.Command, f discoverFlags) (profiles.Profile, error) {
	if f.profile != "" {
		_, p, err := loadNamedProfile(cmd, f.profile)
		return p, err
	}
	return azure.SignIn{Method: profiles.DeveloperMethod(f.method), TenantID: f.tenant}.Profile(), nil
}
