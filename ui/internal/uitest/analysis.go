package uitest

import (
	"context"

	"github.com/amr-tui/amr-tui/analyze"
	"github.com/amr-tui/amr-tui/ui/common"
)

// AnalysisStore is a FakeStore with the Analyzer capability: every analysis it starts has
// already finished with Report (the screen's tests inject the data they render).
type AnalysisStore struct {
	*FakeStore
	Report  *analyze.Report
	Started []analyze.Options // the options of every analysis asked for
}

// StartAnalysis records o and returns a finished run.
func (s *AnalysisStore) StartAnalysis(_ context.Context, o analyze.Options) (common.AnalysisRun, error) {
	s.Mu.Lock()
	s.Started = append(s.Started, o)
	s.Mu.Unlock()
	done := make(chan struct{})
	close(done)
	return &finishedRun{rep: s.Report, done: done}, nil
}

type finishedRun struct {
	rep  *analyze.Report
	done chan struct{}
}

func (r *finishedRun) Progress() analyze.Progress {
	return analyze.Progress{Done: r.rep.Keyspace.Examined, Total: r.rep.Keyspace.Examined, Examined: r.rep.Keyspace.Examined, Finished: true}
}
func (r *finishedRun) Snapshot() *analyze.Report        { return r.rep }
func (r *finishedRun) Pause()                           {}
func (r *finishedRun) Resume()                          {}
func (r *finishedRun) Cancel()                          {}
func (r *finishedRun) Done() <-chan struct{}            { return r.done }
func (r *finishedRun) Result() (*analyze.Report, error) { return r.rep, nil }
