package doctor

import (
	"bufio"
	"context"
	"net"
	"time"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
	"github.com/amr-tui/amr-tui/rediscli"
	"github.com/amr-tui/amr-tui/session"
)

// Default limits; Options override them.
const (
	defaultStepTimeout        = 10 * time.Second
	defaultTokenTimeout       = 30 * time.Second
	defaultInteractiveTimeout = 5 * time.Minute
	// scratchTTL bounds the life of the write probe's key should its DEL never arrive.
	scratchTTL = 30 * time.Second
	// certExpiryWarning is how close to its expiry a server certificate earns a warning.
	certExpiryWarning = 14 * 24 * time.Hour
	// maxClockSkew is how far the token's iat may be from the local clock without a warning.
	maxClockSkew = 5 * time.Minute
)

// staleConnection is how long a connection may wait for the login before AUTH reconnects:
// servers and proxies may drop a connection that stays unauthenticated (a device code or
// browser login takes minutes). A variable so that tests can force the reconnect.
var staleConnection = 20 * time.Second

// Options are the settings a doctor run needs besides the profile. The zero value suits a real
// run (device code login needs Auth.DeviceCodePrompt).
type Options struct {
	// Auth is passed to auth.NewSource (tests hold its transport to loopback).
	Auth auth.Options
	// Resolver looks the host up; nil means net.DefaultResolver.
	Resolver *net.Resolver
	// Now is the local clock the token's iat and the certificate's dates are compared with;
	// nil means time.Now.
	Now func() time.Time
	// StepTimeout bounds every step; zero means 10 s, and for the token step 30 s, or 5 min
	// for a device code or browser login.
	StepTimeout time.Duration
	// OnStep, when set, receives each step as soon as it is done, so a caller can print as
	// doctor goes.
	OnStep func(Step)
	// Access steers the access step's calls to Azure Resource Manager.
	Access AccessOptions
}

// Run checks p step by step and returns the report; it stops at the first failing step.
func Run(ctx context.Context, p profiles.Profile, opts Options) Report {
	r := &runner{p: p, opts: opts, report: Report{Profile: p.Name}}
	defer r.close()
	checks := []struct {
		name string
		run  func(context.Context) result
	}{
		{StepProfile, r.checkProfile},
		{StepSecrets, r.checkSecrets},
		{StepDNS, r.checkDNS},
		{StepTCP, r.checkTCP},
		{StepTLS, r.checkTLS},
		{StepToken, r.checkToken},
		{StepAccess, r.checkAccess},
		{StepAuth, r.checkAuth},
		{StepPing, r.checkPing},
		{StepInfo, r.checkInfo},
		{StepScan, r.checkScan},
		{StepCommand, r.checkCommand},
		{StepWrite, r.checkWrite},
		{StepCluster, r.checkCluster},
	}
	for _, c := range checks {
		if !r.step(ctx, c.name, c.run) {
			return r.report
		}
	}
	r.report.OK = true
	return r.report
}

// FailedLoad is the report for a profile that could not even be loaded (a malformed profiles
// file, or no profile of that name): one failing profile step.
func FailedLoad(name string, err error, fix string) Report {
	return Report{Profile: name, Steps: []Step{{Name: StepProfile, Status: Fail, Cause: err.Error(), Fix: fix}}}
}

// result is what a check returns; the runner adds the name and the duration.
type result struct {
	status Status
	detail string
	cause  string
	fix    string
}

func pass(detail string) result { return result{status: Pass, detail: detail} }

func skip(detail string) result { return result{status: Skip, detail: detail} }

func fail(detail, cause, fix string) result {
	return result{status: Fail, detail: detail, cause: cause, fix: fix}
}

func warn(detail, cause, fix string) result {
	return result{status: Warn, detail: detail, cause: cause, fix: fix}
}

// runner carries what one step hands to the next: the config, the addresses, the connection,
// the token.
type runner struct {
	p      profiles.Profile
	opts   Options
	report Report

	cfg  session.Config
	ips  []string
	conn net.Conn // TCP, then TLS over it
	// addr is the address the tcp step connected to, and connectedAt when its connection was
	// made ready (after TLS), so AUTH can reconnect after a slow interactive login.
	addr        string
	connectedAt time.Time
	rd          *rediscli.Reader
	tok         auth.Token
}

func (r *runner) now() time.Time {
	if r.opts.Now != nil {
		return r.opts.Now()
	}
	return time.Now()
}

func (r *runner) timeout(name string) time.Duration {
	switch {
	case r.opts.StepTimeout > 0:
		return r.opts.StepTimeout
	case name == StepAccess:
		return accessTimeout
	case name != StepToken:
		return defaultStepTimeout
	}
	if a := r.p.Auth; a.Kind == profiles.AuthDeveloper &&
		(a.Method == profiles.DeveloperDeviceCode || a.Method == profiles.DeveloperBrowser) {
		return defaultInteractiveTimeout
	}
	return defaultTokenTimeout
}

// step runs one check under its own deadline and records it; it reports whether to go on.
func (r *runner) step(ctx context.Context, name string, check func(context.Context) result) bool {
	sctx, cancel := context.WithTimeout(ctx, r.timeout(name))
	defer cancel()
	if r.conn != nil {
		deadline, _ := sctx.Deadline()
		_ = r.conn.SetDeadline(deadline)
	}
	start := time.Now()
	res := check(sctx)
	s := Step{Name: name, Status: res.status, Duration: time.Since(start), Detail: res.detail, Cause: res.cause, Fix: res.fix}
	r.report.Steps = append(r.report.Steps, s)
	if r.opts.OnStep != nil {
		r.opts.OnStep(s)
	}
	return s.Status != Fail
}

// setConn makes c the connection later steps talk over.
func (r *runner) setConn(c net.Conn) {
	r.conn = c
	r.connectedAt = time.Now()
	r.rd = rediscli.NewReader(bufio.NewReader(c))
}

func (r *runner) close() {
	if r.conn != nil {
		_ = r.conn.Close()
	}
}
