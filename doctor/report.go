package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Status is the outcome of one step.
type Status string

// The outcomes of a step. A WARN step passed but found something to fix (a certificate close to
// expiry, a skewed clock, verification turned off); doctor goes on after it.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Step names, in the order doctor runs them.
const (
	StepProfile = "profile"
	StepSecrets = "secrets"
	StepDNS     = "dns"
	StepTCP     = "tcp"
	StepTLS     = "tls"
	StepToken   = "token"
	StepAuth    = "auth"
	StepPing    = "ping"
	StepInfo    = "info"
	StepScan    = "scan"
	StepCommand = "command"
	StepWrite   = "write"
	StepCluster = "cluster"
)

// Steps lists every step name in order.
var Steps = []string{StepProfile, StepSecrets, StepDNS, StepTCP, StepTLS, StepToken, StepAccess, StepAuth,
	StepPing, StepInfo, StepScan, StepCommand, StepWrite, StepCluster}

// Step is the result of one check. Detail says what was found; Cause and Fix are set for FAIL
// and WARN (empty otherwise, but always present in JSON so consumers need not test for them).
// None of them ever holds a secret or a token.
type Step struct {
	Name     string        `json:"name"`
	Status   Status        `json:"status"`
	Duration time.Duration `json:"-"`
	Detail   string        `json:"detail"`
	Cause    string        `json:"cause"`
	Fix      string        `json:"fix"`
}

// MarshalJSON adds duration_ms, the step's duration in milliseconds.
func (s Step) MarshalJSON() ([]byte, error) {
	type plain Step
	return json.Marshal(struct {
		plain
		DurationMS float64 `json:"duration_ms"`
	}{plain(s), float64(s.Duration.Microseconds()) / 1000})
}

// Report is the outcome of a doctor run: the steps that ran, up to and including the first
// failure.
type Report struct {
	Profile string `json:"profile"`
	OK      bool   `json:"ok"`
	Steps   []Step `json:"steps"`
}

// Failed returns the failing step, if any.
func (r Report) Failed() (Step, bool) {
	for _, s := range r.Steps {
		if s.Status == Fail {
			return s, true
		}
	}
	return Step{}, false
}

// WriteJSON writes the report as one indented JSON document.
func (r Report) WriteJSON(w io.Writer) error {
	if r.Steps == nil {
		r.Steps = []Step{}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteText writes every step as FormatStep does, then a summary line.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, s := range r.Steps {
		b.WriteString(FormatStep(s))
	}
	b.WriteString(r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is the closing line of the text report.
func (r Report) Summary() string {
	if s, ok := r.Failed(); ok {
		return fmt.Sprintf("profile %q: FAIL at %s\n", r.Profile, s.Name)
	}
	warns := 0
	for _, s := range r.Steps {
		if s.Status == Warn {
			warns++
		}
	}
	if warns > 0 {
		return fmt.Sprintf("profile %q: OK, with %d warning(s)\n", r.Profile, warns)
	}
	return fmt.Sprintf("profile %q: OK\n", r.Profile)
}

// nameWidth aligns the detail column: the longest step name plus two spaces.
const nameWidth = len(StepCommand) + 2

// indent starts the cause and fix lines under the detail column.
var indent = strings.Repeat(" ", 6+nameWidth)

// FormatStep is one step as the text report prints it:
//
//	PASS  dns      127.0.0.1 (0.3 ms)
//	FAIL  tcp      127.0.0.1:6390 (0.2 ms)
//	               cause: connection refused …
//	               fix:   …
func FormatStep(s Step) string {
	var b strings.Builder
	detail := s.Detail
	if detail != "" {
		detail += " "
	}
	fmt.Fprintf(&b, "%-4s  %-*s%s(%s)\n", strings.ToUpper(string(s.Status)), nameWidth, s.Name, detail, formatDuration(s.Duration))
	writeLabelled(&b, "cause: ", s.Cause)
	writeLabelled(&b, "fix:   ", s.Fix)
	return b.String()
}

// writeLabelled writes a possibly multi-line text under the detail column, the label on its
// first line and later lines aligned after it.
func writeLabelled(b *strings.Builder, label, text string) {
	if text == "" {
		return
	}
	for i, line := range strings.Split(text, "\n") {
		b.WriteString(indent)
		if i == 0 {
			b.WriteString(label)
		} else if line != "" {
			b.WriteString(strings.Repeat(" ", len(label)))
		}
		b.WriteString(line)
		b.WriteString("\n")
	}
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}
