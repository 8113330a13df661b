package viewer

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/ui/common"
)

// Decoding in the viewer: a string value, or a .NET IDistributedCache hash, is shown as the
// application meant it (gzip → JSON, MessagePack…) through package decode. The work runs in a
// Cmd — a decompression may take a moment — and its reply carries the generation of the page
// it decoded. `v` cycles auto/text/json/hex, `V` steps through every codec (then the user
// decoders); the badge in the info line says what was found.

// decodeReadLimit is the largest string read whole to decode it, when its first window carries
// a signature (the decoded size is bounded separately by decode.Options.MaxBytes).
const decodeReadLimit = 16 << 20

// DecodedMsg is a decode of the open value.
type DecodedMsg struct {
	gen   uint64
	raw   string // the bytes decoded (the whole string, or the entry's payload)
	res   decode.Result
	entry *decode.CacheEntry
	err   error // reading the value failed
}

// decodeState is the viewer's decoded view of the open value.
type decodeState struct {
	choice  decode.Codec // what the user picked; Auto by default
	gen     uint64       // generation of the decode in flight or shown
	pending bool
	res     *decode.Result
	raw     string // the stored bytes res came from
	entry   *decode.CacheEntry
}

// recognised reports whether the decode shows more than the text/json/hex modes do: a layer,
// a structured format other than JSON, a cache entry, or a codec the user picked.
func (v *Model) recognised() bool {
	d := v.dec
	if d.res == nil {
		return false
	}
	if d.entry != nil || len(d.res.Layers) > 0 || (d.choice != "" && d.choice != decode.Auto) {
		return true
	}
	switch d.res.Format {
	case decode.Text, decode.Hex, decode.JSON:
		return false
	}
	return true
}

// showDecoded reports whether the decoded view is what the screen shows.
func (v *Model) showDecoded() bool { return v.mode == ModeAuto && v.recognised() }

// startDecode decodes the value on screen when that can show more than the raw page: the whole
// string is on the page, or its first bytes carry a signature (then the whole value is read,
// up to decodeReadLimit), or the user picked a codec; or the hash looks like an
// IDistributedCache entry.
func (v *Model) startDecode() tea.Cmd {
	opt := v.c.Decode
	choice := v.dec.choice
	if choice == "" {
		choice = decode.Auto
	}
	gen, st, k := v.c.NextGen(), v.c.Store, v.Key
	switch v.meta.Type {
	case common.TypeString:
		whole := v.At.index == 0 && !v.Page.more
		if !whole && choice == decode.Auto && decode.Sniff([]byte(v.Page.raw), v.Size, opt.Users...) == "" {
			return nil
		}
		if !whole && v.Size > decodeReadLimit {
			if choice != decode.Auto {
				v.c.Flash("value too large to decode ("+common.Bytesize(v.Size)+"; the limit is "+common.Bytesize(decodeReadLimit)+")", common.FlashWarn)
			}
			return nil
		}
		v.dec.gen, v.dec.pending = gen, true
		page, size := v.Page.raw, v.Size
		return v.c.IO(func(ctx context.Context) tea.Msg {
			raw := page
			if !whole {
				var err error
				if raw, err = st.GetRange(ctx, k, 0, size-1); err != nil {
					return DecodedMsg{gen: gen, err: err}
				}
			}
			res := decode.Decode(ctx, []byte(raw), choice, opt)
			return DecodedMsg{gen: gen, raw: raw, res: res}
		})
	case common.TypeHash:
		if v.Size > decode.CacheEntryFieldLimit || v.Page.more || len(v.back) > 0 {
			return nil
		}
		fields := make(map[string]string, len(v.Page.Rows))
		for _, r := range v.Page.Rows {
			fields[r[0]] = r[1]
		}
		e, ok := decode.DetectCacheEntry(fields)
		if !ok {
			return nil
		}
		v.dec.gen, v.dec.pending = gen, true
		now := v.c.Now()
		return v.c.IO(func(ctx context.Context) tea.Msg {
			res := decode.DecodeCacheEntry(ctx, e, choice, opt, now)
			return DecodedMsg{gen: gen, raw: string(e.Data), res: res, entry: &e}
		})
	}
	return nil
}

// Busy reports whether the viewer waits for a read or a decode (tests wait for it to settle).
func (v *Model) Busy() bool {
	return v.Loading || v.dec.pending || (v.exp != nil && v.exp.pending)
}

// OnDecoded shows a finished decode, unless it answers an older request.
func (v *Model) OnDecoded(msg DecodedMsg) {
	if msg.gen != v.dec.gen {
		return
	}
	v.dec.pending = false
	if msg.err != nil {
		v.c.Flash("decode: "+msg.err.Error(), common.FlashError)
		return
	}
	v.dec.res, v.dec.raw, v.dec.entry = &msg.res, msg.raw, msg.entry
	if v.recognised() {
		v.mode = ModeAuto
	} else if v.mode == ModeAuto {
		v.mode = GuessMode(v.Page.raw, !v.Page.more && v.At.index == 0)
	}
	v.Render()
}

// pickCodec steps the hand-picked codec (V) and decodes again.
func (v *Model) pickCodec() tea.Cmd {
	if v.meta.Type != common.TypeString && v.dec.entry == nil {
		return nil
	}
	v.dec.choice = decode.Next(v.choiceOrAuto(), v.c.Decode.Users)
	v.mode = ModeAuto
	v.offset = 0
	return v.startDecode()
}

func (v *Model) choiceOrAuto() decode.Codec {
	if v.dec.choice == "" {
		return decode.Auto
	}
	return v.dec.choice
}

// decodeBadge says what the info line shows about decoding: "gzip → JSON", "hex (gzip: …)".
func (v *Model) decodeBadge() string {
	d := v.dec
	switch {
	case d.pending && d.choice != "" && d.choice != decode.Auto:
		return "decoding…"
	case d.pending && d.res == nil:
		return "" // auto-detection is quick; a badge for it would only flicker
	case d.res == nil:
		if d.choice != "" && d.choice != decode.Auto {
			return "decoder " + d.choice.Name()
		}
		return ""
	}
	b := d.res.Chain()
	if d.entry != nil {
		b = ".NET cache entry · " + b
	}
	if d.choice != "" && d.choice != decode.Auto {
		b += " (picked " + d.choice.Name() + ")"
	} else {
		b += " (auto)"
	}
	return b
}

// renderDecoded turns the decoded value into lines: the entry summary, an error with its hex
// fallback, then the text (JSON-shaped text highlighted).
func (v *Model) renderDecoded() []string {
	s := v.c.Styles
	r := v.dec.res
	var lines []string
	if r.Note != "" {
		for _, l := range strings.Split(r.Note, "\n") {
			lines = append(lines, s.Dim.Render(common.Printable(l)))
		}
		lines = append(lines, "")
	}
	if r.Err != nil {
		lines = append(lines, s.Warn.Render(common.Printable(r.Err.Error())+" — shown as hex"))
	}
	switch r.Format {
	case decode.JSON, decode.MsgPack, decode.BSON:
		return append(lines, highlightJSON(r.Text, s)...)
	}
	for _, l := range strings.Split(r.Text, "\n") {
		lines = append(lines, common.Printable(l))
	}
	return lines
}

// DecodedEdit is an $EDITOR edit of a decoded value: the edit is encoded back with the codec
// and settings the value was read with (decode.Reencode) and written only if the stored bytes
// are still Raw.
type DecodedEdit struct {
	Result decode.Result
	Raw    string // the stored bytes the edit started from
	Field  string // the hash field holding an IDistributedCache payload; "" for a string
	Chain  string // "gzip → JSON", for messages
}

// startDecodedEdit writes the decoded text to a temporary file for $EDITOR; a value that
// cannot be written back losslessly is refused with the reason before the editor opens.
func (v *Model) startDecodedEdit() tea.Cmd {
	d := v.dec
	switch {
	case v.c.ReadOnly:
		v.c.Flash("edit refused: this profile is read-only (set read_only = false in the profile to allow writes)", common.FlashWarn)
		return nil
	case v.Loading || d.pending || d.res == nil:
		return nil
	}
	if err := d.res.Editable(); err != nil {
		v.c.Flash("edit refused: "+common.Printable(err.Error()), common.FlashWarn)
		return nil
	}
	ed := &DecodedEdit{Result: *d.res, Raw: d.raw, Chain: d.res.Chain()}
	if d.entry != nil {
		ed.Field = d.entry.DataField
	}
	gen, k, text := v.gen, v.Key, d.res.Text
	return func() tea.Msg {
		path, err := writeTemp(text)
		return EditReadyMsg{Gen: gen, Key: k, Path: path, Original: text, Decoded: ed, Err: err}
	}
}
