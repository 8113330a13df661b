package session

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"
)

// peerClosed reports, without waiting, whether the server has closed (or reset) the idle
// connection. It asks the socket itself (a non-blocking MSG_PEEK): Go's own reads cannot,
// since a read whose deadline has passed returns a timeout without looking at the socket.
// Bytes waiting on a plain connection (a push) mean it is open; on TLS they may be a
// close_notify or a session ticket, so the TLS layer reads them, for at most a millisecond.
func (rc *rawConn) peerClosed() error {
	if rc.r.Buffered() > 0 {
		return nil
	}
	raw, isTLS := socketOf(rc.conn)
	state, err := peekSocket(raw)
	switch {
	case err != nil:
		return fmt.Errorf("the server closed the connection while it was idle (%v)", err)
	case state == socketClosed:
		return errors.New("the server closed the connection while it was idle (EOF)")
	case state == socketHasData && isTLS:
		_ = rc.conn.SetReadDeadline(time.Now().Add(time.Millisecond))
		_, err := rc.r.Peek(1)
		_ = rc.conn.SetReadDeadline(time.Time{})
		var ne net.Error
		if err != nil && !(errors.As(err, &ne) && ne.Timeout()) {
			return fmt.Errorf("the server closed the connection while it was idle (%v)", err)
		}
	}
	return nil
}

// socketOf unwraps conn (the session's tracking wrapper, TLS) down to the socket, and says
// whether TLS was on the way.
func socketOf(conn net.Conn) (raw net.Conn, isTLS bool) {
	for {
		switch c := conn.(type) {
		case *tls.Conn:
			conn, isTLS = c.NetConn(), true
		case *trackedConn:
			conn = c.Conn
		default:
			return conn, isTLS
		}
	}
}

// socketState is what a non-blocking peek found on an idle socket.
type socketState int

const (
	socketIdle    socketState = iota // nothing to read: open
	socketHasData                    // bytes waiting
	socketClosed                     // the peer sent FIN
	socketUnknown                    // not a socket the check can look at: assume open
)

// peekSocket peeks at conn's socket without blocking and without consuming anything.
func peekSocket(conn net.Conn) (socketState, error) {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return socketUnknown, nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return socketUnknown, nil
	}
	state, peekErr := socketUnknown, error(nil)
	err = raw.Read(func(fd uintptr) bool {
		state, peekErr = peekFD(fd)
		return true // never wait for readiness: the answer is wanted now
	})
	if err != nil {
		return socketUnknown, nil
	}
	return state, peekErr
}
