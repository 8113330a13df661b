// Package infopanel is `:info`, the server panel: INFO by section, CLIENT LIST, SLOWLOG and
// per-shard figures, each over an optional capability of the store, re-read while shown. It
// imports only ui/common.
package infopanel
