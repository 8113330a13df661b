package config

import (
	"encoding/hex"
	"strings"
	"time"

	"github.com/amr-tui/amr-tui/decode"
)

// decoders reads the [decoders.NAME] tables: one external command per decoder, as tiny-rdm's
// custom decoders, with an optional reverse command for edits and a detect rule. A keyed table
// rather than [[decoders]] so that every problem can name its decoder and line.
//
//	[decoders.myformat]
//	decode = ["myformat", "--decode"]   # raw bytes on stdin, display text on stdout
//	encode = ["myformat", "--encode"]   # optional: edited text in, bytes to store out
//	detect = "MYF1"                     # optional: values starting with these bytes are auto-detected
//	detect_hex = "cafe01"               # or the same as hex
//	timeout = "5s"                      # optional, default 5s
//	max_output = 16777216               # optional, bytes, default 16 MiB
func (d *decoder) decoders(v any) {
	t, ok := d.table("decoders", v)
	if !ok {
		return
	}
	for _, name := range sortedKeys(t) {
		key := "decoders." + name
		fields, ok := d.table(key, t[name])
		if !ok {
			continue
		}
		u := decode.UserDecoder{Name: name}
		bad := false
		fail := func(k, format string, args ...any) {
			d.fail(k, format, args...)
			bad = true
		}
		for _, k := range sortedKeys(fields) {
			fkey := key + "." + k
			switch k {
			case "decode", "encode":
				argv, ok := stringList(fields[k])
				if !ok || len(argv) == 0 || strings.TrimSpace(argv[0]) == "" {
					fail(fkey, `expected a command and its arguments, such as ["mydecoder", "--decode"] (run directly, not through a shell)`)
					continue
				}
				if k == "decode" {
					u.Decode = argv
				} else {
					u.Encode = argv
				}
			case "detect":
				s, ok := fields[k].(string)
				if !ok || s == "" {
					fail(fkey, `expected the bytes a value starts with, such as "MYF1" (or detect_hex = "cafe01")`)
					continue
				}
				u.Detect = []byte(s)
			case "detect_hex":
				s, _ := fields[k].(string)
				b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
				if err != nil || len(b) == 0 {
					fail(fkey, `expected hex digits for the bytes a value starts with, such as "cafe01"`)
					continue
				}
				u.Detect = b
			case "timeout":
				s, _ := fields[k].(string)
				dur, err := time.ParseDuration(s)
				if err != nil || dur <= 0 || dur > 10*time.Minute {
					fail(fkey, `expected a duration from 1ms to 10m, such as "5s"`)
					continue
				}
				u.Timeout = dur
			case "max_output":
				if n, ok := d.intIn(fkey, fields[k], 1, 1<<30); ok {
					u.MaxOutput = int64(n)
				} else {
					bad = true
				}
			default:
				d.unknown(fkey)
			}
		}
		if _, both := fields["detect_hex"]; both && fields["detect"] != nil {
			fail(key+".detect_hex", "give detect or detect_hex, not both")
		}
		if u.Decode == nil && fields["decode"] == nil {
			fail(key, "decoder %q has no decode command: add decode = [\"command\", \"arg\"…]", name)
		}
		if strings.ContainsAny(name, " \t") || name == "" {
			fail(key, "a decoder name is one word (it is picked as user:NAME)")
		}
		if !bad {
			d.c.Decoders = append(d.c.Decoders, u)
		}
	}
}

// decoderTOML is one [decoders.NAME] table as TOML writes it back (detect always as hex, so
// that any bytes survive).
type decoderTOML struct {
	Decode    []string `toml:"decode"`
	Encode    []string `toml:"encode,omitempty"`
	DetectHex string   `toml:"detect_hex,omitempty"`
	Timeout   string   `toml:"timeout,omitempty"`
	MaxOutput int64    `toml:"max_output,omitempty"`
}

func decodersTOML(users []decode.UserDecoder) map[string]decoderTOML {
	if len(users) == 0 {
		return nil
	}
	out := make(map[string]decoderTOML, len(users))
	for _, u := range users {
		t := decoderTOML{Decode: u.Decode, Encode: u.Encode, DetectHex: hex.EncodeToString(u.Detect), MaxOutput: u.MaxOutput}
		if u.Timeout > 0 {
			t.Timeout = u.Timeout.String()
		}
		out[u.Name] = t
	}
	return out
}
