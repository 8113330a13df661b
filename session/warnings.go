package session

import (
	"fmt"

	"github.com/amr-tui/amr-tui/profiles"
)

// TLSWarning is the one-line warning every surface shows for a profile that weakens TLS, as
// the TUI's header does with "⚠ TLS NOT VERIFIED": "" for a verified connection, and for TLS
// off on a loopback host (the default there, nothing crosses a network).
func TLSWarning(p profiles.Profile) string {
	ep := p.Endpoint()
	switch {
	case ep.TLS && p.TLS.InsecureSkipVerify:
		return fmt.Sprintf("⚠ TLS NOT VERIFIED: profile %q skips certificate verification (tls.insecure_skip_verify = true); anyone on the path to %s can impersonate the server", p.Name, ep.Addr())
	case !ep.TLS && profiles.ClassifyHost(p.Host) != profiles.HostLocal:
		return fmt.Sprintf("⚠ TLS OFF: profile %q sends its credentials and data to %s in clear text (tls.enabled = false)", p.Name, ep.Addr())
	}
	return ""
}
