// Package execrun runs Redis commands for `amr-tui exec` as redis-cli does: one command or a
// script read line by line, each reply printed in redis-cli's format (or JSON), MOVED and ASK
// followed in a cluster, and the read-only rule applied before a command is sent.
//
// Its one connection is a session.Console on a session from session.OpenRaw: the same dial,
// TLS, AUTH, re-AUTH and token refresh as the TUI's console and SCAN connection.
package execrun
