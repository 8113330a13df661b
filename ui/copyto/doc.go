// Package copyto is the copy of the key browser's marked keys to another saved profile: a
// picker of the other profiles, a preview (how many keys, sample names, the target, the
// conflict rule and the TTL rule), the target's name typed to confirm, a progress bar with
// keys/s (p pauses, esc cancels), and the report. The copy is package bulk's (bulk.Copy, as
// `amr-tui copy` runs it) through the source store's optional common.BulkCopier capability;
// the target is opened through the common.Opener. A read-only target is refused before it is
// opened. It imports only ui/common and package bulk.
package copyto
