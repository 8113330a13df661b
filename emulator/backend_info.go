package emulator

import (
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/alicebob/miniredis/v2/server"
)

// serverCommands answers the server-introspection commands miniredis lacks, so the demo's
// :info panel shows figures rather than errors: INFO with every section (miniredis knows only
// "clients" and "stats"), CLIENT LIST / CLIENT INFO / CLIENT ID from the connections it has
// seen, and SLOWLOG (miniredis keeps no slow log: GET is empty, LEN 0, RESET OK).
//
// The figures are the embedded backend's own; where miniredis has none (memory, ops/s), the
// field is left out rather than invented.
type serverCommands struct {
	m       *miniredis.Miniredis
	started time.Time

	mu      sync.Mutex
	nextID  int64
	clients map[*server.Peer]*clientInfo

	ksAt   time.Time // keyspace line cache: counting keys walks (and sorts) them all
	ksText string
}

type clientInfo struct {
	id      int64
	created time.Time
	last    time.Time
	cmd     string
}

// keyspaceTTL is how long a computed Keyspace section is reused.
const keyspaceTTL = 2 * time.Second

// expiresLimit bounds the keys whose TTL is looked up one by one for "expires=".
const expiresLimit = 200_000

func newServerCommands(m *miniredis.Miniredis) *serverCommands {
	return &serverCommands{m: m, started: time.Now(), clients: map[*server.Peer]*clientInfo{}}
}

// track records the connection and its command; it is called for every command.
func (s *serverCommands) track(c *server.Peer, cmd string, args []string) {
	now := time.Now()
	name := strings.ToLower(cmd)
	if len(args) > 0 && (name == "client" || name == "config" || name == "slowlog" || name == "command") {
		name += "|" + strings.ToLower(args[0])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ci, ok := s.clients[c]
	if !ok {
		s.nextID++
		ci = &clientInfo{id: s.nextID, created: now}
		s.clients[c] = ci
		c.OnDisconnect(func() {
			s.mu.Lock()
			delete(s.clients, c)
			s.mu.Unlock()
		})
	}
	ci.last, ci.cmd = now, name
}

// handle answers cmd when it is one of the commands above; it reports whether it did.
func (s *serverCommands) handle(c *server.Peer, cmd string, args []string) bool {
	switch strings.ToUpper(cmd) {
	case "INFO":
		c.WriteBulk(s.info(args))
		return true
	case "SLOWLOG":
		return s.slowlog(c, args)
	case "CLIENT":
		if len(args) == 0 {
			return false
		}
		switch strings.ToUpper(args[0]) {
		case "LIST":
			c.WriteBulk(s.clientList(nil))
			return true
		case "INFO":
			c.WriteBulk(s.clientList(c))
			return true
		case "ID":
			s.mu.Lock()
			id := s.clients[c].id
			s.mu.Unlock()
			c.WriteInt(int(id))
			return true
		}
	}
	return false
}

func (s *serverCommands) slowlog(c *server.Peer, args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch strings.ToUpper(args[0]) {
	case "GET":
		c.WriteLen(0)
	case "LEN":
		c.WriteInt(0)
	case "RESET":
		c.WriteOK()
	default:
		return false
	}
	return true
}

// clientList is CLIENT LIST, or CLIENT INFO for one connection. The backend sees the gate's
// connections, as a Redis behind AMR's proxy does, and miniredis does not know their
// addresses, so addr is left out.
func (s *serverCommands) clientList(only *server.Peer) string {
	now := time.Now()
	s.mu.Lock()
	cis := make([]*clientInfo, 0, len(s.clients))
	names := map[*clientInfo]string{}
	for p, ci := range s.clients {
		if only != nil && p != only {
			continue
		}
		cis = append(cis, ci)
		names[ci] = p.ClientName
	}
	s.mu.Unlock()
	sort.Slice(cis, func(i, j int) bool { return cis[i].id < cis[j].id })
	var b strings.Builder
	for _, ci := range cis {
		fmt.Fprintf(&b, "id=%d name=%s age=%d idle=%d db=0 user=default cmd=%s\n",
			ci.id, names[ci], int(now.Sub(ci.created).Seconds()), int(now.Sub(ci.last).Seconds()), ci.cmd)
	}
	return b.String()
}

// infoSections are INFO's sections in Redis's order, with what "default" includes.
var infoSections = []struct {
	name    string
	def     bool
	content func(*serverCommands) string
}{
	{"server", true, (*serverCommands).infoServer},
	{"clients", true, (*serverCommands).infoClients},
	{"stats", true, (*serverCommands).infoStats},
	{"replication", true, func(*serverCommands) string { return "role:master\r\nconnected_slaves:0\r\n" }},
	{"cluster", true, func(*serverCommands) string { return "cluster_enabled:0\r\n" }},
	{"keyspace", true, (*serverCommands).infoKeyspace},
}

// info is INFO [section …]: no argument, "default", "all" and "everything" give every section
// this backend has; unknown sections give nothing, as on Redis.
func (s *serverCommands) info(args []string) string {
	want := map[string]bool{}
	all := len(args) == 0
	for _, a := range args {
		switch a = strings.ToLower(a); a {
		case "default", "all", "everything":
			all = true
		default:
			want[a] = true
		}
	}
	var b strings.Builder
	for _, sec := range infoSections {
		if !all && !want[sec.name] {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString("# " + strings.ToUpper(sec.name[:1]) + sec.name[1:] + "\r\n")
		b.WriteString(sec.content(s))
	}
	return b.String()
}

func (s *serverCommands) infoServer() string {
	up := int64(time.Since(s.started).Seconds())
	return "redis_version:7.2.0\r\nredis_mode:standalone\r\nserver_name:amr-tui-emulator\r\n" +
		"executable:miniredis (embedded in amr-tui)\r\narch_bits:64\r\ngo_version:" + runtime.Version() + "\r\n" +
		"tcp_port:" + s.m.Port() + "\r\nuptime_in_seconds:" + strconv.FormatInt(up, 10) +
		"\r\nuptime_in_days:" + strconv.FormatInt(up/86400, 10) + "\r\n"
}

func (s *serverCommands) infoClients() string {
	return "connected_clients:" + strconv.Itoa(s.m.CurrentConnectionCount()) + "\r\nblocked_clients:0\r\n"
}

func (s *serverCommands) infoStats() string {
	return "total_connections_received:" + strconv.Itoa(s.m.TotalConnectionCount()) +
		"\r\ntotal_commands_processed:" + strconv.Itoa(s.m.CommandCount()) + "\r\n"
}

// infoKeyspace counts keys (and, for up to expiresLimit keys, those with a TTL) per database.
// miniredis can only list keys (sorted), so the result is reused for keyspaceTTL.
func (s *serverCommands) infoKeyspace() string {
	s.mu.Lock()
	if time.Since(s.ksAt) < keyspaceTTL {
		t := s.ksText
		s.mu.Unlock()
		return t
	}
	s.mu.Unlock()
	var b strings.Builder
	for i := range 16 {
		db := s.m.DB(i)
		keys := db.Keys()
		if len(keys) == 0 {
			continue
		}
		expires := 0
		if len(keys) <= expiresLimit {
			for _, k := range keys {
				if db.TTL(k) > 0 {
					expires++
				}
			}
		}
		fmt.Fprintf(&b, "db%d:keys=%d,expires=%d,avg_ttl=0\r\n", i, len(keys), expires)
	}
	s.mu.Lock()
	s.ksAt, s.ksText = time.Now(), b.String()
	s.mu.Unlock()
	return b.String()
}
