package sessionstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

var _ common.ConsoleOpener = (*Store)(nil)

// OpenConsole implements common.ConsoleOpener on the session's dedicated console connection
// (session.Console): SELECT and MULTI persist between commands, and a new token reaches it
// between two commands.
func (s *Store) OpenConsole(ctx context.Context) (common.Console, error) {
	if s.sess == nil {
		return nil, errors.New("the console needs a session (this store was built over a bare client)")
	}
	c, err := s.sess.Console(ctx)
	if err != nil {
		return nil, err
	}
	return &console{s: s.sess, c: c}, nil
}

type console struct {
	s *session.Session
	c *session.Console
}

// Do implements common.Console. session.Console reads the raw reply, so it prints exactly as
// redis-cli prints it (RESP2 until the user sends HELLO 3, as redis-cli without -3); in a
// cluster it follows MOVED and ASK as redis-cli -c does. The key-less commands that concern
// every node of a cluster are sent to each primary instead, as `redis-cli --cluster call`.
func (c *console) Do(ctx context.Context, args []string) (rediscli.Reply, error) {
	if cc, ok := c.s.Client().(*redis.ClusterClient); ok && fansOut(args) {
		return callMasters(ctx, cc, args)
	}
	return c.c.Do(ctx, args...)
}

// Close implements common.Console.
func (c *console) Close() error { return c.c.Close() }

// Stream implements common.Console. SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and MONITOR run on the
// console's own connection through session.Console.Stream, which renews the token in place
// (AUTH on the streaming connection) and replaces a connection that breaks (a server restart,
// a closed connection) by dialling again and resending the command: no message is lost to a
// token rotation; a message published while no connection was subscribed (during a restart)
// is lost, and the stream says when that happened. Closing the stream closes the console's
// connection: the next command dials a new one. On a cluster, MONITOR watches every primary
// (monitorCluster).
func (c *console) Stream(ctx context.Context, args []string) (common.ReplyStream, error) {
	if !session.IsStreaming(args) {
		return nil, fmt.Errorf("%s does not stream", strings.ToUpper(args[0]))
	}
	if strings.EqualFold(args[0], "monitor") {
		if cc, ok := c.s.Client().(*redis.ClusterClient); ok {
			return monitorCluster(ctx, c.s, cc)
		}
	}
	return streamOn(ctx, c.c, args, "")
}

// streamOn starts args on con and pumps its replies; tag, when set, prefixes every MONITOR
// line with the node it came from.
func streamOn(ctx context.Context, con *session.Console, args []string, tag string) (*pump, error) {
	var p *pump
	notes := make(chan rediscli.Reply, 16)
	st, pushes, first, err := con.Stream(ctx, args, session.StreamOptions{OnReconnect: func(cause error) {
		select { // from the stream's goroutine: never block it
		case notes <- rediscli.Status(reconnectNote(args, tag, cause)):
		default:
		}
	}})
	if err != nil {
		return nil, err
	}
	if first.IsError() {
		return nil, errors.New(first.Str)
	}
	p = newPump(st.Close)
	go func() {
		for _, r := range append(pushes, first) {
			if !p.send(tagged(r, tag)) {
				return
			}
		}
		for {
			r, err := st.Next(context.Background())
			select {
			case n := <-notes:
				if !p.send(n) {
					return
				}
			default:
			}
			if err != nil {
				if errors.Is(err, session.ErrClosed) {
					err = common.ErrStreamClosed
				}
				p.fail(err)
				return
			}
			if !p.send(tagged(r, tag)) {
				return
			}
		}
	}()
	return p, nil
}

// reconnectNote is the line shown when a stream's connection broke and a new one carries it.
func reconnectNote(args []string, tag string, cause error) string {
	where := ""
	if tag != "" {
		where = " on " + tag
	}
	return fmt.Sprintf("-- %s%s: the connection broke (%v) and was replaced; anything sent while none was open is missing --",
		strings.ToUpper(args[0]), where, cause)
}

// tagged prefixes a MONITOR line (a status) with its node.
func tagged(r rediscli.Reply, tag string) rediscli.Reply {
	if tag != "" && r.Kind == rediscli.KindStatus {
		r.Str = "[" + tag + "] " + r.Str
	}
	return r
}

// pump is a bounded buffer of replies filled by one goroutine; Next drains it.
type pump struct {
	ch   chan rediscli.Reply
	done chan struct{} // closed by Close
	once sync.Once
	mu   sync.Mutex
	err  error // why the producer stopped
	stop func() error
}

// pumpBuffer bounds the replies waiting for the UI; a producer waits when it is full.
const pumpBuffer = 1024

func newPump(stop func() error) *pump {
	return &pump{ch: make(chan rediscli.Reply, pumpBuffer), done: make(chan struct{}), stop: stop}
}

// send queues r; false once the stream is closed.
func (p *pump) send(r rediscli.Reply) bool {
	select {
	case p.ch <- r:
		return true
	case <-p.done:
		return false
	}
}

// fail ends the stream with err after the replies already queued.
func (p *pump) fail(err error) {
	p.mu.Lock()
	p.err = err
	p.mu.Unlock()
	close(p.ch)
}

// Next implements common.ReplyStream.
func (p *pump) Next(ctx context.Context, max int) ([]rediscli.Reply, error) {
	var out []rediscli.Reply
	select {
	case r, ok := <-p.ch:
		if !ok {
			return nil, p.why()
		}
		out = append(out, r)
	case <-p.done:
		return nil, common.ErrStreamClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for len(out) < max {
		select {
		case r, ok := <-p.ch:
			if !ok {
				return out, nil // the error comes with the next call
			}
			out = append(out, r)
		default:
			return out, nil
		}
	}
	return out, nil
}

func (p *pump) why() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		return common.ErrStreamClosed
	}
	return p.err
}

// Close implements common.ReplyStream.
func (p *pump) Close() error {
	var err error
	p.once.Do(func() {
		close(p.done)
		err = p.stop()
	})
	return err
}

func anyArgs(args []string) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
	}
	return out
}

func wrongArgs(name string) error {
	return fmt.Errorf("ERR wrong number of arguments for '%s' command", strings.ToLower(name))
}
