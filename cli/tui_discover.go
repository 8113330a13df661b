package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/ui"
)

var _ ui.Discoverer = (*tuiOpener)(nil)

// discoverClient signs in to Azure Resource Manager as the named profile does. The management
// endpoint follows the profile's cloud, or AMR_TUI_MANAGEMENT_ENDPOINT (the demo sets it).
func (o *tuiOpener) discoverClient(name string) (*azure.Client, profiles.Profile, string, error) {
	f, err := profiles.Load(o.path)
	if err != nil {
		return nil, profiles.Profile{}, "", err
	}
	p, ok := f.Get(name)
	if !ok {
		return nil, profiles.Profile{}, "", fmt.Errorf("no profile named %q in %s", name, f.Path())
	}
	if a := p.Auth; a.Kind == profiles.AuthDeveloper && (a.Method == profiles.DeveloperDeviceCode || a.Method == profiles.DeveloperBrowser) {
		return nil, p, "", errors.New("profile " + name + " signs in with " + string(a.Method) + ", which would need a second interactive sign-in for Azure Resource Manager; in a shell run `amr-tui discover --method " + string(a.Method) + "`")
	}
	override, caFile := azure.FromEnvironment()
	ep, err := azure.EndpointFor(p.Auth.Authority, override)
	if err != nil {
		return nil, p, "", err
	}
	tr, err := azure.Transport(caFile, o.auth.WrapTransport)
	if err != nil {
		return nil, p, "", err
	}
	cred, err := azure.Credential(p, ep, o.auth)
	if err != nil {
		return nil, p, "", err
	}
	c, err := azure.New(cred, azure.Options{Endpoint: ep, Transport: tr})
	return c, p, caFile, err
}

// Discover implements common.Discoverer.
func (o *tuiOpener) Discover(ctx context.Context, profile string, progress func(azure.Progress)) (azure.Result, error) {
	c, _, _, err := o.discoverClient(profile)
	if err != nil {
		return azure.Result{}, err
	}
	return c.Discover(ctx, azure.DiscoverOptions{OnProgress: progress})
}

// Access implements common.Discoverer.
func (o *tuiOpener) Access(ctx context.Context, profile string, cache azure.Cache, me azure.Identity) (azure.Access, error) {
	c, _, _, err := o.discoverClient(profile)
	if err != nil {
		return azure.Access{}, err
	}
	return c.Access(ctx, cache, me)
}

// AddProfile implements common.Discoverer: the profile signs in as profile does and is named
// after the cache (NAME, or NAME-DB for a database other than "default"), with -2, -3… when
// that name is taken.
func (o *tuiOpener) AddProfile(_ context.Context, profile string, cache azure.Cache) (string, error) {
	f, err := profiles.Load(o.path)
	if err != nil {
		return "", err
	}
	src, ok := f.Get(profile)
	if !ok {
		return "", fmt.Errorf("no profile named %q in %s", profile, f.Path())
	}
	_, caFile := azure.FromEnvironment()
	base := profileNameFor(cache)
	name := base
	for i := 2; ; i++ {
		if _, taken := f.Get(name); !taken {
			break
		}
		name = base + "-" + strconv.Itoa(i)
	}
	p, err := azure.ProfileFor(cache, azure.ProfileOptions{Name: name, Auth: src.Auth, CAFile: caFile})
	if err != nil {
		return "", err
	}
	return name, azure.AddProfile(o.path, p)
}

// profileNameFor derives a valid profile name from a cache's name.
func profileNameFor(c azure.Cache) string {
	n := c.Name
	if c.Database != "" && c.Database != "default" {
		n += "-" + c.Database
	}
	var b strings.Builder
	for _, r := range n {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-.")
	if s == "" || profiles.ValidName(s) != nil {
		return "azure-cache"
	}
	return s
}
