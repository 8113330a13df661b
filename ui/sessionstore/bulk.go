package sessionstore

import (
	"context"
	"fmt"
	"io"

	"github.com/amr-tui/amr-tui/bulk"
	"github.com/amr-tui/amr-tui/ui/common"
)

var _ common.BulkRunner = (*Store)(nil)

// BulkPreview implements common.BulkRunner.
func (s *Store) BulkPreview(ctx context.Context, sel bulk.Selection, o bulk.PreviewOptions, ctl *bulk.Control) (bulk.PreviewResult, error) {
	return bulk.Preview(ctx, s.c, sel, o, ctl)
}

// BulkDelete implements common.BulkRunner.
func (s *Store) BulkDelete(ctx context.Context, sel bulk.Selection, o bulk.MutateOptions) (bulk.Report, error) {
	return bulk.Delete(ctx, s.c, sel, o)
}

// BulkExpire implements common.BulkRunner.
func (s *Store) BulkExpire(ctx context.Context, sel bulk.Selection, spec bulk.ExpireSpec, o bulk.MutateOptions) (bulk.Report, error) {
	return bulk.Expire(ctx, s.c, sel, spec, o)
}

// BulkExport implements common.BulkRunner.
func (s *Store) BulkExport(ctx context.Context, sel bulk.Selection, w io.Writer, o bulk.ExportOptions) (bulk.Report, error) {
	return bulk.Export(ctx, s.c, sel, w, o)
}

var _ common.BulkCopier = (*Store)(nil)

// BulkCopyTo implements common.BulkCopier: target must be a Store of this package.
func (s *Store) BulkCopyTo(ctx context.Context, target common.Store, sel bulk.Selection, o bulk.CopyOptions) (bulk.Report, error) {
	t, ok := target.(*Store)
	if !ok {
		return bulk.Report{Op: "copy"}, fmt.Errorf("copy: the target profile's connection is not a Redis session (%T)", target)
	}
	return bulk.Copy(ctx, s.c, t.c, sel, o)
}
