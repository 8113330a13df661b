package sessionstore

import (
	"errors"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/session"
	"github.com/amr-tui/amr-tui/ui/common"
)

func TestEventsBecomeFlashes(t *testing.T) {
	x := NewSession(Info{Profile: "p"})
	now := time.Now()
	at := session.At{Time: now}
	cases := []struct {
		ev    session.Event
		flash string
		level common.FlashLevel
	}{
		{session.TokenAcquired{At: at, Generation: 2}, "", common.FlashInfo},
		{session.RefreshStarted{At: at, Attempt: 1}, "", common.FlashInfo},
		{session.ReauthDone{At: at, Connections: 4}, "token refreshed, 4 connections re-authenticated", common.FlashInfo},
		{session.ReauthDone{At: at, Connections: 1, Evicted: 2}, "token refreshed, 1 connection re-authenticated, 2 connections closed while idle", common.FlashInfo},
		{session.ReauthDone{At: at, Connections: 3, Failed: 1, Err: errors.New("WRONGPASS")}, "token refreshed, 3 connections re-authenticated, 1 failed: WRONGPASS", common.FlashError},
		{session.RefreshFailed{At: at, Attempt: 2, Err: &auth.Error{Credential: "service principal (client secret)", Step: auth.StepToken, Summary: "Entra did not answer"}},
			"token refresh failed (attempt 2): service principal (client secret): " + auth.StepToken.String() + ": Entra did not answer", common.FlashWarn},
		{session.TokenExpired{At: at, LastErr: errors.New("timeout")}, "token expired: timeout", common.FlashError},
		{session.ConnectionLost{At: at, Err: errors.New("EOF")}, "connection lost: EOF", common.FlashError},
		{session.ConnectionRestored{At: at, Down: 1234 * time.Millisecond}, "connection restored after 1.2s", common.FlashInfo},
	}
	st := session.State{Expires: true, ExpiresAt: now.Add(time.Minute), Refreshing: true, RetryAt: now.Add(8 * time.Second),
		Username: "oid-1", Claims: auth.Claims{UPN: "dev@contoso.example", ObjectID: "oid-1"}}
	for _, c := range cases {
		u := x.update(st, c.ev)
		if u.Flash != c.flash || u.Level != c.level {
			t.Errorf("%T: flash %q level %d, want %q level %d", c.ev, u.Flash, u.Level, c.flash, c.level)
		}
		s := u.State
		if s.Profile != "p" || s.Identity != "dev@contoso.example" || s.ObjectID != "oid-1" || !s.Expires ||
			!s.Refreshing || !s.RetryAt.Equal(st.RetryAt) || !s.ExpiresAt.Equal(st.ExpiresAt) {
			t.Errorf("%T: state %+v", c.ev, s)
		}
	}
	// A service principal shows its app ID.
	if s := x.stateOf(session.State{Username: "o", Claims: auth.Claims{AppID: "app", ObjectID: "o"}}); s.Identity != "app" || s.ObjectID != "o" {
		t.Errorf("service principal identity: %+v", s)
	}
}
