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

// BulkCopier is the optional capability of copying keys from this store into another
// profile's (bulk.Copy: DUMP/RESTORE when the versions allow it, typed writes otherwise). The
// target is a Store an Opener returned; a target of another kind is an error.
type BulkCopier interface {
	BulkCopyTo(ctx context.Context, target Store, sel bulk.Selection, o bulk.CopyOptions) (bulk.Report, error)
}

// CopyMarksMsg asks App to copy the browser's marked keys to another saved profile: the
// browser sends it, App opens the copy screen over the key list.
type CopyMarksMsg struct {
	Selection bulk.Selection
	Count     int64 // how many keys are marked
}
