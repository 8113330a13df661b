package ui

import (
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/decode/decodetest"
)

// Every value of the decoder corpus (real encoders: Go libraries, Python, Java, PHP's format)
// shows its expected text in the viewer: auto-detected, or picked with V where the bytes carry
// no signature.
func TestViewerShowsDecoderCorpus(t *testing.T) {
	f := uitest.NewFakeStore()
	cases := decodetest.Corpus(t)
	for _, c := range cases {
		f.Set("corpus:"+c.Name, string(c.Raw))
	}
	a, _ := testApp(t, f, nil, 160, 120)
	start(t, a)
	for _, c := range cases {
		drain(t, a, a.runCommand("open corpus:"+c.Name))
		settleViewer(t, a)
		choice := decode.Codec(c.Choice)
		badge := c.Chain + " (auto)"
		if choice != decode.Auto {
			badge = c.Chain + " (picked " + choice.Name() + ")"
			for i := 0; i < len(decode.Codecs) && !strings.Contains(stripANSI(a.Render()), badge); i++ {
				press(t, a, "V")
				settleViewer(t, a)
			}
		}
		v := stripANSI(a.Render())
		plain := c.Chain == "text" || c.Chain == "hex" || c.Chain == "JSON" // shown by text/json/hex, no badge
		if !plain && !strings.Contains(v, badge) {
			t.Errorf("%s: no badge %q:\n%s", c.Name, badge, v)
		}
		for _, w := range c.Want {
			if !strings.Contains(v, w) {
				t.Errorf("%s: %q not on screen:\n%s", c.Name, w, v)
			}
		}
	}
}
