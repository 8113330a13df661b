// Package analyze finds where a Redis keyspace's memory goes: totals by type, the biggest keys
// by memory and by length, namespaces (key name prefixes up to a delimiter) as a tree, the TTL
// distribution, encodings and findings a user should act on. It reads only, and never reads a
// value whole: one pass of SCAN per server, with TYPE, PTTL, MEMORY USAGE (SAMPLES
// configurable), the type's length command (STRLEN, LLEN, SCARD, ZCARD, HLEN, XLEN) and
// optionally OBJECT ENCODING pipelined per batch. It has no UI; the CLI and the :analyze screen
// render its Report (WriteText, the JSON form, Bar and Sparkline).
//
// # Servers and clusters
//
// A *redis.Client is one server. On a *redis.ClusterClient (an OSS cluster, or Azure Managed
// Redis with the OSS clustering policy) every primary is walked in parallel through
// ForEachMaster, with per-shard totals and the skew between shards.
//
// # Sampling
//
// SCAN cannot pick keys uniformly, and RANDOMKEY can only pick one key per call, with
// replacement, ignoring MATCH (a selective pattern would need a rejection loop of unbounded
// length). Sample mode instead walks a prefix of each server's SCAN order. That order is the
// order of the server's hash table buckets, and a key's bucket is a hash of its name under a
// seed the server draws at random at startup: which keys fall in the first buckets does not
// depend on their names, types, sizes or insertion order. A prefix of the SCAN order is thus a
// random sample without replacement (of buckets, which hold about one key each), and the pattern
// is applied on the client so the analysis knows how many keys of the whole keyspace it
// examined (n) out of DBSIZE (N).
//
// Totals are expansion estimates N/n·Σy per server, added over servers (a stratified sample),
// with the variance N²(1−n/N)s²/n of simple random sampling and a normal 95 % interval, never
// below what the sample itself saw. Known limits: the normal interval is too narrow when a few
// keys hold most of the memory (the report's top keys show them; full mode is exact); where a
// server's SCAN walks slot by slot (Redis 7.4+ and Valkey 8 cluster nodes keep a table per
// slot) the sample is a sample of slots, so keys sharing a hash tag are sampled together and the
// interval understates the spread; a key created, deleted or resized during the walk may be
// missed or counted twice, as SCAN guarantees only keys present throughout.
//
// The default sample is the smaller of 100,000 keys and 10 % of the keyspace, but at least
// 10,000 keys: below that the whole keyspace is walked, which is cheap and exact. The top keys
// of a sample are the largest keys in the sample, not necessarily in the keyspace.
//
// # Pacing
//
// Options.Rate caps the commands per second sent to each server (DefaultRate unless set);
// batches are sized to a tenth of a second of that budget so pipelines stay short. Pause,
// Resume and Cancel act between batches; a cancelled run still reports what it examined,
// extrapolated like a sample.
//
// # MEMORY USAGE refused
//
// Managed services and ACL users without the MEMORY command refuse MEMORY USAGE. The analysis
// then estimates each key's memory from its name, length and encoding (Report.MemorySource is
// "estimate", and a warning says so); rankings by memory become rankings by length weighted by
// encoding.
package analyze
