package session

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// slowEntra delays every answer of the fake Entra by d (0: none), as `amr-tui demo fault
// entra-slow` does.
func slowEntra(e *emulator.Entra, d time.Duration) {
	for _, ep := range []emulator.Endpoint{emulator.EndpointDiscovery, emulator.EndpointToken, emulator.EndpointJWKS} {
		e.SetLatency(ep, d)
	}
}

// A slow Entra whose refresh takes longer than the per-attempt timeout but less than the
// refresh margin (the soak's entra-slow: every answer 3 s late against 20 s tokens, so a
// refresh, tenant discovery then the token request, takes 6 s against a 4 s timeout and an
// 8 s margin). The refresh must still land before the token expires: the gate closes no
// connection, and the console stream and the subscription lose no message.
//
// Before the fix every attempt was cancelled at the timeout and started over from tenant
// discovery, so none ever finished: the token expired, the gate closed every subscriber's
// connection and the messages published until the fault ended were lost.
func TestSlowEntraRefreshLandsBeforeExpiry(t *testing.T) {
	emutest.CleanAzureEnv(t)
	emutest.GuardDefaultTransport(t)
	env := startGateEnv(t)
	env.entra.SetTokenLifetime(15 * time.Second) // slack of over 2 s between refresh and expiry
	src := spSource(t, env.entra)
	s := openSession(t, env.config(t), src)
	rec := record(t, s)
	ctx := context.Background()

	// The figures the scenario depends on (the fake Entra rounds expiry down to a second).
	tok, _ := s.tm.current()
	ts, _ := s.tm.settings(tok, tok.ReceivedAt)
	const latency = 1600 * time.Millisecond
	refresh := 2 * latency // tenant discovery, then the token request
	if !(ts.RequestTimeout < refresh && refresh < ts.LowerRefreshBound) {
		t.Fatalf("scenario: a refresh of %v must be longer than the timeout %v and shorter than the margin %v",
			refresh, ts.RequestTimeout, ts.LowerRefreshBound)
	}
	t.Logf("token life %v: timeout %v, margin %v; a refresh takes %v", lifetimeOf(tok, tok.ReceivedAt).Round(time.Millisecond),
		ts.RequestTimeout.Round(time.Millisecond), ts.LowerRefreshBound.Round(time.Millisecond), refresh)

	con, err := s.Console(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer con.Close()
	var reconnects atomic.Int64
	st, _, first, err := con.Stream(ctx, []string{"SUBSCRIBE", "ch"}, StreamOptions{OnReconnect: func(error) { reconnects.Add(1) }})
	if err != nil || first.IsError() {
		t.Fatalf("Stream: %v %v", first, err)
	}
	defer st.Close()
	sub, err := s.Subscribe(ctx, []string{"ch"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	streamGot := make(chan int64, 1<<16)
	go func() {
		defer close(streamGot)
		for {
			r, err := st.Next(ctx)
			if err != nil {
				return
			}
			if n, ok := streamNumber("SUBSCRIBE", r); ok {
				streamGot <- n
			}
		}
	}()

	// The publisher goes straight to the backend, as the soak's does: Entra never slows it.
	backend := redis.NewClient(&redis.Options{Addr: env.redis.Addr, Protocol: 2, DisableIdentity: true})
	defer backend.Close()
	pctx, stop := context.WithCancel(ctx)
	var sent atomic.Int64
	pubDone := make(chan struct{})
	go func() {
		defer close(pubDone)
		for i := 1; pctx.Err() == nil; i++ {
			if err := backend.Publish(ctx, "ch", strconv.Itoa(i)).Err(); err != nil {
				t.Errorf("publishing %d: %v", i, err)
				return
			}
			sent.Store(int64(i))
			time.Sleep(5 * time.Millisecond)
		}
	}()

	slowEntra(env.entra, latency)
	ev, _ := rec.wait(t, 30*time.Second, 0, func(e Event) bool {
		_, expired := e.(TokenExpired)
		rd, done := e.(ReauthDone)
		return expired || done && rd.Generation >= 2
	})
	slowEntra(env.entra, 0)
	stop()
	<-pubDone
	last := sent.Load()
	if _, expired := ev.(TokenExpired); expired {
		t.Errorf("the token expired before a refresh against the slow Entra finished; events: %s", describe(rec.all()))
	}

	var streamSeq, subSeq []int64
	for end := time.After(10 * time.Second); int64(len(streamSeq)) < last || int64(len(subSeq)) < last; {
		select {
		case n, ok := <-streamGot:
			if !ok {
				t.Fatalf("the stream ended after %d of %d messages", len(streamSeq), last)
			}
			streamSeq = append(streamSeq, n)
		case m := <-sub.Messages():
			n, _ := strconv.ParseInt(m.Payload, 10, 64)
			subSeq = append(subSeq, n)
		case <-end:
			t.Fatalf("received %d (stream) and %d (subscription) of %d messages; stream reconnects %d; gate closed %d for expiry",
				len(streamSeq), len(subSeq), last, reconnects.Load(), env.gate.Stats().ClosedForExpiry)
		}
	}
	checkSequence(t, streamSeq, last)
	checkSequence(t, subSeq, last)
	gs := env.gate.Stats()
	t.Logf("%d messages; Entra requests: discovery %d, token %d; stream reconnects %d; gate closed %d for expiry",
		last, env.entra.Requests(emulator.EndpointDiscovery), env.entra.Requests(emulator.EndpointToken), reconnects.Load(), gs.ClosedForExpiry)
	if gs.ClosedForExpiry != 0 {
		t.Errorf("the gate closed %d connections for an expired token", gs.ClosedForExpiry)
	}
	if reconnects.Load() != 0 {
		t.Errorf("the stream reconnected %d times", reconnects.Load())
	}
}

// When a refresh takes longer than the margin (each Entra answer later than a fifth of the
// token's life), the token expires first and the gate closes the subscribers' connections:
// what is published from then until a connection is subscribed again is lost, and nothing
// else. The stream keeps its connection until the gate closes it (the client's own expiry
// closes nothing), reconnects once the new token arrives and delivers everything after, in
// order and once.
func TestSlowerEntraThanMarginLosesOnlyTheGap(t *testing.T) {
	emutest.CleanAzureEnv(t)
	emutest.GuardDefaultTransport(t)
	env := startGateEnv(t)
	env.entra.SetTokenLifetime(10 * time.Second)
	src := spSource(t, env.entra)
	s := openSession(t, env.config(t), src)
	rec := record(t, s)
	ctx := context.Background()
	tok, _ := s.tm.current()
	ts, _ := s.tm.settings(tok, tok.ReceivedAt)
	const latency = 2500 * time.Millisecond
	if 2*latency <= ts.LowerRefreshBound+ts.LowerRefreshBound/4 {
		t.Fatalf("scenario: a refresh of %v must outlast the margin %v with its jitter", 2*latency, ts.LowerRefreshBound)
	}

	con, err := s.Console(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer con.Close()
	var reconnects atomic.Int64
	st, _, first, err := con.Stream(ctx, []string{"SUBSCRIBE", "ch"}, StreamOptions{OnReconnect: func(error) { reconnects.Add(1) }})
	if err != nil || first.IsError() {
		t.Fatalf("Stream: %v %v", first, err)
	}
	defer st.Close()
	type got struct {
		n  int64
		at time.Time
	}
	streamGot := make(chan got, 1<<16)
	go func() {
		defer close(streamGot)
		for {
			r, err := st.Next(ctx)
			if err != nil {
				return
			}
			if n, ok := streamNumber("SUBSCRIBE", r); ok {
				streamGot <- got{n, time.Now()}
			}
		}
	}()
	backend := redis.NewClient(&redis.Options{Addr: env.redis.Addr, Protocol: 2, DisableIdentity: true})
	defer backend.Close()
	pctx, stop := context.WithCancel(ctx)
	var sent atomic.Int64
	var pubMu sync.Mutex
	// Message i+1 reached the server between sentAt[i] (PUBLISH written) and pubAt[i] (its
	// answer read): lost before expiry is judged by the latter, lost after the reconnect by
	// the former (a busy machine reads an answer late).
	var pubAt, sentAt []time.Time
	pubDone := make(chan struct{})
	go func() {
		defer close(pubDone)
		for i := 1; pctx.Err() == nil; i++ {
			sending := time.Now()
			if err := backend.Publish(ctx, "ch", strconv.Itoa(i)).Err(); err != nil {
				t.Errorf("publishing %d: %v", i, err)
				return
			}
			pubMu.Lock()
			pubAt, sentAt = append(pubAt, time.Now()), append(sentAt, sending)
			pubMu.Unlock()
			sent.Store(int64(i))
			time.Sleep(5 * time.Millisecond)
		}
	}()

	slowEntra(env.entra, latency)
	_, i := rec.wait(t, 30*time.Second, 0, isType[TokenExpired])
	expiredAt := rec.all()[i].(TokenExpired).At.Time
	_, i = rec.wait(t, 30*time.Second, i, isType[TokenAcquired])
	slowEntra(env.entra, 0)
	rec.wait(t, 30*time.Second, i, isType[ReauthDone])
	for end := time.Now().Add(10 * time.Second); reconnects.Load() == 0 && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	reconnectedAt := time.Now() // no later than the reconnect
	time.Sleep(200 * time.Millisecond)
	stop()
	<-pubDone
	last := sent.Load()

	var seq []got
	for end := time.After(10 * time.Second); len(seq) == 0 || seq[len(seq)-1].n < last; {
		select {
		case g, ok := <-streamGot:
			if !ok {
				t.Fatalf("the stream ended after %d messages", len(seq))
			}
			seq = append(seq, g)
		case <-end:
			t.Fatalf("received %d messages, the last %v; published %d", len(seq), seq[len(seq)-1], last)
		}
	}
	// One gap at most, and no repeat or reordering.
	gaps := 0
	var gapFrom, gapTo int64
	for k := 1; k < len(seq); k++ {
		switch d := seq[k].n - seq[k-1].n; {
		case d <= 0:
			t.Fatalf("message %d after %d: repeated or out of order", seq[k].n, seq[k-1].n)
		case d > 1:
			gaps++
			gapFrom, gapTo = seq[k-1].n+1, seq[k].n-1
		}
	}
	if seq[0].n != 1 || gaps > 1 {
		t.Fatalf("first message %d, %d gaps: more than the one at expiry was lost", seq[0].n, gaps)
	}
	pubMu.Lock()
	defer pubMu.Unlock()
	if gaps == 1 {
		// The client's expiry is no later than the gate's: the connection was still open then.
		if lost := pubAt[gapFrom-1]; lost.Before(expiredAt) {
			t.Errorf("message %d, published before the token expired, was lost", gapFrom)
		}
		if lost := sentAt[gapTo-1]; lost.After(reconnectedAt) {
			t.Errorf("message %d, published after the stream reconnected, was lost", gapTo)
		}
	}
	t.Logf("lost %d–%d (%d messages) of %d; reconnects %d; gate closed %d for expiry", gapFrom, gapTo, gapTo-gapFrom+1, last,
		reconnects.Load(), env.gate.Stats().ClosedForExpiry)
}
