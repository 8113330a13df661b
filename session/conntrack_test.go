package session

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func TestAuthPassword(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"*3\r\n$4\r\nauth\r\n$3\r\noid\r\n$5\r\ntoken\r\n", "token"},
		{"*2\r\n$4\r\nAUTH\r\n$5\r\ntoken\r\n", "token"},
		{"*5\r\n$5\r\nhello\r\n$1\r\n3\r\n$4\r\nauth\r\n$3\r\noid\r\n$5\r\ntoken\r\n", "token"},
		{"*7\r\n$5\r\nhello\r\n$1\r\n2\r\n$4\r\nauth\r\n$3\r\noid\r\n$5\r\ntoken\r\n$7\r\nsetname\r\n$1\r\nx\r\n", "token"},
		{"*2\r\n$5\r\nhello\r\n$1\r\n3\r\n", ""},
		{"*3\r\n$3\r\nset\r\n$4\r\nauth\r\n$5\r\ntoken\r\n", ""},
		{"*3\r\n$4\r\nauth\r\n$3\r\noid\r\n$9\r\ntoken\r\n", ""}, // truncated
		{"PING\r\n", ""},
	} {
		if got := string(authPassword([]byte(tc.in))); got != tc.want {
			t.Errorf("authPassword(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkAuthPasswordOnCommandWrite(b *testing.B) {
	p := []byte("*3\r\n$3\r\nset\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
	b.ReportAllocs()
	for b.Loop() {
		if authPassword(p) != nil {
			b.Fatal("matched")
		}
	}
}

// The last-resort eviction never closes a connection with a command in flight, and a write
// after it fails with an error go-redis retries (nothing was sent).
func TestEvictIfQuiet(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	reg := newRegistry()
	c := &trackedConn{Conn: a, reg: reg, dialed: time.Now()}
	reg.add(c)
	go func() { // the "server": answer each write
		buf := make([]byte, 64)
		for {
			if _, err := b.Read(buf); err != nil {
				return
			}
			if _, err := b.Write([]byte("+OK\r\n")); err != nil {
				return
			}
		}
	}()
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		t.Fatal(err)
	}
	if c.evictIfQuiet(0) {
		t.Fatal("evicted with a reply outstanding")
	}
	if _, err := c.Read(make([]byte, 16)); err != nil {
		t.Fatal(err)
	}
	if c.evictIfQuiet(time.Hour) {
		t.Fatal("evicted a connection used just now")
	}
	if !c.evictIfQuiet(0) {
		t.Fatal("not evicted although quiet")
	}
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); !errors.Is(err, io.EOF) {
		t.Fatalf("write after eviction: %v, want an io.EOF go-redis retries", err)
	}
	if len(reg.conns) != 0 {
		t.Fatal("evicted connection still registered")
	}
}
