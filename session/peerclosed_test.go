package session

import (
	"bufio"
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/emulator"
)

// peerClosed tells an idle connection the server closed from an open one, without reading
// anything a reply needs: over plain TCP and TLS, through the session's tracking wrapper.
func TestPeerClosed(t *testing.T) {
	ca, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	serverTLS, err := ca.ServerTLSConfig("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, withTLS := range []bool{false, true} {
		name := map[bool]string{false: "tcp", true: "tls"}[withTLS]
		t.Run(name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			if withTLS {
				ln = tls.NewListener(ln, serverTLS)
			}
			server := make(chan net.Conn, 1)
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				if tc, ok := c.(*tls.Conn); ok {
					_ = tc.Handshake()
				}
				server <- c
			}()
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			if withTLS {
				cfg := ca.ClientTLSConfig()
				cfg.ServerName = "127.0.0.1"
				tc := tls.Client(conn, cfg)
				if err := tc.Handshake(); err != nil {
					t.Fatal(err)
				}
				conn = tc
			}
			tracked := &trackedConn{Conn: conn}
			rc := &rawConn{conn: tracked, r: bufio.NewReader(tracked)}
			srv := <-server
			if err := rc.peerClosed(); err != nil {
				t.Fatalf("an open idle connection was taken as closed: %v", err)
			}
			if _, err := srv.Write([]byte("+pushed\r\n")); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
			if err := rc.peerClosed(); err != nil {
				t.Fatalf("a connection with a reply waiting was taken as closed: %v", err)
			}
			if line, err := rc.r.ReadString('\n'); err != nil || line != "+pushed\r\n" {
				t.Fatalf("the waiting reply was not kept whole: %q, %v", line, err)
			}
			_ = srv.Close()
			deadline := time.Now().Add(5 * time.Second)
			for rc.peerClosed() == nil {
				if time.Now().After(deadline) {
					t.Fatal("a connection the server closed is still taken as open")
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}
