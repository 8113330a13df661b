package common

import (
	"context"
)

// DBSelector is implemented by stores that can switch the logical database (SELECT). It is
// optional. SelectDB returns a Store whose every call runs on database db; the store it was
// called on must not be used afterwards (its connections may be closed). It refuses a
// cluster (only database 0 exists there) and passes on the server's refusal, explained:
// Azure Managed Redis, for one, has only database 0 and rejects SELECT.
type DBSelector interface {
	SelectDB(ctx context.Context, db int) (Store, error)
}
