package auth

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves goroutines behind (a credential, transport or
// CLI process that outlives its test).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
