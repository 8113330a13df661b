package emulator

import (
	"github.com/amr-tui/amr-tui/profiles"
)

// Profiles returns one connection profile per auth kind the emulator can serve, all pointing at
// the gate and trusting the demo CA, ready to be saved into a profiles file. Secrets are file:
// references to files in the demo directory, never inline. The managed-identity and CLI
// profiles also need the environment from Env.
func (d *Demo) Profiles() []profiles.Profile {
	tlsOn := !d.plain
	base := func(name, label, color string, a profiles.Auth) profiles.Profile {
		// Managed identity finds its endpoint in the environment and the CLIs own their login;
		// the other kinds talk to the fake Entra directly.
		if a.Kind != profiles.AuthManagedIdentity && a.Method != profiles.DeveloperAzureCLI && a.Method != profiles.DeveloperAzd {
			a.Authority = d.Entra.AuthorityHost()
			a.AuthorityCAFile = d.CAFile
		}
		p := profiles.Profile{
			Name: name, Label: label, Color: color,
			Host: "127.0.0.1", Port: d.GatePort(), Cluster: profiles.ClusterOff,
			TLS:  profiles.TLS{Enabled: &tlsOn},
			Auth: a,
		}
		if d.Cluster != nil {
			// As with AMR's OSS policy: the cache is reached by host name, which TLS checks on
			// every shard, while the topology names the shards by IP address; the session
			// detects the policy itself.
			p.Host, p.Cluster = "localhost", profiles.ClusterAuto
		}
		if tlsOn {
			p.TLS.CAFile = d.CAFile
		}
		return p
	}
	return []profiles.Profile{
		base("demo-sp", "Demo: service principal (client secret)", "green", profiles.Auth{
			Kind: profiles.AuthServicePrincipal, TenantID: DemoTenantID, ClientID: DemoAppClientID,
			ClientSecret: profiles.SecretRef("file:" + d.SecretFile),
		}),
		base("demo-cert", "Demo: service principal (certificate)", "cyan", profiles.Auth{
			Kind: profiles.AuthCertificate, TenantID: DemoTenantID, ClientID: DemoCertClientID,
			CertificateFile: d.CertFile,
		}),
		base("demo-mi", "Demo: user-assigned managed identity", "blue", profiles.Auth{
			Kind: profiles.AuthManagedIdentity, ClientID: DemoMIClientID,
		}),
		base("demo-mi-system", "Demo: system-assigned managed identity", "blue", profiles.Auth{
			Kind: profiles.AuthManagedIdentity,
		}),
		base("demo-cli", "Demo: developer via Azure CLI", "magenta", profiles.Auth{
			Kind: profiles.AuthDeveloper, Method: profiles.DeveloperAzureCLI, TenantID: DemoTenantID,
		}),
		base("demo-azd", "Demo: developer via Azure Developer CLI", "magenta", profiles.Auth{
			Kind: profiles.AuthDeveloper, Method: profiles.DeveloperAzd, TenantID: DemoTenantID,
		}),
		base("demo-device-code", "Demo: developer via device code", "yellow", profiles.Auth{
			Kind: profiles.AuthDeveloper, Method: profiles.DeveloperDeviceCode, TenantID: DemoTenantID,
		}),
	}
}

// WriteProfiles saves Profiles into a profiles file at path (created, 0600) and marks demo-sp as
// the last used profile.
func (d *Demo) WriteProfiles(path string) ([]string, error) {
	f, err := profiles.Load(path)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range d.Profiles() {
		if err := f.Put(p); err != nil {
			return nil, err
		}
		names = append(names, p.Name)
	}
	if err := f.SetLastUsed("demo-sp"); err != nil {
		return nil, err
	}
	return names, f.Save()
}
