package session

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

// handoverEnv is a subscription on a real redis-server with a token that outlives the test,
// so the only rotations are the ones the test makes by calling rotate itself.
func handoverEnv(t *testing.T) (*aclRedis, *Session, *Subscription) {
	t.Helper()
	r := startACLRedis(t)
	src := newACLSource(t, r, time.Hour)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	sub, err := s.Subscribe(context.Background(), []string{"ho"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Close() })
	return r, s, sub
}

// publishN publishes the numbers from..to on channel ho, in order, pipelined.
func publishN(t *testing.T, s *Session, from, to int) {
	t.Helper()
	ctx := context.Background()
	for i := from; i <= to; i += 200 {
		p := s.Client().Pipeline()
		for j := i; j <= min(to, i+199); j++ {
			p.Publish(ctx, "ho", strconv.Itoa(j))
		}
		if _, err := p.Exec(ctx); err != nil {
			t.Fatalf("publishing: %v", err)
		}
	}
}

// collect reads n messages (or fewer after 5 s) from the subscription.
func collect(t *testing.T, sub *Subscription, n int) []int64 {
	t.Helper()
	var got []int64
	timeout := time.After(5 * time.Second)
	for len(got) < n {
		select {
		case m := <-sub.Messages():
			v, _ := strconv.ParseInt(m.Payload, 10, 64)
			got = append(got, v)
		case <-timeout:
			return got
		}
	}
	// Anything more is a repeat.
	select {
	case m := <-sub.Messages():
		v, _ := strconv.ParseInt(m.Payload, 10, 64)
		got = append(got, v)
	case <-time.After(200 * time.Millisecond):
	}
	return got
}

// A re-AUTH round whose deadline passes while the old connection still has messages to
// deliver before the hand-over marker (a slow consumer, a busy machine) must not cut it
// short: TestGateRotationSoak lost and repeated messages this way ("message 7443 is 7445").
// The consumer here reads nothing until the round's deadline has passed.
func TestSubscriptionHandoverOutlastsRoundDeadline(t *testing.T) {
	_, s, sub := handoverEnv(t)
	publishN(t, s, 1, 3000) // more than the subscription's buffer holds: the old feed blocks
	time.Sleep(100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	rotated := make(chan error, 1)
	go func() {
		_, _, err := sub.rotate(ctx)
		rotated <- err
	}()
	time.Sleep(300 * time.Millisecond) // the round's deadline has passed
	publishN(t, s, 3001, 4000)
	got := collect(t, sub, 4000)
	if err := <-rotated; err != nil {
		t.Fatalf("rotate: %v", err)
	}
	checkSequence(t, got, 4000)
}

// When the old connection breaks in the middle of a hand-over, before the marker is published,
// the new connection delivers what the old one did not, once and in order. (A message the
// server had not yet written to the old connection is on the new one: it was subscribed
// first.)
func TestSubscriptionHandoverOldConnectionBreaks(t *testing.T) {
	r, s, sub := handoverEnv(t)
	ctx := context.Background()
	oldID := pubsubClientIDs(t, r)
	if len(oldID) != 1 {
		t.Fatalf("pub/sub connections before the rotation: %v", oldID)
	}
	publishN(t, s, 1, 1500) // the consumer reads nothing yet: the old feed blocks on a full buffer
	time.Sleep(100 * time.Millisecond)
	sub.beforeMarker = func() {
		publishN(t, s, 1501, 2000) // on both connections
		time.Sleep(50 * time.Millisecond)
		if err := r.admin.Do(ctx, "CLIENT", "KILL", "ID", oldID[0]).Err(); err != nil {
			t.Error(err)
		}
		publishN(t, s, 2001, 2500) // on the new connection only
	}
	rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	rotated := make(chan error, 1)
	go func() {
		_, _, err := sub.rotate(rctx)
		rotated <- err
	}()
	time.Sleep(300 * time.Millisecond)
	publishN(t, s, 2501, 3000)
	got := collect(t, sub, 3000)
	if err := <-rotated; err != nil {
		t.Fatalf("rotate: %v", err)
	}
	checkSequence(t, got, 3000)
}

func pubsubClientIDs(t *testing.T, r *aclRedis) []string {
	t.Helper()
	list, err := r.admin.Do(context.Background(), "CLIENT", "LIST", "TYPE", "pubsub").Text()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
		for _, f := range strings.Fields(l) {
			if id, ok := strings.CutPrefix(f, "id="); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// The old connection of a hand-over is read to its marker and closed whatever the consumer's
// pace: on AMR it would otherwise stay open, subscribed with the old token, until the server
// closes it at expiry (TestSlowEntraRefreshLandsBeforeExpiry saw the gate do so on a busy
// machine), and the new feed would then have to match messages by payload. What the consumer
// has not taken waits in the subscription, in order, and comes before the new feed's.
func TestSubscriptionHandoverClosesOldConnectionWhileConsumerIsBehind(t *testing.T) {
	r, s, sub := handoverEnv(t)
	publishN(t, s, 1, 3000) // more than the subscription's buffer holds
	time.Sleep(100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done, failed, err := sub.rotate(ctx) // the consumer reads nothing meanwhile
	if err != nil || done != 1 || failed != 0 {
		t.Fatalf("rotate: done %d, failed %d, %v", done, failed, err)
	}
	for end := time.Now().Add(5 * time.Second); ; {
		ids := pubsubClientIDs(t, r)
		if len(ids) == 1 {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("the old pub/sub connection is still open while the consumer is behind: %v", ids)
		}
		time.Sleep(20 * time.Millisecond)
	}
	publishN(t, s, 3001, 4000)
	checkSequence(t, collect(t, sub, 4000), 4000)
}
