package emutest

import (
	"testing"

	"github.com/amr-tui/amr-tui/emulator"
)

// StartARM starts a fake Azure Resource Manager that trusts e's tokens and serves f, stopped
// when the test ends.
func StartARM(t testing.TB, e *emulator.Entra, f emulator.ARMFixture) *emulator.ARM {
	t.Helper()
	a, err := emulator.StartARM(emulator.ARMOptions{Entra: e, Fixture: f})
	if err != nil {
		t.Fatalf("starting the fake ARM: %v", err)
	}
	t.Cleanup(a.Close)
	return a
}
