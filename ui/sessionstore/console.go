package sessionstore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
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

// Stream implements common.Console:
//   - SUBSCRIBE and PSUBSCRIBE run on session.Subscribe, whose make-before-break hand-over
//     keeps them alive across token rotations without losing or repeating a message;
//   - SSUBSCRIBE runs on go-redis's sharded PubSub (routed by slot in a cluster): a new
//     connection after a drop authenticates with the current token and resubscribes, but a
//     message published during that gap is lost;
//   - MONITOR runs on a connection of its own, read with rediscli's raw reader so each line is
//     printed as redis-cli prints it; it is not re-authenticated, so on a token-authenticated
//     cache it ends when its token expires (the stream says so) and must be started again.
func (c *console) Stream(ctx context.Context, args []string) (common.ReplyStream, error) {
	switch strings.ToLower(args[0]) {
	case "subscribe", "psubscribe":
		return c.subscribe(ctx, args)
	case "ssubscribe":
		return c.ssubscribe(ctx, args)
	case "monitor":
		return c.monitor(ctx)
	}
	return nil, fmt.Errorf("%s does not stream", strings.ToUpper(args[0]))
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

func (c *console) subscribe(ctx context.Context, args []string) (common.ReplyStream, error) {
	if len(args) < 2 {
		return nil, wrongArgs(args[0])
	}
	pattern := strings.EqualFold(args[0], "psubscribe")
	var channels, patterns []string
	if pattern {
		patterns = args[1:]
	} else {
		channels = args[1:]
	}
	sub, err := c.s.Subscribe(ctx, channels, patterns)
	if err != nil {
		return nil, err
	}
	p := newPump(sub.Close)
	go func() {
		// The server's confirmations, as redis-cli prints them: session.Subscribe has
		// consumed the real ones (and subscribed its private hand-over channel too).
		kind := strings.ToLower(args[0])
		for i, name := range args[1:] {
			if !p.send(rediscli.Array(rediscli.Bulk(kind), rediscli.Bulk(name), rediscli.Integer(int64(i+1)))) {
				return
			}
		}
		for m := range sub.Messages() {
			if !p.send(messageReply(m)) {
				return
			}
		}
		p.fail(errors.New("the subscription was closed"))
	}()
	return p, nil
}

// messageReply is a pub/sub message as the server sends it.
func messageReply(m *redis.Message) rediscli.Reply {
	if m.Pattern != "" {
		return rediscli.Array(rediscli.Bulk("pmessage"), rediscli.Bulk(m.Pattern), rediscli.Bulk(m.Channel), rediscli.Bulk(m.Payload))
	}
	return rediscli.Array(rediscli.Bulk("message"), rediscli.Bulk(m.Channel), rediscli.Bulk(m.Payload))
}

func (c *console) ssubscribe(ctx context.Context, args []string) (common.ReplyStream, error) {
	if len(args) < 2 {
		return nil, wrongArgs(args[0])
	}
	var ps *redis.PubSub
	switch cl := c.s.Client().(type) {
	case *redis.ClusterClient:
		ps = cl.SSubscribe(ctx, args[1:]...)
	case *redis.Client:
		ps = cl.SSubscribe(ctx, args[1:]...)
	default:
		return nil, fmt.Errorf("SSUBSCRIBE is not supported on %T", cl)
	}
	rctx, cancel := context.WithCancel(context.Background())
	p := newPump(func() error { cancel(); return ps.Close() })
	go func() {
		for {
			msg, err := ps.Receive(rctx)
			if err != nil {
				if rctx.Err() != nil || errors.Is(err, redis.ErrClosed) {
					p.fail(common.ErrStreamClosed)
					return
				}
				if rerr := redis.Error(nil); errors.As(err, &rerr) {
					p.send(rediscli.Error(rerr.Error()))
					p.fail(errors.New("the server refused SSUBSCRIBE"))
					return
				}
				continue // a broken connection: go-redis reconnects and resubscribes
			}
			var r rediscli.Reply
			switch m := msg.(type) {
			case *redis.Subscription:
				r = rediscli.Array(rediscli.Bulk(m.Kind), rediscli.Bulk(m.Channel), rediscli.Integer(int64(m.Count)))
			case *redis.Message:
				r = rediscli.Array(rediscli.Bulk("smessage"), rediscli.Bulk(m.Channel), rediscli.Bulk(m.Payload))
			default:
				continue
			}
			if !p.send(r) {
				return
			}
		}
	}()
	return p, nil
}

// monitor dials the server with the session's dialer and current token, and reads MONITOR's
// lines with rediscli's reader.
func (c *console) monitor(ctx context.Context) (common.ReplyStream, error) {
	cl, ok := c.s.Client().(*redis.Client)
	if !ok {
		return nil, errors.New("MONITOR watches one server: in a cluster, run it with redis-cli on a node")
	}
	o := cl.Options()
	conn, err := o.Dialer(ctx, "tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("MONITOR: connecting: %w", err)
	}
	stopDial := context.AfterFunc(ctx, func() { _ = conn.Close() })
	rd := rediscli.NewReader(bufio.NewReader(conn))
	first, err := monitorHandshake(ctx, conn, rd, o)
	if !stopDial() || err != nil {
		_ = conn.Close()
		if err == nil {
			err = ctx.Err()
		}
		return nil, err
	}
	p := newPump(conn.Close)
	go func() {
		if !p.send(first) {
			return
		}
		for {
			r, err := rd.ReadReply()
			if err != nil {
				select {
				case <-p.done:
					p.fail(common.ErrStreamClosed)
				default:
					p.fail(fmt.Errorf("MONITOR's connection closed (%v); a token-authenticated MONITOR ends when its token expires", err))
				}
				return
			}
			if !p.send(r) {
				return
			}
		}
	}()
	return p, nil
}

// monitorHandshake authenticates, selects the database and sends MONITOR; it returns MONITOR's
// first reply (+OK) or the server's refusal as an error.
func monitorHandshake(ctx context.Context, conn net.Conn, rd *rediscli.Reader, o *redis.Options) (rediscli.Reply, error) {
	var cmds [][]string
	if o.CredentialsProviderContext != nil {
		user, pass, err := o.CredentialsProviderContext(ctx)
		if err != nil {
			return rediscli.Reply{}, err
		}
		if pass != "" {
			if user == "" {
				user = "default"
			}
			cmds = append(cmds, []string{"AUTH", user, pass})
		}
	}
	if o.DB != 0 {
		cmds = append(cmds, []string{"SELECT", strconv.Itoa(o.DB)})
	}
	cmds = append(cmds, []string{"MONITOR"})
	var r rediscli.Reply
	for _, args := range cmds {
		if err := rediscli.WriteCommand(conn, args...); err != nil {
			return r, fmt.Errorf("MONITOR: %w", err)
		}
		var err error
		if r, err = rd.ReadReply(); err != nil {
			return r, fmt.Errorf("MONITOR: %w", err)
		}
		if r.IsError() {
			return r, fmt.Errorf("%s: %s", args[0], r.Str) // never the token: only the server's words
		}
	}
	return r, nil
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
