package common

import (
	"context"
	"io"

	"github.com/amr-tui/amr-tui/bulk"
)

// BulkRunner is the optional capability of acting on many keys at once (package bulk): the key
// browser's marks. Every call runs until it is done or cancelled through its Control; none is
// bounded by the per-call timeout.
type BulkRunner interface {
	BulkPreview(ctx context.Context, sel bulk.Selection, o bulk.PreviewOptions, ctl *bulk.Control) (bulk.PreviewResult, error)
	BulkDelete(ctx context.Context, sel bulk.Selection, o bulk.MutateOptions) (bulk.Report, error)
	BulkExpire(ctx context.Context, sel bulk.Selection, spec bulk.ExpireSpec, o bulk.MutateOptions) (bulk.Report, error)
	BulkExport(ctx context.Context, sel bulk.Selection, w io.Writer, o bulk.ExportOptions) (bulk.Report, error)
}
