package session

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// tlsProbeTimeout bounds the extra handshake ExplainTLSMismatch makes.
const tlsProbeTimeout = 3 * time.Second

// ExplainTLSMismatch explains err, the failure of a plain-text connection to addr: when the
// connection was reset or closed and addr completes a TLS handshake, the server expects TLS
// (a TLS server drops the first plain-text bytes it reads), and the error says so. Any other
// error, or one from a TLS profile, comes back unchanged.
func ExplainTLSMismatch(ctx context.Context, cfg Config, addr string, err error) error {
	if err == nil || cfg.TLS || !droppedConnection(err) {
		return err
	}
	if !SpeaksTLS(ctx, addr) {
		return err
	}
	return &TLSExpectedError{Addr: addr, Err: err}
}

// TLSExpectedError is a plain-text connection dropped by a server that speaks TLS.
type TLSExpectedError struct {
	Addr string
	Err  error // how the plain-text connection ended
}

// Reason says what happened, without the fix.
func (e *TLSExpectedError) Reason() string {
	return fmt.Sprintf("the server expects TLS: %s answers a TLS handshake and dropped the plain-text connection (%v)", e.Addr, e.Err)
}

func (e *TLSExpectedError) Error() string {
	return e.Reason() + "; turn TLS on in the profile (remove tls.enabled = false)"
}

func (e *TLSExpectedError) Unwrap() error { return e.Err }

// droppedConnection reports whether err is the peer closing or resetting the connection.
func droppedConnection(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.EPIPE) || strings.Contains(err.Error(), "connection reset")
}

// SpeaksTLS reports whether addr completes a TLS handshake. It is a probe, not a connection:
// the certificate is not checked (nothing is sent after the handshake), and a server that
// answers with a TLS alert (it wants a client certificate, say) speaks TLS too.
func SpeaksTLS(ctx context.Context, addr string) bool {
	ctx, cancel := context.WithTimeout(ctx, tlsProbeTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	defer c.Close()
	host, _, _ := net.SplitHostPort(addr)
	tc := tls.Client(c, &tls.Config{ServerName: host, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // a probe: no data is exchanged
	err = tc.HandshakeContext(ctx)
	var alert tls.AlertError
	return err == nil || errors.As(err, &alert)
}
