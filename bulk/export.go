package bulk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Format is an export file's format.
type Format string

// The export formats (described in the README, "Export formats").
const (
	// FormatJSONL writes one key per line with its value in readable typed form.
	FormatJSONL Format = "jsonl"
	// FormatDump writes one key per line with its DUMP payload, for exact copies between
	// servers of compatible RDB versions.
	FormatDump Format = "dump"
)

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case FormatJSONL, FormatDump:
		return Format(s), nil
	}
	return "", fmt.Errorf("bulk: unknown format %q (jsonl or dump)", s)
}

// Header is an export file's first line.
type Header struct {
	Version      int    `json:"amr_tui_export"` // 1
	Format       Format `json:"format"`
	Created      string `json:"created"` // RFC 3339, UTC
	RedisVersion string `json:"redis_version,omitempty"`
	Selection    string `json:"selection,omitempty"`
}

// ExportOptions configure Export.
type ExportOptions struct {
	Format  Format // FormatJSONL when empty
	Control *Control
	Batch   int // keys read per pipeline (200 when 0)
}

// Export writes the selected keys to w: a header line, then one line per key. Values are read
// in windows (1000 elements, 1 MiB of a string) and written as they come, so a big value is
// never held whole (except in the dump format, whose DUMP payloads are whole by nature). The
// export is not a point-in-time snapshot: a key changed while the export runs is written as it
// was read; a key gone between its type and its value is counted as Skipped.
func Export(ctx context.Context, c redis.UniversalClient, sel Selection, w io.Writer, opts ExportOptions) (Report, error) {
	start := time.Now()
	if opts.Format == "" {
		opts.Format = FormatJSONL
	}
	t := &tally{r: Report{Op: "export", Selection: sel.Describe()}}
	if _, err := ParseFormat(string(opts.Format)); err != nil {
		return t.r, err
	}
	out := &sharedOut{w: w}
	h := Header{Version: 1, Format: opts.Format, Created: time.Now().UTC().Format(time.RFC3339),
		RedisVersion: serverVersion(ctx, c), Selection: sel.Describe()}
	line, _ := json.Marshal(h)
	if err := out.writeLocked(append(line, '\n')); err != nil {
		return t.finish(start, fmt.Errorf("bulk: writing the export: %w", err))
	}
	batch := opts.Batch
	if batch <= 0 {
		batch = 200
	}
	batch = opts.Control.batchSize(batch)
	err := walk(ctx, c, sel, opts.Control, batch, func(ctx context.Context, keys []string) error {
		t.add(func(r *Report) { r.Matched += int64(len(keys)) })
		defer opts.Control.addDone(len(keys))
		if opts.Format == FormatDump {
			return exportDumps(ctx, c, keys, out, t)
		}
		j := &jsonSink{out: out}
		defer j.release()
		if err := fetchTyped(ctx, c, keys, j, t); err != nil {
			return err
		}
		return j.flush()
	})
	t.r.Bytes = out.n
	if err == nil && out.err != nil {
		err = out.err
	}
	return t.finish(start, err)
}

func exportDumps(ctx context.Context, c redis.UniversalClient, keys []string, out *sharedOut, t *tally) error {
	dumps := make([]*redis.StringCmd, len(keys))
	ttls := make([]*redis.DurationCmd, len(keys))
	t0 := time.Now()
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			// PTTL first: a key that expires between the two is then seen gone by DUMP
			// rather than exported with a TTL it no longer has.
			ttls[i] = p.PTTL(ctx, k)
			dumps[i] = p.Dump(ctx, k)
		}
		return nil
	}); err != nil && !errors.Is(err, redis.Nil) && !isReplyErr(err) {
		return fmt.Errorf("bulk: DUMP: %w", err)
	}
	var b []byte
	now := midpoint(t0, time.Now()).UnixMilli() // when the server computed the PTTLs
	for i, k := range keys {
		payload, err := dumps[i].Result()
		pttl, terr := pttlOf(ttls[i])
		if err == nil {
			err = terr
		}
		switch {
		case errors.Is(err, redis.Nil) || (err == nil && pttl == -2):
			t.add(func(r *Report) { r.Skipped++ }) // gone since the scan
			continue
		case err != nil:
			t.fail(k, err.Error()) // DUMP refused (NOPERM…)
			continue
		}
		b = appendDumpRecord(b, k, pttl, now, payload)
		t.add(func(r *Report) { r.Affected++ })
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	return out.writeLocked(b)
}

func appendDumpRecord(b []byte, key string, pttl, now int64, payload string) []byte {
	b = append(b, `{"key":`...)
	b = appendBytes(b, key)
	b = append(b, `,"ttl_ms":`...)
	b = strconv.AppendInt(b, pttl, 10)
	if pttl > 0 {
		b = append(b, `,"expire_at_ms":`...)
		b = strconv.AppendInt(b, now+pttl, 10)
	}
	b = append(b, `,"dump":"`...)
	b = base64.StdEncoding.AppendEncode(b, []byte(payload))
	return append(b, "\"}\n"...)
}

// serverVersion is redis_version from INFO server, or "" when the server does not say.
func serverVersion(ctx context.Context, c redis.UniversalClient) string {
	info, err := c.Info(ctx, "server").Result()
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "redis_version:"); ok {
			return v
		}
	}
	return ""
}
