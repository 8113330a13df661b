package ui

import (
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/decode"
)

// V steps through the codecs and then the user's decoders; v cycles the view modes, with auto
// only where decoding shows more than text/json/hex.
func TestDecoderPickerAndUserDecoder(t *testing.T) {
	f := uitest.NewFakeStore()
	f.Set("word", "hello")
	f.Set("gz", string(gzipped(t, `{"a":1}`)))
	users := []decode.UserDecoder{{Name: "shout", Decode: []string{"tr", "a-z", "A-Z"}}}
	a, _ := testApp(t, f, nil, 120, 20, func(o *Options) { o.Decode = decode.Options{Users: users} })
	start(t, a)

	drain(t, a, a.runCommand("open word"))
	if v := stripANSI(a.Render()); !strings.Contains(v, "view text") || strings.Contains(v, "(auto)") {
		t.Fatalf("plain text:\n%s", v)
	}
	press(t, a, "v", "v", "v") // text → json → hex → (auto adds nothing) text
	if v := stripANSI(a.Render()); !strings.Contains(v, "view text") {
		t.Fatalf("auto was not skipped for plain text:\n%s", v)
	}
	for i := 0; i < len(decode.Choices(users)) && !strings.Contains(stripANSI(a.Render()), "(picked shout)"); i++ {
		press(t, a, "V")
	}
	if v := stripANSI(a.Render()); !strings.Contains(v, "HELLO") || !strings.Contains(v, "shout (picked shout)") {
		t.Fatalf("user decoder:\n%s", v)
	}
	press(t, a, "e")
	if v := stripANSI(a.Render()); !strings.Contains(v, "edit refused: decoder shout has no encode command") {
		t.Fatalf("edit without an encode command:\n%s", v)
	}

	drain(t, a, a.runCommand("open gz"))
	if v := stripANSI(a.Render()); !strings.Contains(v, "gzip → JSON (auto)") {
		t.Fatalf("gzip:\n%s", v)
	}
	press(t, a, "v") // auto → text: the compressed bytes, escaped
	if v := stripANSI(a.Render()); !strings.Contains(v, "view text") || strings.Contains(v, `"a": 1`) {
		t.Fatalf("raw view of gzip:\n%s", v)
	}
}
