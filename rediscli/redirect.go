package rediscli

import (
	"net"
	"strconv"
	"strings"
)

// MaxRedirects bounds how many MOVED/ASK redirections one command follows.
const MaxRedirects = 16

// Redirect is a cluster's MOVED or ASK error reply, parsed.
type Redirect struct {
	Ask  bool
	Slot string
	Host string
	Port int
}

// Addr is the node to go to, as host:port.
func (r Redirect) Addr() string { return net.JoinHostPort(r.Host, strconv.Itoa(r.Port)) }

// ParseRedirect reads "MOVED 3999 127.0.0.1:6381" or "ASK …"; an empty host (":6381") means
// the host of current (the connection's address), as Redis documents.
func ParseRedirect(r Reply, current string) (Redirect, bool) {
	if !r.IsError() {
		return Redirect{}, false
	}
	f := strings.Fields(r.Str)
	if len(f) != 3 || (f[0] != "MOVED" && f[0] != "ASK") {
		return Redirect{}, false
	}
	i := strings.LastIndexByte(f[2], ':')
	if i < 0 {
		return Redirect{}, false
	}
	port, err := strconv.Atoi(f[2][i+1:])
	if err != nil || port <= 0 || port > 65535 {
		return Redirect{}, false
	}
	host := f[2][:i]
	if host == "" {
		host, _, _ = net.SplitHostPort(current)
	}
	return Redirect{Ask: f[0] == "ASK", Slot: f[1], Host: host, Port: port}, true
}
