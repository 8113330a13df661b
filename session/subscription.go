package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Subscription is a pub/sub subscription that survives token rotations without losing or
// repeating a message. go-redis's PubSub cannot send AUTH on its connection, so after each
// new token the session makes the new subscription before breaking the old one, under RESP2
// and RESP3 alike: it subscribes a fresh connection (authenticated with the new token) to
// the same channels plus a private marker channel, publishes a marker, delivers the old
// connection's messages up to the marker and the new one's after it, then closes the old
// connection. Both connections see every message in the same order relative to the marker,
// so the hand-over is exact.
//
// The old connection is read to its marker whatever the consumer's pace and closed there, so
// it never outlives its token (AMR would close it, and the exact hand-over would become a
// match by payload); what the consumer has not yet taken waits in memory, in order, and the
// new feed delivers nothing until it has all gone out. If the old connection breaks before
// its marker, the new one, subscribed first, holds every message since; it delivers those the
// old one did not (matched by channel and payload, see overlap), then carries on.
type Subscription struct {
	s        *Session
	channels []string
	patterns []string
	marker   string
	out      chan *redis.Message
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	mu     sync.Mutex // serialises rotate and Close
	cur    *feed
	closed bool

	beforeMarker func() // tests: runs in rotate between the new subscription and the marker
}

// feed is one PubSub connection of a subscription and the goroutine reading it.
type feed struct {
	ps         *redis.PubSub
	startAfter string // hold messages back until the marker with this nonce ("" = none)
	prev       *feed  // the feed this one takes over from (nil for the first; read goroutine only after start)
	ready      chan struct{}
	done       chan struct{} // this feed delivers nothing more
	doneOnce   sync.Once
	drained    chan struct{} // this feed reads nothing more from its connection
	handover   chan struct{} // closed when the first hand-over from this feed begins
	handOnce   sync.Once
	pending    []*redis.Message // messages before the start marker (read goroutine only)
	flushers   sync.WaitGroup   // the goroutine handing out spill

	mu       sync.Mutex
	stopAt   string           // stop at the marker with this nonce ("" = none yet)
	rotating bool             // a hand-over from this feed is under way
	log      []*redis.Message // delivered since the hand-over began
	stopped  bool             // reached its stop marker: the hand-over is exact
	died     bool             // its connection broke during the hand-over, before the marker
	spill    []*redis.Message // read, not yet taken by the consumer (see deliver)
	flushing bool             // a flushSpill goroutine is handing out spill
}

func (f *feed) finish() { f.doneOnce.Do(func() { close(f.done) }) }

// Subscribe subscribes to channels and patterns (glob patterns, PSUBSCRIBE). It returns once
// the server has confirmed every subscription, so messages published afterwards arrive.
func (s *Session) Subscribe(ctx context.Context, channels, patterns []string) (*Subscription, error) {
	if len(channels)+len(patterns) == 0 {
		return nil, errors.New("session: subscribe to at least one channel or pattern")
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	s.mu.Unlock()
	sub := &Subscription{s: s, channels: channels, patterns: patterns,
		marker: "__amr-tui:handover:" + nonce(), out: make(chan *redis.Message, 1024)}
	sub.ctx, sub.cancel = context.WithCancel(context.Background())
	f, err := sub.start(ctx, "", nil)
	if err != nil {
		sub.cancel()
		return nil, err
	}
	sub.cur = f
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = sub.Close()
		return nil, ErrClosed
	}
	s.subs[sub] = struct{}{}
	s.mu.Unlock()
	return sub, nil
}

// Messages delivers the messages in order. It is closed by Close.
func (sub *Subscription) Messages() <-chan *redis.Message { return sub.out }

// start opens a feed and waits until its subscriptions are confirmed.
func (sub *Subscription) start(ctx context.Context, startAfter string, prev *feed) (*feed, error) {
	f := &feed{ps: sub.s.psClient.Subscribe(ctx), startAfter: startAfter, prev: prev,
		ready: make(chan struct{}), done: make(chan struct{}), drained: make(chan struct{}),
		handover: make(chan struct{})}
	err := f.ps.Subscribe(ctx, append([]string{sub.marker}, sub.channels...)...)
	if err == nil && len(sub.patterns) > 0 {
		err = f.ps.PSubscribe(ctx, sub.patterns...)
	}
	if err != nil {
		_ = f.ps.Close()
		return nil, fmt.Errorf("session: subscribing: %w", explain(err))
	}
	sub.wg.Add(1)
	go sub.read(f, 1+len(sub.channels)+len(sub.patterns))
	select {
	case <-f.ready:
		return f, nil
	case <-ctx.Done():
	case <-sub.ctx.Done():
	case <-f.done:
	}
	_ = f.ps.Close()
	return nil, fmt.Errorf("session: subscribing: no confirmation from the server: %w", context.Cause(ctx))
}

// read delivers one feed's messages between its start and stop markers.
func (sub *Subscription) read(f *feed, want int) {
	defer sub.wg.Done()
	defer func() {
		close(f.drained)  // read runs once per feed
		f.flushers.Wait() // the new feed takes over once everything read here is delivered
		f.finish()
	}()
	forwarding := f.startAfter == ""
	confirmed := 0
	for {
		msg, err := f.ps.Receive(sub.ctx)
		if err != nil {
			if sub.ctx.Err() != nil {
				return
			}
			f.mu.Lock()
			rotating := f.rotating
			if rotating && !f.stopped {
				// go-redis would resubscribe with a gap; the new feed, subscribed first,
				// has what this one missed.
				f.died = true
			}
			f.mu.Unlock()
			if rotating || errors.Is(err, redis.ErrClosed) {
				return
			}
			// A broken connection: go-redis reconnects and resubscribes on the next Receive.
			if sleepCtx(sub.ctx, 50*time.Millisecond) != nil {
				return
			}
			continue
		}
		switch m := msg.(type) {
		case *redis.Subscription:
			if confirmed < want && (m.Kind == "subscribe" || m.Kind == "psubscribe") {
				confirmed++
				if confirmed == want {
					close(f.ready)
				}
			}
		case *redis.Message:
			if m.Channel == sub.marker {
				if !forwarding && m.Payload == f.startAfter {
					if !sub.takeOver(f) {
						return
					}
					forwarding = true
				}
				f.mu.Lock()
				stop := f.stopAt != "" && m.Payload == f.stopAt
				f.stopped = f.stopped || stop
				f.mu.Unlock()
				if stop {
					return
				}
				continue
			}
			if !forwarding {
				f.pending = append(f.pending, m)
				continue
			}
			if !sub.deliver(f, m) {
				return
			}
		}
	}
}

// takeOver runs when feed f reaches its start marker: it waits until the previous feed has
// delivered its last message (order), then, if that feed's connection broke before the
// marker, delivers the messages it held back that the previous feed did not deliver.
func (sub *Subscription) takeOver(f *feed) bool {
	backlog := f.pending
	f.pending = nil
	prev := f.prev
	if prev == nil {
		return true
	}
	f.prev = nil // the chain of feeds is not kept
	select {
	case <-prev.done:
	case <-sub.ctx.Done():
		return false
	}
	prev.mu.Lock()
	died, log := prev.died, prev.log
	prev.log = nil
	prev.mu.Unlock()
	if !died {
		return true // the previous feed delivered everything up to the marker
	}
	for _, m := range backlog[overlap(log, backlog):] {
		if !sub.deliver(f, m) {
			return false
		}
	}
	return true
}

// deliver sends m to the consumer, and logs it while a hand-over from f is under way. During a
// hand-over the reader never waits for the consumer: m joins f's spill, which a goroutine of
// its own hands out, so the connection is read to its marker and closed before its token
// expires. Until the spill is empty every message goes through it, in order.
func (sub *Subscription) deliver(f *feed, m *redis.Message) bool {
	f.mu.Lock()
	if f.rotating || f.flushing {
		sub.spillLocked(f, m)
		f.mu.Unlock()
		return true
	}
	f.mu.Unlock()
	select {
	case sub.out <- m:
		return true
	case <-f.handover: // a hand-over began while the consumer was behind
		f.mu.Lock()
		sub.spillLocked(f, m)
		f.mu.Unlock()
		return true
	case <-sub.ctx.Done():
		return false
	}
}

// spillLocked queues m behind f's spill (f.mu held) and starts the goroutine that hands it out.
func (sub *Subscription) spillLocked(f *feed, m *redis.Message) {
	if f.rotating {
		f.log = append(f.log, m)
	}
	f.spill = append(f.spill, m)
	if !f.flushing {
		f.flushing = true
		f.flushers.Add(1)
		go sub.flushSpill(f)
	}
}

// flushSpill hands f's spill to the consumer, in order, until it is empty.
func (sub *Subscription) flushSpill(f *feed) {
	defer f.flushers.Done()
	for {
		f.mu.Lock()
		if len(f.spill) == 0 {
			f.spill, f.flushing = nil, false
			f.mu.Unlock()
			return
		}
		m := f.spill[0]
		f.spill[0], f.spill = nil, f.spill[1:]
		f.mu.Unlock()
		select {
		case sub.out <- m:
		case <-sub.ctx.Done():
			return
		}
	}
}

// overlap is how many of the first messages held back by the new feed (held, from its
// subscription on) the old feed delivered before its connection broke (the end of log, its
// deliveries since the hand-over began, which started before the new subscription). Both
// connections see the same messages in the same order, so the overlap is the longest end of
// log that begins held. Messages are told apart only by channel, pattern and payload: when
// the last one delivered occurs more than once in held, or the match is not exact, the answer
// is 0, so a message may be delivered twice but is never dropped.
func overlap(log, held []*redis.Message) int {
	if len(log) == 0 || len(held) == 0 {
		return 0
	}
	last := log[len(log)-1]
	at := -1
	for i, m := range held {
		if sameMessage(m, last) {
			if at >= 0 {
				return 0 // ambiguous
			}
			at = i
		}
	}
	if at < 0 || at+1 > len(log) {
		return 0
	}
	for i := 0; i <= at; i++ {
		if !sameMessage(held[i], log[len(log)-1-at+i]) {
			return 0
		}
	}
	return at + 1
}

func sameMessage(a, b *redis.Message) bool {
	return a.Channel == b.Channel && a.Pattern == b.Pattern && a.Payload == b.Payload
}

// rotate moves the subscription to a connection authenticated with the current token. It
// returns once the new connection is subscribed and the marker published, or the round's ctx
// ends; the old connection is closed once it has delivered everything before the marker,
// however long that takes (the consumer may be slow), or its connection broke.
func (sub *Subscription) rotate(ctx context.Context) (done, failed int, err error) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.closed {
		return 0, 0, nil
	}
	old := sub.cur
	old.mu.Lock()
	old.rotating, old.log = true, nil
	old.mu.Unlock()
	old.handOnce.Do(func() { close(old.handover) })
	n := nonce()
	nf, err := sub.start(ctx, n, old)
	if err == nil {
		old.mu.Lock()
		old.stopAt = n
		old.mu.Unlock()
		if sub.beforeMarker != nil {
			sub.beforeMarker()
		}
		err = sub.publishMarker(ctx, n)
	}
	if err != nil {
		old.mu.Lock()
		// The marker may have gone out with its reply lost (old stopped at it), or the old
		// connection broke meanwhile: either way the new feed is the one to keep.
		keepNew := nf != nil && (old.stopped || old.died)
		if !keepNew {
			old.rotating, old.log, old.stopAt = false, nil, ""
		}
		old.mu.Unlock()
		if !keepNew {
			if nf != nil {
				_ = nf.ps.Close()
			}
			if old.died { // broke before the marker and no new feed: start over
				sub.wg.Add(1)
				go sub.revive(old)
			}
			return 0, 1, err
		}
		if !old.stopped { // old broke: the new feed needs its marker to start
			sub.wg.Add(1)
			go sub.remark(n)
		}
	}
	sub.cur = nf
	sub.wg.Add(1)
	go func() { // close the old connection when it has read its part
		defer sub.wg.Done()
		select {
		case <-old.drained:
		case <-sub.ctx.Done():
		}
		_ = old.ps.Close()
	}()
	select {
	case <-old.drained:
	case <-ctx.Done(): // the old connection is slow to reach its marker: the hand-over completes without the round
	case <-sub.ctx.Done():
	}
	return 1, 0, nil
}

// publishMarker publishes the hand-over marker with nonce n on the command pool.
func (sub *Subscription) publishMarker(ctx context.Context, n string) error {
	if err := sub.s.Client().Publish(ctx, sub.marker, n).Err(); err != nil {
		return fmt.Errorf("publishing the pub/sub hand-over marker: %w", err)
	}
	return nil
}

// remark publishes marker n until it goes out: the new feed holds every message back until
// it sees it, and the old connection is gone.
func (sub *Subscription) remark(n string) {
	defer sub.wg.Done()
	for sub.publishMarker(sub.ctx, n) != nil {
		if sleepCtx(sub.ctx, 200*time.Millisecond) != nil {
			return
		}
	}
}

// revive replaces a feed whose connection broke during a failed hand-over: messages from
// the break to the new subscription are lost (there was no other connection to hold them).
func (sub *Subscription) revive(dead *feed) {
	defer sub.wg.Done()
	for {
		ctx, cancel := context.WithTimeout(sub.ctx, 10*time.Second)
		sub.mu.Lock()
		if sub.closed || sub.cur != dead {
			sub.mu.Unlock()
			cancel()
			return
		}
		f, err := sub.start(ctx, "", nil)
		if err == nil {
			sub.cur = f
		}
		sub.mu.Unlock()
		cancel()
		if err == nil {
			_ = dead.ps.Close()
			return
		}
		if sleepCtx(sub.ctx, time.Second) != nil {
			return
		}
	}
}

// Close unsubscribes and closes the connection; Messages is closed once the readers stop.
func (sub *Subscription) Close() error {
	sub.cancel() // first: it ends a rotation in progress, which holds mu
	sub.mu.Lock()
	if sub.closed {
		sub.mu.Unlock()
		return nil
	}
	sub.closed = true
	var err error
	if sub.cur != nil {
		err = sub.cur.ps.Close()
	}
	sub.mu.Unlock()
	sub.s.mu.Lock()
	delete(sub.s.subs, sub)
	sub.s.mu.Unlock()
	sub.wg.Wait()
	close(sub.out)
	return err
}

func nonce() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
