package sessionstore

import (
	"context"

	"github.com/amr-tui/amr-tui/analyze"
	"github.com/amr-tui/amr-tui/ui/common"
)

var _ common.Analyzer = (*Store)(nil)

// StartAnalysis starts a memory analysis over the store's pooled client: on a cluster every
// primary is walked in parallel (go-redis ForEachMaster).
func (s *Store) StartAnalysis(ctx context.Context, o analyze.Options) (common.AnalysisRun, error) {
	r, err := analyze.Start(ctx, s.c, o)
	if err != nil {
		return nil, err
	}
	return r, nil
}
