package common

import (
	"github.com/amr-tui/amr-tui/decode"

	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Common is shared by every component: sizes, styles, keys, clock and the Store. Components
// hold a pointer to the one owned by App; only App's Update writes it.
type Common struct {
	Width, Height int
	Styles        *Styles
	Keys          *KeyMap
	Now           func() time.Time
	Store         Store
	ReadOnly      bool
	// Decode bounds and extends value decoding (size limit, user decoders).
	Decode decode.Options
	// TreeDelimiters split key names into tree mode's folders; empty means [":"].
	TreeDelimiters []string

	Ctx     context.Context
	Timeout time.Duration // per Store call
	// NoScanAhead stops scans from reading the next batch while Update stores a page (tests
	// that count SCAN calls step by step turn it off).
	NoScanAhead bool
	gen         uint64 // last request generation handed out

	Body     int // height of the screen area between header and footer
	FlashMsg Flash
	HelpMemo HelpMemo // written by View: a cache, like the browser's rowCache
}

// NextGen returns a fresh request generation. Every request carries one and every reply is
// dropped unless its generation is still the one its component waits for.
func (c *Common) NextGen() uint64 {
	c.gen++
	return c.gen
}

// IO wraps a Store call as a Cmd. f runs on the Cmd goroutine with a context bounded by the
// per-call timeout; it must only use values captured before io was called, never the model.
func (c *Common) IO(f func(ctx context.Context) tea.Msg) tea.Cmd {
	parent, timeout := c.Ctx, c.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, timeout)
		defer cancel()
		return f(ctx)
	}
}

// HelpKeys adapts a screen's bindings to bubbles/help.
type HelpKeys struct {
	Short []key.Binding
	Full  [][]key.Binding
}

// ShortHelp implements help.KeyMap.
func (h HelpKeys) ShortHelp() []key.Binding { return h.Short }

// FullHelp implements help.KeyMap.
func (h HelpKeys) FullHelp() [][]key.Binding { return h.Full }

// Batch is tea.Batch without nil noise, so tests can count commands.
func Batch(cmds ...tea.Cmd) tea.Cmd {
	var out []tea.Cmd
	for _, c := range cmds {
		if c != nil {
			out = append(out, c)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return tea.Batch(out...)
}

// Flash is a footer message; it disappears FlashTTL after it was set.
type Flash struct {
	Text  string
	Level FlashLevel
	At    time.Time
	State string // the state it reports ("scan paused"): EndFlash removes it when that ends
}

// FlashTTL is how long a footer message stays.
const FlashTTL = 6 * time.Second

// Flash shows a message in the footer. Called from Update only.
func (c *Common) Flash(text string, level FlashLevel) {
	c.FlashMsg = Flash{Text: text, Level: level, At: c.Now()}
}

// FlashState shows a message that reports a state (a paused scan, a failed SCAN): it goes
// when EndFlash(state) says the state ended, not only when FlashTTL passed.
func (c *Common) FlashState(text string, level FlashLevel, state string) {
	c.FlashMsg = Flash{Text: text, Level: level, At: c.Now(), State: state}
}

// EndFlash removes the footer message of state, if it is still the one shown.
func (c *Common) EndFlash(state string) {
	if c.FlashMsg.State == state && state != "" {
		c.FlashMsg = Flash{}
	}
}

// BodyHeight is the height left for the active screen between header and footer.
func (c *Common) BodyHeight() int { return c.Body }
