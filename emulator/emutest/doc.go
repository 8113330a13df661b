// Package emutest holds test helpers around the emulator: loopback guards that fail the test
// (for credentials' transports and for http.DefaultTransport), environment scrubbing for
// azidentity, and redis-server discovery.
// Only tests import it, so the shipped binary never links package testing.
package emutest
