// Package doctor checks a profile step by step — the profile and its secrets, DNS, TCP, the TLS
// handshake, the token, AUTH, PING, permission probes and the clustering policy — and stops at
// the first failure with its cause and the likely fix. Each step runs on its own (a resolver, a
// dialer, a TLS client, the auth source, then RESP commands on the one connection) so a failure
// belongs to the step that met it. Secrets and tokens are never part of a report.
package doctor
