package ui

import (
	"strings"
	"testing"
	"time"

	engine "github.com/amr-tui/amr-tui/analyze"
	"github.com/amr-tui/amr-tui/ui/analyze"
	"github.com/amr-tui/amr-tui/ui/internal/uitest"
)

func analysisReport() *engine.Report {
	ex := func(v int64) engine.Estimate { return engine.Estimate{Value: v, Low: v, High: v, Exact: true} }
	return &engine.Report{SchemaVersion: engine.SchemaVersion, Mode: "full", Complete: true, MemorySource: "memory_usage",
		Sampling: "every key was examined; totals are exact", Keyspace: engine.Keyspace{Keys: 3, Examined: 3, Analyzed: 3},
		Keys: ex(3), Memory: ex(300), ExpiringMemory: ex(0),
		Types: []engine.TypeStat{{Type: "string", Keys: ex(3), Memory: ex(300), LengthUnit: "bytes", AvgLength: 5,
			TopByMemory: []engine.KeyRef{{Key: "user:1:name", Type: "string", Memory: 100, Length: 5, TTL: -1}},
			TopByLength: []engine.KeyRef{{Key: "user:1:name", Type: "string", Memory: 100, Length: 5, TTL: -1}}}},
		TopByMemory: []engine.KeyRef{{Key: "user:1:name", Type: "string", Memory: 100, Length: 5, TTL: -1}},
		Namespaces: engine.Namespace{Keys: ex(3), Memory: ex(300), OtherKeys: ex(0), OtherMemory: ex(0),
			Children: []engine.Namespace{{Prefix: "user:", Match: "user:*", Keys: ex(3), Memory: ex(300)}}},
		Shards: []engine.ShardStat{{Addr: "127.0.0.1:6379", Keys: ex(3), Memory: ex(300)}}}
}

// `:analyze` opens the analysis screen and starts a sample; enter on a namespace shows the key
// list scanning its pattern; enter on a key opens the viewer, and esc comes back to the
// analysis; `:analyze full user:*` starts a full analysis of that pattern.
func TestAnalyzeScreenRoutes(t *testing.T) {
	old := analyze.TickEvery
	analyze.TickEvery = time.Millisecond
	defer func() { analyze.TickEvery = old }()
	f := uitest.NewFakeStore()
	f.Set("user:1:name", "alice")
	f.Set("user:2:name", "bob")
	f.Set("user:3:name", "carol")
	st := &uitest.AnalysisStore{FakeStore: f, Report: analysisReport()}
	a, _ := testApp(t, st, nil, 120, 30)
	start(t, a)
	drain(t, a, a.runCommand("analyze"))
	if a.screen != screenAnalyze || len(st.Started) != 1 || st.Started[0].Mode != engine.Sample {
		t.Fatalf("after :analyze: screen %v, started %+v", a.screen, st.Started)
	}
	v := stripANSI(a.Render())
	for _, want := range []string{"OVERVIEW", "NAMESPACES", "Memory by type", "string"} {
		if !strings.Contains(v, want) {
			t.Fatalf("analysis screen lacks %q:\n%s", want, v)
		}
	}
	drain(t, a, a.runCommand("analyze")) // shows the existing analysis, starts nothing
	if len(st.Started) != 1 {
		t.Errorf(":analyze again started %d analyses", len(st.Started))
	}

	press(t, a, "2", "enter")
	if a.screen != screenKeys || a.browser.Scan.Match != "user:*" {
		t.Fatalf("enter on user: went to screen %v with pattern %q", a.screen, a.browser.Scan.Match)
	}

	drain(t, a, a.runCommand("analyze"))
	press(t, a, "3", "down", "enter")
	if a.screen != screenValue {
		t.Fatalf("enter on a key: screen %v", a.screen)
	}
	press(t, a, "esc")
	if a.screen != screenAnalyze {
		t.Fatalf("esc from the value went to screen %v, not back to the analysis", a.screen)
	}
	press(t, a, "esc")
	if a.screen != screenKeys {
		t.Fatalf("esc from the analysis went to screen %v", a.screen)
	}

	drain(t, a, a.runCommand("analyze full user:* string"))
	if last := st.Started[len(st.Started)-1]; last.Mode != engine.Full || last.Match != "user:*" || last.Type != "string" {
		t.Errorf(":analyze full user:* string started %+v", last)
	}
}
