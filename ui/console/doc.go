// Package console is `:console`, redis-cli inside the TUI: its own connection from the store's
// optional common.ConsoleOpener, replies printed as redis-cli prints them, the read-only rule
// and typed-name confirmation of dangerous commands, and a redacted history file. It imports
// only ui/common.
package console
