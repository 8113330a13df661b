package session

import (
	"bufio"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/rediscli"
)

// pipeBatch sends args (one command each) in one RoundTrip and returns the replies.
func pipeBatch(ctx context.Context, p *Pipe, cmds ...[]string) ([]rediscli.Reply, error) {
	var b []byte
	for _, c := range cmds {
		b = appendCommand(b, c...)
	}
	var out []rediscli.Reply
	err := p.RoundTrip(ctx, b, func(r *bufio.Reader) error {
		rd := rediscli.NewReader(r)
		for range cmds {
			rep, err := rd.ReadReply()
			if err != nil {
				return err
			}
			out = append(out, rep)
		}
		return nil
	})
	return out, err
}

// A Pipe writes batches with binary names and values, keeps working across token rotations
// (the first token's user is deleted when it expires, which would close a connection still
// signed in with it), and after its connection is killed reports the batch as failed and
// dials again for the next one.
func TestPipeAcrossReauthAndKill(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, 2*time.Second)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	ctx := context.Background()
	p, err := s.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	key, val := "k\r\n*2\r\n$3\x00\xff", "v\r\n\x00\xfe$-1\r\n"
	reps, err := pipeBatch(ctx, p, []string{"SET", key, val, "NX"}, []string{"GET", key}, []string{"LPUSH", key, "x"})
	if err != nil || len(reps) != 3 || reps[0].Str != "OK" || reps[1].Str != val || !reps[2].IsError() {
		t.Fatalf("first batch: %+v, %v", reps, err)
	}
	first := src.current().Username
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		reps, err := pipeBatch(ctx, p, []string{"INCR", "n"})
		if err != nil || len(reps) != 1 || reps[0].IsError() {
			t.Fatalf("batch %d, token user %s: %+v, %v", i, src.current().Username, reps, err)
		}
		if u := r.clientUsers(t); u[first] == 0 && src.current().Username != first && i > 20 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if src.current().Username == first {
		t.Fatal("the token never rotated")
	}
	if err := r.admin.Do(ctx, "CLIENT", "KILL", "USER", src.current().Username).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeBatch(ctx, p, []string{"INCR", "n"}); err == nil || !strings.Contains(err.Error(), "import pipeline") {
		t.Fatalf("a batch on a killed connection: %v", err)
	}
	if reps, err := pipeBatch(ctx, p, []string{"GET", key}); err != nil || reps[0].Str != val {
		t.Fatalf("the batch after: %+v, %v", reps, err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeBatch(ctx, p, []string{"PING"}); err != ErrClosed {
		t.Fatalf("after Close: %v", err)
	}
}
