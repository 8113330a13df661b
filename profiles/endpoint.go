package profiles

import (
	"net"
	"strconv"
	"strings"
)

// Well-known ports.
const (
	// PortAMR is Azure Managed Redis's TLS port (*.redis.azure.net).
	PortAMR = 10000
	// PortACR is Azure Cache for Redis's TLS port (*.redis.cache.windows.net).
	PortACR = 6380
	// PortRedis is plain Redis's default port.
	PortRedis = 6379
)

// HostKind classifies a host by the service its name belongs to.
type HostKind int

const (
	// HostOther is any host not recognised below: port 6379; TLS on unless the host is loopback.
	HostOther HostKind = iota
	// HostAMR is an Azure Managed Redis endpoint (*.redis.azure.net).
	HostAMR
	// HostACR is an Azure Cache for Redis endpoint (*.redis.cache.windows.net).
	HostACR
	// HostLocal is localhost or a loopback address.
	HostLocal
)

// ClassifyHost says which service a host name belongs to.
func ClassifyHost(host string) HostKind {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	switch {
	case strings.HasSuffix(h, ".redis.azure.net"):
		return HostAMR
	case strings.HasSuffix(h, ".redis.cache.windows.net"):
		return HostACR
	case h == "localhost" || strings.HasSuffix(h, ".localhost"):
		return HostLocal
	}
	if ip := net.ParseIP(strings.Trim(h, "[]")); ip != nil && ip.IsLoopback() {
		return HostLocal
	}
	return HostOther
}

// Endpoint is where and how to connect once host defaults are applied.
type Endpoint struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	TLS  bool   `json:"tls"`
}

// Addr is host:port, with IPv6 hosts bracketed.
func (e Endpoint) Addr() string { return net.JoinHostPort(e.Host, strconv.Itoa(e.Port)) }

// Endpoint returns the effective host, port and TLS setting: explicit values win; otherwise
// *.redis.azure.net gets port 10000 with TLS, *.redis.cache.windows.net port 6380 with TLS,
// localhost and loopback addresses port 6379 without TLS, and any other host port 6379 with
// TLS (a remote server without TLS must say so explicitly, so credentials never travel in
// the clear by default).
func (p *Profile) Endpoint() Endpoint {
	e := Endpoint{Host: p.Host, Port: p.Port}
	kind := ClassifyHost(p.Host)
	if e.Port == 0 {
		switch kind {
		case HostAMR:
			e.Port = PortAMR
		case HostACR:
			e.Port = PortACR
		default:
			e.Port = PortRedis
		}
	}
	if p.TLS.Enabled != nil {
		e.TLS = *p.TLS.Enabled
	} else {
		e.TLS = kind != HostLocal
	}
	return e
}

func isIP(h string) bool { return net.ParseIP(h) != nil }
