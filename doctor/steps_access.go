package doctor

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/profiles"
)

// StepAccess checks, through Azure Resource Manager, whether the profile's identity holds a data
// access policy assignment on the cache. It runs before AUTH so that it can explain a refusal.
const StepAccess = "access"

// accessTimeout bounds the access step: it lists every subscription the identity can read.
const accessTimeout = 30 * time.Second

// AccessOptions steer the access step's calls to Azure Resource Manager.
type AccessOptions struct {
	// Endpoint overrides the management endpoint; empty means AMR_TUI_MANAGEMENT_ENDPOINT, else
	// the profile's cloud (none is known for a custom authority: the step is then skipped).
	Endpoint string
	// CAFile is extra CAs to trust for Endpoint; empty means AMR_TUI_MANAGEMENT_CA_FILE.
	CAFile string
	// Transport carries the ARM requests; nil builds one from CAFile, wrapped by
	// Options.Auth.WrapTransport.
	Transport policy.Transporter
	// Retry overrides azcore's retry policy for ARM requests.
	Retry *policy.RetryOptions
}

// checkAccess finds the cache in ARM by host and port and lists who may use it. It never fails
// the run: an identity that may not read ARM gets a WARN (or a SKIP when the question does not
// apply), and the AUTH step decides.
func (r *runner) checkAccess(ctx context.Context) result {
	a := r.p.Auth
	if !a.Kind.IsEntra() {
		return skip("data access policies apply to Microsoft Entra sign-ins; this profile uses " + string(a.Kind))
	}
	if a.Kind == profiles.AuthDeveloper && (a.Method == profiles.DeveloperDeviceCode || a.Method == profiles.DeveloperBrowser) {
		return skip("reading access policies would need a second interactive sign-in (for Azure Resource Manager); " +
			"`amr-tui discover --method " + string(a.Method) + "` shows them")
	}
	o := r.opts.Access
	envEndpoint, envCA := azure.FromEnvironment()
	override, caFile := o.Endpoint, o.CAFile
	if override == "" {
		override = envEndpoint
	}
	if caFile == "" {
		caFile = envCA
	}
	ep, err := azure.EndpointFor(a.Authority, override)
	if err != nil {
		return skip("the management endpoint of a custom authority is unknown; set " + azure.EnvEndpoint + " to check access policies")
	}
	if ep == azure.PublicCloud && override == "" {
		// In the public cloud the host says whether it is an Azure cache at all: listing every
		// subscription for a host that cannot be one would only be slow.
		switch profiles.ClassifyHost(r.p.Endpoint().Host) {
		case profiles.HostAMR, profiles.HostACR:
		default:
			return skip("not an Azure Managed Redis or Azure Cache for Redis host name, so there is no cache to look up in Azure Resource Manager")
		}
	}
	tr := o.Transport
	if tr == nil {
		if tr, err = azure.Transport(caFile, r.opts.Auth.WrapTransport); err != nil {
			return warn("", "cannot reach Azure Resource Manager: "+err.Error(), "check "+azure.EnvCAFile)
		}
	}
	cred, err := azure.Credential(r.p, ep, r.opts.Auth)
	if err != nil {
		return warn("", "cannot sign in to Azure Resource Manager: "+firstLine(err.Error()), "")
	}
	client, err := azure.New(cred, azure.Options{Endpoint: ep, Transport: tr, Retry: o.Retry})
	if err != nil {
		return warn("", err.Error(), "")
	}
	res, err := client.Discover(ctx, azure.DiscoverOptions{})
	if err != nil {
		return warn("access policies not checked", "this identity cannot read Azure Resource Manager: "+firstLine(err.Error()),
			"to let doctor check who may use the cache, give the identity Reader on the cache (or its resource group)")
	}
	ep2 := r.p.Endpoint()
	var found []azure.Cache
	var unreadable int
	for _, s := range res.Subscriptions {
		if len(s.Failures) > 0 {
			unreadable++
		}
		for _, c := range s.Caches {
			if strings.EqualFold(strings.TrimSuffix(c.HostName, "."), strings.TrimSuffix(ep2.Host, ".")) && c.Port == ep2.Port {
				found = append(found, c)
			}
		}
	}
	if len(found) == 0 {
		// A private endpoint (NAME.privatelink.redis.azure.net) names the cache in its first label.
		label, _, _ := strings.Cut(ep2.Host, ".")
		for _, s := range res.Subscriptions {
			for _, c := range s.Caches {
				if first, _, _ := strings.Cut(c.HostName, "."); strings.EqualFold(first, label) && c.Port == ep2.Port &&
					profiles.ClassifyHost(ep2.Host) != profiles.HostLocal && profiles.ClassifyHost(ep2.Host) != profiles.HostOther {
					found = append(found, c)
				}
			}
		}
	}
	if len(found) == 0 {
		cause := "the identity (" + res.Identity.ObjectID + ") sees no cache at " + ep2.Addr() + " in the " + strconv.Itoa(len(res.Subscriptions)) + " subscription(s) it can read"
		if unreadable > 0 {
			cause += "; " + strconv.Itoa(unreadable) + " of them could not be read fully"
		}
		return warn("access policies not checked", cause,
			"to let doctor check who may use the cache, give the identity Reader on the cache (or its resource group)")
	}
	var details, causes, fixes []string
	for _, c := range found {
		details = append(details, "found "+c.Ref()+" ("+c.ServiceName()+", subscription "+c.SubscriptionName+", resource group "+c.ResourceGroup+")")
		acc, err := client.Access(ctx, c, res.Identity)
		if err != nil {
			causes = append(causes, c.Ref()+": "+firstLine(err.Error()))
			fixes = append(fixes, "reading access policy assignments needs Microsoft.Cache/redis/accessPolicyAssignments/read (Azure Cache for Redis) or Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments/read (Azure Managed Redis), which Reader includes")
			continue
		}
		v := acc.Verdict()
		if acc.HasAccess() && len(v) == 1 {
			details = append(details, c.Ref()+": "+v[0])
			continue
		}
		causes = append(causes, c.Ref()+": "+strings.Join(v, "; "))
		fixes = append(fixes, assignFix(c, res.Identity.ObjectID))
	}
	detail := strings.Join(details, "; ")
	if len(causes) > 0 {
		return warn(detail, strings.Join(causes, "\n"), strings.Join(dedupe(fixes), "\n"))
	}
	return pass(detail)
}

// assignFix is the command that gives oid the full-access policy on c.
func assignFix(c azure.Cache, oid string) string {
	if c.Kind == azure.ManagedRedis {
		return "az redisenterprise database access-policy-assignment create --cluster-name " + c.Name + " --database-name " + c.Database +
			" --resource-group " + c.ResourceGroup + " --access-policy-assignment-name <name> --access-policy-name default --object-id " + oid
	}
	return "az redis access-policy-assignment create --name " + c.Name + " --resource-group " + c.ResourceGroup +
		" --access-policy-assignment-name <name> --access-policy-name \"Data Owner\" --object-id " + oid + " --object-id-alias <alias>"
}

func dedupe(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
