package azure

import "github.com/amr-tui/amr-tui/azure/catalog"

// The types discovery returns live in package catalog (plain data the UI may hold); these
// aliases keep them under azure's name.
type (
	// Kind tells the two Azure Redis services apart.
	Kind = catalog.Kind
	// Cache is one cache found: an AMR database or an Azure Cache for Redis instance.
	Cache = catalog.Cache
	// Subscription is an Azure subscription.
	Subscription = catalog.Subscription
	// SubscriptionResult is what one subscription yielded.
	SubscriptionResult = catalog.SubscriptionResult
	// Result is everything a discovery found.
	Result = catalog.Result
	// Progress reports how far a discovery is.
	Progress = catalog.Progress
	// Identity is who the client's token is for.
	Identity = catalog.Identity
	// Policy is a data access policy of a cache.
	Policy = catalog.Policy
	// Assignment gives one principal a data access policy on a cache.
	Assignment = catalog.Assignment
	// Access is who may use a cache, as seen by one identity.
	Access = catalog.Access
	// Failure is a short, user-facing account of an ARM call that failed.
	Failure = catalog.Failure
)

// Services and clustering policies.
const (
	ManagedRedis      = catalog.ManagedRedis
	CacheForRedis     = catalog.CacheForRedis
	OSSCluster        = catalog.OSSCluster
	EnterpriseCluster = catalog.EnterpriseCluster
	NoCluster         = catalog.NoCluster
)
