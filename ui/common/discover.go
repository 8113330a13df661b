package common

import (
	"context"

	"github.com/amr-tui/amr-tui/azure/catalog"
)

// Discoverer finds the Azure caches the identity of a profile can reach, tells who may use
// one, and writes a profile for one. It is an optional capability of the Opener (checked with
// a type assertion); main implements it over the azure package. Every method does I/O: call
// them from a Cmd.
type Discoverer interface {
	// Discover signs in as the named profile does, to Azure Resource Manager, and lists the
	// caches. progress is called from other goroutines as subscriptions complete.
	Discover(ctx context.Context, profile string, progress func(catalog.Progress)) (catalog.Result, error)
	// Access lists the cache's access policies and assignments as seen by me.
	Access(ctx context.Context, profile string, c catalog.Cache, me catalog.Identity) (catalog.Access, error)
	// AddProfile writes a profile that opens c, signing in as the named profile does, under a
	// free name derived from the cache's, and returns that name.
	AddProfile(ctx context.Context, profile string, c catalog.Cache) (string, error)
}
