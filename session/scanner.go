package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"unsafe"
)

// Scanner walks the keyspace of a standalone endpoint with SCAN on a dedicated connection that
// speaks RESP itself. A key browser's scan is a long chain of dependent round trips (each
// step needs the previous cursor), so the client's cost per step decides its speed at a small
// COUNT: go-redis's generic command and reply machinery, pool checkout and one string per key
// cost more than the step's own work. The Scanner writes SCAN from a reused buffer, parses the
// reply straight off a bufio.Reader, and returns a step's keys as slices of one string.
//
// Its connection is dialled like a console's (same dialer, TLS and registry, counted under
// Connections.Console), authenticates with the session's current token, and is re-AUTHed by
// every re-AUTH round between two SCAN steps. A broken or cancelled connection is closed and
// the next step dials a new one; a step that finds its idle connection dead is sent again on
// a new one. SCAN cursors are not tied to a connection, so the walk continues where it was.
type Scanner struct {
	rawConn
	mu sync.Mutex // one step or one re-AUTH at a time

	kbuf   []byte // the cursor's bytes
	klen   []int
	kwant  int // the key bytes of the last step: the next step's buffer is sized from it
	closed bool

	prefetch bool         // send the next step as soon as a reply's cursor is read
	pending  *pendingStep // the step sent ahead, whose reply is the next on the connection
	nbuf     []byte       // the step sent ahead, encoded
}

// pendingStep is a SCAN sent before it was asked for (see SetPrefetch).
type pendingStep struct {
	cursor     uint64
	match, typ string
	count      int64
}

// answers reports whether the step sent ahead is the one asked for. Its COUNT may differ: COUNT
// only sizes a step, so the reply is still that cursor's next step (a load of every key raises
// COUNT between two steps).
func (p *pendingStep) answers(cursor uint64, match, typ string) bool {
	return p != nil && p.cursor == cursor && p.match == match && p.typ == typ
}

// ErrClusterScanner is returned by Session.Scanner on a cluster session: a cluster's keyspace
// is walked per primary through the pooled cluster client instead.
var ErrClusterScanner = errors.New("session: the dedicated SCAN connection is for standalone endpoints; scan a cluster per primary")

// Scanner returns a new Scanner; it dials on its first step.
func (s *Session) Scanner() (*Scanner, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if s.cluster {
		return nil, ErrClusterScanner
	}
	sc := &Scanner{rawConn: rawConn{s: s, what: "SCAN"}}
	s.scanners[sc] = struct{}{}
	return sc, nil
}

// Warm dials the scanner's connection in the background, so that its first step finds it
// ready: the dial (a TCP and TLS handshake, AUTH, SELECT) overlaps what the caller does before
// it scans — on a remote endpoint a few round trips off the first keys. A dial that fails is
// forgotten (the first step dials again and reports its own error); closing the session
// cancels one in progress.
func (sc *Scanner) Warm() {
	go func() {
		sc.mu.Lock()
		defer sc.mu.Unlock()
		if sc.closed || sc.conn != nil {
			return
		}
		sc.s.mu.Lock()
		ctx := sc.s.ctx
		sc.s.mu.Unlock()
		if ctx == nil || ctx.Err() != nil {
			return
		}
		_ = sc.dial(ctx)
	}()
}

// SetPrefetch turns sending ahead on or off. On, a step writes the next SCAN the moment its
// reply's cursor has been read, before the keys are parsed, so the server computes the next
// step while the client parses this one and hands it on: a walk of the whole keyspace is a
// chain of dependent round trips, and this keeps the server busy through the client's share of
// each. The step sent ahead is answered by the next Scan at that cursor (same MATCH and TYPE);
// any other Scan or a re-AUTH first reads and drops its reply (Close just closes), so a walk
// abandoned midway costs the server one step more. Off (the default) every Scan is one round trip.
func (sc *Scanner) SetPrefetch(on bool) {
	sc.mu.Lock()
	sc.prefetch = on
	sc.mu.Unlock()
}

// Scan runs one step: SCAN cursor [MATCH match] COUNT count [TYPE typ]. An empty match or a
// count <= 0 is left out (the server's defaults: every key, 10). It returns the step's keys
// and the next cursor (0 when the walk is complete). The keys share one backing string.
// When ctx ends mid-step the connection is closed (its reply is lost) and ctx's error returned.
func (sc *Scanner) Scan(ctx context.Context, cursor uint64, match string, count int64, typ string) ([]string, uint64, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return nil, 0, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	reused := sc.conn != nil
	keys, next, err := sc.step(ctx, cursor, match, count, typ)
	var re replyError
	if err != nil && reused && ctx.Err() == nil && !errors.As(err, &re) {
		// The idle connection died with the server (a restart, a failover, an idle timeout):
		// the first step after "connection restored" used to fail with EOF. SCAN changes
		// nothing, so the step is sent once more on a new connection.
		keys, next, err = sc.step(ctx, cursor, match, count, typ)
	}
	if err != nil {
		return nil, 0, err
	}
	return keys, next, nil
}

// step sends one SCAN, dialling first when there is no connection, or reads the reply of the
// step sent ahead when that is the one asked for.
func (sc *Scanner) step(ctx context.Context, cursor uint64, match string, count int64, typ string) ([]string, uint64, error) {
	if sc.conn == nil {
		sc.pending = nil
		if err := sc.dial(ctx); err != nil {
			return nil, 0, err
		}
	}
	sc.wbuf = sc.wbuf[:0] // empty: roundTrip only reads (the step was sent ahead)
	if p := sc.pending; !p.answers(cursor, match, typ) {
		if err := sc.dropPending(ctx); err != nil {
			return nil, 0, err
		}
		sc.wbuf = appendScan(sc.wbuf, cursor, match, count, typ)
	}
	sc.pending = nil
	var (
		keys []string
		next uint64
	)
	err := sc.roundTrip(ctx, true, func() error {
		var err error
		keys, next, err = sc.readScanReply(sc.prefetch, match, count, typ)
		return err
	})
	return keys, next, err
}

// dropPending reads and drops the reply of a step sent ahead that nobody asked for. Its error
// reply (an ACL change, say) answered a question nobody asked either, and is dropped too.
func (sc *Scanner) dropPending(ctx context.Context) error {
	if sc.pending == nil {
		return nil
	}
	sc.pending = nil
	if sc.conn == nil { // the connection was lost, and the step with it
		return nil
	}
	sc.wbuf = sc.wbuf[:0]
	err := sc.roundTrip(ctx, true, func() error {
		_, _, err := sc.readScanReply(false, "", 0, "")
		return err
	})
	var re replyError
	if errors.As(err, &re) {
		return nil
	}
	return err
}

// sendAhead writes the step after the one being read, from the cursor its reply just gave.
func (sc *Scanner) sendAhead(next uint64, match string, count int64, typ string) error {
	sc.nbuf = appendScan(sc.nbuf[:0], next, match, count, typ)
	if _, err := sc.conn.Write(sc.nbuf); err != nil {
		return err
	}
	sc.pending = &pendingStep{cursor: next, match: match, count: count, typ: typ}
	return nil
}

// reauth sends AUTH on the scanner's connection, between two steps (see Console.reauth).
func (sc *Scanner) reauth(ctx context.Context) (done, failed int, err error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return 0, 0, nil
	}
	// The AUTH reply comes after the reply of a step sent ahead: that one is dropped first.
	if err := sc.dropPending(ctx); err != nil {
		return 0, 0, nil // the connection is gone, and with it the token to move
	}
	// A lost connection needs no report: SCAN cursors outlive it.
	done, failed, _, err = sc.rawConn.reauth(ctx)
	return done, failed, err
}

// Close releases the scanner's connection.
func (sc *Scanner) Close() error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return nil
	}
	sc.closed = true
	sc.s.mu.Lock()
	delete(sc.s.scanners, sc)
	sc.s.mu.Unlock()
	sc.drop()
	return nil
}

func appendScan(b []byte, cursor uint64, match string, count int64, typ string) []byte {
	n := 2
	if match != "" {
		n += 2
	}
	if count > 0 {
		n += 2
	}
	if typ != "" {
		n += 2
	}
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, "\r\n$4\r\nSCAN\r\n"...)
	var num [20]byte
	cur := strconv.AppendUint(num[:0], cursor, 10)
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(cur)), 10)
	b = append(b, '\r', '\n')
	b = append(b, cur...)
	b = append(b, '\r', '\n')
	if match != "" {
		b = appendBulk(appendBulk(b, "MATCH"), match)
	}
	if count > 0 {
		cnt := strconv.AppendInt(num[:0], count, 10)
		b = append(b, "$5\r\nCOUNT\r\n$"...)
		b = strconv.AppendInt(b, int64(len(cnt)), 10)
		b = append(b, '\r', '\n')
		b = append(b, cnt...)
		b = append(b, '\r', '\n')
	}
	if typ != "" {
		b = appendBulk(appendBulk(b, "TYPE"), typ)
	}
	return b
}

// header reads a line of the given type ('*' or '$') and returns its length; an error reply
// is returned as replyError.
func (sc *Scanner) header(kind byte) (int, error) {
	l, err := sc.line()
	if err != nil {
		return 0, err
	}
	if l[0] == '-' {
		return 0, replyError(l[1:])
	}
	if l[0] != kind {
		return 0, fmt.Errorf("%w %q", errProtocol, l)
	}
	n, err := strconv.Atoi(string(l[1:]))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w %q", errProtocol, l)
	}
	return n, nil
}

// bulk appends the next bulk string's bytes to b.
func (sc *Scanner) bulk(b []byte) ([]byte, error) {
	n, err := sc.header('$')
	if err != nil {
		return b, err
	}
	start := len(b)
	b = slices.Grow(b, n+2)[:start+n+2]
	if _, err := io.ReadFull(sc.r, b[start:]); err != nil {
		return b[:start], err
	}
	if b[start+n] != '\r' || b[start+n+1] != '\n' {
		return b[:start], errProtocol
	}
	return b[:start+n], nil
}

// readScanReply parses *2 [cursor, [key…]]. With ahead, the step after it (same match, count
// and typ) is written as soon as the cursor is known, unless the walk ends there.
func (sc *Scanner) readScanReply(ahead bool, match string, count int64, typ string) ([]string, uint64, error) {
	n, err := sc.header('*')
	if err != nil {
		return nil, 0, err
	}
	if n != 2 {
		return nil, 0, fmt.Errorf("%w: SCAN reply of %d elements", errProtocol, n)
	}
	if sc.kbuf, err = sc.bulk(sc.kbuf[:0]); err != nil {
		return nil, 0, err
	}
	next, err := strconv.ParseUint(string(sc.kbuf), 10, 64)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: SCAN cursor %q", errProtocol, sc.kbuf)
	}
	if ahead && next != 0 {
		if err := sc.sendAhead(next, match, count, typ); err != nil {
			return nil, 0, err
		}
	}
	k, err := sc.header('*')
	if err != nil {
		return nil, 0, err
	}
	if k == 0 {
		return nil, next, nil
	}
	// The keys are read into a buffer of their own, sized from the last step, which the
	// returned strings then share and nothing writes again: one copy out of the reader,
	// where a reused buffer needed a second into a string (a load of every key moves all
	// of their bytes once more for it).
	all := make([]byte, 0, sc.kwant+sc.kwant/8+k*4)
	sc.klen = sc.klen[:0]
	for range k {
		before := len(all)
		if all, err = sc.bulk(all); err != nil {
			return nil, 0, err
		}
		sc.klen = append(sc.klen, len(all)-before)
	}
	sc.kwant = len(all)
	keys := make([]string, k)
	off := 0
	for i, l := range sc.klen {
		if l > 0 {
			keys[i] = unsafe.String(&all[off], l)
		}
		off += l
	}
	return keys, next, nil
}
