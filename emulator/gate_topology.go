package emulator

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"sync"
)

// ClusterAddrs maps the addresses a cluster's redis-server nodes announce (127.0.0.1:<port>) to
// the addresses clients must use instead: the gates in front of them. AMR's OSS clustering policy
// works the same way — every shard sits behind its own proxy and the topology a client sees
// names the proxies, by IP address, while TLS is checked against the cache's host name.
//
// One ClusterAddrs is shared by all the gates of a cluster (GateOptions.Topology), and filled in
// as the gates start. It is safe for concurrent use.
type ClusterAddrs struct {
	mu sync.RWMutex
	m  map[string]string
}

// NewClusterAddrs returns an empty map.
func NewClusterAddrs() *ClusterAddrs { return &ClusterAddrs{m: make(map[string]string)} }

// Set makes backend (host:port, as the node announces itself) appear to clients as public.
func (a *ClusterAddrs) Set(backend, public string) {
	a.mu.Lock()
	a.m[backend] = public
	a.mu.Unlock()
}

// Lookup returns the public address of a backend node.
func (a *ClusterAddrs) Lookup(backend string) (string, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	p, ok := a.m[backend]
	return p, ok
}

// topologyKind names a reply the gate rewrites because it lists cluster nodes.
type topologyKind uint8

const (
	topoNone   topologyKind = iota
	topoSlots               // CLUSTER SLOTS
	topoShards              // CLUSTER SHARDS
	topoNodes               // CLUSTER NODES, CLUSTER REPLICAS, CLUSTER SLAVES
)

// topologyCommand tells which topology reply a request will get, if any.
func topologyCommand(cmd *command) topologyKind {
	if len(cmd.args) < 2 || !strings.EqualFold(string(cmd.args[0]), "CLUSTER") {
		return topoNone
	}
	switch strings.ToUpper(string(cmd.args[1])) {
	case "SLOTS":
		return topoSlots
	case "SHARDS":
		return topoShards
	case "NODES", "REPLICAS", "SLAVES":
		return topoNodes
	}
	return topoNone
}

// markTopology is called instead of plain forwarding for a topology request: the gate sends a
// sentinel just before it, and when the sentinel's echo comes back the very next backend frame
// is that request's reply (pub/sub pushes excepted), which pumpReplies rewrites. Inside MULTI the
// reply comes nested in EXEC's and is not rewritten; nor is one whose sentinel CLIENT REPLY SKIP
// swallowed — deviations no cluster client meets.
func (c *gateConn) markTopology(kind topologyKind) {
	c.seq++
	id := c.nonce + "-" + strconv.FormatUint(c.seq, 10)
	s := &sentinel{id: id, topology: kind, act: func(bool) []byte { return nil }}
	s.bulk = appendBulk(nil, []byte(id))
	s.subscribed = append([]byte("*2\r\n$4\r\npong\r\n"), s.bulk...)
	c.scratch = appendCommand(c.scratch[:0], []byte("PING"), []byte(id))
	c.mu.Lock()
	c.pending = append(c.pending, s)
	c.mu.Unlock()
	_, _ = c.bw.Write(c.scratch)
}

// rewriteFrame returns frame with every backend node address replaced by its gate's: in MOVED
// and ASK errors always, and in the reply a topology request announced (c.rewriteNext).
func (c *gateConn) rewriteFrame(frame []byte) []byte {
	addrs := c.g.opts.Topology
	if len(frame) == 0 {
		return frame
	}
	if frame[0] == '-' {
		return rewriteRedirect(frame, addrs)
	}
	kind := c.rewriteNext
	if kind == topoNone || frame[0] == '>' {
		return frame
	}
	c.rewriteNext = topoNone
	v, rest, ok := parseValue(frame)
	if !ok || len(rest) != 0 {
		return frame
	}
	switch kind {
	case topoSlots:
		rewriteSlots(&v, addrs)
	case topoShards:
		rewriteShards(&v, addrs)
	case topoNodes:
		rewriteNodesText(&v, addrs)
	}
	return appendValue(nil, v)
}

// rewriteRedirect rewrites "-MOVED <slot> <host:port>" and "-ASK <slot> <host:port>".
func rewriteRedirect(frame []byte, addrs *ClusterAddrs) []byte {
	if !bytes.HasPrefix(frame, []byte("-MOVED ")) && !bytes.HasPrefix(frame, []byte("-ASK ")) {
		return frame
	}
	f := strings.Fields(strings.TrimSuffix(string(frame), "\r\n"))
	if len(f) != 3 {
		return frame
	}
	pub, ok := addrs.Lookup(f[2])
	if !ok {
		return frame
	}
	return []byte(f[0] + " " + f[1] + " " + pub + "\r\n")
}

// rewriteSlots rewrites CLUSTER SLOTS: [[start, end, [ip, port, id, …], …], …].
func rewriteSlots(v *respValue, addrs *ClusterAddrs) {
	for i := range v.elems {
		r := &v.elems[i]
		for j := 2; j < len(r.elems); j++ {
			n := &r.elems[j]
			if len(n.elems) < 2 {
				continue
			}
			ip, port := &n.elems[0], &n.elems[1]
			host, p, ok := lookupHostPort(addrs, string(ip.str), string(port.str))
			if ok {
				ip.str, port.str = []byte(host), []byte(p)
			}
		}
	}
}

// rewriteShards rewrites CLUSTER SHARDS: a list of shards, each a map (RESP3) or flat
// key/value array (RESP2) whose "nodes" lists maps with "ip", "endpoint" and "port" or
// "tls-port".
func rewriteShards(v *respValue, addrs *ClusterAddrs) {
	for i := range v.elems {
		nodes := field(&v.elems[i], "nodes")
		if nodes == nil {
			continue
		}
		for j := range nodes.elems {
			n := &nodes.elems[j]
			ip, endpoint := field(n, "ip"), field(n, "endpoint")
			port := field(n, "port")
			if port == nil || string(port.str) == "0" {
				port = field(n, "tls-port")
			}
			if ip == nil || port == nil {
				continue
			}
			host, p, ok := lookupHostPort(addrs, string(ip.str), string(port.str))
			if !ok {
				continue
			}
			ip.str, port.str = []byte(host), []byte(p)
			if endpoint != nil {
				endpoint.str = []byte(host)
			}
		}
	}
}

// rewriteNodesText rewrites CLUSTER NODES text: "<id> <ip:port@cport[,hostname]> <flags> …".
func rewriteNodesText(v *respValue, addrs *ClusterAddrs) {
	if v.typ == '*' || v.typ == '~' { // CLUSTER REPLICAS in RESP3 may be an array of lines
		for i := range v.elems {
			rewriteNodesText(&v.elems[i], addrs)
		}
		return
	}
	if v.typ != '$' && v.typ != '=' && v.typ != '+' {
		return
	}
	text := string(v.str)
	prefix := ""
	if v.typ == '=' && len(text) >= 4 {
		prefix, text = text[:4], text[4:] // "txt:"
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		f := strings.SplitN(line, " ", 3)
		if len(f) < 2 {
			continue
		}
		addr, bus, _ := strings.Cut(f[1], "@")
		if pub, ok := addrs.Lookup(addr); ok {
			f[1] = pub
			if bus != "" {
				f[1] += "@" + bus
			}
			lines[i] = strings.Join(f, " ")
		}
	}
	v.str = []byte(prefix + strings.Join(lines, "\n"))
}

func lookupHostPort(addrs *ClusterAddrs, host, port string) (string, string, bool) {
	pub, ok := addrs.Lookup(net.JoinHostPort(host, port))
	if !ok {
		return "", "", false
	}
	h, p, err := net.SplitHostPort(pub)
	if err != nil {
		return "", "", false
	}
	return h, p, true
}

// field finds a key's value in a map or a flat key/value array.
func field(v *respValue, key string) *respValue {
	for i := 0; i+1 < len(v.elems); i += 2 {
		if string(v.elems[i].str) == key {
			return &v.elems[i+1]
		}
	}
	return nil
}

// respValue is one parsed reply: a line type (+ - : _ , # ( with its text in str), a bulk type
// ($ ! = with its payload in str) or an aggregate (* ~ > % | with its elements; a map's keys and
// values alternate). Re-encoding keeps every type as received.
type respValue struct {
	typ   byte
	str   []byte
	null  bool // $-1 / *-1
	elems []respValue
}

// parseValue parses one reply from b (complete, as readReply returns it).
func parseValue(b []byte) (respValue, []byte, bool) {
	i := bytes.Index(b, []byte("\r\n"))
	if i < 1 {
		return respValue{}, nil, false
	}
	v := respValue{typ: b[0]}
	line, rest := b[1:i], b[i+2:]
	switch v.typ {
	case '+', '-', ':', '_', ',', '#', '(':
		v.str = line
		return v, rest, true
	case '$', '!', '=':
		n, err := strconv.Atoi(string(line))
		if err != nil {
			return respValue{}, nil, false
		}
		if n < 0 {
			v.null = true
			return v, rest, true
		}
		if len(rest) < n+2 {
			return respValue{}, nil, false
		}
		v.str = rest[:n]
		return v, rest[n+2:], true
	case '*', '~', '>', '%', '|':
		n, err := strconv.Atoi(string(line))
		if err != nil {
			return respValue{}, nil, false
		}
		if n < 0 {
			v.null = true
			return v, rest, true
		}
		if v.typ == '%' || v.typ == '|' {
			n *= 2
		}
		v.elems = make([]respValue, 0, n)
		for range n {
			e, r, ok := parseValue(rest)
			if !ok {
				return respValue{}, nil, false
			}
			v.elems = append(v.elems, e)
			rest = r
		}
		if v.typ == '|' { // an attribute annotates the value after it: keep both
			e, r, ok := parseValue(rest)
			if !ok {
				return respValue{}, nil, false
			}
			v.elems = append(v.elems, e)
			rest = r
		}
		return v, rest, true
	}
	return respValue{}, nil, false
}

// appendValue encodes v as parseValue found it.
func appendValue(dst []byte, v respValue) []byte {
	dst = append(dst, v.typ)
	switch v.typ {
	case '$', '!', '=':
		if v.null {
			return append(dst, "-1\r\n"...)
		}
		dst = strconv.AppendInt(dst, int64(len(v.str)), 10)
		dst = append(dst, '\r', '\n')
		dst = append(dst, v.str...)
		return append(dst, '\r', '\n')
	case '*', '~', '>', '%', '|':
		if v.null {
			return append(dst, "-1\r\n"...)
		}
		n, elems := len(v.elems), v.elems
		var after []respValue
		if v.typ == '|' {
			n, elems, after = n-1, elems[:n-1], elems[n-1:]
		}
		if v.typ == '%' || v.typ == '|' {
			n /= 2
		}
		dst = strconv.AppendInt(dst, int64(n), 10)
		dst = append(dst, '\r', '\n')
		for _, e := range elems {
			dst = appendValue(dst, e)
		}
		for _, e := range after {
			dst = appendValue(dst, e)
		}
		return dst
	default:
		dst = append(dst, v.str...)
		return append(dst, '\r', '\n')
	}
}
