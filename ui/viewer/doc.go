// Package viewer shows one key's value a bounded page at a time (a size query, then one window
// or cursor page per type), edits collection members in place and strings in $EDITOR. It
// imports only ui/common.
package viewer
