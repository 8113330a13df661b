package emulator_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

const oid = "2f6c1d3e-1111-4a2b-9c8d-0123456789ab"

func TestGateRefusesUnauthenticatedCommands(t *testing.T) {
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			e := startGateEnv(t, b)
			c := e.dial(t)
			c.expect("-NOAUTH Authentication required.\r\n", "GET", "k")
			c.expect("-NOAUTH Authentication required.\r\n", "PING")
			c.expect("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n", "HELLO", "3")
			c.expect("-ERR wrong number of arguments for 'auth' command\r\n", "AUTH")
			c.expect("-ERR syntax error\r\n", "AUTH", "a", "b", "c")
			c.expect("-NOPROTO unsupported protocol version\r\n", "HELLO", "4")
			c.expect("-ERR Syntax error in HELLO option 'AUTH'\r\n", "HELLO", "3", "AUTH", oid)
			c.write("SET k v\r\n") // inline commands are gated too
			if got := c.reply(); got != "-NOAUTH Authentication required.\r\n" {
				t.Fatalf("inline SET before auth: %q", got)
			}
			if st := e.gate.Stats(); st.AuthOK != 0 || len(st.Live) != 1 || st.Live[0].User != "" {
				t.Fatalf("stats after refusals: %+v", st)
			}
		})
	}
}

func TestGateAuthenticatesWithEntraToken(t *testing.T) {
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			e := startGateEnv(t, b)

			c := e.dial(t)
			c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
			c.expect("+OK\r\n", "SET", "greeting", "hello")
			c.expect(bulk("hello"), "GET", "greeting")

			// HELLO 3 AUTH: the client gets the backend's own HELLO reply and RESP3.
			c3 := e.dial(t)
			c3.send("HELLO", "3", "AUTH", oid, e.issuer.token(t, oid, time.Hour), "SETNAME", "viewer")
			if got := c3.reply(); !strings.HasPrefix(got, "%") || !strings.Contains(got, "$5\r\nproto\r\n:3\r\n") {
				t.Fatalf("HELLO 3 AUTH reply: %q", got)
			}
			c3.expect(":1\r\n", "HSET", "h", "a", "1")
			c3.expect("%1\r\n$1\r\na\r\n$1\r\n1\r\n", "HGETALL", "h") // a RESP3 map: the protocol switched
			st := e.gate.Stats()
			if st.AuthOK != 2 || len(st.Live) != 2 || st.Live[1].Protocol != 3 || st.Live[1].User != oid ||
				time.Until(st.Live[1].ExpiresAt) < 59*time.Minute {
				t.Fatalf("stats: %+v", st)
			}
		})
	}
}

func TestGateGoRedisThroughTLS(t *testing.T) {
	for _, b := range gateBackends {
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/RESP%d", b.name, proto), func(t *testing.T) {
				e := startGateEnv(t, b)
				ctx := context.Background()
				rdb := redis.NewClient(&redis.Options{
					Addr:      e.gate.Addr(),
					Protocol:  proto,
					Username:  oid,
					Password:  e.issuer.token(t, oid, time.Hour),
					TLSConfig: e.ca.ClientTLSConfig(),
				})
				defer rdb.Close()
				if err := rdb.Set(ctx, "k", "v", time.Minute).Err(); err != nil {
					t.Fatalf("SET: %v", err)
				}
				if v, err := rdb.Get(ctx, "k").Result(); err != nil || v != "v" {
					t.Fatalf("GET: %q, %v", v, err)
				}
				if err := rdb.HSet(ctx, "h", "a", "1", "b", "2").Err(); err != nil {
					t.Fatal(err)
				}
				if m, err := rdb.HGetAll(ctx, "h").Result(); err != nil || m["b"] != "2" {
					t.Fatalf("HGETALL: %v, %v", m, err)
				}
				cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
					for range 100 {
						p.Incr(ctx, "n")
					}
					return nil
				})
				if err != nil || cmds[99].(*redis.IntCmd).Val() != 100 {
					t.Fatalf("pipeline: %v", err)
				}
				if ttl, err := rdb.TTL(ctx, "k").Result(); err != nil || ttl <= 0 {
					t.Fatalf("TTL: %v, %v", ttl, err)
				}
				st := e.gate.Stats()
				if len(st.Live) == 0 || st.Live[0].Protocol != proto || st.AuthFailed != 0 {
					t.Fatalf("stats: %+v", st)
				}
			})
		}
	}
}

func TestGateRejectsBadTokensWithWrongpass(t *testing.T) {
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			e := startGateEnv(t, b)
			bad := map[string][2]string{
				"forged":         {oid, e.issuer.mint(t, gateTokenSpec{oid: oid, lifetime: time.Hour, signer: otherKey})},
				"expired":        {oid, e.issuer.token(t, oid, -time.Minute)},
				"wrong audience": {oid, e.issuer.mint(t, gateTokenSpec{oid: oid, lifetime: time.Hour, audience: "https://management.azure.com"})},
				"wrong username": {"00000000-0000-0000-0000-000000000000", e.issuer.token(t, oid, time.Hour)},
				"client id":      {"04b07795-8ddb-461a-bbee-02f9e1bf7b46", e.issuer.token(t, oid, time.Hour)},
				"malformed":      {oid, "not-a-jwt"},
				"corrupted":      {oid, e.issuer.token(t, oid, time.Hour) + "x"},
			}
			c := e.dial(t)
			for name, cred := range bad {
				c.send("AUTH", cred[0], cred[1])
				if got := c.reply(); got != wrongPass {
					t.Errorf("%s: AUTH got %q", name, got)
				}
				c.send("HELLO", "3", "AUTH", cred[0], cred[1])
				if got := c.reply(); got != wrongPass {
					t.Errorf("%s: HELLO AUTH got %q", name, got)
				}
			}
			c.expect("-NOAUTH Authentication required.\r\n", "GET", "k")
			if st := e.gate.Stats(); st.AuthFailed != int64(2*len(bad)) || st.AuthOK != 0 {
				t.Fatalf("stats: %+v", st)
			}
		})
	}
}

// isClosed reports whether err means the gate closed the connection.
func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}

func TestGateClosesConnectionAtTokenExpiry(t *testing.T) {
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := startGateEnv(t, b)

			expiring := e.dial(t)
			expiring.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, 4*time.Second))
			expiring.expect("+PONG\r\n", "PING")

			// Subscribed connections, RESP3 and RESP2, are closed just the same.
			sub3 := e.dial(t)
			sub3.send("HELLO", "3", "AUTH", oid, e.issuer.token(t, oid, 4*time.Second))
			_ = sub3.reply()
			sub3.expect(">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", "SUBSCRIBE", "c")
			sub2 := e.dial(t)
			sub2.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, 4*time.Second))
			sub2.expect("*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", "SUBSCRIBE", "c")

			// This one re-authenticates with a newer token in time and stays.
			renewing := e.dial(t)
			renewing.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, 4*time.Second))
			time.Sleep(2 * time.Second) // 2 s before its token expires
			renewing.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Minute))
			// A failed re-AUTH keeps the newer token: Redis leaves the identity as it was.
			renewing.expect(wrongPass, "AUTH", oid, "garbage")

			waitFor(t, 20*time.Second, "the three expired connections to close", func() bool {
				return e.gate.Stats().ClosedForExpiry >= 3
			})
			if got, err := expiring.poke(2 * time.Second); !isClosed(err) {
				t.Fatalf("expired connection still answers: %q, %v", got, err)
			}
			renewing.expect("+PONG\r\n", "PING")
			for name, sub := range map[string]*respConn{"RESP3": sub3, "RESP2": sub2} {
				if got, err := sub.tryReply(2 * time.Second); !isClosed(err) {
					t.Fatalf("expired %s subscriber still open: %q, %v", name, got, err)
				}
			}

			waitFor(t, 10*time.Second, "the expired connection to leave", func() bool { return len(e.gate.Stats().Live) == 1 })
			st := e.gate.Stats()
			if st.ClosedForExpiry != 3 || st.AuthOK != 5 || st.AuthFailed != 1 {
				t.Fatalf("stats: %+v", st)
			}
		})
	}
}

func TestGateGoRedisSeesExpiryAsClosedConnection(t *testing.T) {
	e := startGateEnv(t, gateBackends[0])
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{
		Addr: e.gate.Addr(), Username: oid, Password: e.issuer.token(t, oid, 4*time.Second),
		TLSConfig: e.ca.ClientTLSConfig(), MaxRetries: -1, PoolSize: 1,
	})
	defer rdb.Close()
	conn := rdb.Conn() // a sticky connection, like a console session
	defer conn.Close()
	if err := conn.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the connection to expire", func() bool { return e.gate.Stats().ClosedForExpiry == 1 })
	err := conn.Ping(ctx).Err()
	if !isClosed(err) {
		t.Fatalf("PING after expiry: %v, want EOF or connection reset", err)
	}
	if st := e.gate.Stats(); st.ClosedForExpiry != 1 {
		t.Fatalf("stats: %+v", st)
	}
}

func TestGateReauthWhileSubscribedRESP3(t *testing.T) {
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			e := startGateEnv(t, b)
			pub := e.dial(t)
			pub.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))

			sub := e.dial(t)
			sub.send("HELLO", "3", "AUTH", oid, e.issuer.token(t, oid, 4*time.Second))
			_ = sub.reply()
			sub.expect(">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n", "SUBSCRIBE", "news")
			pub.expect(":1\r\n", "PUBLISH", "news", "one")
			if got := sub.reply(); got != ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$3\r\none\r\n" {
				t.Fatalf("first message: %q", got)
			}

			// A message published while the AUTH is in flight may come before its +OK (pushes
			// are out of band); the +OK itself must still arrive, and the connection survive.
			pub.expect(":1\r\n", "PUBLISH", "news", "two")
			sub.send("AUTH", oid, e.issuer.token(t, oid, time.Minute))
			var sawOK, sawTwo bool
			for !sawOK || !sawTwo {
				switch got := sub.reply(); got {
				case "+OK\r\n":
					sawOK = true
				case ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$3\r\ntwo\r\n":
					sawTwo = true
				default:
					t.Fatalf("unexpected while re-authenticating: %q", got)
				}
			}
			time.Sleep(4500 * time.Millisecond) // past the first token's expiry
			pub.expect(":1\r\n", "PUBLISH", "news", "three")
			if got := sub.reply(); got != ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nthree\r\n" {
				t.Fatalf("message after the old token expired: %q", got)
			}
			// (miniredis answers PING in subscribe mode with RESP2's array even under RESP3.)
			sub.send("PING", "still-here")
			if got := sub.reply(); got != bulk("still-here") && got != "*2\r\n$4\r\npong\r\n"+bulk("still-here") {
				t.Fatalf("PING while subscribed: %q", got)
			}
			if st := e.gate.Stats(); st.ClosedForExpiry != 0 || st.AuthOK != 3 {
				t.Fatalf("stats: %+v", st)
			}
		})
	}
}

func TestGateRefusesAuthWhileSubscribedRESP2(t *testing.T) {
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			e := startGateEnv(t, b)
			pub := e.dial(t)
			pub.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
			sub := e.dial(t)
			sub.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
			sub.expect("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n", "SUBSCRIBE", "news")

			const refused = "-ERR Can't execute 'auth': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"
			sub.expect(refused, "AUTH", oid, e.issuer.token(t, oid, 2*time.Hour))
			sub.expect(refused, "AUTH", oid, "garbage") // refused before the token is even looked at
			pub.expect(":1\r\n", "PUBLISH", "news", "still streaming")
			if got := sub.reply(); got != "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$15\r\nstill streaming\r\n" {
				t.Fatalf("message: %q", got)
			}
			st := e.gate.Stats()
			if st.AuthOK != 2 || st.AuthFailed != 0 || time.Until(st.Live[1].ExpiresAt) > time.Hour {
				t.Fatalf("a refused AUTH must not change the connection: %+v", st)
			}
		})
	}
}

func TestGateKeepsPipelinedReplyOrder(t *testing.T) {
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			e := startGateEnv(t, b)
			c := e.dial(t)
			tok := e.issuer.token(t, oid, time.Hour)
			// One write: the gate's own replies must slot in between the backend's.
			c.write(encode("GET", "k") + encode("AUTH", oid, tok) + encode("SET", "k", "v1") +
				encode("AUTH", oid, e.issuer.token(t, oid, 2*time.Hour)) + encode("GET", "k") +
				encode("AUTH", oid, "bad") + encode("APPEND", "k", "+") + "GET k\r\n" +
				encode("MULTI") + encode("INCR", "n") + encode("EXEC"))
			want := []string{"-NOAUTH Authentication required.\r\n", "+OK\r\n", "+OK\r\n", "+OK\r\n",
				bulk("v1"), wrongPass, ":3\r\n", bulk("v1+"), "+OK\r\n", "+QUEUED\r\n", "*1\r\n:1\r\n"}
			for i, w := range want {
				if got := c.reply(); got != w {
					t.Fatalf("reply %d: got %q, want %q", i, got, w)
				}
			}
		})
	}
}

func TestGateAccessKeysNeverExpire(t *testing.T) {
	e := startGateEnv(t, gateBackends[0], func(o *emulator.GateOptions) {
		o.AccessKeys = map[string]string{"default": "primary-key", "app": "app-secret"}
		o.Verifier = nil
	})
	c := e.dial(t)
	c.expect(wrongPass, "AUTH", oid, e.issuer.token(t, oid, time.Hour)) // no verifier: tokens refused
	c.expect(wrongPass, "AUTH", "wrong-key")
	c.expect("+OK\r\n", "AUTH", "primary-key")
	c.expect("+PONG\r\n", "PING")
	c2 := e.dial(t)
	c2.send("HELLO", "3", "AUTH", "app", "app-secret")
	if got := c2.reply(); !strings.HasPrefix(got, "%") {
		t.Fatalf("HELLO AUTH with access key: %q", got)
	}
	for _, l := range e.gate.Stats().Live {
		if !l.ExpiresAt.IsZero() {
			t.Fatalf("access-key connection has an expiry: %+v", l)
		}
	}
}

func TestGateResetAndQuit(t *testing.T) {
	e := startGateEnv(t, gateBackends[1])
	c := e.dial(t)
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c.expect("+RESET\r\n", "RESET")
	c.expect("-NOAUTH Authentication required.\r\n", "GET", "k")
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c.expect("+OK\r\n", "QUIT")
	if got, err := c.tryReply(2 * time.Second); !isClosed(err) {
		t.Fatalf("after QUIT: %q, %v", got, err)
	}
}

// With CLIENT REPLY OFF the backend answers nothing, so a connection that ends by QUIT or by a
// protocol error must not wait for the backend's reply before it closes.
func TestGateClosesWithRepliesOff(t *testing.T) {
	e := startGateEnv(t, gateBackends[1]) // miniredis has no CLIENT REPLY
	for name, last := range map[string]string{
		"QUIT":           encode("QUIT"),
		"protocol error": "*1\r\n$x\r\n",
		"empty bulk":     "*1\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			c := e.dial(t)
			c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
			c.write(encode("GET", "missing") + encode("CLIENT", "REPLY", "OFF") + encode("SET", "k", name) + last)
			if got := c.reply(); got != "$-1\r\n" {
				t.Fatalf("reply from before CLIENT REPLY OFF: %q", got)
			}
			if got, err := c.tryReply(5 * time.Second); !isClosed(err) {
				t.Fatalf("after %s with replies off: %q, %v", name, got, err)
			}
		})
	}
	// The client's own RESET turns replies on and is answered, as in Redis.
	c := e.dial(t)
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c.write(encode("CLIENT", "REPLY", "OFF") + encode("PING") + encode("RESET"))
	if got := c.reply(); got != "+RESET\r\n" {
		t.Fatalf("RESET with replies off: %q", got)
	}
	c.expect("-NOAUTH Authentication required.\r\n", "PING")
	c.expect("+OK\r\n", "QUIT")
	if got, err := c.tryReply(5 * time.Second); !isClosed(err) {
		t.Fatalf("after QUIT: %q, %v", got, err)
	}

	// The commands before the QUIT still ran, as in Redis.
	c = e.dial(t)
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c.send("EXISTS", "k")
	if got := c.reply(); got != ":1\r\n" {
		t.Fatalf("EXISTS k: %q", got)
	}
	waitFor(t, 5*time.Second, "only the last connection to stay", func() bool { return len(e.gate.Stats().Live) == 1 })
}

func TestGateDropsClientsWhenBackendGoes(t *testing.T) {
	var server *emutest.RedisServer
	e := startGateEnv(t, gateBackend{"redis-server", func(t testing.TB) (string, func()) {
		server = emutest.StartRedisServer(t)
		return server.Addr, server.Stop
	}})
	c := e.dial(t)
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c.expect("+OK\r\n", "SET", "k", "v")
	server.Restart()
	if got, err := c.poke(2 * time.Second); !isClosed(err) {
		t.Fatalf("client of a dead backend connection: %q, %v", got, err)
	}
	c2 := e.dial(t) // a reconnecting client reaches the restarted backend
	c2.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c2.expect("+PONG\r\n", "PING")
}

func TestGateCloseAllDropsEveryConnection(t *testing.T) {
	e := startGateEnv(t, gateBackends[0])
	a, b := e.dial(t), e.dial(t)
	a.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	e.gate.CloseAll()
	for _, c := range []*respConn{a, b} {
		if got, err := c.poke(2 * time.Second); !isClosed(err) {
			t.Fatalf("after CloseAll: %q, %v", got, err)
		}
	}
	waitFor(t, 10*time.Second, "no live connections", func() bool { return len(e.gate.Stats().Live) == 0 })
	c := e.dial(t) // still accepting
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	if st := e.gate.Stats(); st.Accepted != 3 {
		t.Fatalf("stats: %+v", st)
	}
}

func TestGateUnreachableBackendDropsClient(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens here now
	g, err := emulator.StartGate(emulator.GateOptions{Backend: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	c, err := net.Dial("tcp", g.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); !isClosed(err) {
		t.Fatalf("read from a gate without backend: %v", err)
	}
}

func TestGateProtocolErrorsCloseTheConnection(t *testing.T) {
	e := startGateEnv(t, gateBackends[0])
	// Before AUTH, Redis caps request sizes so strangers cannot make it buffer much.
	c := e.dial(t)
	c.write("*2\r\n$4\r\nAUTH\r\n$20000\r\n")
	if got := c.reply(); got != "-ERR Protocol error: unauthenticated bulk length\r\n" {
		t.Fatalf("oversized bulk before AUTH: %q", got)
	}
	if got, err := c.tryReply(2 * time.Second); !isClosed(err) {
		t.Fatalf("after a protocol error: %q, %v", got, err)
	}

	c = e.dial(t)
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c.expect("+OK\r\n", "SET", "k", strings.Repeat("v", 20000)) // no such limit once authenticated
	c.write("*1\r\n$x\r\n")
	if got := c.reply(); got != "-ERR Protocol error: invalid bulk length\r\n" {
		t.Fatalf("malformed request: %q", got)
	}

	// An empty line where a bulk header belongs once crashed the whole process.
	for _, authed := range []bool{false, true} {
		c = e.dial(t)
		if authed {
			c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
		}
		c.write("*1\r\n\r\n")
		if got := c.reply(); got != "-ERR Protocol error: expected '$', got ' '\r\n" {
			t.Fatalf("empty bulk header (authenticated %v): %q", authed, got)
		}
		if got, err := c.tryReply(2 * time.Second); !isClosed(err) {
			t.Fatalf("after an empty bulk header: %q, %v", got, err)
		}
	}
	c = e.dial(t) // the gate is still serving
	c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
	c.expect("+PONG\r\n", "PING")
}

func TestGateTracksProtocolOfLaterHello(t *testing.T) {
	for _, b := range gateBackends {
		t.Run(b.name, func(t *testing.T) {
			e := startGateEnv(t, b)
			c := e.dial(t)
			c.expect("+OK\r\n", "AUTH", oid, e.issuer.token(t, oid, time.Hour))
			c.send("HELLO", "3")
			if got := c.reply(); !strings.HasPrefix(got, "%") {
				t.Fatalf("HELLO 3 after AUTH: %q", got)
			}
			c.expect("_\r\n", "GET", "missing") // RESP3 null
			waitFor(t, 10*time.Second, "protocol 3 in stats", func() bool { return e.gate.Stats().Live[0].Protocol == 3 })
			// HELLO 3 AUTH on a live connection re-authenticates too.
			c.send("HELLO", "3", "AUTH", oid, e.issuer.token(t, oid, 2*time.Hour))
			if got := c.reply(); !strings.HasPrefix(got, "%") {
				t.Fatalf("HELLO 3 AUTH on a live connection: %q", got)
			}
			if l := e.gate.Stats().Live[0]; time.Until(l.ExpiresAt) < 119*time.Minute {
				t.Fatalf("re-authentication by HELLO did not extend expiry: %+v", l)
			}
			c.expect(wrongPass, "HELLO", "3", "AUTH", oid, "garbage")
			c.expect("_\r\n", "GET", "missing") // still authenticated, still RESP3
		})
	}
}
