// Package bulk acts on many keys at once: it selects keys by pattern and type (SCAN MATCH/TYPE,
// every primary of a cluster in parallel) or by name, previews a selection (count, a sample of
// names, the memory a delete frees), deletes (UNLINK) or changes TTLs of it, exports it to a file
// (jsonl: readable typed values; dump: DUMP payloads), imports such a file, and copies keys from
// one server to another.
//
// Safety rules every operation follows:
//
//   - A read-only target is refused before anything is sent (ErrReadOnly).
//   - Work is done in batches; pause, cancel and the rate cap act between batches, and a batch
//     already sent is always read to the end, so a Report says exactly what was done.
//   - A key is written whole or not at all: a value too big for one command is built under a
//     temporary name in the same hash slot and renamed over the target by one script, which also
//     applies the conflict rule and the TTL (see Import).
//   - A delete or expire with a type filter re-checks the type on the server in the same atomic
//     step that changes the key, so a key whose type changed since the scan is left alone.
//
// It uses go-redis UniversalClients (standalone or cluster) and has no UI dependencies; an
// import on a standalone server may also be given Pipes (session.Pipe), dedicated connections
// on which it encodes its native writes itself (ImportOptions.Pipe).
package bulk

import "errors"

// ErrReadOnly refuses a state-changing operation on a read-only profile; nothing was sent.
var ErrReadOnly = errors.New("bulk: the profile is read-only: deleting, changing TTLs, importing and copying into it are refused (nothing was sent)")

// ErrCancelled is returned when an operation was cancelled through its Control; the Report
// returned with it says what was done before the cancel.
var ErrCancelled = errors.New("bulk: cancelled")
