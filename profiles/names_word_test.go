package profiles

import (
	"strings"
	"testing"
)

// The hand-written checks accept exactly what the patterns they replace did:
// ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ for names, ^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$ for tenants.
func TestNameAndTenantChecks(t *testing.T) {
	for _, c := range []struct {
		s            string
		name, tenant bool
	}{
		{"prod", true, true},
		{"prod-weu.2_b", true, false},
		{"contoso.onmicrosoft.com", true, true},
		{"00000000-0000-0000-0000-000000000000", true, true},
		{"", false, false},
		{"-prod", false, false},
		{".prod", false, false},
		{"_prod", false, false},
		{"pröd", false, false},
		{"pr od", false, false},
		{"a/b", false, false},
		{strings.Repeat("a", 64), true, true},
		{strings.Repeat("a", 65), false, true},
		{strings.Repeat("a", 253), false, true},
		{strings.Repeat("a", 254), false, false},
	} {
		if got := ValidName(c.s) == nil; got != c.name {
			t.Errorf("ValidName(%q) ok = %v, want %v", c.s, got, c.name)
		}
		if got := validTenant(c.s); got != c.tenant {
			t.Errorf("validTenant(%q) = %v, want %v", c.s, got, c.tenant)
		}
	}
}
