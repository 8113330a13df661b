package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/amr-tui/amr-tui/decode/decodetest"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// runGetCLI runs `amr-tui --config CONFIG get ARGS…` in-process.
func runGetCLI(t *testing.T, ctx context.Context, config string, args ...string) execResult {
	t.Helper()
	var out, errOut bytes.Buffer
	root := &cobra.Command{Use: "amr-tui", SilenceUsage: true, SilenceErrors: true}
	root.PersistentFlags().String("config", "", "profiles file")
	root.AddCommand(newGetCmdWith(execAuthOptions(t)))
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"--config", config, "get"}, args...))
	err := root.ExecuteContext(ctx)
	return execResult{stdout: out.String(), stderr: errOut.String(), err: err}
}

func TestGetDecodes(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := execCtx(t, time.Minute)

	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`{"user":"ada","n":1}`))
	w.Close()
	enc, _ := zstd.NewWriter(nil)
	mp, _ := msgpack.Marshal(map[string]int{"qty": 3})
	zmp := enc.EncodeAll(mp, nil)
	enc.Close()
	ticks := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Unix()*10_000_000 + 621355968000000000
	rdb.Set(ctx, "gz", gz.Bytes(), 0)
	rdb.Set(ctx, "zmp", zmp, 0)
	rdb.Set(ctx, "bad", append(gz.Bytes()[:12:12], 0xff, 0xff), 0)
	rdb.HSet(ctx, "h", "payload", gz.Bytes(), "other", "x")
	rdb.HSet(ctx, "entry", "absexp", ticks, "sldexp", "-1", "data", `{"temp":21}`)
	rdb.RPush(ctx, "l", "a", mp)
	rdb.ZAdd(ctx, "z", redis.Z{Score: 1, Member: gz.Bytes()})
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-0", Values: []any{"body", mp}})
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))

	for _, c := range []struct {
		args   []string
		status int
		out    string // stdout (exact)
		errOut string // substring of stderr
	}{
		{[]string{"gz"}, 0, "{\n  \"user\": \"ada\",\n  \"n\": 1\n}\n", ""},
		{[]string{"gz", "--decode", "none"}, 0, string(gz.Bytes()), ""}, // byte for byte, no newline added
		{[]string{"gz", "-v"}, 0, "{\n  \"user\": \"ada\",\n  \"n\": 1\n}\n", "gzip → JSON"},
		{[]string{"zmp"}, 0, "{\n  \"qty\": 3\n}\n", ""},
		{[]string{"h", "--field", "payload"}, 0, "{\n  \"user\": \"ada\",\n  \"n\": 1\n}\n", ""},
		{[]string{"entry", "-v"}, 0, "{\n  \"temp\": 21\n}\n", "absolute expiration: 2030-01-01"},
		{[]string{"l", "--field", "1"}, 0, "{\n  \"qty\": 3\n}\n", ""},
		{[]string{"z", "--field", "0"}, 0, "{\n  \"user\": \"ada\",\n  \"n\": 1\n}\n", ""},
		{[]string{"s", "--field", "1-0:body"}, 0, "{\n  \"qty\": 3\n}\n", ""},
		{[]string{"gz", "--decode", "brotli"}, 3, "", "Brotli"},
		{[]string{"bad"}, 3, "", "gzip: "},
		{[]string{"missing"}, 1, "", "no such key"},
		{[]string{"h"}, 1, "", "give --field"},
		{[]string{"h", "--field", "nope"}, 1, "", `has no field "nope"`},
		{[]string{"l"}, 1, "", "give --field"},
		{[]string{"gz", "--decode", "zip"}, 1, "", "unknown decoder"},
		{[]string{"gz", "--max-bytes", "10"}, 1, "", "over --max-bytes"},
	} {
		r := runGetCLI(t, ctx, config, append([]string{"-p", "local"}, c.args...)...)
		if r.status() != c.status || (c.out != "" && r.stdout != c.out) || !strings.Contains(r.stderr+errText(r.err), c.errOut) {
			t.Errorf("get %v: status %d, stdout %q, stderr %q, err %v", c.args, r.status(), r.stdout, r.stderr, r.err)
		}
		if c.status == 3 && !strings.HasPrefix(r.stdout, "00000000  ") {
			t.Errorf("get %v: no hex fallback: %q", c.args, r.stdout)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Every value of the decoder corpus prints its expected text through `amr-tui get`, from a real
// redis-server.
func TestGetDecodesCorpus(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := execCtx(t, 2*time.Minute)
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))
	for _, c := range decodetest.Corpus(t) {
		rdb.Set(ctx, "corpus:"+c.Name, c.Raw, 0)
		r := runGetCLI(t, ctx, config, "-p", "local", "corpus:"+c.Name, "--decode", c.Choice, "-v")
		if r.status() != 0 || !strings.Contains(r.stderr, c.Chain) {
			t.Errorf("%s: status %d, stderr %q, err %v", c.Name, r.status(), r.stderr, r.err)
			continue
		}
		for _, w := range c.Want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%s: %q not printed:\n%s", c.Name, w, r.stdout)
			}
		}
	}
}
