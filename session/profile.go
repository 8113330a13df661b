package session

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/amr-tui/amr-tui/profiles"
)

// ConfigFromProfile builds a session Config from a saved profile: the effective endpoint
// (host defaults for port and TLS), TLS files (extra CAs on top of the system pool, a client
// certificate), database, cluster mode and token settings. Files are read now, so a missing
// or malformed file is reported before connecting.
func ConfigFromProfile(p profiles.Profile) (Config, error) {
	ep := p.Endpoint()
	cfg := Config{
		Host: ep.Host, Port: ep.Port, TLS: ep.TLS, DB: p.DB,
		ServerName:         p.TLS.ServerName,
		InsecureSkipVerify: p.TLS.InsecureSkipVerify,
	}
	switch p.Cluster {
	case profiles.ClusterOn:
		cfg.Cluster = ClusterOn
	case profiles.ClusterOff:
		cfg.Cluster = ClusterOff
	case profiles.ClusterAuto, "":
		cfg.Cluster = ClusterAuto
	default:
		return Config{}, fmt.Errorf("session: profile %q: unknown cluster mode %q (want auto, on or off)", p.Name, p.Cluster)
	}
	if ep.TLS && p.TLS.CAFile != "" {
		pem, err := os.ReadFile(p.TLS.CAFile)
		if err != nil {
			return Config{}, fmt.Errorf("session: profile %q: reading the CA file: %w", p.Name, err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return Config{}, fmt.Errorf("session: profile %q: the CA file %s holds no PEM certificate", p.Name, p.TLS.CAFile)
		}
		cfg.RootCAs = pool
	}
	if ep.TLS && (p.TLS.CertFile != "" || p.TLS.KeyFile != "") {
		cert, err := tls.LoadX509KeyPair(p.TLS.CertFile, p.TLS.KeyFile)
		if err != nil {
			return Config{}, fmt.Errorf("session: profile %q: loading the client certificate: %w", p.Name, err)
		}
		cfg.ClientCerts = []tls.Certificate{cert}
	}
	tc := p.Token.Config()
	cfg.Token = TokenSettings{RefreshRatio: tc.RefreshRatio, LowerRefreshBound: tc.LowerRefreshBound,
		RequestTimeout: tc.RequestTimeout}
	cfg.Retry = RetrySettings{InitialDelay: tc.RetryInitialDelay, MaxDelay: tc.RetryMaxDelay,
		Multiplier: tc.RetryBackoffMultiplier, MaxAttempts: tc.RetryMaxAttempts}
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("session: profile %q: %w", p.Name, err)
	}
	return cfg, nil
}
