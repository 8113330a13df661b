package ui

import (
	"github.com/amr-tui/amr-tui/ui/common"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"

	"errors"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
)

// historySession is prodSession with the session panel's details and a history to show.
func historySession() *uitest.FakeSession {
	s := prodSession()
	st := &s.St
	st.TenantID = "72f988bf-0000-4000-8000-0000000000aa"
	st.Credential = "developer (device code)"
	st.IssuedAt = uitest.T0.Add(-55*time.Minute - 55*time.Second)
	st.NextRefreshAt = uitest.T0.Add(-5 * time.Minute)
	st.Generation = 3
	st.Refreshing = false
	st.RetryAt = uitest.T0.Add(8 * time.Second)
	st.Pool, st.Console, st.PubSub, st.Stale = 4, 1, 1, 1
	st.DeviceCode = "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code HX7-QP2 to authenticate."
	st.LastError = "developer (device code): token request failed: the device code login is waiting for the user\n\nFix: finish the login in a browser"
	events := []common.SessionEvent{
		{At: uitest.T0.Add(-55 * time.Minute), What: "token acquired", Detail: "#1, expires 12:00:00, next refresh 11:42:00", Duration: 1400 * time.Millisecond},
		{At: uitest.T0.Add(-54 * time.Minute), What: "re-AUTH", Detail: "token #1 on 2 connections", Duration: 12 * time.Millisecond},
		{At: uitest.T0.Add(-12 * time.Minute), What: "token refreshed", Detail: "#2, expires 12:48:00, next refresh 11:55:00", Duration: 380 * time.Millisecond},
		{At: uitest.T0.Add(-12 * time.Minute), What: "re-AUTH", Detail: "token #2 on 5 connections, 1 failed", Duration: 31 * time.Millisecond, Level: common.FlashError, Err: "WRONGPASS invalid username-password pair"},
		{At: uitest.T0.Add(-5 * time.Minute), What: "refresh failed", Detail: "attempt 1, retry at 12:00:08", Duration: 2 * time.Second, Level: common.FlashWarn, Err: "the device code login is waiting for the user"},
	}
	for _, e := range events {
		s.Ch <- common.SessionUpdate{State: s.St, Event: &e}
	}
	return s
}

func TestGoldenLifecycle(t *testing.T) {
	withOpener := func(o *fakeOpener, open string) func() Options {
		return func() Options { return Options{Opener: o, OpenProfile: open, NoColor: true} }
	}
	four := func() *fakeOpener { return newFakeOpener("prod-weu", "staging", "dev-local", "cache-eus") }
	broken := four()
	broken.fail["staging"] = errors.New(`profile "staging": service principal (client secret): token request failed: AADSTS7000215: invalid client secret provided

Fix: the client secret is wrong or expired: create a new one and store it with amr-tui profiles edit staging --client-secret-stdin`)
	dev := four()
	dev.code["dev-local"] = common.DeviceCode{Code: "HX7-QP2", URL: "https://microsoft.com/devicelogin",
		Message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code HX7-QP2 to authenticate."}
	gate := make(chan struct{})
	t.Cleanup(func() { close(gate) })
	dev.gate["dev-local"] = gate

	pickerLoaded := func(a *App) bool { return a.life.picker != nil && a.life.picker.Loaded }
	cases := []struct {
		name  string
		opts  func() Options
		w, h  int
		steps func(t *testing.T) []screenStep
	}{
		{"StartupPicker", withOpener(four(), ""), 100, 20, func(t *testing.T) []screenStep {
			return []screenStep{until(t, "picker", pickerLoaded)}
		}},
		{"NoProfiles", withOpener(newFakeOpener(), ""), 100, 20, func(t *testing.T) []screenStep {
			return []screenStep{until(t, "picker", pickerLoaded)}
		}},
		{"Switcher", withOpener(four(), "prod-weu"), 100, 20, func(t *testing.T) []screenStep {
			return []screenStep{until(t, "open", func(a *App) bool { return a.session != nil }), settled(t), keys("P"),
				until(t, "picker", pickerLoaded), text("sta"), until(t, "filtered", func(a *App) bool { return a.life.picker.Query.Value() == "sta" })}
		}},
		{"DeviceCode", withOpener(dev, "dev-local"), 100, 20, func(t *testing.T) []screenStep {
			return []screenStep{until(t, "device code", func(a *App) bool { return a.life.opening != nil && a.life.opening.code != nil })}
		}},
		{"FailedSwitch", withOpener(broken, "prod-weu"), 100, 26, func(t *testing.T) []screenStep {
			return []screenStep{until(t, "open", func(a *App) bool { return a.session != nil }), settled(t), keys(":"), text("profiles"), keys("enter"),
				until(t, "picker", pickerLoaded), text("stag"), keys("enter"),
				until(t, "failure", func(a *App) bool { return a.life.picker != nil && a.life.picker.Failure != nil })}
		}},
		{"ProfileForm", withOpener(four(), ""), 100, 24, func(t *testing.T) []screenStep {
			return []screenStep{until(t, "picker", pickerLoaded), keys("ctrl+a"), text("ci"), keys("tab"), text("ci.westeurope.redis.azure.net"),
				keys("tab", "right", "tab"), text("11111111-2222"), keys("tab"), text("hunter2"),
				until(t, "typed", func(a *App) bool { f := a.life.form; return f != nil && f.Collect()["auth.client_secret"] == "hunter2" })}
		}},
		{"SessionPanel", func() Options { return Options{Store: demoStore(), Session: historySession(), NoColor: true} }, 100, 40, func(t *testing.T) []screenStep {
			return []screenStep{settled(t), until(t, "history", func(a *App) bool { return len(a.life.history) == 5 }),
				keys(":"), text("session"), keys("enter"), until(t, "session", func(a *App) bool { return a.screen == screenSession })}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runScreen(t, c.opts(), c.w, c.h, c.steps(t)...)
			golden.RequireEqual(t, []byte(out))
		})
	}
}
