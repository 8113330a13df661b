package emulator_test

import (
	"bufio"
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// startControlledDemo starts a small plain demo and its control endpoint.
func startControlledDemo(t *testing.T) (*emulator.Demo, *emulator.Control) {
	t.Helper()
	return startControlledDemoWith(t, emulator.DemoOptions{})
}

func startControlledDemoWith(t *testing.T, opts emulator.DemoOptions) (*emulator.Demo, *emulator.Control) {
	t.Helper()
	opts.Dir, opts.Keys, opts.Plain = t.TempDir(), 10, true
	d, err := emulator.StartDemo(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	c, err := d.ServeControl()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return d, c
}

// demoToken asks the fake Entra for a token as the demo's service principal, with a fresh
// credential so that nothing comes from a cache.
func demoToken(t *testing.T, d *emulator.Demo, within time.Duration) error {
	t.Helper()
	secret, err := os.ReadFile(d.SecretFile)
	if err != nil {
		t.Fatal(err)
	}
	cred := secretCred(t, d.Entra, emulator.DemoTenantID, emulator.DemoAppClientID, strings.TrimSpace(string(secret)))
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	_, err = cred.GetToken(ctx, policyScopes("https://redis.azure.com/.default"))
	return err
}

func inject(t *testing.T, c *emulator.Control, f emulator.Fault) string {
	t.Helper()
	did, err := emulator.InjectFault(context.Background(), c.URL, f)
	if err != nil {
		t.Fatalf("%s: %v", f.Kind, err)
	}
	return did
}

// TestControlEntraFaults drives each Entra fault through the control endpoint and checks what
// a credential then gets.
func TestControlEntraFaults(t *testing.T) {
	d, c := startControlledDemo(t)
	if err := demoToken(t, d, 30*time.Second); err != nil {
		t.Fatalf("before any fault: %v", err)
	}
	if did := inject(t, c, emulator.Fault{Kind: emulator.FaultEntraDown}); !strings.Contains(did, "until entra-up") {
		t.Errorf("entra-down said %q", did)
	}
	if err := demoToken(t, d, 30*time.Second); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("Entra down: %v, want a connection reset", err)
	}
	inject(t, c, emulator.Fault{Kind: emulator.FaultEntraUp})
	if err := demoToken(t, d, 30*time.Second); err != nil {
		t.Fatalf("after entra-up: %v", err)
	}
	inject(t, c, emulator.Fault{Kind: emulator.FaultEntraFail, Code: "AADSTS7000215", Status: 401})
	if err := demoToken(t, d, 30*time.Second); err == nil || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Errorf("Entra failing: %v, want AADSTS7000215", err)
	}
	inject(t, c, emulator.Fault{Kind: emulator.FaultEntraUp})
	inject(t, c, emulator.Fault{Kind: emulator.FaultEntraSlow, Latency: "1m"})
	if err := demoToken(t, d, 2*time.Second); err == nil {
		t.Error("Entra slowed by a minute answered within 2s")
	}
	inject(t, c, emulator.Fault{Kind: emulator.FaultEntraUp})
	if err := demoToken(t, d, 30*time.Second); err != nil {
		t.Fatalf("after entra-up: %v", err)
	}
	// A timed outage ends by itself.
	inject(t, c, emulator.Fault{Kind: emulator.FaultEntraDown, For: "300ms"})
	if err := demoToken(t, d, 30*time.Second); err == nil {
		t.Error("Entra down for 300ms answered at once")
	}
	time.Sleep(400 * time.Millisecond)
	if err := demoToken(t, d, 30*time.Second); err != nil {
		t.Errorf("after the timed outage: %v", err)
	}
	st, err := emulator.FetchStatus(context.Background(), c.URL)
	if err != nil || st.EntraRequests[emulator.EndpointToken] < 4 {
		t.Errorf("status %+v, %v", st, err)
	}
}

// TestControlGateAndBackendFaults: close-connections drops a live client, backend-restart
// drops the gate's backend connections and brings the data back, on the demo's redis-server
// (when installed) and on the embedded backend.
func TestControlGateAndBackendFaults(t *testing.T) {
	if emulator.HaveRedisServer() {
		t.Run("redis-server", func(t *testing.T) { testGateAndBackendFaults(t, emulator.DemoOptions{}) })
	}
	t.Run("embedded", func(t *testing.T) { testGateAndBackendFaults(t, emulator.DemoOptions{Embedded: true}) })
}

func testGateAndBackendFaults(t *testing.T, opts emulator.DemoOptions) {
	d, c := startControlledDemoWith(t, opts)
	tok, _, err := d.DemoToken()
	if err != nil {
		t.Fatal(err)
	}
	newClient := func() *redis.Client {
		cl := redis.NewClient(&redis.Options{Addr: d.Gate.Addr(), Username: emulator.DemoAppObjectID, Password: tok,
			PoolSize: 1, DisableIdentity: true})
		t.Cleanup(func() { _ = cl.Close() })
		return cl
	}
	// A raw connection, which (unlike go-redis's pool) does not hide a drop by dialling again.
	raw := func() *respConn {
		conn, err := net.Dial("tcp", d.Gate.Addr())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		c := &respConn{t: t, conn: conn, r: bufio.NewReader(conn)}
		c.expect("+OK\r\n", "AUTH", emulator.DemoAppObjectID, tok)
		return c
	}
	ctx := context.Background()
	cl := newClient()
	if err := cl.Set(ctx, "fault:k", "kept", 0).Err(); err != nil {
		t.Fatal(err)
	}
	rc := raw() // with go-redis's pooled one, two connections
	if did := inject(t, c, emulator.Fault{Kind: emulator.FaultCloseConnections}); did != "closed 2 client connection(s) at the gate" {
		t.Errorf("close-connections said %q", did)
	}
	rc.send("GET", "fault:k")
	if r, err := rc.tryReply(5 * time.Second); err == nil {
		t.Errorf("the connection survived close-connections: %q", r)
	}
	if v, err := cl.Get(ctx, "fault:k").Result(); err != nil || v != "kept" {
		t.Fatalf("a new connection after close-connections: %q, %v", v, err)
	}
	rc = raw()
	rc.expect(bulk("kept"), "GET", "fault:k")
	if did := inject(t, c, emulator.Fault{Kind: emulator.FaultBackendRestart, For: "200ms"}); !strings.Contains(did, "restarted") {
		t.Errorf("backend-restart said %q", did)
	}
	rc.send("GET", "fault:k")
	if r, err := rc.tryReply(5 * time.Second); err == nil {
		t.Errorf("the gate's backend connection survived the restart: %q", r)
	}
	if v, err := cl.Get(ctx, "fault:k").Result(); err != nil || v != "kept" {
		t.Fatalf("after the restart: %q, %v", v, err)
	}
	// The restarted backend still answers what the emulator adds to miniredis, and TTLs run.
	if d.BackendKind == "embedded" {
		if err := cl.Do(ctx, "CLIENT", "SETINFO", "lib-name", "x").Err(); err != nil {
			t.Errorf("CLIENT SETINFO after the restart: %v", err)
		}
	}

	if err := cl.Set(ctx, "fault:ttl", "v", 300*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the key's TTL to run out", func() bool { return cl.Exists(ctx, "fault:ttl").Val() == 0 })
}

func TestControlRefusesBadRequests(t *testing.T) {
	_, c := startControlledDemo(t)
	ctx := context.Background()
	for _, f := range []emulator.Fault{{Kind: "nonsense"}, {Kind: emulator.FaultEntraSlow}, {Kind: emulator.FaultEntraFail},
		{Kind: emulator.FaultEntraDown, For: "soon"}, {Kind: emulator.FaultEntraFail, Code: "AADSTS1", Status: 200}} {
		if _, err := emulator.InjectFault(ctx, c.URL, f); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
	wrong := c.URL[:strings.LastIndex(strings.TrimSuffix(c.URL, "/"), "/")+1] + "guess/"
	if _, err := emulator.InjectFault(ctx, wrong, emulator.Fault{Kind: emulator.FaultEntraUp}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("a URL without the secret: %v", err)
	}
}

// A demo fronting a redis-server it does not own refuses to restart it.
func TestControlBackendRestartNeedsTheEmbeddedBackend(t *testing.T) {
	srv := emutest.StartRedisServer(t).Addr
	d, err := emulator.StartDemo(context.Background(), emulator.DemoOptions{Dir: t.TempDir(), Plain: true, Backend: srv})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Inject(emulator.Fault{Kind: emulator.FaultBackendRestart}); err == nil || !strings.Contains(err.Error(), "restart that yourself") {
		t.Errorf("backend-restart on an external backend: %v", err)
	}
}
