package doctor_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/amr-tui/amr-tui/doctor"
	"github.com/amr-tui/amr-tui/internal/golden"
)

// TestReportFormats pins the text and JSON forms of a report with every status, a multi-line
// cause and exact durations.
func TestReportFormats(t *testing.T) {
	rep := doctor.Report{Profile: "prod", Steps: []doctor.Step{
		{Name: doctor.StepDNS, Status: doctor.Pass, Duration: 300 * time.Microsecond, Detail: "10.0.0.4"},
		{Name: doctor.StepTLS, Status: doctor.Warn, Duration: 12500 * time.Microsecond, Detail: "TLS 1.3",
			Cause: "the server certificate expires in 3 days", Fix: "renew it"},
		{Name: doctor.StepToken, Status: doctor.Skip, Duration: 0, Detail: "access key"},
		{Name: doctor.StepCommand, Status: doctor.Fail, Duration: 1500 * time.Millisecond,
			Cause: "COMMAND INFO GET: NOPERM\nRedis replied: NOPERM …", Fix: "grant @connection"},
	}}
	var text, js bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "text", text.Bytes())
	golden.Assert(t, "json", js.Bytes())

	var back struct {
		Steps []struct {
			DurationMS float64 `json:"duration_ms"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Steps[0].DurationMS != 0.3 || back.Steps[3].DurationMS != 1500 {
		t.Fatalf("duration_ms: %+v %v", back, err)
	}
	if !strings.HasSuffix(text.String(), "profile \"prod\": FAIL at command\n") {
		t.Fatalf("summary: %q", text.String())
	}
	rep.Steps = rep.Steps[:3]
	if got := rep.Summary(); got != "profile \"prod\": OK, with 1 warning(s)\n" {
		t.Fatalf("summary: %q", got)
	}
}
