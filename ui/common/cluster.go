package common

// Optional store capabilities for a Redis Cluster (AMR's OSS clustering policy). A store over a
// standalone server does not implement them, or reports ok = false.
// ShardProgress is one shard's part of a key scan in progress.
type ShardProgress struct {
	FirstSlot int    // the lowest slot the shard owns; shards come in slot order
	Addr      string // the primary scanned, as the cluster advertises it (AMR: IP:port)
	Found     int64  // keys found on this shard so far
	Done      bool   // this shard's SCAN is complete
}

// ScanProgressReader describes a scan cursor (as KeyScanner.Scan returns it) shard by shard,
// without I/O; ok is false for a standalone cursor or "".
type ScanProgressReader interface {
	ScanProgress(cursor string) (shards []ShardProgress, ok bool)
}
