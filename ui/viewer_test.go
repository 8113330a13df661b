package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
	"github.com/amr-tui/amr-tui/ui/viewer"

	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestViewerReadsBoundedWindows(t *testing.T) {
	f := uitest.NewFakeStore()
	big := make([]string, 100_000)
	for i := range big {
		big[i] = "item-" + strconv.Itoa(i)
	}
	f.Set("biglist", big)
	h := map[string]string{}
	for i := range 1000 {
		h["f"+strconv.Itoa(i)] = "v"
	}
	f.Set("bighash", h)
	s := make(uitest.SetVal, 500)
	for i := range s {
		s[i] = "m" + strconv.Itoa(i)
	}
	f.Set("bigset", s)
	z := make([]uitest.Zmember, 450)
	for i := range z {
		z[i] = uitest.Zmember{Member: "z" + strconv.Itoa(i), Score: float64(i) / 2}
	}
	f.Set("bigzset", z)
	f.Set("bigstring", strings.Repeat("x", 200_000))
	var xs []common.StreamEntry
	for i := range 250 {
		xs = append(xs, common.StreamEntry{ID: strconv.Itoa(1000+i) + "-0", Fields: []string{"n", strconv.Itoa(i)}})
	}
	f.Set("stream", xs)
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)

	open := func(k string) {
		drain(t, a, a.runCommand("open "+k))
		if a.viewer.Err != nil {
			t.Fatalf("%s: %v", k, a.viewer.Err)
		}
	}
	open("biglist")
	press(t, a, "n", "n", "N")
	want := []string{"LLEN biglist", "LRANGE biglist 0 199", "LLEN biglist", "LRANGE biglist 200 399", "LLEN biglist", "LRANGE biglist 400 599", "LLEN biglist", "LRANGE biglist 200 399"}
	if got := append(f.CallsOf("LLEN"), f.CallsOf("LRANGE")...); len(got) != len(want) {
		t.Fatalf("list calls %v", got)
	}
	if v := a.Render(); !strings.Contains(v, "LLEN 100,000 elements · items 200–399 of 100,000") || !strings.Contains(v, "item-200") {
		t.Fatalf("list page 2 not shown:\n%s", v)
	}

	open("bighash")
	press(t, a, "n")
	if got := f.CallsOf("HSCAN"); len(got) != 2 || got[0] != "HSCAN bighash 0 200" || got[1] != "HSCAN bighash 200 200" {
		t.Fatalf("HSCAN calls %v", got)
	}
	open("bigset")
	if got := f.CallsOf("SSCAN"); len(got) != 1 || got[0] != "SSCAN bigset 0 200" {
		t.Fatalf("SSCAN calls %v", got)
	}
	open("bigzset")
	press(t, a, "n", "n", "n") // only two more pages exist
	if got := f.CallsOf("ZRANGE"); len(got) != 3 || got[2] != "ZRANGE bigzset 400 599 WITHSCORES" {
		t.Fatalf("ZRANGE calls %v", got)
	}
	open("bigstring")
	if got := f.CallsOf("GETRANGE"); len(got) != 1 || got[0] != "GETRANGE bigstring 0 65535" {
		t.Fatalf("GETRANGE calls %v", got)
	}
	if v := a.Render(); !strings.Contains(v, "STRLEN 200,000 bytes · bytes 0–65,535 of 200,000 · n: next page") {
		t.Fatalf("string page info:\n%s", v)
	}
	open("stream")
	press(t, a, "n")
	if got := f.CallsOf("XRANGE"); len(got) != 2 || got[0] != "XRANGE stream - + 101" || got[1] != "XRANGE stream (1099-0 + 101" {
		t.Fatalf("XRANGE calls %v", got)
	}
	// Every read was a size query or a bounded window: nothing fetched a whole value.
	for _, c := range f.Calls {
		for _, banned := range []string{"HGETALL", "SMEMBERS", "LRANGE biglist 0 -1", "GET "} {
			if strings.HasPrefix(c, banned) {
				t.Fatalf("unbounded read %q", c)
			}
		}
	}
}

func TestStringModes(t *testing.T) {
	if m := viewer.GuessMode(`{"a":1}`, true); m != viewer.ModeJSON {
		t.Fatalf("json: %v", m)
	}
	if m := viewer.GuessMode(`{"a":1`, true); m != viewer.ModeText {
		t.Fatalf("broken json: %v", m)
	}
	if m := viewer.GuessMode(`{"a":1}`, false); m != viewer.ModeText {
		t.Fatalf("truncated json must not be pretty-printed: %v", m)
	}
	if m := viewer.GuessMode("\x00\x01\xff", true); m != viewer.ModeHex {
		t.Fatalf("binary: %v", m)
	}
	f := uitest.NewFakeStore()
	f.Set("bin", "\x00\x01ABC\xff")
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("open bin"))
	if v := a.Render(); !strings.Contains(v, "00000000  00 01 41 42 43 ff") || !strings.Contains(v, "|..ABC.|") {
		t.Fatalf("hex dump:\n%s", v)
	}
	press(t, a, "v") // hex → text
	if v := a.Render(); !strings.Contains(v, `\x00\x01ABC\xff`) {
		t.Fatalf("text view does not escape control bytes:\n%s", v)
	}
}

func TestViewerMissingKeyAndUnknownType(t *testing.T) {
	f := uitest.NewFakeStore()
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("open ghost"))
	if v := a.Render(); !strings.Contains(v, "this key does not exist") {
		t.Fatalf("missing key:\n%s", v)
	}
	press(t, a, "esc")
	if a.screen != screenKeys {
		t.Fatal("esc did not go back to the list")
	}
}

func TestRedisJSONDocuments(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("doc", uitest.JSONDoc(`{"name":"amr","tags":["a","b"],"n":1.5}`))
	f.Set("huge", uitest.JSONDoc(`{"x":"`+strings.Repeat("y", viewer.JSONLimit)+`"}`))
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("open doc"))
	v := stripANSI(a.Render())
	for _, want := range []string{"ReJSON-RL", "whole document (JSON.GET)", "view json", `"tags": [`} {
		if !strings.Contains(v, want) {
			t.Fatalf("missing %q:\n%s", want, v)
		}
	}
	drain(t, a, a.runCommand("open huge"))
	if !strings.Contains(a.Render(), "are not read whole") {
		t.Fatalf("huge document fetched:\n%s", a.Render())
	}
	if got := f.CallsOf("JSON.GET"); len(got) != 1 {
		t.Fatalf("JSON.GET calls %v", got)
	}
}

func TestInfoDenied(t *testing.T) {
	f := uitest.NewFakeStore()
	f.InfoErr = errors.New("NOPERM this user has no permissions to run the 'info' command")
	a, _ := testApp(t, f, nil, 100, 20)
	start(t, a)
	drain(t, a, a.runCommand("info"))
	if v := a.Render(); !strings.Contains(v, "NOPERM") {
		t.Fatalf("denied INFO not explained:\n%s", v)
	}
	press(t, a, "esc")
	if a.screen != screenKeys {
		t.Fatal("esc did not leave :info")
	}
}
