package analyze

import (
	"fmt"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/internal/redistest"
)

// A key over 10 MiB, a hash of a million fields and a namespace holding most of the memory
// each make a finding with its reason and a command that works as given.
func TestFindings(t *testing.T) {
	srv := redistest.StartRedisServer(t)
	c := client(t, srv.Addr, 0)
	ctx := testCtx(t)
	if err := c.Set(ctx, "big:blob", strings.Repeat("x", 11<<20), 0).Err(); err != nil {
		t.Fatal(err)
	}
	for lo := 0; lo < HugeLength; lo += 10000 {
		args := []any{"HSET", "big:hash"}
		for i := lo; i < lo+10000; i++ {
			args = append(args, i, 1)
		}
		if err := c.Do(ctx, args...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 {
		c.Set(ctx, fmt.Sprintf("small:%d", i), "v", 0)
	}
	rep, err := Analyze(ctx, c, Options{Mode: Full})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Finding{}
	for _, f := range rep.Findings {
		got[f.Kind+" "+f.Subject] = f
	}
	for kind, cmd := range map[string]string{
		"big_key big:blob":         "MEMORY USAGE big:blob SAMPLES 0",
		"big_key big:hash":         "MEMORY USAGE big:hash SAMPLES 0",
		"huge_collection big:hash": "HSCAN big:hash 0 COUNT 100",
		"dominant_namespace big:":  "SCAN 0 MATCH big:* COUNT 1000",
	} {
		f, ok := got[kind]
		if !ok {
			t.Errorf("no %s finding in %+v", kind, rep.Findings)
			continue
		}
		if f.Command != cmd || f.Reason == "" {
			t.Errorf("%s: command %q (want %q), reason %q", kind, f.Command, cmd, f.Reason)
		}
		// The command runs as given.
		args := strings.Fields(f.Command)
		a := make([]any, len(args))
		for i, s := range args {
			a[i] = s
		}
		if err := c.Do(ctx, a...).Err(); err != nil {
			t.Errorf("%s: %q fails: %v", kind, f.Command, err)
		}
	}
}
