package sessionstore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

// TestHistoryEvents: each session event becomes one history line with its duration and, for
// failures, auth's full explanation; the refresh start itself is folded into its outcome.
func TestHistoryEvents(t *testing.T) {
	x := NewSession(Info{Profile: "p"})
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	st := session.State{Kind: "service principal (client secret)", Expires: true, ExpiresAt: t0.Add(time.Hour), Generation: 2,
		Claims:      auth.Claims{AppID: "app", ObjectID: "oid", TenantID: "tenant", IssuedAt: t0},
		Connections: session.Connections{Pool: 3, Console: 1, PubSub: 2, Stale: 1}}

	if u := x.update(st, session.RefreshStarted{At: session.At{Time: t0}, Attempt: 1}); u.Event != nil {
		t.Fatalf("a refresh start is its own line: %+v", u.Event)
	}
	u := x.update(st, session.TokenAcquired{At: session.At{Time: t0.Add(1500 * time.Millisecond)}, Generation: 2, ExpiresAt: t0.Add(time.Hour)})
	if e := u.Event; e == nil || e.What != "token refreshed" || e.Duration != 1500*time.Millisecond || !strings.Contains(e.Detail, "#2") {
		t.Fatalf("token line %+v", e)
	}
	s := u.State
	if s.TenantID != "tenant" || s.Credential != st.Kind || s.Pool != 3 || s.Console != 1 || s.PubSub != 2 || s.Stale != 1 || s.Generation != 2 || !s.IssuedAt.Equal(t0) {
		t.Fatalf("state %+v", s)
	}

	x.update(st, session.RefreshStarted{At: session.At{Time: t0.Add(time.Minute)}, Attempt: 1})
	ae := &auth.Error{Credential: "service principal (client secret)", Step: auth.StepToken, Summary: "token request refused", Fix: "check the client secret"}
	u = x.update(st, session.RefreshFailed{At: session.At{Time: t0.Add(time.Minute + 2*time.Second)}, Err: ae, Attempt: 1, NextRetryAt: t0.Add(2 * time.Minute)})
	if e := u.Event; e == nil || e.Level != common.FlashWarn || e.Duration != 2*time.Second || e.Err != ae.Explain() || !strings.Contains(e.Err, "check the client secret") {
		t.Fatalf("failure line %+v", e)
	}
	st.LastErr = ae
	if u = x.update(st, session.ReauthDone{At: session.At{Time: t0}, Generation: 2, Connections: 4, Failed: 1, Duration: 30 * time.Millisecond,
		Err: errors.New("WRONGPASS invalid username-password pair")}); u.Event == nil || u.Event.Level != common.FlashError || u.Event.Duration != 30*time.Millisecond || u.Event.Err == "" {
		t.Fatalf("re-AUTH line %+v", u.Event)
	}
	if !strings.Contains(u.State.LastError, "check the client secret") {
		t.Fatalf("last error %q", u.State.LastError)
	}
	// A device code prompt shows in the state until a later token settles it.
	_ = x.DeviceCodePrompt(context.Background(), auth.DeviceCodePrompt{UserCode: "ABC", VerificationURL: "https://microsoft.com/devicelogin"})
	if got := x.State().DeviceCode; !strings.Contains(got, "ABC") {
		t.Fatalf("device code in state %q", got)
	}
	u = x.update(st, session.TokenAcquired{At: session.At{Time: time.Now().Add(time.Second)}, Generation: 3})
	if u.State.DeviceCode != "" {
		t.Fatalf("the device code stayed after the login: %q", u.State.DeviceCode)
	}
}
