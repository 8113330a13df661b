package emulator_test

import (
	"testing"

	"github.com/amr-tui/amr-tui/emulator"
)

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1":                 true,
		"127.8.9.10":                true,
		"::1":                       true,
		"[::1]":                     true,
		"localhost":                 true,
		"LocalHost":                 true,
		"169.254.169.254":           false, // the instance metadata service
		"login.microsoftonline.com": false,
		"127.0.0.1.nip.io":          false, // a name that merely resolves to loopback
		"0.0.0.0":                   false,
		"::":                        false,
		"":                          false,
	} {
		if got := emulator.IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}
