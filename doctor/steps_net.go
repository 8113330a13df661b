package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
)

// checkDNS resolves the host with the resolver alone, so a name that does not resolve is told
// apart from a server that does not answer.
func (r *runner) checkDNS(ctx context.Context) result {
	host := r.cfg.Host
	if ip := net.ParseIP(host); ip != nil {
		r.ips = []string{host}
		return pass(host + " is an IP address; no lookup")
	}
	res := r.opts.Resolver
	if res == nil {
		res = net.DefaultResolver
	}
	addrs, err := res.LookupHost(ctx, host)
	if err == nil && len(addrs) == 0 {
		err = &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	if err != nil {
		var de *net.DNSError
		switch {
		case errors.As(err, &de) && de.IsNotFound:
			return fail(host, fmt.Sprintf("the name %s does not exist in DNS (%v)", host, err),
				"check the profile's host: Azure Managed Redis is NAME.REGION.redis.azure.net, Azure Cache for Redis NAME.redis.cache.windows.net; "+
					"behind a private endpoint the name must resolve from this network (the privatelink DNS zone linked to it, or a hosts entry)")
		case errors.As(err, &de) && de.IsTimeout, errors.Is(err, context.DeadlineExceeded):
			return fail(host, fmt.Sprintf("no DNS answer for %s in time (%v)", host, err),
				"check this machine's DNS servers (/etc/resolv.conf, VPN) and network")
		}
		return fail(host, fmt.Sprintf("looking up %s failed: %v", host, err),
			"check this machine's DNS servers (/etc/resolv.conf, VPN) and network")
	}
	r.ips = addrs
	return pass(strings.Join(addrs, ", "))
}

// checkTCP connects to the resolved addresses in turn, as a dialer does, and keeps the first
// connection.
func (r *runner) checkTCP(ctx context.Context) result {
	var d net.Dialer
	port := strconv.Itoa(r.cfg.Port)
	var errs []string
	var firstErr error
	for _, ip := range r.ips {
		addr := net.JoinHostPort(ip, port)
		c, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			r.addr = addr
			r.setConn(c)
			return pass("connected to " + addr)
		}
		if firstErr == nil {
			firstErr = err
		}
		errs = append(errs, err.Error())
	}
	detail := net.JoinHostPort(r.cfg.Host, port)
	cause := strings.Join(errs, "\n")
	switch {
	case errors.Is(firstErr, syscall.ECONNREFUSED):
		return fail(detail, "connection refused: nothing listens on port "+port+" there ("+cause+")",
			"check the port (Azure Managed Redis: 10000; Azure Cache for Redis: 6380 with TLS, 6379 without) and that the server is running")
	case errors.Is(firstErr, context.DeadlineExceeded), isTimeout(firstErr):
		return fail(detail, "no answer to the connection attempt in time ("+cause+")",
			"a firewall, network security group or disabled public network access drops the connection: allow this machine's address, or connect through the cache's private endpoint")
	case errors.Is(firstErr, syscall.ENETUNREACH), errors.Is(firstErr, syscall.EHOSTUNREACH):
		return fail(detail, "no route to the server ("+cause+")", "check this machine's network, VPN and routes")
	}
	return fail(detail, cause, "check the host, the port and the network between this machine and the server")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
