package emutest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/emulator"
)

// exactAzureVars are cleared by CleanAzureEnv besides every AZURE_*, IDENTITY_* and MSI_*
// variable: each can point azidentity or MSAL at a real endpoint (IMDS, a region, a tenant).
var exactAzureVars = []string{
	"IMDS_ENDPOINT", "MSAL_FORCE_REGION", "AZURE_REGIONAL_AUTHORITY_NAME", "REGION_NAME",
	"AZURE_TOKEN_CREDENTIALS", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET",
	"AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_AUTHORITY_HOST", "AZURE_FEDERATED_TOKEN_FILE",
	"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT", "MSI_SECRET",
}

// CleanAzureEnv blanks, for the duration of the test, every environment variable that steers
// azidentity or MSAL: AZURE_*, IDENTITY_*, MSI_*, IMDS_ENDPOINT, MSAL_FORCE_REGION,
// AZURE_REGIONAL_AUTHORITY_NAME, REGION_NAME and AZURE_TOKEN_CREDENTIALS. (azidentity treats
// an empty variable as unset.) It uses t.Setenv, so the test must not be parallel.
func CleanAzureEnv(t testing.TB) {
	t.Helper()
	seen := map[string]bool{}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AZURE_") || strings.HasPrefix(name, "IDENTITY_") || strings.HasPrefix(name, "MSI_") {
			seen[name] = true
		}
	}
	for _, name := range exactAzureVars {
		seen[name] = true
	}
	for name := range seen {
		t.Setenv(name, "")
	}
}

// SetAppServiceEnv points ManagedIdentityCredential at e's App Service–style endpoint
// (IDENTITY_ENDPOINT and IDENTITY_HEADER) and clears the variables that would select another
// managed-identity source. Set it before constructing the credential, which picks its source
// then, and keep it while the credential is used (MSAL re-reads IDENTITY_ENDPOINT per request).
func SetAppServiceEnv(t testing.TB, e *emulator.Entra) {
	t.Helper()
	for _, name := range []string{"IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT"} {
		t.Setenv(name, "")
	}
	for k, v := range e.AppServiceEnv() {
		t.Setenv(k, v)
	}
}

// InstallFakeCLIs installs e's fake az and azd into a fresh temporary directory and puts that
// directory (absolute: azidentity runs the CLIs from /bin) first on PATH for the test.
func InstallFakeCLIs(t testing.TB, e *emulator.Entra) string {
	t.Helper()
	dir, err := filepath.Abs(t.TempDir())
	if err != nil {
		t.Fatalf("fake CLIs: %v", err)
	}
	if err := e.InstallFakeCLIs(dir); err != nil {
		t.Fatalf("fake CLIs: %v", err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir
}

// StartEntra starts a fake Entra for the test and closes it when the test ends.
func StartEntra(t testing.TB, opts emulator.EntraOptions) *emulator.Entra {
	t.Helper()
	e, err := emulator.StartEntra(opts)
	if err != nil {
		t.Fatalf("starting fake Entra: %v", err)
	}
	t.Cleanup(e.Close)
	return e
}
