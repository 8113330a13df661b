package azure_test

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/profiles"
)

func TestEndpointFor(t *testing.T) {
	for _, c := range []struct {
		authority, override string
		want                azure.Endpoint
	}{
		{"", "", azure.PublicCloud},
		{profiles.AuthorityPublic, "", azure.PublicCloud},
		{profiles.AuthorityChina, "", azure.ChinaCloud},
		{profiles.AuthorityUSGov, "", azure.USGovCloud},
		{"https://127.0.0.1:1234/", "https://127.0.0.1:5678/", azure.Endpoint{URL: "https://127.0.0.1:5678", Audience: "https://management.azure.com"}},
		{profiles.AuthorityChina, "https://MANAGEMENT.chinacloudapi.cn/", azure.ChinaCloud},
	} {
		got, err := azure.EndpointFor(c.authority, c.override)
		if err != nil || got != c.want {
			t.Errorf("EndpointFor(%q, %q) = %+v, %v", c.authority, c.override, got, err)
		}
	}
	if azure.PublicCloud.Scope() != "https://management.azure.com/.default" {
		t.Errorf("scope = %s", azure.PublicCloud.Scope())
	}
	if _, err := azure.EndpointFor("https://login.example.com/", ""); err == nil || !strings.Contains(err.Error(), "--management-endpoint") {
		t.Errorf("custom authority without endpoint: %v", err)
	}
	for _, bad := range []string{"http://127.0.0.1:1", "https://user:pw@x", "https://x/?a=b", "nope"} {
		if _, err := azure.CustomEndpoint(bad); err == nil || strings.Contains(err.Error(), "pw") {
			t.Errorf("CustomEndpoint(%q) = %v", bad, err)
		}
	}
}

// TestNoRequestLeavesLoopback: aimed at the real Azure, the client's requests are stopped by
// the loopback guard before any byte leaves the machine, and the failure says so.
func TestNoRequestLeavesLoopback(t *testing.T) {
	var blocked atomic.Int32
	guard := emulator.LoopbackGuard{OnBlocked: func(r *http.Request) {
		blocked.Add(1)
		if r.URL.Host != "management.azure.com" {
			t.Errorf("blocked request to %s", r.URL.Host)
		}
	}}
	c, err := azure.New(staticCred("not-a-real-token"), azure.Options{Transport: guard})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Subscriptions(ctx(t))
	var be *emulator.BlockedRequestError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "blocked non-loopback request") {
		t.Fatalf("err = %v", err)
	}
	if blocked.Load() != 1 {
		t.Errorf("%d requests blocked, want 1 (no retries of a blocked request)", blocked.Load())
	}
}
