package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"sync/atomic"
	"syscall"
)

// dialFunc is the dialer go-redis calls for each new connection.
type dialFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// firstContact watches the dials of an open's first command: go-redis retries a failed dial
// five times 100 ms apart and the command itself three times more, so a server that is down
// took 1.3–1.9 s to say "connection refused", where redis-cli and `amr-tui exec` say it at
// once, and a TLS handshake with a server without TLS timed out five times over. A dial that
// fails for a reason no retry fixes ends the returned context with that error as its cause,
// and the command returns. Once done is called, the dialer passes every error on as before:
// the pool keeps its retries for the rest of the session (a failover, a maintenance handoff),
// where they are the point.
func firstContact(ctx context.Context, dial dialFunc, tlsOn bool) (watched context.Context, wrapped dialFunc, done func()) {
	watched, cancel := context.WithCancelCause(ctx)
	var over atomic.Bool
	wrapped = func(dctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(dctx, network, addr)
		if err == nil || over.Load() {
			return c, err
		}
		if tlsOn {
			// A handshake that timed out against a server without TLS would time out on
			// every retry: five dial timeouts, 25 s, before anything was said.
			err = explainNoTLS(addr, err)
		}
		var noTLS *TLSNotSpokenError
		if hopelessDial(err) || errors.As(err, &noTLS) {
			cancel(err)
		}
		return c, err
	}
	return watched, wrapped, func() {
		over.Store(true)
		cancel(nil)
	}
}

// firstContactErr is the error of an open's first command: the dial error that ended it early
// (see firstContact), else err.
func firstContactErr(parent, watched context.Context, err error) error {
	if parent.Err() == nil {
		if cause := context.Cause(watched); cause != nil && !errors.Is(cause, context.Canceled) {
			return cause
		}
	}
	return err
}

// hopelessDial reports whether a dial failed for a reason a retry a few hundred milliseconds
// later will not fix: nothing listens on the port, the name does not resolve, the server's
// certificate is not trusted or not for this name.
func hopelessDial(err error) bool {
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return true
	case errors.As(err, &dnsErr):
		return dnsErr.IsNotFound
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify):
		return true
	case errors.As(err, &record): // a TLS client against a plain server
		return true
	}
	return false
}
