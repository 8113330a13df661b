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

// ExplainTLSMismatch explains err, the failure of a connection to addr, when TLS is on one
// side only. A plain-text connection that was reset or closed by a server that completes a TLS
// handshake met a server that expects TLS (it drops the first plain-text bytes it reads). A TLS
// handshake that timed out with a server that answers plain-text RESP met a server without TLS
// (it waits for the end of a "command" that never comes). Any other error comes back unchanged.
func ExplainTLSMismatch(ctx context.Context, cfg Config, addr string, err error) error {
	var not *TLSNotSpokenError
	if err == nil || errors.As(err, &not) {
		return err
	}
	if cfg.TLS {
		return explainNoTLS(addr, err)
	}
	if !droppedConnection(err) || !SpeaksTLS(ctx, addr) {
		return err
	}
	return &TLSExpectedError{Addr: addr, Err: err}
}

// explainNoTLS is ExplainTLSMismatch for a TLS connection: err, or a TLSNotSpokenError when the
// handshake timed out and addr answers plain-text RESP. It probes even when the caller's
// context has ended: that context is often the one the handshake used up.
func explainNoTLS(addr string, err error) error {
	if !timedOut(err) || !SpeaksPlainRESP(context.Background(), addr) {
		return err
	}
	return &TLSNotSpokenError{Addr: addr, Err: err}
}

// timedOut reports whether err is a deadline: a context's or a socket's.
func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// TLSNotSpokenError is a TLS handshake left unanswered by a server that speaks plain text.
// It does not unwrap to the timeout, so that callers do not report it as the open's own.
type TLSNotSpokenError struct {
	Addr string
	Err  error // how the handshake ended
}

// Reason says what happened, without the fix.
func (e *TLSNotSpokenError) Reason() string {
	return fmt.Sprintf("the server does not speak TLS: %s answers plain-text Redis and left the TLS handshake unanswered (%v)", e.Addr, e.Err)
}

func (e *TLSNotSpokenError) Error() string {
	return e.Reason() + "; turn TLS off in the profile (tls.enabled = false, or --tls=false), or use the server's TLS port " +
		"(Azure Cache for Redis: 6380; Azure Managed Redis: 10000)"
}

// SpeaksPlainRESP reports whether addr answers a plain-text PING with a RESP reply (+PONG, or
// an error such as -NOAUTH): a probe, bounded by tlsProbeTimeout. A TLS server reads the PING
// as a broken handshake and closes, or waits: either is false.
func SpeaksPlainRESP(ctx context.Context, addr string) bool {
	return probe(ctx, addr, func(_ context.Context, c net.Conn) bool {
		if _, err := io.WriteString(c, "PING\r\n"); err != nil {
			return false
		}
		var first [1]byte
		if _, err := io.ReadFull(c, first[:]); err != nil {
			return false
		}
		return first[0] == '+' || first[0] == '-'
	})
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
	return probe(ctx, addr, func(ctx context.Context, c net.Conn) bool {
		host, _, _ := net.SplitHostPort(addr)
		tc := tls.Client(c, &tls.Config{ServerName: host, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // a probe: no data is exchanged
		err := tc.HandshakeContext(ctx)
		var alert tls.AlertError
		return err == nil || errors.As(err, &alert)
	})
}

// probe opens a plain TCP connection to addr for a question asked by talk, the whole of it
// (dial, reads, writes) bounded by tlsProbeTimeout; a failed dial is false.
func probe(ctx context.Context, addr string, talk func(context.Context, net.Conn) bool) bool {
	ctx, cancel := context.WithTimeout(ctx, tlsProbeTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	return talk(ctx, c)
}
