package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/decode"
	"github.com/amr-tui/amr-tui/ui/common"
)

// getDecodeFailed is get's exit status when the value was read but the chosen decoder could
// not decode it: the hex fallback is printed and the reason goes to stderr.
const getDecodeFailed = 3

type getFlags struct {
	profile  string
	decode   string
	field    string
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
			"--field picks a member: a hash field, a list index, a sorted-set rank, a stream entry ID\n" +
			"(ID:FIELD for one field of it). --decode none prints the stored bytes unchanged.\n\n" +
			"Exit status: 0 printed; 1 not read (connection, login, missing key or field, bad flags);\n" +
			"3 read but the decoder failed (the bytes are printed as hex, the reason on stderr).\n\n" +
			"Decoders: " + codecList(),
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runGet(cmd, f, opts, args[0]) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.profile, "profile", "p", "", "profile to read from (default: the last used)")
	fl.StringVarP(&f.decode, "decode", "d", "auto", "decoder: auto, none, or one of the codecs below")
	fl.StringVarP(&f.field, "field", "f", "", "member to print: hash field, list index, zset rank, stream ID[:FIELD]")
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
	choice, err := decode.ParseCodec(f.decode, nil)
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
	g := getter{c: s.Client(), key: key, field: f.field, max: f.maxBytes}
	raw, entry, err := g.read(ctx)
	if err != nil {
		return err
	}
	opt := decode.Options{MaxBytes: f.maxBytes}
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

// getter reads the one value get prints, bounded: a size query first, never a whole
// collection.
type getter struct {
	c     redis.UniversalClient
	key   string
	field string
	max   int64
}

var errNoKey = errors.New("no such key")

func (g getter) read(ctx context.Context) (string, *decode.CacheEntry, error) {
	name := common.Printable(g.key)
	typ, err := g.c.Type(ctx, g.key).Result()
	if err != nil {
		return "", nil, err
	}
	if typ == "none" {
		return "", nil, fmt.Errorf("%s: %w", name, errNoKey)
	}
	if typ != "string" && typ != "hash" && g.field == "" {
		return "", nil, fmt.Errorf("%s is a %s: give --field to pick a member (%s)", name, typ, fieldHint(typ))
	}
	switch typ {
	case "string":
		if g.field != "" {
			return "", nil, fmt.Errorf("%s is a string: --field applies to hashes, lists, sorted sets and streams", name)
		}
		n, err := g.c.StrLen(ctx, g.key).Result()
		if err != nil {
			return "", nil, err
		}
		if n > g.max {
			return "", nil, fmt.Errorf("%s holds %s, over --max-bytes %s", name, common.Bytesize(n), common.Bytesize(g.max))
		}
		v, err := g.c.Get(ctx, g.key).Result()
		if errors.Is(err, redis.Nil) {
			return "", nil, fmt.Errorf("%s: %w", name, errNoKey)
		}
		return v, nil, err
	case "hash":
		if g.field == "" {
			return g.cacheEntry(ctx, name)
		}
		v, err := g.c.HGet(ctx, g.key, g.field).Result()
		if errors.Is(err, redis.Nil) {
			return "", nil, fmt.Errorf("%s has no field %s", name, common.Printable(g.field))
		}
		return v, nil, err
	case "list":
		i, err := strconv.ParseInt(g.field, 10, 64)
		if err != nil {
			return "", nil, fmt.Errorf("--field %s: a list member is picked by its index (0, 1, …, -1 for the last)", common.Printable(g.field))
		}
		v, err := g.c.LIndex(ctx, g.key, i).Result()
		if errors.Is(err, redis.Nil) {
			return "", nil, fmt.Errorf("%s has no element %d", name, i)
		}
		return v, nil, err
	case "zset":
		r, err := strconv.ParseInt(g.field, 10, 64)
		if err != nil {
			return "", nil, fmt.Errorf("--field %s: a sorted-set member is picked by its rank (0 for the lowest score)", common.Printable(g.field))
		}
		ms, err := g.c.ZRange(ctx, g.key, r, r).Result()
		if err == nil && len(ms) == 0 {
			err = fmt.Errorf("%s has no member at rank %d", name, r)
		}
		if err != nil {
			return "", nil, err
		}
		return ms[0], nil, nil
	case "stream":
		id, field, one := strings.Cut(g.field, ":")
		es, err := g.c.XRangeN(ctx, g.key, id, id, 1).Result()
		if err != nil {
			return "", nil, fmt.Errorf("--field %s: %w", common.Printable(g.field), err)
		}
		if len(es) == 0 {
			return "", nil, fmt.Errorf("%s has no entry %s", name, common.Printable(id))
		}
		if one {
			v, ok := es[0].Values[field]
			if !ok {
				return "", nil, fmt.Errorf("entry %s of %s has no field %s", common.Printable(id), name, common.Printable(field))
			}
			return fmt.Sprint(v), nil, nil
		}
		return "", nil, fmt.Errorf("entry %s has %d fields: pick one with --field %s:FIELD", common.Printable(id), len(es[0].Values), common.Printable(id))
	}
	return "", nil, fmt.Errorf("%s is a %s, which get does not read", name, typ)
}

// cacheEntry reads a small hash whole and accepts it when it is a .NET IDistributedCache entry.
func (g getter) cacheEntry(ctx context.Context, name string) (string, *decode.CacheEntry, error) {
	n, err := g.c.HLen(ctx, g.key).Result()
	if err != nil {
		return "", nil, err
	}
	if n <= decode.CacheEntryFieldLimit {
		fields, err := g.c.HGetAll(ctx, g.key).Result()
		if err != nil {
			return "", nil, err
		}
		if e, ok := decode.DetectCacheEntry(fields); ok {
			return "", &e, nil
		}
	}
	return "", nil, fmt.Errorf("%s is a hash: give --field to pick a field", name)
}

func fieldHint(typ string) string {
	switch typ {
	case "list":
		return "an index"
	case "zset":
		return "a rank"
	case "stream":
		return "ID:FIELD"
	case "set":
		return "sets have no member get can name; the TUI's expanded member view decodes them"
	}
	return "a member"
}
