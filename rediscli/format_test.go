package rediscli

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/amr-tui/amr-tui/internal/golden"
	"strings"
	"testing"
)

// bs is a bulk string on the wire.
func bs(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }

func allBytes() string {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}

// goldenWire is one wire reply per RESP2/RESP3 type and per formatting rule worth pinning.
var goldenWire = []struct{ name, wire string }{
	{"status", "+OK\r\n"},
	{"status_in_array", "*2\r\n+QUEUED\r\n:1\r\n"},
	{"error", "-ERR unknown command 'foo', with args beginning with: 'bar' \r\n"},
	{"error_wrongtype", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{"blob_error", "!" + fmt.Sprint(len("SYNTAX invalid\r\nsyntax")) + "\r\nSYNTAX invalid\r\nsyntax\r\n"},
	{"integer", ":42\r\n"},
	{"integer_negative", ":-9223372036854775808\r\n"},
	{"bulk", bs("hello world")},
	{"bulk_empty", "$0\r\n\r\n"},
	{"bulk_quotes_escapes", bs("a\"b\\c\n\r\t\a\b\f\v end")},
	{"bulk_unicode", bs("héllo wörld € 日本")},
	{"bulk_binary", bs(allBytes())},
	{"nil_bulk", "$-1\r\n"},
	{"nil_array", "*-1\r\n"},
	{"null", "_\r\n"},
	{"empty_array", "*0\r\n"},
	{"empty_map", "%0\r\n"},
	{"empty_set", "~0\r\n"},
	{"empty_push", ">0\r\n"},
	{"array", "*3\r\n" + bs("a") + ":2\r\n$-1\r\n"},
	{"array_nested", "*2\r\n*3\r\n" + bs("get") + ":2\r\n*2\r\n+readonly\r\n+fast\r\n*0\r\n"},
	{"array_mixed_errors", "*3\r\n:1\r\n-MY err\r\n" + bs("x")},
	{"array_12_nested", twelveNested()},
	{"array_100", hundred()},
	{"map", "%3\r\n" + bs("server") + bs("redis") + bs("proto") + ":3\r\n" + bs("modules") + "*0\r\n"},
	{"map_nested", "%2\r\n" + bs("a") + "*2\r\n:1\r\n%1\r\n" + bs("x") + ":1\r\n" + bs("b") + "~1\r\n" + bs("m")},
	{"map_nonstring_keys", "%3\r\n:0\r\n#f\r\n,1.5\r\n#t\r\n*1\r\n:7\r\n" + bs("arr")},
	{"set", "~3\r\n:0\r\n:1\r\n:2\r\n"},
	{"double", ",3.141\r\n"},
	{"double_exponent", ",1.0000000000000001e+300\r\n"},
	{"double_inf", ",inf\r\n"},
	{"double_neg_inf", ",-inf\r\n"},
	{"double_nan", ",nan\r\n"},
	{"bool_true", "#t\r\n"},
	{"bool_false", "#f\r\n"},
	{"verbatim", "=" + fmt.Sprint(4+len("This is a verbatim\nstring")) + "\r\ntxt:This is a verbatim\nstring\r\n"},
	{"bignum", "(1234567999999999999999999999999999999\r\n"},
	{"bignum_negative", "(-1234567999999999999999999999999999999\r\n"},
	{"push_pubsub", ">3\r\n" + bs("message") + bs("chan") + bs("hi")},
	{"push_invalidate", ">2\r\n" + bs("invalidate") + "*2\r\n" + bs("a") + bs("b c")},
	{"push_invalidate_all", ">2\r\n" + bs("invalidate") + "_\r\n"},
	{"attribute", "|1\r\n" + bs("key-popularity") + "*2\r\n" + bs("key:123") + ":90\r\n" + bs("Some real reply following the attribute")},
	{"attribute_in_array", "*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n" + bs("v")},
}

func twelveNested() string {
	var b strings.Builder
	b.WriteString("*12\r\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "*3\r\n:%d\r\n%s*1\r\n:%d\r\n", i, bs("x"), i)
	}
	return b.String()
}

func hundred() string {
	var b strings.Builder
	b.WriteString("*101\r\n")
	for i := 1; i <= 101; i++ {
		fmt.Fprintf(&b, ":%d\r\n", i)
	}
	return b.String()
}

// TestFormatGolden renders each reply of goldenWire in the three modes. The goldens were checked
// against redis-cli 7.0.15 for everything it can print (TestMatchesRedisCLI does that live).
func TestFormatGolden(t *testing.T) {
	for _, c := range goldenWire {
		t.Run(c.name, func(t *testing.T) {
			r := parseWire(t, c.wire)
			js, err := FormatJSON(r)
			jsText := string(js)
			if err != nil {
				jsText = "error: " + err.Error() + "\n"
			} else if !json.Valid(js) {
				t.Errorf("FormatJSON gave invalid JSON: %s", js)
			}
			got := "--- wire " + fmt.Sprintf("%q", c.wire) + "\n--- tty\n" + FormatTTY(r) +
				"--- raw\n" + FormatRaw(r) + "--- json\n" + jsText
			golden.Assert(t, "", []byte(got))
		})
	}
}

func TestFormatJSONNotUTF8(t *testing.T) {
	_, err := FormatJSON(Array(Bulk("ok"), Bulk("\xff")))
	if !errors.Is(err, ErrNotUTF8) {
		t.Fatalf("err = %v, want ErrNotUTF8", err)
	}
}

func TestFormatJSONInvalidKind(t *testing.T) {
	if _, err := FormatJSON(Reply{}); err == nil {
		t.Fatal("the zero Reply rendered as JSON without error")
	}
}

func TestOutputForcesRaw(t *testing.T) {
	report := Bulk("# Server\r\nredis_version:7.0.15\r\n")
	for _, m := range []Mode{ModeTTY, ModeRaw, ModeJSON} {
		got, err := Output(m, []string{"INFO", "server"}, report)
		if err != nil || string(got) != report.Str {
			t.Errorf("mode %d: Output(INFO) = %q, %v; want the report as is", m, got, err)
		}
	}
	got, _ := Output(ModeTTY, []string{"client", "list", "bogus"}, Error("ERR syntax error"))
	if string(got) != "ERR syntax error\n" {
		t.Errorf("forced-raw error = %q", got)
	}
	got, _ = Output(ModeTTY, []string{"get", "k"}, Bulk("v"))
	if string(got) != "\"v\"\n" {
		t.Errorf("Output(GET) = %q", got)
	}
}

func TestForcesRaw(t *testing.T) {
	cases := map[string]bool{
		"info": true, "INFO keyspace": true, "lolwut version 5": true,
		"debug htstats 0": true, "debug htstats-key k": true, "debug object k": false,
		"memory doctor": true, "memory malloc-stats": true, "memory stats": false,
		"cluster nodes": true, "cluster info": true, "cluster info x": false, "cluster slots": false,
		"client list": true, "client info": true, "client list type normal": true, "client id": false,
		"latency doctor": true, "latency doctor x": false, "latency graph cmd": true,
		"latency graph": false, "latency graph a b": false, "proxy info": true, "proxy": false,
		"get info": false, "": false,
	}
	for line, want := range cases {
		args, _ := SplitArgs(line)
		if got := ForcesRaw(args); got != want {
			t.Errorf("ForcesRaw(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestFormatRawDelim(t *testing.T) {
	r := Array(Bulk("a"), Array(Bulk("b"), Integer(1)), Nil())
	if got := FormatRawDelim(r, ",", "|"); got != "a,b,1,|" {
		t.Errorf("FormatRawDelim = %q", got)
	}
}

func TestReprCString(t *testing.T) {
	// C's %s stops at NUL for statuses and errors; bulk strings are length-counted.
	if got := FormatTTY(Status("ab\x00cd")); got != "ab\n" {
		t.Errorf("status with NUL = %q", got)
	}
	if got := FormatTTY(Error("ERR x\x00y")); got != "(error) ERR x\n" {
		t.Errorf("error with NUL = %q", got)
	}
	if got := FormatTTY(Bulk("ab\x00cd")); got != `"ab\x00cd"`+"\n" {
		t.Errorf("bulk with NUL = %q", got)
	}
}

func TestIsJSONNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "-0": true, "3.141": true, "1e5": true, "1.0000000000000001e+300": true,
		"-12345678901234567890": true, "01": false, "1.": false, ".5": false, "+1": false,
		"": false, "-": false, "1e": false, "inf": false, "nan": false, "0x10": false,
	} {
		if got := isJSONNumber(s); got != want {
			t.Errorf("isJSONNumber(%q) = %v, want %v", s, got, want)
		}
	}
}
