package config

import (
	"context"
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/decode"
)

const decodersFile = `[decoders.rot]
decode = ["sh", "-c", "tail -c +5 | tr a-z A-Z"]
encode = ["sh", "-c", "printf ROT:; tr A-Z a-z"]
detect = "ROT:"
timeout = "2s"
max_output = 4096

[decoders.magic]
decode = "cat"
detect_hex = "ca fe"
`

// The [decoders.NAME] tables become decode.UserDecoders, and the one read from the file runs
// its real command: Auto picks it by its detect bytes and an edit goes back through encode.
func TestDecodersAreReadAndRun(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	c, err := parse(t, decodersFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Decoders) != 2 || c.Decoders[0].Name != "magic" || string(c.Decoders[0].Detect) != "\xca\xfe" ||
		c.Decoders[1].Name != "rot" || c.Decoders[1].Timeout != 2*time.Second || c.Decoders[1].MaxOutput != 4096 {
		t.Fatalf("decoders = %+v", c.Decoders)
	}
	if c.Line("decoders.rot.detect") != 4 {
		t.Fatalf("line of decoders.rot.detect = %d", c.Line("decoders.rot.detect"))
	}
	ctx := context.Background()
	opt := decode.Options{Users: c.Decoders}
	r := decode.Decode(ctx, []byte("ROT:secret"), decode.Auto, opt)
	if r.Err != nil || r.Text != "SECRET" || r.Chain() != "rot" {
		t.Fatalf("%v %q %q", r.Err, r.Text, r.Chain())
	}
	out, changed, err := decode.Reencode(ctx, r, []byte("PUBLIC"))
	if err != nil || !changed || string(out) != "ROT:public" {
		t.Fatalf("%q %v %v", out, changed, err)
	}
	if c, err := decode.ParseCodec("user:rot", c.Decoders); err != nil || c != decode.UserCodec("rot") {
		t.Fatalf("ParseCodec: %v %v", c, err)
	}
}

func TestDecoderProblemsCarryFileLineAndKey(t *testing.T) {
	for name, tc := range map[string]struct{ text, want string }{
		"no decode":    {"[decoders.x]\ndetect = \"A\"\n", `config.toml:1: field decoders.x: decoder "x" has no decode command`},
		"empty decode": {"[decoders.x]\ndecode = []\n", "config.toml:2: field decoders.x.decode: expected a command and its arguments"},
		"bad encode":   {"[decoders.x]\ndecode = \"cat\"\nencode = 3\n", "config.toml:3: field decoders.x.encode: expected a command"},
		"bad hex":      {"[decoders.x]\ndecode = \"cat\"\ndetect_hex = \"zz\"\n", "config.toml:3: field decoders.x.detect_hex: expected hex digits"},
		"both":         {"[decoders.x]\ndecode = \"cat\"\ndetect = \"a\"\ndetect_hex = \"61\"\n", "config.toml:4: field decoders.x.detect_hex: give detect or detect_hex, not both"},
		"timeout":      {"[decoders.x]\ndecode = \"cat\"\ntimeout = \"soon\"\n", "config.toml:3: field decoders.x.timeout: expected a duration"},
		"max_output":   {"[decoders.x]\ndecode = \"cat\"\nmax_output = 0\n", "config.toml:3: field decoders.x.max_output: expected a whole number"},
		"not a table":  {"[decoders]\nx = \"cat\"\n", "config.toml:2: field decoders.x: expected a table"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parse(t, tc.text)
			var fe *FileError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
	c, err := parse(t, "[decoders.x]\ndecode = \"cat\"\ncolour = 1\n")
	if err != nil || len(c.Warnings) != 1 || c.Warnings[0].String() != "3: field decoders.x.colour: unknown setting, ignored" {
		t.Fatalf("%v %v", err, c.Warnings)
	}
}

// The settings in effect written back read as the same decoders.
func TestDecodersSurviveTOML(t *testing.T) {
	c, err := parse(t, decodersFile)
	if err != nil {
		t.Fatal(err)
	}
	back, err := parse(t, string(c.TOML()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Decoders, c.Decoders) {
		t.Fatalf("%+v\n%+v", back.Decoders, c.Decoders)
	}
}
