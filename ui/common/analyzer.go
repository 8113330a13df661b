package common

import (
	"context"

	"github.com/amr-tui/amr-tui/analyze"
)

// Analyzer is implemented by stores that can run a memory analysis (package analyze) over
// their connection: every primary of a cluster, or the one server. It is optional; the
// `:analyze` screen says so when the store lacks it. The analysis only reads, so read-only
// profiles have it too.
type Analyzer interface {
	// StartAnalysis counts the keys (ctx bounds that) and starts the walk in the background;
	// it runs until it ends or is cancelled.
	StartAnalysis(ctx context.Context, o analyze.Options) (AnalysisRun, error)
}

// AnalysisRun is an analysis in progress (*analyze.Run).
type AnalysisRun interface {
	Progress() analyze.Progress
	Snapshot() *analyze.Report
	Pause()
	Resume()
	Cancel()
	Done() <-chan struct{}
	Result() (*analyze.Report, error)
}

var _ AnalysisRun = (*analyze.Run)(nil)
