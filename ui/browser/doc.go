// Package browser is the key list: a background SCAN filling a compact key set, the
// client-side filter, tree mode (one prefix scan per level) and the key actions (delete, TTL,
// rename, add). It asks App to open a key with common.OpenKeyMsg and imports only ui/common.
package browser
