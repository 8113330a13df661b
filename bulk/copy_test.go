package bulk

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Copy in each mode between two servers, and between a cluster and a server both ways, gives
// identical data.
func TestCopyBetweenServers(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []CopyMode{CopyAuto, CopyDump, CopyTyped} {
		t.Run(string(mode), func(t *testing.T) {
			src, dst := startServer(t), startServer(t)
			names := seed(t, src, "cp:", nKeys(3000, 100_000), true)
			rep, err := Copy(ctx, src, dst, Selection{}, CopyOptions{Mode: mode})
			must(t, err)
			if rep.Created != int64(len(names)) || rep.Failed != 0 {
				t.Fatalf("%s %v", rep.String(), rep.Failures)
			}
			sameData(t, src, dst, names)
			// Again with skip: all exist.
			rep, err = Copy(ctx, src, dst, Selection{}, CopyOptions{Mode: mode})
			must(t, err)
			if rep.Skipped != int64(len(names)) || rep.Created != 0 {
				t.Fatalf("second copy: %s", rep.String())
			}
		})
	}
	t.Run("cluster", func(t *testing.T) {
		cl, one := startCluster(t), startServer(t)
		names := seed(t, one, "x:", nKeys(2000, 20_000), true)
		rep, err := Copy(ctx, one, cl, Selection{Match: "x:*"}, CopyOptions{})
		must(t, err)
		if rep.Created != int64(len(names)) {
			t.Fatalf("server to cluster: %s %v", rep.String(), rep.Failures)
		}
		sameData(t, one, cl, names)
		back := startServer(t)
		rep, err = Copy(ctx, cl, back, Selection{}, CopyOptions{Mode: CopyTyped})
		must(t, err)
		if rep.Created != int64(len(names)) {
			t.Fatalf("cluster to server: %s %v", rep.String(), rep.Failures)
		}
		sameData(t, one, back, names)
	})
}

// Export from a cluster and import into a cluster, in both formats.
func TestClusterExportImport(t *testing.T) {
	ctx := context.Background()
	src, dst := startCluster(t), startCluster(t)
	names := seed(t, src, "k:", nKeys(2000, 20_000), true)
	for _, f := range []Format{FormatJSONL, FormatDump} {
		var buf bytes.Buffer
		rep, err := Export(ctx, src, Selection{}, &buf, ExportOptions{Format: f})
		must(t, err)
		if rep.Affected != int64(len(names)) {
			t.Fatalf("%s export: %s", f, rep.String())
		}
		irep, err := Import(ctx, dst, opener(buf.Bytes()), ImportOptions{Conflict: ConflictReplace})
		must(t, err)
		if irep.Created+irep.Replaced != int64(len(names)) || irep.Failed != 0 {
			t.Fatalf("%s import: %s %v", f, irep.String(), irep.Failures)
		}
		sameData(t, src, dst, names)
		if n := dbsize(t, dst); n != int64(len(names)) {
			t.Fatalf("%d keys on the target cluster, want %d", n, len(names))
		}
	}
}

var _ redis.UniversalClient = (*redis.ClusterClient)(nil)

// A target that cannot read the source's DUMP payloads (another RDB version: simulated by a
// hook that damages the payloads on their way) gets the keys typed in auto mode; in dump mode
// they are failures with the server's reason, and nothing else is written.
func TestCopyFallsBackToTyped(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []CopyMode{CopyAuto, CopyDump} {
		t.Run(string(mode), func(t *testing.T) {
			src, dst := startServer(t), startServer(t)
			names := seed(t, src, "v:", 500, true)
			dst.AddHook(damagePayloads{})
			rep, err := Copy(ctx, src, dst, Selection{}, CopyOptions{Mode: mode})
			must(t, err)
			if mode == CopyDump {
				if rep.Failed != int64(len(names)) || dbsize(t, dst) != 0 || len(rep.Failures) == 0 ||
					!strings.Contains(rep.Failures[0].Reason, "payload version or checksum") {
					t.Fatalf("%s %v", rep.String(), rep.Failures[:1])
				}
				return
			}
			if rep.Created != int64(len(names)) || rep.Failed != 0 {
				t.Fatalf("%s %v", rep.String(), rep.Failures)
			}
			sameData(t, src, dst, names)
		})
	}
}

type damagePayloads struct{}

func (damagePayloads) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (damagePayloads) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }
func (damagePayloads) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			a := c.Args()
			// RESTORE key ttl payload: the source's payloads and those the import builds,
			// whose refusal sends the keys by script.
			if len(a) == 4 && a[0] == "RESTORE" {
				if p, ok := a[3].(string); ok && len(p) > 10 {
					b := []byte(p)
					b[len(b)-10] ^= 0xff
					a[3] = string(b)
				}
				continue
			}
			// restoreScript: EVALSHA sha numkeys key… rule (ttl payload)…
			if len(a) < 3 || a[0] != "evalsha" || a[1] != restoreScript.Hash() {
				continue
			}
			n, _ := a[2].(int)
			for i := 3 + n + 2; i < len(a); i += 2 {
				if p, ok := a[i].(string); ok && len(p) > 10 {
					b := []byte(p)
					b[len(b)-10] ^= 0xff // the RDB version's low byte
					a[i] = string(b)
				}
			}
		}
		return next(ctx, cmds)
	}
}
