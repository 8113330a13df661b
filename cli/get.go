package cli

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/valueread"
)

// getDecodeFailed is get's exit status when the value was read but the chosen decoder could
// not decode it: the hex fallback is printed and the reason goes to stderr.
const getDecodeFailed = 3

type getFlags struct {
	profile  string
	decode   string
	field    string
	fieldHex string
	maxBytes int64
	verbose  bool
	timeout  time.Duration
}

func newGetCmd() *cobra.Command { return newGetCmdWith(auth.Options{}) }

// newGetCmdWith is `amr-tui get`; tests pass auth options that keep requests on loopback.
func newGetCmdWith(opts auth.Options) *cobra.Command {
	var f getFlags
	cmd := &cobra.Command{
		Use:   "get [-p PROFILE] KEY [--decode auto|none|CODEC] [--field F]",
		Short: "Print a value or member decoded as the viewer shows it",
		Long: "get prints one value decoded as the TUI's viewer shows it: gzip, zlib, zstd, LZ4, Snappy and\n" +
			"Brotli are unwrapped, and JSON, MessagePack, CBOR, protobuf, Java serialization, PHP\n" +
			"serialize, pickles (read, never run) and BSON are shown as text. A .NET IDistributedCache hash\n" +
			"prints its payload decoded.\n\n" +
			"--field picks a member: a hash field, a list index, a sorted-set rank, a set member (its own\n" +
			"bytes, checked with SISMEMBER), a stream entry ID (ID:FIELD for one field of it); --field-hex\n" +
			"gives the same as hex digits, for bytes a shell cannot pass. --decode none prints the stored bytes unchanged.\n\n" +
			"Exit status: 0 printed; 1 not read (connection, login, missing key or field, bad flags);\n" +
			"3 read but the decoder failed (the bytes are printed as hex, the reason on stderr).\n\n" +
			"Decoders: " + codecList(),
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runGet(cmd, f, opts, args[0]) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.profile, "profile", "p", "", "profile to read from (default: the last used)")
	fl.StringVarP(&f.decode, "decode", "d", "auto", "decoder: auto, none, or one of the codecs below")
	fl.StringVarP(&f.field, "field", "f", "", "member to print: hash field, list index, zset rank, set member, stream ID[:FIELD]")
	fl.StringVar(&f.fieldHex, "field-hex", "", "--field given as hex digits, for member bytes a shell cannot pass (NUL, invalid UTF-8)")
	fl.Int64Var(&f.maxBytes, "max-bytes", decode.DefaultMaxBytes, "largest value read, and most bytes a decompression may produce")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "say on stderr what was detected (\"gzip → JSON\", the .NET entry's expirations)")
	fl.DurationVar(&f.timeout, "timeout", 0, "bound on logging in, connecting and each read (default: 30s, 5m for an interactive login)")
	return cmd
}

func codecList() string {
	var names []string
	for _, c := range decode.Codecs {
		names = append(names, string(c))
	}
	return strings.Join(names, ", ")
}

func runGet(cmd *cobra.Command, f getFlags, opts auth.Options, key string) error {
	if f.maxBytes <= 0 {
		return fmt.Errorf("--max-bytes %d: give a positive number of bytes", f.maxBytes)
	}
	if f.fieldHex != "" {
		if f.field != "" {
			return errors.New("give --field or --field-hex, not both")
		}
		b, err := hex.DecodeString(strings.ReplaceAll(f.fieldHex, " ", ""))
		if err != nil {
			return fmt.Errorf("--field-hex: %w (give the member's bytes as hex digits, such as 00ff41)", err)
		}
		f.field = string(b)
	}
	settings, err := settingsPath(cmd)
	if err != nil {
		return err
	}
	users, err := userDecoders(settings)
	if err != nil {
		return err
	}
	choice, err := decode.ParseCodec(f.decode, users)
	if err != nil {
		return fmt.Errorf("--decode: %w", err)
	}
	p, err := execProfile(cmd, f.profile)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	s, adapter, err := openSession(ctx, p, opts, f.timeout, func(dp auth.DeviceCodePrompt) {
		msg := dp.Message
		if msg == "" {
			msg = fmt.Sprintf("To sign in, open %s and enter the code %s", dp.VerificationURL, dp.UserCode)
		}
		fmt.Fprintf(stderr, "amr-tui: profile %q: %s\n", p.Name, msg)
	})
	if err != nil {
		return err
	}
	defer func() {
		adapter.Close()
		_ = s.Close()
	}()
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	raw, entry, err := valueread.Read(ctx, s.Client(), valueread.Request{Key: key, Field: f.field, Max: f.maxBytes})
	if err != nil {
		return err
	}
	opt := decode.Options{MaxBytes: f.maxBytes, Users: users}
	var res decode.Result
	if entry != nil {
		res = decode.DecodeCacheEntry(ctx, *entry, choice, opt, time.Now())
	} else if choice == decode.None {
		return writeRaw(cmd.OutOrStdout(), raw)
	} else {
		res = decode.Decode(ctx, []byte(raw), choice, opt)
	}
	if f.verbose {
		fmt.Fprintf(stderr, "amr-tui: %s\n", res.Chain())
		if res.Note != "" {
			fmt.Fprintln(stderr, res.Note)
		}
	}
	if err := writeValue(cmd.OutOrStdout(), res.Text); err != nil {
		return err
	}
	if res.Err != nil {
		fmt.Fprintf(stderr, "amr-tui: %s: %v (shown as hex)\n", common.Printable(key), res.Err)
		return exitError{code: getDecodeFailed}
	}
	return nil
}

// writeValue prints text with a final newline. A terminal gets control characters escaped, as
// the viewer shows them; a pipe gets the bytes as they are.
func writeValue(w io.Writer, text string) error {
	if isTerminalWriter(w) {
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			lines[i] = common.Printable(l)
		}
		text = strings.Join(lines, "\n")
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	_, err := io.WriteString(w, text)
	return err
}

// writeRaw prints the stored bytes: exactly as they are through a pipe or into a file (an
// image stays an image), escaped with a final newline on a terminal.
func writeRaw(w io.Writer, raw string) error {
	if isTerminalWriter(w) {
		return writeValue(w, raw)
	}
	_, err := io.WriteString(w, raw)
	return err
}

func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
