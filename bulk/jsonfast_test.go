package bulk

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// traceSink writes down what a reader hands over.
type traceSink struct{ b strings.Builder }

func (s *traceSink) begin(key, typ string, pttl int64) error {
	fmt.Fprintf(&s.b, "begin %q %q ttl:%v\n", key, typ, pttl > 0 || pttl == -1)
	return nil
}
func (s *traceSink) add(e []string) error { fmt.Fprintf(&s.b, "add %q\n", e); return nil }
func (s *traceSink) end() error           { s.b.WriteString("end\n"); return nil }

// readTrace reads file with or without the fast path, with a sink or as the check pass does,
// and returns everything read and the error that stopped it.
func readTrace(file []byte, noFast, withSink, noKeys bool) string {
	d, _, err := openExport(bytes.NewReader(file))
	if err != nil {
		return "header: " + err.Error()
	}
	d.noFast, d.noKeys = noFast, noKeys
	var s traceSink
	var sk sink
	if withSink {
		sk = &s
	}
	for {
		rec, err := d.read(sk)
		if err != nil {
			if err == errEOF {
				return s.b.String() + "EOF"
			}
			return s.b.String() + fmt.Sprintf("error at line %d: %v", d.line, err)
		}
		fmt.Fprintf(&s.b, "record %q %q %d %d %q %+v\n", rec.key, rec.typ, rec.pttl, rec.expireAt, rec.dump, rec.has)
	}
}

// fastCorpus is records in the export's own form and in forms only a hand-written file has:
// escapes, whitespace, other field orders, chunked strings, and records either path refuses.
var fastCorpus = []string{
	`{"key":"a","type":"string","ttl_ms":-1,"value":"v"}`,
	`{"key":"a\"b\\c\/d\b\f\n\r\t","type":"string","ttl_ms":5000,"expire_at_ms":99999999999999,"value":"x\u001by\u00e9\u2713"}`,
	`{"key":"emoji","type":"string","ttl_ms":-1,"value":"\ud83d\ude00"}`,
	`{"key":"lone","type":"string","ttl_ms":-1,"value":"\ud83d"}`,
	`{"key":{"base64":"/wA="},"type":"list","ttl_ms":-1,"value":["a",{"base64":"AAEC"},""]}`,
	`  {  "key" : "w" , "type" : "set" , "ttl_ms" : -1 , "value" : [ "x" , "y" ] }  ` + "\r",
	`{"type":"hash","ttl_ms":-1,"key":"order","value":[["f","v"],["g",""]]}`,
	`{"key":"z","type":"zset","ttl_ms":-1,"value":[["m","1.5"],["n","-1e300"],["o","inf"]]}`,
	`{"key":"z","type":"zset","ttl_ms":-1,"value":[["m","high"]]}`,
	`{"key":"z","type":"zset","ttl_ms":-1,"value":[["m","NaN"]]}`,
	`{"key":"h","type":"hash","ttl_ms":-1,"value":[["f","v","w"]]}`,
	`{"key":"h","type":"hash","ttl_ms":-1,"value":[["f"]]}`,
	`{"key":"s","type":"stream","ttl_ms":-1,"value":[["1-1",["f","v"]],["2-0",["a","b","c","d"]]]}`,
	`{"key":"s","type":"stream","ttl_ms":-1,"value":[["1-1",["f"]]]}`,
	`{"key":"s","type":"stream","ttl_ms":-1,"value":[]}`,
	`{"key":"c","type":"string","ttl_ms":-1,"value":["chunk1","chunk2"]}`,
	`{"key":"l","type":"list","ttl_ms":-1,"value":[]}`,
	`{"key":"m","type":"ReJSON-RL","ttl_ms":-1,"dump":"AQID"}`,
	`{"key":"m","ttl_ms":1000,"dump":"AQIDBA=="}`,
	`{"key":"m","ttl_ms":1000,"dump":""}`,
	`{"key":"m","ttl_ms":1000,"dump":"!!"}`,
	`{"key":"m","type":"string","ttl_ms":1000,"dump":"AQID"}`,
	`{"key":"m","type":"ReJSON-RL","ttl_ms":-1,"value":"x"}`,
	`{"key":"t","type":"string","ttl_ms":0,"value":"v"}`,
	`{"key":"t","type":"string","ttl_ms":-2,"value":"v"}`,
	`{"key":"t","type":"string","ttl_ms":12-3,"value":"v"}`,
	`{"key":"t","type":"string","ttl_ms":-1,"expire_at_ms":0,"value":"v"}`,
	`{"key":"t","type":"string","ttl_ms":-1,"value":"v","extra":1}`,
	`{"key":"t","type":"string","ttl_ms":-1,"value":"v"} trailing`,
	`{"key":"t","type":"string","ttl_ms":-1,"nope":1,"value":"v"}`,
	`{"key":"t","type":"string","value":"v"}`,
	`{"type":"string","ttl_ms":-1,"value":"v"}`,
	`{"key":"t","key":"u","type":"string","ttl_ms":-1,"value":"v"}`,
	`{}`,
	`{"key":"ctl","type":"string","ttl_ms":-1,"value":"a` + "\x01" + `b"}`,
	`{"key":"bad","type":"string","ttl_ms":-1,"value":"\x"}`,
	`{"key":"bad","type":"string","ttl_ms":-1,"value":"\u12"}`,
	`{"key":{"base64":"@@"},"type":"string","ttl_ms":-1,"value":"v"}`,
	`{"key":{"b64":"AA=="},"type":"string","ttl_ms":-1,"value":"v"}`,
	`{"key":"n","type":"string","ttl_ms":-1,"value":"` + "ünï\xffcode" + `"}`,
}

// The fast path reads what the byte-by-byte path reads, hands the sink the same calls, and
// leaves every record it does not take to the byte-by-byte path, whose error and line stand:
// the corpus above, a real export of every type with awkward names, and thousands of random
// mutations of both, each read with a sink, as the check pass (no keys) and with keys.
func TestFastPathReadsAsByteByByte(t *testing.T) {
	header := `{"amr_tui_export":1,"format":"jsonl","selection":"test"}` + "\n"
	lines := append([]string(nil), fastCorpus...)
	src := startServer(t)
	seed(t, src, "f:", 300, false)
	for _, f := range []Format{FormatJSONL, FormatDump} {
		file := export(t, src, f)
		for i, l := range strings.Split(strings.TrimRight(string(file), "\n"), "\n") {
			if i > 0 { // not the header
				lines = append(lines, l)
			}
		}
	}
	check := func(file []byte) {
		t.Helper()
		for _, mode := range [][2]bool{{true, false}, {false, true}, {false, false}} {
			slow := readTrace(file, true, mode[0], mode[1])
			fast := readTrace(file, false, mode[0], mode[1])
			if slow != fast {
				t.Fatalf("file %q (sink %v, no keys %v):\nbyte by byte:\n%s\nfast:\n%s", file, mode[0], mode[1], slow, fast)
			}
		}
	}
	next := `{"key":"after","type":"string","ttl_ms":-1,"value":"ok"}` + "\n"
	for _, l := range lines {
		check([]byte(header + l + "\n" + next))
		check([]byte(header + l)) // the last record, without its line break
	}
	r := rand.New(rand.NewPCG(7, 21))
	special := []byte("{}[],:\"\\ \n\t0-9aeu/")
	for range 6000 {
		l := []byte(lines[r.IntN(len(lines))])
		for range 1 + r.IntN(2) {
			if len(l) == 0 {
				break
			}
			i := r.IntN(len(l))
			switch r.IntN(4) {
			case 0:
				l = append(l[:i:i], l[i+1:]...)
			case 1:
				l = append(l[:i:i], append([]byte{special[r.IntN(len(special))]}, l[i:]...)...)
			case 2:
				l = append(l[:i:i], append([]byte{special[r.IntN(len(special))]}, l[i+1:]...)...)
			case 3:
				l = l[:i]
			}
		}
		check([]byte(header + string(l) + "\n" + next))
	}
}

// special answers as a byte-by-byte loop does, for every byte at every place in a word and
// in the tail, next to plain ASCII, bytes of multi-byte UTF-8 and a second special byte.
func TestSpecial(t *testing.T) {
	naive := func(s []byte) int {
		for i, c := range s {
			if c == '"' || c == '\\' || c < 0x20 {
				return i
			}
		}
		return len(s)
	}
	for _, fill := range []byte{'a', 0x80, 0xff, '!', ']', 0x1f + 1, '"' + 1, '\\' - 1} {
		for n := 1; n <= 19; n++ {
			for at := 0; at < n; at++ {
				for c := range 256 {
					s := bytes.Repeat([]byte{fill}, n)
					s[at] = byte(c)
					if at+3 < n {
						s[at+3] = '"' // a later special byte must not hide or move the first
					}
					if got, want := special(s), naive(s); got != want {
						t.Fatalf("special(%q) = %d, want %d", s, got, want)
					}
				}
			}
		}
	}
}
