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
}

// feed is one PubSub connection of a subscription and the goroutine reading it.
type feed struct {
	ps         *redis.PubSub
	startAfter string          // discard messages until the marker with this nonce ("" = none)
	prevDone   <-chan struct{} // the previous feed has delivered its last message
	ready      chan struct{}   // every SUBSCRIBE/PSUBSCRIBE was confirmed
	done       chan struct{}   // this feed delivers nothing more
	doneOnce   sync.Once
	mu         sync.Mutex
	stopAt     string // stop at the marker with this nonce ("" = not rotating)
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
	done := make(chan struct{})
	close(done)
	f, err := sub.start(ctx, "", done)
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
func (sub *Subscription) start(ctx context.Context, startAfter string, prevDone <-chan struct{}) (*feed, error) {
	f := &feed{ps: sub.s.psClient.Subscribe(ctx), startAfter: startAfter, prevDone: prevDone,
		ready: make(chan struct{}), done: make(chan struct{})}
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
	defer f.finish()
	forwarding := f.startAfter == ""
	confirmed := 0
	for {
		msg, err := f.ps.Receive(sub.ctx)
		if err != nil {
			if sub.ctx.Err() != nil || errors.Is(err, redis.ErrClosed) {
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
					select { // keep order: the old feed delivers first
					case <-f.prevDone:
					case <-sub.ctx.Done():
						return
					}
					forwarding = true
				}
				f.mu.Lock()
				stop := f.stopAt != "" && m.Payload == f.stopAt
				f.mu.Unlock()
				if stop {
					return
				}
				continue
			}
			if !forwarding {
				continue
			}
			select {
			case sub.out <- m:
			case <-sub.ctx.Done():
				return
			}
		}
	}
}

// rotate moves the subscription to a connection authenticated with the current token.
func (sub *Subscription) rotate(ctx context.Context) (done, failed int, err error) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.closed {
		return 0, 0, nil
	}
	old := sub.cur
	n := nonce()
	nf, err := sub.start(ctx, n, old.done)
	if err != nil {
		return 0, 1, err
	}
	old.mu.Lock()
	old.stopAt = n
	old.mu.Unlock()
	if err := sub.s.Client().Publish(ctx, sub.marker, n).Err(); err != nil {
		// Without a marker there is no exact hand-over: keep the old connection.
		old.mu.Lock()
		old.stopAt = ""
		old.mu.Unlock()
		_ = nf.ps.Close()
		return 0, 1, fmt.Errorf("publishing the pub/sub hand-over marker: %w", err)
	}
	select {
	case <-old.done:
	case <-ctx.Done(): // the old connection died or its token expired: hand over anyway
		old.finish()
	case <-sub.ctx.Done(): // closing
		_ = nf.ps.Close()
		return 0, 0, nil
	}
	_ = old.ps.Close()
	sub.cur = nf
	return 1, 0, nil
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
