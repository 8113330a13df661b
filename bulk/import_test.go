package bulk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// export returns the export of all of c in format f.
func export(t testing.TB, c redis.UniversalClient, f Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := Export(context.Background(), c, Selection{}, &buf, ExportOptions{Format: f})
	must(t, err)
	return buf.Bytes()
}

// The three conflict rules on a target holding some of the file's keys with other values,
// through go-redis and through a session's Pipes.
func TestImportConflictRules(t *testing.T) {
	ctx := context.Background()
	src := startServer(t)
	names := seed(t, src, "c:", 600, true)
	for _, f := range []Format{FormatJSONL, FormatDump} {
		file := export(t, src, f)
		for _, via := range []string{"go-redis", "pipe"} {
			t.Run(string(f)+"/"+via, func(t *testing.T) {
				dst := startServer(t)
				var pipe func() (Pipe, error)
				var trips atomic.Int64
				if via == "pipe" {
					pipe = pipes(openSession(t, dst), &trips)
				}
				// Every tenth key exists on the target, as a string of another value; so do two
				// big values (their writes go through a temporary key).
				var clash []string
				for i, k := range names {
					if i%10 == 0 || strings.Contains(k, "big:list") || strings.Contains(k, "big:hash") {
						must(t, dst.Set(ctx, k, "theirs", 0).Err())
						clash = append(clash, k)
					}
				}
				before := dbsize(t, dst)

				// fail: refused before anything is written.
				rep, err := Import(ctx, dst, opener(file), ImportOptions{Conflict: ConflictFail, Pipe: pipe})
				if !errors.Is(err, ErrConflict) || rep.Created != 0 {
					t.Fatalf("fail: %v, %s", err, rep.String())
				}
				if n := dbsize(t, dst); n != before {
					t.Fatalf("fail: the target went from %d to %d keys", before, n)
				}

				// skip: the clashing keys keep their value, the others are created.
				rep, err = Import(ctx, dst, opener(file), ImportOptions{Conflict: ConflictSkip, Pipe: pipe})
				must(t, err)
				if rep.Skipped != int64(len(clash)) || rep.Created != int64(len(names)-len(clash)) || rep.Failed != 0 {
					t.Fatalf("skip: %s; want %d skipped, %d created", rep.String(), len(clash), len(names)-len(clash))
				}
				for _, k := range clash {
					if v, err := dst.Get(ctx, k).Result(); err != nil || v != "theirs" {
						t.Fatalf("skip overwrote %q: %q %v", k, v, err)
					}
				}
				if n := dbsize(t, dst); n != int64(len(names)) {
					t.Fatalf("skip: %d keys on the target, want %d (a temporary key left?)", n, len(names))
				}

				// replace: everything is the source's.
				rep, err = Import(ctx, dst, opener(file), ImportOptions{Conflict: ConflictReplace, Pipe: pipe})
				must(t, err)
				if rep.Replaced != int64(len(names)) || rep.Created != 0 {
					t.Fatalf("replace: %s", rep.String())
				}
				sameData(t, src, dst, names)
				if n := dbsize(t, dst); n != int64(len(names)) {
					t.Fatalf("replace: %d keys on the target, want %d", n, len(names))
				}
				if via == "pipe" && trips.Load() == 0 {
					t.Fatal("nothing was sent on the Pipes")
				}
			})
		}
	}
}

// --ttl none writes every key without a TTL; keys whose absolute expiry has passed are not
// written under --ttl keep.
func TestImportTTLModes(t *testing.T) {
	ctx := context.Background()
	src := startServer(t)
	must(t, src.Set(ctx, "short", "v", 1500*time.Millisecond).Err())
	must(t, src.Set(ctx, "long", "v", time.Hour).Err())
	must(t, src.RPush(ctx, "none", "a").Err())
	file := export(t, src, FormatJSONL)

	dst := startServer(t)
	rep, err := Import(ctx, dst, opener(file), ImportOptions{DropTTL: true})
	must(t, err)
	if rep.Created != 3 {
		t.Fatalf("%s", rep.String())
	}
	for _, k := range []string{"short", "long", "none"} {
		if d := dst.PTTL(ctx, k).Val(); d != -1 {
			t.Fatalf("--ttl none: %s has TTL %v", k, d)
		}
	}
	time.Sleep(1600 * time.Millisecond)
	dst2 := startServer(t)
	rep, err = Import(ctx, dst2, opener(file), ImportOptions{})
	must(t, err)
	if rep.Created != 2 || rep.Expired != 1 {
		t.Fatalf("--ttl keep after short expired: %s", rep.String())
	}
	if d := dst2.PTTL(ctx, "long").Val(); d > time.Hour || d < time.Hour-10*time.Second {
		t.Fatalf("long's TTL %v", d)
	}
}

// An import cancelled half way, run again with skip, ends with exactly the source's data;
// a big value interrupted while it was being built leaves nothing under its own name.
func TestImportInterruptedThenRerun(t *testing.T) {
	ctx := context.Background()
	src := startServer(t)
	names := seed(t, src, "i:", nKeys(3000, 20000), true)
	file := export(t, src, FormatJSONL)
	dst := startServer(t)

	ctl := NewControl(0)
	var cancelled atomic.Bool
	go func() {
		for ctl.Progress().Done < int64(len(names)/3) {
			time.Sleep(time.Millisecond)
		}
		ctl.Cancel()
		cancelled.Store(true)
	}()
	rep, err := Import(ctx, dst, opener(file), ImportOptions{Control: ctl})
	if !errors.Is(err, ErrCancelled) || !rep.Cancelled {
		t.Fatalf("cancel: %v %s", err, rep.String())
	}
	if n := dbsize(t, dst); n != rep.Created {
		t.Fatalf("the report says %d created, the target has %d keys", rep.Created, n)
	}
	if rep.Created == 0 || rep.Created >= int64(len(names)) {
		t.Fatalf("the cancel came at %d of %d", rep.Created, len(names))
	}

	// A big list (not in the file) interrupted after two windows: the writer is abandoned before end().
	w := newWriter(ctx, dst, ConflictSkip, true, &tally{}, new(writeState))
	must(t, w.begin("i:half:list", typeList, -1))
	for i := range 2500 {
		must(t, w.add([]string{"partial"}))
		_ = i
	}
	if n, _ := dst.Exists(ctx, "i:half:list").Result(); n != 0 {
		t.Fatal("a half-written big list is visible under its own name")
	}
	tmps, _ := dst.Keys(ctx, "*"+tmpPrefix+"*").Result()
	if len(tmps) != 1 || dst.PTTL(ctx, tmps[0]).Val() <= 0 {
		t.Fatalf("the temporary key %v has no TTL to clean up after itself", tmps)
	}
	must(t, dst.Del(ctx, tmps[0]).Err())

	rep2, err := Import(ctx, dst, opener(file), ImportOptions{Conflict: ConflictSkip})
	must(t, err)
	if rep2.Skipped != rep.Created || rep2.Created+rep2.Skipped != int64(len(names)) {
		t.Fatalf("re-run: %s after %s", rep2.String(), rep.String())
	}
	sameData(t, src, dst, names)
	if n := dbsize(t, dst); n != int64(len(names)) {
		t.Fatalf("%d keys after the re-run, want %d", n, len(names))
	}
}

// A malformed or truncated file is refused with its line, and nothing is written.
func TestImportRefusesBadFiles(t *testing.T) {
	ctx := context.Background()
	src := startServer(t)
	seed(t, src, "b:", 30, false)
	good := export(t, src, FormatJSONL)
	dst := startServer(t)
	cases := map[string][]byte{
		"truncated":     good[:len(good)-7],
		"no header":     good[bytes.IndexByte(good, '\n')+1:],
		"bad base64":    append(bytes.Clone(good), `{"key":{"base64":"!!"},"type":"string","ttl_ms":-1,"value":"x"}`+"\n"...),
		"unknown field": append(bytes.Clone(good), `{"key":"k","type":"string","ttl_ms":-1,"colour":1,"value":"x"}`+"\n"...),
		"value first":   append(bytes.Clone(good), `{"value":"x","key":"k","type":"string","ttl_ms":-1}`+"\n"...),
		"bad score":     append(bytes.Clone(good), `{"key":"k","type":"zset","ttl_ms":-1,"value":[["m","high"]]}`+"\n"...),
		"two records":   append(bytes.Clone(good), `{"key":"k","type":"string","ttl_ms":-1,"value":"x"} {"key":"k"}`+"\n"...),
		"empty":         nil,
	}
	for name, file := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Import(ctx, dst, opener(file), ImportOptions{})
			if err == nil {
				t.Fatal("accepted")
			}
			if name != "no header" && name != "empty" && !strings.Contains(err.Error(), "line ") {
				t.Fatalf("the error does not say where: %v", err)
			}
			if n := dbsize(t, dst); n != 0 {
				t.Fatalf("%d keys written from a bad file", n)
			}
		})
	}
}

// Nothing at all is sent to a read-only target: each refusal comes before the first command.
func TestReadOnlyRefusesBeforeSending(t *testing.T) {
	ctx := context.Background()
	c := startServer(t)
	must(t, c.Set(ctx, "k", "v", 0).Err())
	file := export(t, c, FormatJSONL)
	var sent atomic.Int64
	c.AddHook(countHook{&sent})
	sel := Selection{Match: "*"}
	_, e1 := Delete(ctx, c, sel, MutateOptions{ReadOnly: true})
	_, e2 := Expire(ctx, c, sel, ExpireSpec{TTL: time.Second}, MutateOptions{ReadOnly: true})
	_, e3 := Import(ctx, c, opener(file), ImportOptions{ReadOnly: true})
	_, e4 := Copy(ctx, c, c, sel, CopyOptions{ReadOnly: true})
	for i, err := range []error{e1, e2, e3, e4} {
		if !errors.Is(err, ErrReadOnly) {
			t.Fatalf("operation %d: %v", i, err)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Fatalf("%d commands reached the server", n)
	}
	// Reading is allowed.
	if _, err := Export(ctx, c, sel, &bytes.Buffer{}, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
}

type countHook struct{ n *atomic.Int64 }

func (h countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

// A replacement the server refuses (a stream entry ID that does not increase) leaves the
// existing key as it was, and the other keys of the file are written.
func TestImportReplaceRefusedKeepsOldValue(t *testing.T) {
	ctx := context.Background()
	dst := startServer(t)
	must(t, dst.RPush(ctx, "s", "old").Err())
	file := []byte(`{"amr_tui_export":1,"format":"jsonl"}
{"key":"s","type":"stream","ttl_ms":-1,"value":[["5-0",["f","v"]],["3-0",["f","v"]]]}
{"key":"ok","type":"hash","ttl_ms":-1,"value":[["f","v"]]}
`)
	rep, err := Import(ctx, dst, opener(file), ImportOptions{Conflict: ConflictReplace})
	must(t, err)
	if rep.Failed != 1 || rep.Created != 1 || len(rep.Failures) != 1 || rep.Failures[0].Key != "s" {
		t.Fatalf("%s %v", rep.String(), rep.Failures)
	}
	if v := dst.LRange(ctx, "s", 0, -1).Val(); len(v) != 1 || v[0] != "old" {
		t.Fatalf("the refused replacement changed s: %v (%s)", v, dst.Type(ctx, "s").Val())
	}
	if n := dbsize(t, dst); n != 2 {
		t.Fatalf("%d keys: a temporary key was left", n)
	}
}

// A file big enough to be checked in two halves gives the serial check's answers: the same
// count and sample, the same error and line for a bad record in either half, and a record
// spread over several lines across the cut is read whole.
func TestImportCheckHalves(t *testing.T) {
	ctx := context.Background()
	src := startServer(t)
	names := seed(t, src, "h:", 40_000, false)
	file := export(t, src, FormatJSONL)
	if len(file) < halvesMin {
		t.Fatalf("the file is %d bytes, below the %d where the check is cut in two", len(file), halvesMin)
	}
	serial := func(b []byte) (PreviewResult, error) { // no ReaderAt: never cut
		return checkFile(ctx, nil, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }, false, 3)
	}
	want, err := serial(file)
	must(t, err)
	got, err := checkFile(ctx, nil, opener(file), false, 3)
	must(t, err)
	if got.Count != int64(len(names)) || got.Count != want.Count || fmt.Sprint(got.Sample) != fmt.Sprint(want.Sample) {
		t.Fatalf("halves: %d %q; serial: %d %q", got.Count, got.Sample, want.Count, want.Sample)
	}
	lines := bytes.SplitAfter(file, []byte("\n"))
	mid := len(lines) / 2
	// A record across several lines, around the middle.
	spread := bytes.Clone(file)
	for i := mid - 50; i < mid+50; i++ {
		lines2 := bytes.SplitAfter(spread, []byte("\n"))
		l := lines2[i]
		if j := bytes.Index(l, []byte(`,"type"`)); j > 0 {
			rec := append(append(bytes.Clone(l[:j+1]), "\n  \n"...), l[j+1:]...)
			spread = bytes.Join(append(append(lines2[:i:i], rec), lines2[i+1:]...), nil)
		}
	}
	got, err = checkFile(ctx, nil, opener(spread), false, 0)
	if err != nil || got.Count != want.Count {
		t.Fatalf("records over several lines: %d, %v", got.Count, err)
	}
	// A bad record in the first half, then in the second: the serial pass's error.
	for _, at := range []int{mid / 2, mid + mid/2} {
		bad := bytes.Join(append(append(lines[:at:at], []byte(`{"key":"k","type":"zset","ttl_ms":-1,"value":[["m","high"]]}`+"\n")), lines[at:]...), nil)
		_, werr := serial(bad)
		_, gerr := checkFile(ctx, nil, opener(bad), false, 0)
		if werr == nil || gerr == nil || werr.Error() != gerr.Error() {
			t.Fatalf("bad record at line %d: serial %v; halves %v", at+1, werr, gerr)
		}
	}
	// Under fail, the first existing key named is the serial pass's.
	dst := startServer(t)
	must(t, dst.Set(ctx, names[len(names)-1], "x", 0).Err())
	must(t, dst.Set(ctx, names[10], "x", 0).Err())
	_, werr := checkFile(ctx, dst, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(file)), nil }, true, 0)
	_, gerr := checkFile(ctx, dst, opener(file), true, 0)
	if !errors.Is(gerr, ErrConflict) || werr.Error() != gerr.Error() {
		t.Fatalf("fail: serial %v; halves %v", werr, gerr)
	}
}

// A key that comes twice in a file, batches apart, is written in the file's order although
// batches go out on several connections (a key always goes to the same sender): under skip
// the first value stays and the second is skipped, under replace the second wins.
func TestImportKeepsOrderOfOneKey(t *testing.T) {
	ctx := context.Background()
	var file bytes.Buffer
	file.WriteString(`{"amr_tui_export":1,"format":"jsonl"}` + "\n")
	rec := func(k, v string) { fmt.Fprintf(&file, `{"key":%q,"type":"string","ttl_ms":-1,"value":%q}`+"\n", k, v) }
	rec("dup", "first")
	for i := range 5000 {
		rec(fmt.Sprintf("k%d", i), "v")
	}
	rec("dup", "second")
	for _, c := range []struct {
		rule    Conflict
		want    string
		counted func(Report) bool
	}{
		{ConflictSkip, "first", func(r Report) bool { return r.Created == 5001 && r.Skipped == 1 }},
		{ConflictReplace, "second", func(r Report) bool { return r.Created == 5001 && r.Replaced == 1 }},
	} {
		dst := startServer(t)
		rep, err := Import(ctx, dst, opener(file.Bytes()), ImportOptions{Conflict: c.rule})
		must(t, err)
		if v := dst.Get(ctx, "dup").Val(); v != c.want || !c.counted(rep) {
			t.Fatalf("%s: dup is %q, want %q; %s", c.rule, v, c.want, rep.String())
		}
	}
}
