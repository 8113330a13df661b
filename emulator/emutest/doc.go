// Package emutest holds test helpers around the emulator: the loopback guard for
// http.DefaultTransport, environment scrubbing for azidentity, and redis-server discovery.
// Only tests import it, so the shipped binary never links package testing.
package emutest
