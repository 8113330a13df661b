// Package uitest holds the test doubles and helpers that tests of several ui packages share:
// FakeStore (an in-memory common.Store), FakeSession,
// FakeConsole, the fixed test time T0 and the benchmark helpers.
package uitest
