package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"github.com/amr-tui/amr-tui/profiles"
	"io"
	"net"
	"strings"
	"time"
)

// checkTLS runs the handshake with the settings the session dials with (TLS 1.2+, the profile's
// CAs, server name and client certificate) and explains a refused certificate by its reason.
func (r *runner) checkTLS(ctx context.Context) result {
	tc := r.cfg.TLSConfig()
	if tc == nil {
		detail := "TLS off: " + tlsOrigin(r.p)
		if isLoopback(r.cfg.Host) {
			if r.p.TLS.Enabled != nil {
				detail += " on a loopback address"
			}
			return skip(detail)
		}
		return warn(detail, "the connection is not encrypted: the token or access key crosses the network in clear text",
			"turn TLS on (remove tls.enabled = false); Azure Managed Redis and Azure Cache for Redis accept Entra ID login only over TLS")
	}
	tconn := tls.Client(r.conn, tc)
	if err := tconn.HandshakeContext(ctx); err != nil {
		return r.tlsFailure(tc, err)
	}
	r.setConn(tconn)
	st := tconn.ConnectionState()
	if len(st.PeerCertificates) == 0 {
		return fail("", "the server presented no certificate", "check that the port is the server's TLS port")
	}
	leaf := st.PeerCertificates[0]
	now := r.now()
	detail := fmt.Sprintf("%s (%s), certificate for %s, issued by %s, expires %s (%s)", tls.VersionName(st.Version), tlsOrigin(r.p),
		certNames(leaf), issuerName(leaf), leaf.NotAfter.UTC().Format(time.DateOnly), untilText(now, leaf.NotAfter))
	if tc.InsecureSkipVerify {
		cause := "certificate verification is off (tls.insecure_skip_verify = true): anyone on the path can impersonate the server"
		if err := verifyLeaf(st.PeerCertificates, tc, now); err != nil {
			cause += "; verified, it would fail: " + describeVerifyError(err, tc.ServerName)
		}
		return warn(detail, cause, "remove tls.insecure_skip_verify and trust the server's CA with tls.ca_file if it is private")
	}
	if expiresSoon(leaf, now) {
		return warn(detail, fmt.Sprintf("the server certificate expires %s", untilText(now, leaf.NotAfter)),
			"the server's certificate must be renewed soon (Azure renews its caches' certificates itself; a proxy or self-managed server needs a new one)")
	}
	return pass(detail)
}

// tlsOrigin says where the profile's TLS setting comes from: what it wrote ("tls.enabled =
// false"), or the default for its host ("default for a loopback host").
func tlsOrigin(p profiles.Profile) string {
	if p.TLS.Enabled != nil {
		return fmt.Sprintf("tls.enabled = %t", *p.TLS.Enabled)
	}
	switch profiles.ClassifyHost(p.Host) {
	case profiles.HostAMR:
		return "default for an Azure Managed Redis host"
	case profiles.HostACR:
		return "default for an Azure Cache for Redis host"
	case profiles.HostLocal:
		return "default for a loopback host"
	}
	return "default for a remote host"
}

// expiresSoon reports whether less than certExpiryWarning is left on the certificate — or, for
// a short-lived one (a day-long test certificate, a six-day ACME one), less than a third of its
// life, since those are renewed well before they expire.
func expiresSoon(c *x509.Certificate, now time.Time) bool {
	limit := min(certExpiryWarning, c.NotAfter.Sub(c.NotBefore)/3)
	return c.NotAfter.Sub(now) < limit
}

// reconnect dials the address the tcp step reached again and repeats the TLS handshake, for an
// AUTH that follows a login slow enough for the server to have dropped the first connection.
func (r *runner) reconnect(ctx context.Context) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", r.addr)
	if err != nil {
		return err
	}
	if tc := r.cfg.TLSConfig(); tc != nil {
		tconn := tls.Client(c, tc)
		if err := tconn.HandshakeContext(ctx); err != nil {
			_ = c.Close()
			return err
		}
		c = tconn
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(deadline)
	}
	_ = r.conn.Close()
	r.setConn(c)
	return nil
}

// tlsFailure words a failed handshake by its reason.
func (r *runner) tlsFailure(tc *tls.Config, err error) result {
	name := tc.ServerName
	var (
		hostErr    x509.HostnameError
		unknownCA  x509.UnknownAuthorityError
		invalid    x509.CertificateInvalidError
		recordErr  tls.RecordHeaderError
		alert      tls.AlertError
		verifyFail *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &hostErr):
		fix := "connect with a name the certificate holds"
		if names := hostErr.Certificate.DNSNames; len(names) > 0 {
			fix += fmt.Sprintf(" (host = %q)", names[0])
		}
		fix += ", or, if the server rightly presents another name (Azure Managed Redis OSS cluster nodes are advertised by IP), set tls.server_name to it"
		if r.p.TLS.ServerName != "" {
			fix = fmt.Sprintf("tls.server_name is %q: set it to a name the certificate holds, or remove it to check the host name", r.p.TLS.ServerName)
		}
		return fail("server name "+name, describeVerifyError(err, name), fix)
	case errors.As(err, &unknownCA):
		fix := "set tls.ca_file in the profile to a PEM file holding the CA that signed the server's certificate (`amr-tui profiles edit " + r.p.Name + " --ca-file FILE`)"
		if r.p.TLS.CAFile != "" {
			fix = "tls.ca_file (" + r.p.TLS.CAFile + ") does not hold the CA that signed the server's certificate: add that CA to it"
		}
		return fail("server name "+name, describeVerifyError(err, name), fix)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return fail("server name "+name, describeVerifyError(err, name),
			"the server must renew its certificate; if its dates look right, this machine's clock is wrong (now "+r.now().UTC().Format(time.RFC3339)+"): sync it")
	case errors.As(err, &verifyFail):
		return fail("server name "+name, describeVerifyError(err, name), "check the server's certificate chain")
	case errors.As(err, &recordErr):
		return fail("", "the server did not answer with TLS: this port speaks plain text",
			"use the server's TLS port (Azure Managed Redis: 10000; Azure Cache for Redis: 6380), or set tls.enabled = false for a plain-text server")
	case errors.As(err, &alert), errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		return fail("", "the server ended the handshake: "+err.Error(),
			"the server may require a client certificate (tls.cert_file and tls.key_file) or refuse this TLS version; check that the port is its TLS port")
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return fail("", fmt.Sprintf("the server did not answer the TLS handshake within %s: a plain-text Redis port waits silently for a command", r.timeout(StepTLS)),
			"use the server's TLS port (Azure Managed Redis: 10000; Azure Cache for Redis: 6380), or set tls.enabled = false for a plain-text server")
	}
	return fail("", err.Error(), "check the server's TLS settings and the profile's tls fields")
}

// describeVerifyError says why a certificate was refused, naming what the certificate holds.
func describeVerifyError(err error, name string) string {
	var (
		hostErr   x509.HostnameError
		unknownCA x509.UnknownAuthorityError
		invalid   x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &hostErr):
		return fmt.Sprintf("the certificate is for %s, not for %s", certNames(hostErr.Certificate), name)
	case errors.As(err, &unknownCA):
		issuer := "an unknown issuer"
		if unknownCA.Cert != nil {
			issuer = issuerName(unknownCA.Cert)
		}
		return fmt.Sprintf("the certificate is signed by %s, a certificate authority this machine does not trust", issuer)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		c := invalid.Cert
		return fmt.Sprintf("the certificate is valid from %s to %s only", c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
	}
	return err.Error()
}

// verifyLeaf verifies a chain as crypto/tls would, for a profile that turned verification off.
func verifyLeaf(chain []*x509.Certificate, tc *tls.Config, now time.Time) error {
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: tc.RootCAs, Intermediates: inter, DNSName: tc.ServerName, CurrentTime: now})
	return err
}

func certNames(c *x509.Certificate) string {
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, "CN="+c.Subject.CommonName+" (no subject alternative names)")
	}
	if len(names) == 0 {
		return "no name"
	}
	return strings.Join(names, ", ")
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return fmt.Sprintf("%q", c.Issuer.CommonName)
	}
	return fmt.Sprintf("%q", c.Issuer.String())
}

// untilText is a rough "in 364 days" / "expired 3 days ago".
func untilText(now, t time.Time) string {
	d := t.Sub(now)
	if d < 0 {
		return "expired " + roughDuration(-d) + " ago"
	}
	return "in " + roughDuration(d)
}

func roughDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	case d >= 2*time.Minute:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	return fmt.Sprintf("%d s", int(d/time.Second))
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
