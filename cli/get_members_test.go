package cli

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/config"
	"github.com/amr-tui/amr-tui/internal/redistest"
)

// Every member kind prints byte for byte with --decode none, binary names included (given with
// --field-hex), and a set member is decoded like any other value.
func TestGetMembersByteExact(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := execCtx(t, time.Minute)

	binary := "\x00\xff\r\n\x1b[2Jend\xc3"
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`{"user":"ada"}`))
	w.Close()
	rdb.SAdd(ctx, "set", binary, gz.String(), "plain")
	rdb.HSet(ctx, "hash", binary, binary+"v")
	rdb.RPush(ctx, "list", binary)
	rdb.ZAdd(ctx, "zset", redis.Z{Score: 1, Member: binary})
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: "stream", ID: "1-0", Values: []any{binary, binary + "s"}})
	config := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))
	hx := hex.EncodeToString

	for _, c := range []struct {
		args   []string
		status int
		out    string // stdout (exact)
		errOut string // substring of stderr or the error
	}{
		{[]string{"set", "--field-hex", hx([]byte(binary)), "--decode", "none"}, 0, binary, ""},
		{[]string{"set", "--field-hex", hx(gz.Bytes())}, 0, "{\n  \"user\": \"ada\"\n}\n", ""},
		{[]string{"set", "--field", "plain"}, 0, "plain\n", ""},
		{[]string{"set", "--field", "absent"}, 1, "", `has no member "absent"`},
		{[]string{"set"}, 1, "", "give --field"},
		{[]string{"hash", "--field-hex", hx([]byte(binary)), "--decode", "none"}, 0, binary + "v", ""},
		{[]string{"list", "--field", "0", "--decode", "none"}, 0, binary, ""},
		{[]string{"zset", "--field", "0", "--decode", "none"}, 0, binary, ""},
		{[]string{"stream", "--field-hex", hx([]byte("1-0:" + binary)), "--decode", "none"}, 0, binary + "s", ""},
		{[]string{"set", "--field-hex", "zz"}, 1, "", "--field-hex"},
		{[]string{"set", "--field", "a", "--field-hex", "61"}, 1, "", "not both"},
	} {
		r := runGetCLI(t, ctx, config, append([]string{"-p", "local"}, c.args...)...)
		if r.status() != c.status || (c.out != "" && r.stdout != c.out) || !strings.Contains(r.stderr+errText(r.err), c.errOut) {
			t.Errorf("get %v: status %d, stdout %q, stderr %q, err %v", c.args, r.status(), r.stdout, r.stderr, r.err)
		}
	}
}

// get runs the user decoders of config.toml: picked by name and by their detect bytes, with a
// real external command; a config.toml with a problem stops get with its line.
func TestGetUserDecoderFromConfig(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := execCtx(t, time.Minute)
	profilesFile := execWriteProfiles(t, execPlainProfile(t, "local", srv.Addr))
	dir := t.TempDir()
	t.Setenv(config.EnvDir, dir)
	conf := filepath.Join(dir, config.FileName)
	write := func(s string) {
		if err := os.WriteFile(conf, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("[decoders.rot]\ndecode = [\"sh\", \"-c\", \"tail -c +5 | tr a-z A-Z\"]\ndetect = \"ROT:\"\n")
	rdb.Set(ctx, "k", "ROT:secret", 0)
	rdb.Set(ctx, "other", "plain", 0)

	for _, c := range []struct {
		args        []string
		out, errOut string
		status      int
	}{
		{[]string{"k", "-v"}, "SECRET\n", "amr-tui: rot", 0},
		{[]string{"other", "--decode", "user:rot"}, "N\n", "", 0}, // picked by hand: "plain" minus 4 bytes, upper-cased
		{[]string{"k", "--decode", "none"}, "ROT:secret", "", 0},
		{[]string{"k", "--decode", "user:nope"}, "", "unknown decoder", 1},
	} {
		r := runGetCLI(t, ctx, profilesFile, append([]string{"-p", "local"}, c.args...)...)
		if r.status() != c.status || (c.out != "" && r.stdout != c.out) || !strings.Contains(r.stderr+errText(r.err), c.errOut) {
			t.Errorf("get %v: status %d, stdout %q, stderr %q, err %v", c.args, r.status(), r.stdout, r.stderr, r.err)
		}
	}
	write("[decoders.rot]\ndetect = \"ROT:\"\n")
	r := runGetCLI(t, ctx, profilesFile, "-p", "local", "k")
	if r.status() != 1 || !strings.Contains(errText(r.err), "config.toml:1") {
		t.Fatalf("a broken config.toml: status %d, err %v", r.status(), r.err)
	}
}
