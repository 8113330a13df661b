// Package emulator is a faithful local stand-in for Microsoft Entra ID and Azure Managed Redis.
//
// It has four parts, all on loopback:
//   - a fake Entra (HTTPS, with a CA generated at start) that serves what real azidentity
//     credentials ask for and mints RS256 access tokens;
//   - fake `az` and `azd` executables so the CLI credentials get emulator tokens;
//   - an AMR gate: a RESP proxy in front of an embedded miniredis or a real redis-server that
//     enforces Entra token AUTH and closes connections whose token expires;
//   - a seeding function that fills a backend with realistic namespaced sample data.
//
// `amr-tui demo` runs on it, and every other package tests against it.
package emulator
