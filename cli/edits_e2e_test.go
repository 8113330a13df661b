package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// TestEditsEndToEndInTmux drives the real binary in tmux against a real redis-server through
// the two edits issue 14 found losing data, and checks the server's bytes with go-redis:
//   - R onto an existing key (a stream) is refused until the target's name is typed; a wrong
//     name changes nothing (DUMP of both keys identical), the right one overwrites.
//   - e on a hash field holding "multi\nline\nvalue" goes to $EDITOR (a script here), and what
//     the editor saved is stored byte for byte; the other field is untouched.
func TestEditsEndToEndInTmux(t *testing.T) {
	tmuxPath(t)
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rdb.Close() })
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(rdb.Set(ctx, "src", "the string\r\nvalue\x00\xff", 0).Err())
	for i := 0; i < 50; i++ {
		must(rdb.XAdd(ctx, &redis.XAddArgs{Stream: "target", Values: []string{"n", strings.Repeat("x", i)}}).Err())
	}
	dump := func(k string) string {
		t.Helper()
		v, err := rdb.Dump(ctx, k).Result()
		must(err)
		return v
	}
	streamBefore, stringBefore := dump("target"), dump("src")
	cfg := writeProfiles(t, "", localProfile(t, "local", srv.Addr))
	bin := buildTUIBinary(t)

	t.Run("rename onto an existing key", func(t *testing.T) {
		r := startTmux(t, nil, bin, "--config", cfg, "-p", "local")
		r.waitFor("the key list", 60*time.Second, func(s string) bool {
			return strings.HasPrefix(s, "● local") && strings.Contains(s, "complete") && strings.Contains(s, "target")
		})
		r.send(false, "/src") // SCAN order is the server's: the filter leaves src alone, selected
		r.send(true, "Enter")
		r.waitFor("src alone", 30*time.Second, func(s string) bool {
			return strings.Contains(s, "› src") && !strings.Contains(s, "stream")
		})
		r.send(false, "R")
		r.send(true, "C-u")
		r.send(false, "target")
		r.send(true, "Enter")
		r.waitFor("the overwrite question", 30*time.Second, func(s string) bool {
			return strings.Contains(s, "target exists (stream") && strings.Contains(s, "type its name to replace it")
		})
		if dump("target") != streamBefore || dump("src") != stringBefore {
			t.Fatal("a key changed while the overwrite question was open")
		}
		r.send(false, "targe")
		r.send(true, "Enter")
		r.waitFor("the refusal", 30*time.Second, func(s string) bool {
			return strings.Contains(s, "cancelled: the name did not match")
		})
		if dump("target") != streamBefore || dump("src") != stringBefore {
			t.Fatal("a key changed after a mismatched name")
		}
		r.send(false, "R")
		r.send(true, "C-u")
		r.send(false, "target")
		r.send(true, "Enter")
		r.waitFor("the overwrite question again", 30*time.Second, func(s string) bool {
			return strings.Contains(s, "type its name to replace it")
		})
		r.send(false, "target")
		r.send(true, "Enter")
		r.waitFor("the rename", 30*time.Second, func(s string) bool {
			return strings.Contains(s, "renamed (replacing the old key)")
		})
		if n := rdb.Exists(ctx, "src").Val(); n != 0 {
			t.Errorf("src still exists after the rename")
		}
		if got := rdb.Get(ctx, "target").Val(); got != "the string\r\nvalue\x00\xff" {
			t.Errorf("target holds %q", got)
		}
		r.quit()
		if rc := r.exitStatus(30 * time.Second); rc != 0 {
			t.Fatalf("exited with %d", rc)
		}
	})

	t.Run("multi-line hash field through EDITOR", func(t *testing.T) {
		must(rdb.HSet(ctx, "h", "f", "multi\nline\nvalue").Err())
		must(rdb.HSet(ctx, "h", "other", "keep\tme\x1b").Err())
		editor := filepath.Join(t.TempDir(), "editor.sh")
		// The editor checks it was handed the value as it is, then saves new lines and a tab.
		script := "#!/bin/sh\n" +
			"printf 'multi\\nline\\nvalue' | cmp -s - \"$1\" || { echo 'editor got the wrong text' >&2; exit 1; }\n" +
			"printf 'multi\\nline\\n\\tedited \\342\\230\\203' > \"$1\"\n"
		must(os.WriteFile(editor, []byte(script), 0o755))
		r := startTmux(t, []string{"EDITOR=" + editor, "VISUAL="}, bin, "--config", cfg, "-p", "local")
		r.waitFor("the key list", 60*time.Second, func(s string) bool {
			return strings.HasPrefix(s, "● local") && strings.Contains(s, "complete")
		})
		r.send(false, ":open h")
		r.send(true, "Enter")
		r.waitFor("the hash", 30*time.Second, func(s string) bool {
			return strings.Contains(s, "HLEN 2") && strings.Contains(s, "other")
		})
		r.send(false, "e")
		r.waitFor("the saved edit", 30*time.Second, func(s string) bool {
			return strings.Contains(s, "saved h")
		})
		if got := rdb.HGet(ctx, "h", "f").Val(); got != "multi\nline\n\tedited ☃" {
			t.Errorf("f holds %q", got)
		}
		if got := rdb.HGet(ctx, "h", "other").Val(); got != "keep\tme\x1b" {
			t.Errorf("other holds %q", got)
		}
		r.quit()
		if rc := r.exitStatus(30 * time.Second); rc != 0 {
			t.Fatalf("exited with %d", rc)
		}
	})
}

// TestRescanAfterServerRestartInTmux: after the server restarts under the real binary, the
// first r scans (it used to fail with "SCAN … EOF" every time) and the body never claims to be
// scanning while the status says the scan failed.
func TestRescanAfterServerRestartInTmux(t *testing.T) {
	tmuxPath(t)
	srv := redistest.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rdb.Close() })
	ctx := context.Background()
	if err := rdb.Set(ctx, "before:restart", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	cfg := writeProfiles(t, "", localProfile(t, "local", srv.Addr))
	bin := buildTUIBinary(t)
	r := startTmux(t, nil, bin, "--config", cfg, "-p", "local")
	r.waitFor("the key list", 60*time.Second, func(s string) bool {
		return strings.Contains(s, "complete") && strings.Contains(s, "before:restart")
	})
	srv.Restart() // an empty server: no save
	if err := rdb.Set(ctx, "after:restart", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	r.send(false, "r")
	s := r.waitFor("the rescan", 30*time.Second, func(s string) bool {
		return strings.Contains(s, "after:restart") && strings.Contains(s, "complete") || strings.Contains(s, "SCAN failed")
	})
	if strings.Contains(s, "SCAN failed") || strings.Contains(s, "before:restart") {
		t.Fatalf("the first r after the restart did not scan:\n%s", s)
	}
	r.quit()
	if rc := r.exitStatus(30 * time.Second); rc != 0 {
		t.Fatalf("exited with %d", rc)
	}
}
