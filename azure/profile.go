package azure

import (
	"fmt"
	"strings"

	"github.com/amr-tui/amr-tui/profiles"
)

// ProfileOptions say how to write a profile for a cache.
type ProfileOptions struct {
	// Name is the new profile's name. Required.
	Name     string
	ReadOnly bool
	// Auth is the sign-in the profile uses: the one discovery signed in with, so the profile
	// logs in the same way. Its scopes are dropped (they were the management plane's).
	Auth profiles.Auth
	// CAFile, when set, is trusted for the cache's TLS certificate (caches found through a
	// management endpoint with its own CA, such as the emulator's).
	CAFile string
}

// ProfileFor builds the profile that opens the cache: its host and port, TLS as the cache
// serves it, the cluster setting its clustering policy needs (OSSCluster: a cluster client;
// EnterpriseCluster and NoCluster: a standalone one) and the same sign-in.
func ProfileFor(c Cache, o ProfileOptions) (profiles.Profile, error) {
	if err := profiles.ValidName(o.Name); err != nil {
		return profiles.Profile{}, err
	}
	if c.HostName == "" || c.Port == 0 {
		why := "it has no host name or port"
		if c.Err != "" {
			why = c.Err
		}
		return profiles.Profile{}, fmt.Errorf("cannot make a profile for %s: %s", c.Ref(), why)
	}
	if !c.EntraAuth && o.Auth.Kind.IsEntra() {
		return profiles.Profile{}, fmt.Errorf("%s has Microsoft Entra authentication turned off, so a profile signing in with Entra would be refused; turn it on for the cache first", c.Ref())
	}
	a := o.Auth
	a.Scopes = nil
	p := profiles.Profile{
		Name:     o.Name,
		Label:    c.ServiceName() + " " + c.Ref() + " (" + c.SubscriptionName + ", " + c.ResourceGroup + ")",
		Host:     c.HostName,
		Port:     c.Port,
		ReadOnly: o.ReadOnly,
		TLS:      profiles.TLS{Enabled: profiles.Ptr(c.TLS)},
		Auth:     a,
	}
	switch c.ClusteringPolicy {
	case OSSCluster:
		p.Cluster = profiles.ClusterOn
	case EnterpriseCluster, NoCluster:
		p.Cluster = profiles.ClusterOff
	default:
		p.Cluster = profiles.ClusterAuto
	}
	if c.TLS && o.CAFile != "" {
		p.TLS.CAFile = o.CAFile
	}
	if err := p.Validate(); err != nil {
		return profiles.Profile{}, err
	}
	return p, nil
}

// AddProfile writes p into the profiles file at path, atomically, through the profiles
// package (which never overwrites a file that does not parse). An existing profile of the same
// name is left alone and reported.
func AddProfile(path string, p profiles.Profile) error {
	return profiles.Update(path, func(f *profiles.File) error {
		if _, ok := f.Get(p.Name); ok {
			return fmt.Errorf("a profile named %q already exists in %s; choose another --name (or remove it with `amr-tui profiles remove %s`)", p.Name, path, p.Name)
		}
		return f.Put(p)
	})
}

// Find picks the cache a user named: CLUSTER/DATABASE or CLUSTER (when it has one database) for
// Azure Managed Redis, NAME for Azure Cache for Redis, or a full ARM resource ID. A name found
// in several subscriptions or resource groups is an error listing them.
func Find(caches []Cache, ref string) (Cache, error) {
	var hits []Cache
	name, db, hasDB := strings.Cut(ref, "/")
	if strings.HasPrefix(ref, "/subscriptions/") {
		for _, c := range caches {
			if strings.EqualFold(c.ID, ref) {
				return c, nil
			}
		}
		return Cache{}, fmt.Errorf("no cache found has the resource ID %s", ref)
	}
	for _, c := range caches {
		if !strings.EqualFold(c.Name, name) || (hasDB && !strings.EqualFold(c.Database, db)) {
			continue
		}
		hits = append(hits, c)
	}
	switch {
	case len(hits) == 1:
		return hits[0], nil
	case len(hits) == 0:
		return Cache{}, fmt.Errorf("no cache found is named %q (run `amr-tui discover` to list them)", ref)
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, "  "+h.ID)
	}
	hint := "name it by resource ID"
	if !hasDB && hits[0].Kind == ManagedRedis {
		hint = "name it as CLUSTER/DATABASE or by resource ID"
	}
	return Cache{}, fmt.Errorf("%q matches %d caches; %s:\n%s", ref, len(hits), hint, strings.Join(ids, "\n"))
}
