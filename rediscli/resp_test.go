package rediscli

import (
	"bytes"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestReaderTypes(t *testing.T) {
	cases := []struct {
		wire string
		want Reply
	}{
		{"+OK\r\n", Status("OK")},
		{"-ERR x\r\n", Error("ERR x")},
		{"!4\r\na\r\nb\r\n", Error("a\r\nb")},
		{":-5\r\n", Integer(-5)},
		{"$3\r\na\nb\r\n", Bulk("a\nb")},
		{"$0\r\n\r\n", Bulk("")},
		{"$-1\r\n", Nil()},
		{"*-1\r\n", Nil()},
		{"_\r\n", Nil()},
		{"*0\r\n", Array()},
		{"*2\r\n:1\r\n$-1\r\n", Array(Integer(1), Nil())},
		{"%1\r\n+k\r\n:1\r\n", Map(Pair{Status("k"), Integer(1)})},
		{"~1\r\n#t\r\n", Set(Boolean(true))},
		{">1\r\n#f\r\n", Push(Boolean(false))},
		{",1.5\r\n", Reply{Kind: KindDouble, Str: "1.5", Float: 1.5}},
		{",-inf\r\n", Reply{Kind: KindDouble, Str: "-inf", Float: math.Inf(-1)}},
		{"=7\r\nmkd:a*b\r\n", Verbatim("mkd", "a*b")},
		{"(123\r\n", BigNumber("123")},
		{"|1\r\n+a\r\n:1\r\n:7\r\n", Integer(7).WithAttr(Pair{Status("a"), Integer(1)})},
	}
	for _, c := range cases {
		got := parseWire(t, c.wire)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q read as %#v, want %#v", c.wire, got, c.want)
		}
		if back := parseWire(t, string(AppendReply(nil, got))); !sameReply(back, got) {
			t.Errorf("%q does not survive AppendReply: %#v", c.wire, back)
		}
	}
	nan := parseWire(t, ",nan\r\n")
	if !math.IsNaN(nan.Float) || nan.Str != "nan" {
		t.Errorf("nan read as %#v", nan)
	}
}

func TestReaderErrors(t *testing.T) {
	for _, wire := range []string{
		"?x\r\n", "\r\n", "+OK\n", ":12a\r\n", ",abc\r\n", ",\r\n", "#x\r\n", "(12x\r\n", "_x\r\n",
		"$-2\r\n", "$3\r\nabcd\r\n", "*-2\r\n", "%-1x\r\n", "=2\r\nab\r\n", "=5\r\nabcde\r\n",
		"$?\r\n", "*?\r\n", "!-1\r\n", strings.Repeat("*1\r\n", MaxDepth+2) + ":1\r\n",
	} {
		_, err := NewReader(strings.NewReader(wire)).ReadReply()
		var pe *ProtocolError
		if !errors.As(err, &pe) {
			t.Errorf("%q: err = %v, want a ProtocolError", wire, err)
		}
	}
	for _, wire := range []string{"+OK", "$5\r\nab", "*2\r\n:1\r\n", "|1\r\n+a\r\n:1\r\n"} {
		_, err := NewReader(strings.NewReader(wire)).ReadReply()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%q: err = %v, want io.ErrUnexpectedEOF", wire, err)
		}
	}
	if _, err := NewReader(strings.NewReader("")).ReadReply(); err != io.EOF {
		t.Errorf("empty stream: err = %v, want io.EOF", err)
	}
}

func TestReaderStream(t *testing.T) {
	rd := NewReader(strings.NewReader(">2\r\n+a\r\n+b\r\n+OK\r\n:1\r\n"))
	var kinds []Kind
	for {
		r, err := rd.ReadReply()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, r.Kind)
	}
	if !reflect.DeepEqual(kinds, []Kind{KindPush, KindStatus, KindInteger}) {
		t.Errorf("kinds = %v", kinds)
	}
}

func TestAppendCommand(t *testing.T) {
	got := string(AppendCommand(nil, []string{"SET", "k", "a b\r\n"}))
	if want := "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na b\r\n\r\n"; got != want {
		t.Errorf("AppendCommand = %q, want %q", got, want)
	}
	var buf bytes.Buffer
	if err := WriteCommand(&buf, "PING"); err != nil || buf.String() != "*1\r\n$4\r\nPING\r\n" {
		t.Errorf("WriteCommand = %q, %v", buf.String(), err)
	}
}

// sameReply compares replies by their wire form, which treats NaN as equal to itself.
func sameReply(a, b Reply) bool {
	return bytes.Equal(AppendReply(nil, a), AppendReply(nil, b))
}

func FuzzReader(f *testing.F) {
	for _, c := range goldenWire {
		f.Add([]byte(c.wire))
	}
	f.Add([]byte("*2\r\n$-1\r\n%1\r\n+a\r\n|1\r\n:1\r\n:2\r\n,inf\r\n"))
	f.Add([]byte("$10\r\nshort\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rd := NewReader(bytes.NewReader(in))
		for i := 0; i < 8; i++ {
			r, err := rd.ReadReply()
			if err != nil {
				return
			}
			// Every rendering works on whatever the reader accepts…
			_ = FormatTTY(r)
			_ = FormatRaw(r)
			_, _ = FormatJSON(r)
			// …and what it accepts survives a trip through AppendReply.
			wire := AppendReply(nil, r)
			back, err := NewReader(bytes.NewReader(wire)).ReadReply()
			if err != nil || !sameReply(back, r) {
				t.Fatalf("reply %#v: re-encoded as %q, read back as %#v, %v", r, wire, back, err)
			}
		}
	})
}
