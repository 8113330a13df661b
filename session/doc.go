// Package session owns a live go-redis client (standalone or cluster) and a token manager that
// refreshes the Entra token before it expires and re-AUTHs every live connection — pooled,
// console and pub/sub — publishing events for the UI over a channel.
//
// # Tokens
//
// Open takes the first token from an auth.Source; the token manager then refreshes it at the
// earlier of received + ratio × lifetime and expiry − lower bound (never after the issuer's
// RefreshOn), with jitter. A refresh that returns the token already in use (served from a
// cache) is polled again rather than treated as new. Failures are retried with capped
// exponential backoff until the token expires, and more slowly afterwards, so the session
// recovers by itself. One refresh runs at a time. Tokens that never expire (access keys) get
// no refresh loop.
//
// # Re-AUTH
//
// AMR closes a connection whose token expires, so after each new token the session sends
// AUTH on every live connection before the old token expires, instead of relying on
// go-redis's streaming re-auth (which reaches an idle connection only when it is next checked
// out, never a pub/sub or sticky one, and only logs a refused AUTH):
//
//   - Pooled connections: the session's dialer wraps every connection and records which token
//     it last sent (AUTH or HELLO … AUTH). A sweep checks connections out of the FIFO pool one
//     by one, sends AUTH and returns them, until none holds an older token; connections busy
//     with a command are reached once returned. The re-AUTHs are paced over a window.
//   - Consoles (Session.Console) hold a dedicated connection; their commands and re-AUTHs are
//     serialised.
//   - Subscriptions (Session.Subscribe) are moved make-before-break to a new connection with a
//     marker message, under RESP2 and RESP3 alike, without losing or repeating a message.
//
// A refused re-AUTH is reported in a ReauthDone event and in the Snapshot. Events never
// carry a token.
package session
