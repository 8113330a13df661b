package emutest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// recordingT stands in for a test that the guard should fail: it records Errorf instead.
type recordingT struct {
	*testing.T
	mu     sync.Mutex
	errors []string
}

func (r *recordingT) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingT) failedNaming(host string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.errors {
		if strings.Contains(e, host) {
			return true
		}
	}
	return false
}

func TestGuardFailsTheTestOnNonLoopbackRequests(t *testing.T) {
	rec := &recordingT{T: t}
	client := &http.Client{Transport: emutest.Guard(rec, nil), Timeout: 10 * time.Second}
	_, err := client.Get("http://169.254.169.254/metadata/identity/oauth2/token")
	var blocked *emulator.BlockedRequestError
	if !errors.As(err, &blocked) || blocked.Host != "169.254.169.254" {
		t.Fatalf("request to IMDS: %v", err)
	}
	if !rec.failedNaming("169.254.169.254") {
		t.Fatalf("the test was not failed naming the host: %q", rec.errors)
	}
}

func TestTransportFailsTheTestWhenACredentialLeavesLoopback(t *testing.T) {
	emutest.CleanAzureEnv(t) // no IDENTITY_ENDPOINT: ManagedIdentityCredential goes for IMDS
	e := emutest.StartEntra(t, emulator.EntraOptions{})
	rec := &recordingT{T: t}
	cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{
		ClientOptions: emutest.ClientOptions(rec, e),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if _, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{emulator.RedisScope}}); err == nil {
		t.Fatal("a credential reached IMDS through the guard")
	}
	if !rec.failedNaming("169.254.169.254") {
		t.Fatalf("the test was not failed naming IMDS: %q", rec.errors)
	}

	// Loopback requests pass: the same guard lets a credential reach the fake Entra.
	rec = &recordingT{T: t}
	req, _ := http.NewRequest(http.MethodGet, e.AuthorityHost()+e.TenantID()+"/discovery/v2.0/keys", nil)
	resp, err := (&http.Client{Transport: emutest.Transport(rec, e).(http.RoundTripper), Timeout: 10 * time.Second}).Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("loopback request through the guard: %v", err)
	}
	resp.Body.Close()
	if len(rec.errors) != 0 {
		t.Fatalf("a loopback request failed the test: %q", rec.errors)
	}
}
