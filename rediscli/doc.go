// Package rediscli is redis-cli–compatible input parsing and reply rendering.
//
// It is what the in-TUI console and `amr-tui exec` share so that a command typed, and the reply
// printed, look exactly as they would with redis-cli 7.0:
//
//   - SplitArgs splits a command line the way redis-cli does (sdssplitargs); Quote is its inverse.
//   - Reply is a client-independent model of every RESP2 and RESP3 reply type. Reader parses raw
//     RESP bytes into it, so a reply is rendered as the server sent it (a status is not a bulk
//     string, map order is kept); FromGoRedis converts go-redis Do().Result() values, with the
//     losses that go-redis imposes (see its doc).
//   - FormatTTY, FormatRaw and FormatJSON render a reply as redis-cli --no-raw, --raw and --json
//     print it, trailing newline included; Output adds redis-cli's per-command rule that prints
//     INFO, CLIENT LIST and friends raw in every mode.
//   - CommandTable (from COMMAND and COMMAND DOCS, or the table embedded in assets) holds
//     each command's flags, ACL categories and argument hint. Refusal is the one rule the
//     console, exec and the key browser ask before sending: CLIENT REPLY OFF|SKIP never, and on
//     a read-only profile ReadOnlyRefusal's default deny (only commands flagged readonly, or on
//     a short allow-list, run; unknown ones are refused). Dangerous names the
//     commands the console confirms first, and Redact removes secrets (AUTH, HELLO … AUTH,
//     CONFIG SET requirepass, ACL SETUSER >pass, MIGRATE … AUTH) before a line is shown or kept.
//
// Where redis-cli 7.0.15 cannot print a reply at all (big numbers, attributes, blob errors and
// NaN doubles make it exit with an error) or prints something that is not JSON under --json,
// this package renders it in the way documented on the function. Everything else is byte for
// byte redis-cli's output, which the tests check against the real redis-cli: commands on a real
// redis-server, scripts on its standard input, and crafted and random replies from a fake
// server.
//
// The package has no UI dependencies: the exec path uses it without Charm.
package rediscli
