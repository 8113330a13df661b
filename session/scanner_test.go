package session

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// seedScanKeys writes n string keys, n/10 hashes and a few keys with awkward bytes (CRLF,
// spaces, UTF-8, a glob character, an empty name) and returns every key name with its type.
func seedScanKeys(t testing.TB, c *redis.Client, n int) map[string]string {
	t.Helper()
	ctx := context.Background()
	want := map[string]string{}
	pipe := c.Pipeline()
	for i := range n {
		k := "str:" + strconv.Itoa(i)
		pipe.Set(ctx, k, "v", 0)
		want[k] = "string"
	}
	for i := range n / 10 {
		k := "hash:" + strconv.Itoa(i)
		pipe.HSet(ctx, k, "f", "v")
		want[k] = "hash"
	}
	for _, k := range []string{"odd:\r\n*2\r\n", "odd: spaced key ", "odd:ключ✓", "odd:[glob]*", "odd:\x1b[31mred\x1b[0m", "odd:\xff\xfe\x00\n", ""} {
		pipe.RPush(ctx, k, "e")
		want[k] = "list"
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatalf("seeding: %v", err)
	}
	return want
}

// addOnce records keys in got and fails on a key already there: SCAN returned it twice.
func addOnce(t testing.TB, got map[string]bool, keys []string) {
	t.Helper()
	for _, k := range keys {
		if got[k] {
			t.Fatalf("key %q returned twice", k)
		}
		got[k] = true
	}
}

// walk runs a whole scan and fails on a key returned twice.
func walk(t testing.TB, sc *Scanner, match string, count int64, typ string, between func()) map[string]bool {
	t.Helper()
	return walkAt(t, sc, 0, match, count, typ, between)
}

// walkFrom walks on from cursor cur, every key at COUNT 100.
func walkFrom(t testing.TB, sc *Scanner, cur uint64) map[string]bool {
	t.Helper()
	return walkAt(t, sc, cur, "", 100, "", nil)
}

// walkAt scans from cursor cur to the end of the walk, calling between (if any) between steps.
func walkAt(t testing.TB, sc *Scanner, cur uint64, match string, count int64, typ string, between func()) map[string]bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	got := map[string]bool{}
	for {
		keys, next, err := sc.Scan(ctx, cur, match, count, typ)
		if err != nil {
			t.Fatalf("SCAN %d MATCH %q COUNT %d TYPE %q: %v", cur, match, count, typ, err)
		}
		addOnce(t, got, keys)
		if next == 0 {
			return got
		}
		cur = next
		if between != nil {
			between()
		}
	}
}

func sameKeys(t testing.TB, what string, got map[string]bool, want map[string]string, keep func(k, typ string) bool) {
	t.Helper()
	n := 0
	for k, typ := range want {
		if !keep(k, typ) {
			continue
		}
		n++
		if !got[k] {
			t.Errorf("%s: key %q missing", what, k)
		}
	}
	if len(got) != n {
		t.Errorf("%s: %d keys, want %d", what, len(got), n)
	}
}

// The dedicated SCAN connection returns every key exactly once, with and without MATCH and
// TYPE, at small and large COUNTs, on an ACL-authenticated server and a selected database.
func TestScannerEveryKeyOnce(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, time.Hour)
	host, port := r.host(t)
	cfg := testConfig(host, port)
	cfg.DB = 3
	s := openSession(t, cfg, src)
	db3 := redis.NewClient(&redis.Options{Addr: r.srv.Addr, Username: "admin", Password: "adminpw", DB: 3, Protocol: 2, DisableIdentity: true})
	t.Cleanup(func() { _ = db3.Close() })
	want := seedScanKeys(t, db3, 3000)
	if err := r.admin.Set(context.Background(), "db0-only", "x", 0).Err(); err != nil {
		t.Fatal(err)
	}
	sc, err := s.Scanner()
	if err != nil {
		t.Fatal(err)
	}
	for _, count := range []int64{0, 10, 1000} {
		name := "COUNT " + strconv.FormatInt(count, 10)
		sameKeys(t, name, walk(t, sc, "", count, "", nil), want, func(string, string) bool { return true })
		sameKeys(t, name+" MATCH hash:*", walk(t, sc, "hash:*", count, "", nil), want,
			func(k, _ string) bool { return len(k) >= 5 && k[:5] == "hash:" })
		sameKeys(t, name+" TYPE list", walk(t, sc, "", count, "list", nil), want,
			func(_, typ string) bool { return typ == "list" })
		sameKeys(t, name+` MATCH odd:\[glob\]* TYPE list`, walk(t, sc, `odd:\[glob\]*`, count, "list", nil), want,
			func(k, _ string) bool { return k == "odd:[glob]*" })
	}
	// An error reply (the ACL takes SCAN away) is Redis's, explained, and leaves the
	// connection usable once SCAN is allowed again.
	user := src.current().Username
	if err := r.admin.Do(context.Background(), "ACL", "SETUSER", user, "-scan").Err(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sc.Scan(context.Background(), 0, "", 10, ""); err == nil || !isRedisError(err) || !strings.Contains(err.Error(), "NOPERM") {
		t.Errorf("SCAN without permission: %v, want a NOPERM reply", err)
	}
	if err := r.admin.Do(context.Background(), "ACL", "SETUSER", user, "+scan").Err(); err != nil {
		t.Fatal(err)
	}
	sameKeys(t, "after an error reply", walk(t, sc, "", 100, "", nil), want, func(string, string) bool { return true })
	if n := s.Snapshot().Connections.Console; n != 1 {
		t.Errorf("%d console-role connections, want the scanner's one", n)
	}
}

// A scan that runs through token rotations on the AMR gate keeps working: each re-AUTH round
// moves the scanner's connection to the new token between two steps, the gate never closes it
// for expiry, and every key still comes back exactly once. With prefetch on, a step is always
// waiting on the connection when the round comes: its reply is read and dropped before AUTH.
func TestScannerAcrossReauthOnGate(t *testing.T) {
	for _, prefetch := range []bool{false, true} {
		t.Run(map[bool]string{false: "one step at a time", true: "prefetch"}[prefetch], func(t *testing.T) {
			scanAcrossReauthOnGate(t, prefetch)
		})
	}
}

func scanAcrossReauthOnGate(t *testing.T, prefetch bool) {
	env := startGateEnv(t)
	admin := redis.NewClient(&redis.Options{Addr: env.redis.Addr, Protocol: 2})
	t.Cleanup(func() { _ = admin.Close() })
	want := seedScanKeys(t, admin, 2000)
	src := &mintSource{e: env.entra, oid: "11111111-2222-3333-4444-555555555555", minLife: 2 * time.Second, maxLife: 3 * time.Second}
	s := openSession(t, env.config(t), src)
	firstExpired := time.Now().Add(src.maxLife + 200*time.Millisecond) // the first token is gone by then
	rec := record(t, s)
	sc, err := s.Scanner()
	if err != nil {
		t.Fatal(err)
	}
	sc.SetPrefetch(prefetch)
	// Steps wait for two rotations, so the walk continues on its connection after the token
	// it first authenticated with has expired.
	from := 0
	rounds := 0
	got := walk(t, sc, "", 10, "", func() {
		if rounds >= 2 {
			if d := time.Until(firstExpired); d > 0 {
				time.Sleep(d)
			}
			return
		}
		if _, i := rec.wait(t, 10*time.Second, from, isType[ReauthDone]); i >= 0 {
			from = i + 1
			rounds++
		}
	})
	sameKeys(t, "across re-AUTH", got, want, func(string, string) bool { return true })
	if rounds < 2 {
		t.Fatalf("the walk saw %d re-AUTH rounds, want 2", rounds)
	}
	for _, e := range rec.all() {
		if rd, ok := e.(ReauthDone); ok && (rd.Failed != 0 || rd.Err != nil || rd.Connections < 2) {
			t.Errorf("re-AUTH round: %+v (want the pool's and the scanner's connections moved)", rd)
		}
	}
	st := env.gate.Stats()
	if st.ClosedForExpiry != 0 || st.AuthFailed != 0 {
		t.Errorf("gate: ClosedForExpiry %d, AuthFailed %d", st.ClosedForExpiry, st.AuthFailed)
	}
	if n := s.Snapshot().Connections.Stale; n != 0 {
		t.Errorf("%d connections still hold an old token", n)
	}
}

// Cancelling a step that waits on the server returns the context's error; the next step dials
// again and the walk resumes from the same cursor with no key lost or repeated.
func TestScannerCancelMidStep(t *testing.T) {
	r, _, sc := aclScanner(t)
	want := seedScanKeys(t, r.admin, 1000)
	ctx := context.Background()
	keys, cur, err := sc.Scan(ctx, 0, "", 100, "")
	if err != nil || cur == 0 {
		t.Fatalf("first step: %d keys, cursor %d, %v", len(keys), cur, err)
	}
	got := map[string]bool{}
	for _, k := range keys {
		got[k] = true
	}
	// CLIENT PAUSE holds every other client's commands: the next step waits until cancelled.
	if err := r.admin.Do(ctx, "CLIENT", "PAUSE", "1500", "ALL").Err(); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, _, err := sc.Scan(cctx, cur, "", 100, "")
		done <- err
	}()
	time.Sleep(100 * time.Millisecond) // let the step reach the server; the test holds either way
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled step: %v, want context.Canceled", err)
	}
	addOnce(t, got, slices.Collect(maps.Keys(walkFrom(t, sc, cur))))
	sameKeys(t, "after cancel", got, want, func(string, string) bool { return true })
}

// A closed scanner and a cluster session refuse clearly.
func TestScannerClosed(t *testing.T) {
	_, s, sc := aclScanner(t)
	_ = sc.Close()
	if _, _, err := sc.Scan(context.Background(), 0, "", 10, ""); !errors.Is(err, ErrClosed) {
		t.Errorf("Scan after Close: %v, want ErrClosed", err)
	}
	_ = s.Close()
	if _, err := s.Scanner(); !errors.Is(err, ErrClosed) {
		t.Errorf("Scanner on a closed session: %v, want ErrClosed", err)
	}
}

// The first SCAN after the server came back scans: the scanner's idle connection died with
// the old server, and the step is sent again on a new connection instead of failing with EOF
// (the browser's first r after "connection restored" used to say "SCAN … EOF" every time).
func TestScannerFirstStepAfterRestart(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, time.Hour)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	ctx := context.Background()
	if err := r.admin.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	sc, err := s.Scanner()
	if err != nil {
		t.Fatal(err)
	}
	if keys, _, err := sc.Scan(ctx, 0, "", 100, ""); err != nil || len(keys) != 1 {
		t.Fatalf("first scan: %v %v", keys, err)
	}
	r.srv.Restart()
	r.setup(t)
	tok := src.current()
	if err := r.admin.Do(ctx, "ACL", "SETUSER", tok.Username, "on", ">"+tok.Value, "~*", "&*", "+@all").Err(); err != nil {
		t.Fatal(err)
	}
	if err := r.admin.Set(ctx, "after", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	keys, next, err := sc.Scan(ctx, 0, "", 100, "")
	if err != nil || next != 0 || len(keys) != 1 || keys[0] != "after" {
		t.Fatalf("the first scan after the restart: %v next %d, %v", keys, next, err)
	}
	// A refusal by the server (an error reply) is not retried: it is the answer.
	if err := r.admin.Do(ctx, "ACL", "SETUSER", tok.Username, "-scan").Err(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sc.Scan(ctx, 0, "", 10, ""); err == nil || !strings.Contains(err.Error(), "NOPERM") {
		t.Fatalf("SCAN without permission: %v", err)
	}
}

// With prefetch on, each step's reply sends the next step before its keys are parsed: the
// server has the next SCAN before Scan returns. Walks at any COUNT still return every key once;
// a walk abandoned midway (new MATCH, new cursor) drops the step sent ahead instead of taking its
// keys; a changed COUNT takes the step sent ahead as it is; the end of a walk sends nothing.
func TestScannerPrefetch(t *testing.T) {
	r := startACLRedis(t)
	src := newACLSource(t, r, time.Hour)
	host, port := r.host(t)
	s := openSession(t, testConfig(host, port), src)
	want := seedScanKeys(t, r.admin, 3000)
	sc, err := s.Scanner()
	if err != nil {
		t.Fatal(err)
	}
	sc.SetPrefetch(true)
	ctx := context.Background()
	scanCalls := func() int {
		t.Helper()
		info, err := r.admin.Info(ctx, "commandstats").Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(info, "\r\n") {
			if rest, ok := strings.CutPrefix(l, "cmdstat_scan:calls="); ok {
				n, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ',')])
				return n
			}
		}
		return 0
	}
	all := func(string, string) bool { return true }
	for _, count := range []int64{0, 10, 1000} {
		sameKeys(t, "prefetch COUNT "+strconv.FormatInt(count, 10), walk(t, sc, "", count, "", nil), want, all)
	}

	// The step after the first is on the server before Scan returns.
	if err := r.admin.ConfigResetStat(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	keys, cur, err := sc.Scan(ctx, 0, "str:*", 100, "")
	if err != nil || cur == 0 {
		t.Fatalf("first step: %d keys, cursor %d, %v", len(keys), cur, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for scanCalls() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := scanCalls(); n != 2 {
		t.Fatalf("%d SCAN calls on the server after the first step, want 2 (the next sent ahead)", n)
	}

	// Abandoned: a new walk with another MATCH gets only its own keys.
	hashes := walk(t, sc, "hash:*", 50, "", nil)
	sameKeys(t, "after abandoning a walk", hashes, want, func(k, _ string) bool { return strings.HasPrefix(k, "hash:") })

	// A COUNT raised between two steps (a load of every key) takes the step sent ahead.
	got := map[string]bool{}
	cur = 0
	for step := 0; ; step++ {
		count := int64(10)
		if step >= 3 {
			count = 500
		}
		keys, next, err := sc.Scan(ctx, cur, "", count, "")
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		addOnce(t, got, keys)
		if next == 0 {
			break
		}
		cur = next
	}
	sameKeys(t, "COUNT raised midway", got, want, all)

	// A walk's last step sends nothing ahead.
	if err := r.admin.ConfigResetStat(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	got = walk(t, sc, "odd:*", 100000, "", nil)
	sameKeys(t, "one-step walk", got, want, func(k, _ string) bool { return strings.HasPrefix(k, "odd:") })
	time.Sleep(50 * time.Millisecond)
	if n := scanCalls(); n != 1 {
		t.Errorf("%d SCAN calls for a walk that ends in one step, want 1", n)
	}

	// A lost connection loses the step sent ahead with it; the walk resumes on a new one.
	keys, cur, err = sc.Scan(ctx, 0, "", 100, "")
	if err != nil || cur == 0 {
		t.Fatalf("step before the kill: %d keys, cursor %d, %v", len(keys), cur, err)
	}
	got = map[string]bool{}
	addOnce(t, got, keys)
	if err := r.admin.Do(ctx, "CLIENT", "KILL", "USER", src.current().Username).Err(); err != nil {
		t.Fatal(err)
	}
	addOnce(t, got, slices.Collect(maps.Keys(walkFrom(t, sc, cur))))
	sameKeys(t, "after a lost connection", got, want, all)
}
