package decode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// UserDecoder is an external command that decodes values, as tiny-rdm's custom decoders do:
// the raw bytes go to its standard input and its standard output is shown. With Encode set,
// an edit goes the other way (edited text in, bytes to store out). Commands run directly, not
// through a shell, with a timeout and a cap on what they may print.
type UserDecoder struct {
	// Name is shown in the picker and accepted by --decode user:NAME.
	Name string `toml:"name" json:"name"`
	// Decode is the command and its arguments.
	Decode []string `toml:"decode" json:"decode"`
	// Encode is the optional reverse command; without it an edit is refused.
	Encode []string `toml:"encode,omitempty" json:"encode,omitempty"`
	// Timeout bounds one run (default 5 s).
	Timeout time.Duration `toml:"timeout,omitempty" json:"timeout,omitempty"`
	// MaxOutput caps standard output in bytes (default DefaultMaxBytes).
	MaxOutput int64 `toml:"max_output,omitempty" json:"max_output,omitempty"`
	// Detect, when set, makes Auto pick this decoder for values that start with these bytes.
	Detect []byte `toml:"-" json:"-"`
}

// detectUser returns the first user decoder whose detect bytes start b (the longest prefix
// wins when several match), or nil.
func detectUser(b []byte, users []UserDecoder) *UserDecoder {
	var best *UserDecoder
	for i := range users {
		u := &users[i]
		if len(u.Detect) > 0 && bytes.HasPrefix(b, u.Detect) && (best == nil || len(u.Detect) > len(best.Detect)) {
			best = u
		}
	}
	return best
}

const userPrefix = "user:"

// UserCodec is the codec that picks the user decoder called name.
func UserCodec(name string) Codec { return Codec(userPrefix + name) }

func isUser(c Codec) bool { return strings.HasPrefix(string(c), userPrefix) }

func findUser(c Codec, users []UserDecoder) (*UserDecoder, error) {
	name := strings.TrimPrefix(string(c), userPrefix)
	for i := range users {
		if users[i].Name == name {
			return &users[i], nil
		}
	}
	return nil, fmt.Errorf("no decoder named %q is configured", name)
}

// Validate reports a decoder that cannot run.
func (u UserDecoder) Validate() error {
	switch {
	case strings.TrimSpace(u.Name) == "":
		return errors.New("decoder without a name")
	case len(u.Decode) == 0 || u.Decode[0] == "":
		return fmt.Errorf("decoder %s: no decode command", u.Name)
	case u.Timeout < 0 || u.MaxOutput < 0:
		return fmt.Errorf("decoder %s: timeout and max_output must not be negative", u.Name)
	}
	return nil
}

// capWriter keeps at most max bytes and remembers that more came.
type capWriter struct {
	buf  bytes.Buffer
	max  int64
	over bool
}

func (w *capWriter) Write(p []byte) (int, error) {
	if room := w.max - int64(w.buf.Len()); int64(len(p)) > room {
		w.buf.Write(p[:max(room, 0)])
		w.over = true
		return 0, errors.New("output limit reached")
	}
	return w.buf.Write(p)
}

// run feeds in to argv and returns its standard output.
func (u UserDecoder) run(ctx context.Context, argv []string, in []byte) ([]byte, error) {
	timeout := u.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	limit := u.MaxOutput
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = bytes.NewReader(in)
	out := &capWriter{max: limit}
	errOut := &capWriter{max: 4096}
	cmd.Stdout, cmd.Stderr = out, errOut
	cmd.WaitDelay = time.Second // a child that keeps the pipes open must not hang us
	err := cmd.Run()
	switch {
	case out.over:
		return nil, fmt.Errorf("%s printed more than %s", argv[0], byteSize(limit))
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("%s did not finish within %s", argv[0], timeout)
	case err != nil:
		msg := strings.TrimSpace(errOut.buf.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg != "" {
			return nil, fmt.Errorf("%s: %w: %s", argv[0], err, msg)
		}
		return nil, fmt.Errorf("%s: %w", argv[0], err)
	}
	return out.buf.Bytes(), nil
}

func decodeUser(ctx context.Context, raw []byte, c Codec, res Result, opt Options) Result {
	u, err := findUser(c, opt.Users)
	if err == nil {
		err = u.Validate()
	}
	if err != nil {
		return fallback(raw, err)
	}
	out, err := u.run(ctx, u.Decode, raw)
	if err != nil {
		return fallback(raw, fmt.Errorf("decoder %s: %w", u.Name, err))
	}
	res.Format = c
	res.inner = raw
	res.Text = string(out)
	res.user = u
	if len(u.Encode) == 0 {
		res.editErr = fmt.Errorf("decoder %s has no encode command", u.Name)
	}
	return res
}
