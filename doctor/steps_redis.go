package doctor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
)

// ScratchKeyPrefix starts the key the write probe sets (with a short TTL) and deletes.
const ScratchKeyPrefix = "amr-tui:doctor:"

// errReply is a Redis error reply.
type errReply struct{ msg string }

func (e errReply) Error() string { return e.msg }

// do sends one command and reads its reply; an error reply comes back as errReply.
func (r *runner) do(args ...string) (rediscli.Reply, error) {
	if err := rediscli.WriteCommand(r.conn, args...); err != nil {
		return rediscli.Reply{}, err
	}
	rep, err := r.rd.ReadReply()
	if err != nil {
		return rediscli.Reply{}, err
	}
	if rep.Kind == rediscli.KindError {
		return rep, errReply{rep.Str}
	}
	return rep, nil
}

// redisFailure words a failed command: Redis's refusals of the credentials or the command
// (WRONGPASS, NOPERM, NOAUTH) as auth explains them, anything else with the given fix.
func (r *runner) redisFailure(detail string, args []string, err error, fix string) result {
	cmd := strings.Join(args, " ")
	var er errReply
	if !errors.As(err, &er) {
		var tlsErr *session.TLSExpectedError
		if errors.As(session.ExplainTLSMismatch(context.Background(), r.cfg, r.addr, err), &tlsErr) {
			return fail(detail, cmd+": "+tlsErr.Reason(), "set tls.enabled = true in the profile (or remove tls.enabled = false): this port takes TLS only")
		}
		return fail(detail, cmd+": the connection failed: "+err.Error(),
			"the server closed the connection or stopped answering; check its logs and limits (maxclients), and retry")
	}
	var ae *auth.Error
	if errors.As(auth.ExplainRedisError(er, r.tok), &ae) {
		cause := cmd + ": " + ae.Error()
		if ae.Detail != "" {
			cause += "\n" + ae.Detail
		}
		if ae.Code == "NOPERM" {
			// Say what needs the command, then how to grant it.
			return fail(detail, cause, fix+"; "+ae.Fix)
		}
		return fail(detail, cause, ae.Fix)
	}
	msg := er.msg
	if v := r.tok.Value; len(v) >= 4 {
		// Some servers echo a command's arguments in an error ("unknown command … with args").
		msg = strings.ReplaceAll(msg, v, "[redacted]")
	}
	return fail(detail, cmd+": Redis replied "+msg, fix)
}

// checkAuth sends AUTH with the token (username: the token's object ID) or the access key on
// the connection, and SELECTs the profile's database.
func (r *runner) checkAuth(ctx context.Context) result {
	if waited := time.Since(r.connectedAt); waited > staleConnection {
		if err := r.reconnect(ctx); err != nil {
			return fail(r.addr, fmt.Sprintf("reconnecting after the login (which took %s) failed: %v", waited.Round(time.Second), err),
				"retry: the server stopped accepting connections while the login went on")
		}
	}
	var detail string
	status := Pass
	switch {
	case r.p.Auth.Kind == profiles.AuthNone:
		status, detail = Skip, "auth.kind none: no AUTH sent"
	default:
		args := []string{"AUTH", r.tok.Username, r.tok.Value}
		shown := []string{"AUTH", r.tok.Username, "[token]"}
		if r.tok.Username == "" {
			args, shown = []string{"AUTH", r.tok.Value}, []string{"AUTH", "[password]"}
		}
		if !r.tok.Expires() {
			shown[len(shown)-1] = "[password]"
		}
		if _, err := r.do(args...); err != nil {
			return r.redisFailure("as "+orDefault(r.tok.Username), shown, err, "check the profile's auth settings")
		}
		detail = "as " + orDefault(r.tok.Username)
		if r.tok.Username != "" && r.tok.Username == r.tok.Claims.ObjectID {
			detail += " (the token's object ID)"
		}
	}
	if db := r.cfg.DB; db != 0 && r.p.Cluster != profiles.ClusterOn {
		args := []string{"SELECT", strconv.Itoa(db)}
		if _, err := r.do(args...); err != nil {
			return r.redisFailure(detail, args, err,
				"set db to a database the server has (Azure Managed Redis and clusters have only database 0)")
		}
		detail += "; SELECT " + strconv.Itoa(db)
	}
	return result{status: status, detail: detail}
}

func orDefault(user string) string {
	if user == "" {
		return "the default user"
	}
	return user
}

// checkPing sends PING and expects PONG.
func (r *runner) checkPing(context.Context) result {
	rep, err := r.do("PING")
	if err != nil {
		return r.redisFailure("", []string{"PING"}, err, "check the server's health")
	}
	if rep.Str != "PONG" {
		return fail("", fmt.Sprintf("PING answered %q, not PONG", rep.Str), "this port may not be a Redis server; check the host and port")
	}
	return pass("PONG")
}

// checkInfo probes INFO, which the server panel needs.
func (r *runner) checkInfo(context.Context) result {
	rep, err := r.do("INFO")
	if err != nil {
		return r.redisFailure("", []string{"INFO"}, err, "amr-tui's server panel needs INFO (@slow @dangerous)")
	}
	for _, line := range strings.Split(rep.Str, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:"); ok {
			return pass("redis_version " + v)
		}
	}
	return pass("answered (no redis_version in the reply)")
}

// checkScan probes SCAN, which the key browser needs.
func (r *runner) checkScan(context.Context) result {
	args := []string{"SCAN", "0", "COUNT", "10"}
	rep, err := r.do(args...)
	if err != nil {
		return r.redisFailure("", args, err, "amr-tui's key browser needs SCAN (@keyspace @read)")
	}
	if len(rep.Elems) != 2 {
		return fail("", "SCAN answered an unexpected reply", "this server does not speak SCAN as Redis does")
	}
	return pass(fmt.Sprintf("%d key(s) in the first batch", len(rep.Elems[1].Elems)))
}

// checkCommand probes COMMAND INFO: the console's help and the read-only rule read the
// server's command table (without it they fall back to the table built into amr-tui).
func (r *runner) checkCommand(context.Context) result {
	args := []string{"COMMAND", "INFO", "GET"}
	if _, err := r.do(args...); err != nil {
		return r.redisFailure("", args, err, "read-only profiles and the console's help need COMMAND INFO (@connection)")
	}
	return pass("COMMAND INFO GET answered")
}

// checkWrite sets a scratch key with a short TTL and deletes it. On a cluster node the key may
// belong to another shard (MOVED, nothing written): another name is tried.
func (r *runner) checkWrite(context.Context) result {
	if r.p.ReadOnly {
		return skip("read_only profile: no write attempted")
	}
	ttl := strconv.FormatInt(scratchTTL.Milliseconds(), 10)
	for range 64 {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		key := ScratchKeyPrefix + hex.EncodeToString(b)
		args := []string{"SET", key, "amr-tui doctor scratch key", "PX", ttl, "NX"}
		if _, err := r.do(args...); err != nil {
			var er errReply
			if errors.As(err, &er) && strings.HasPrefix(er.msg, "MOVED ") {
				continue
			}
			shown := []string{"SET", ScratchKeyPrefix + "…", "…", "PX", ttl, "NX"}
			return r.redisFailure("", shown, err, "writing needs SET (@write) on the key pattern; set read_only = true in a profile meant only to read")
		}
		if _, err := r.do("DEL", key); err != nil {
			return r.redisFailure("", []string{"DEL", ScratchKeyPrefix + "…"}, err, "the scratch key expires by itself within "+scratchTTL.String())
		}
		return pass(fmt.Sprintf("SET (PX %s) and DEL of a scratch key %s…", ttl, ScratchKeyPrefix))
	}
	return fail("", "every scratch key was MOVED to another shard", "retry; if it persists, check the cluster's slot coverage")
}

// checkCluster finds the clustering policy (INFO cluster, then CLUSTER SHARDS) and checks the
// profile's cluster setting fits it.
func (r *runner) checkCluster(context.Context) result {
	enabled, how, err := r.clusterEnabled()
	if err != nil {
		return r.redisFailure("", []string{"INFO", "cluster"}, err, "check the server's health")
	}
	mode := r.p.Cluster
	if mode == "" {
		mode = profiles.ClusterAuto
	}
	if !enabled {
		detail := "not clustered (" + how + "): Enterprise clustering policy, a non-clustered cache or a standalone server"
		if mode == profiles.ClusterOn {
			return fail(detail, "the profile's cluster = on, but the server has cluster support off: a cluster client cannot work with it",
				"set cluster = auto (or off) in the profile")
		}
		return pass(detail + "; cluster = " + string(mode))
	}
	shards, err := r.shardCount()
	if err != nil {
		return r.redisFailure("", []string{"CLUSTER", "SHARDS"}, err, "the principal needs CLUSTER SHARDS or CLUSTER SLOTS (@slow) for a cluster client to find the shards")
	}
	detail := fmt.Sprintf("OSS clustering policy (%s), %d shard(s)", how, shards)
	if mode == profiles.ClusterOff {
		return fail(detail, "the profile's cluster = off, but the server is a Redis Cluster: keys on other shards answer MOVED",
			"set cluster = auto (or on) in the profile")
	}
	return pass(detail + "; cluster = " + string(mode) + " uses a cluster client")
}

// clusterEnabled asks INFO cluster, as the session's auto mode does, and falls back to CLUSTER
// INFO for servers without that section.
func (r *runner) clusterEnabled() (bool, string, error) {
	rep, err := r.do("INFO", "cluster")
	var er errReply
	switch {
	case err == nil && strings.Contains(rep.Str, "cluster_enabled:1"):
		return true, "cluster_enabled:1", nil
	case err == nil && strings.Contains(rep.Str, "cluster_enabled:0"):
		return false, "cluster_enabled:0", nil
	case err != nil && !errors.As(err, &er):
		return false, "", err
	}
	rep, err = r.do("CLUSTER", "INFO")
	switch {
	case err == nil && strings.Contains(rep.Str, "cluster_state:"):
		return true, "CLUSTER INFO answered", nil
	case err != nil && !errors.As(err, &er):
		return false, "", err
	}
	return false, "no cluster support reported", nil
}

// shardCount counts the shards with CLUSTER SHARDS (Redis 7+), else the slot ranges' distinct
// primaries with CLUSTER SLOTS.
func (r *runner) shardCount() (int, error) {
	rep, err := r.do("CLUSTER", "SHARDS")
	if err == nil {
		return len(rep.Elems), nil
	}
	var er errReply
	if !errors.As(err, &er) {
		return 0, err
	}
	rep, err = r.do("CLUSTER", "SLOTS")
	if err != nil {
		return 0, err
	}
	primaries := map[string]bool{}
	for _, rng := range rep.Elems {
		if len(rng.Elems) >= 3 && len(rng.Elems[2].Elems) >= 2 {
			n := rng.Elems[2].Elems
			primaries[n[0].Str+":"+strconv.FormatInt(n[1].Int, 10)] = true
		}
	}
	return len(primaries), nil
}
