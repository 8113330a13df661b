package emulator

import "time"

// ARMFixture is what the fake Azure Resource Manager serves: subscriptions and, in each, Azure
// Managed Redis clusters and Azure Cache for Redis instances with their access policies.
type ARMFixture struct {
	Subscriptions []ARMSubscription
	// PageSize, when positive, splits every list reply into pages of this many items joined by
	// nextLink, as ARM does for long lists.
	PageSize int
	// NoAccessStringAPI makes the fake answer the newer AMR access-policy-assignment API version
	// (the one with accessString) with 400 InvalidApiVersionParameter, as a region that does not
	// have it yet would, so clients fall back to the stable version.
	NoAccessStringAPI bool
	// NextLinkBase, when set, replaces the fake's own base URL in nextLink, to test that a
	// client refuses to follow a link to another host.
	NextLinkBase string
}

// ARMSubscription is one subscription and the caches in it.
type ARMSubscription struct {
	ID          string
	DisplayName string
	// State is Enabled, Warned, PastDue, Disabled or Deleted; empty means Enabled.
	State string
	// Forbidden answers every call under the subscription with 403 AuthorizationFailed: the
	// caller sees the subscription but holds no role on its resources.
	Forbidden bool
	// Throttle answers the first Throttle calls under the subscription with 429 and a
	// Retry-After of RetryAfter (whole seconds, at least one).
	Throttle   int
	RetryAfter time.Duration
	Clusters   []ARMCluster
	Caches     []ARMCache
}

// ARMCluster is an Azure Managed Redis (Microsoft.Cache/redisEnterprise) cluster.
type ARMCluster struct {
	Name          string
	ResourceGroup string
	Location      string
	SKU           string // e.g. Balanced_B0
	HostName      string // NAME.REGION.redis.azure.net
	RedisVersion  string
	// ProvisioningState defaults to Succeeded.
	ProvisioningState string
	Databases         []ARMDatabase
}

// ARMDatabase is a database of an AMR cluster (in practice one, named "default").
type ARMDatabase struct {
	Name string
	Port int // 10000 on AMR
	// ClusteringPolicy is OSSCluster, EnterpriseCluster or NoCluster.
	ClusteringPolicy string
	// Plaintext turns TLS off (clientProtocol Plaintext); AMR defaults to Encrypted.
	Plaintext bool
	Modules   []string
	// AccessKeysDisabled sets accessKeysAuthentication to Disabled.
	AccessKeysDisabled bool
	ProvisioningState  string
	Assignments        []ARMAssignment
	// AccessForbidden answers the access-policy-assignment list with 403: the caller may read
	// the cache but not who may use it.
	AccessForbidden bool
}

// ARMCache is an Azure Cache for Redis (Microsoft.Cache/redis) instance.
type ARMCache struct {
	Name          string
	ResourceGroup string
	Location      string
	SKU           string // Basic, Standard or Premium
	Family        string // C or P
	Capacity      int
	HostName      string // NAME.redis.cache.windows.net
	Port          int    // non-TLS port, 6379
	SSLPort       int    // 6380
	RedisVersion  string
	ShardCount    int // Premium clustering; 0 for a non-clustered cache
	// EntraAuth sets redisConfiguration.aad-enabled.
	EntraAuth          bool
	AccessKeysDisabled bool
	ProvisioningState  string
	Policies           []ARMAccessPolicy
	Assignments        []ARMAssignment
	AccessForbidden    bool
}

// ARMAccessPolicy is a data access policy of an Azure Cache for Redis instance.
type ARMAccessPolicy struct {
	Name        string // "Data Owner", "Data Contributor", "Data Reader" or a custom name
	Type        string // BuiltIn or Custom
	Permissions string // a Redis ACL string such as "+@all allkeys"
}

// ARMAssignment is an access policy assignment: who may use the cache, and how.
type ARMAssignment struct {
	Name       string
	ObjectID   string
	Alias      string // Azure Cache for Redis only (objectIdAlias)
	PolicyName string
	// AccessString is the Redis ACL string of an AMR assignment, served only by the newer API
	// version.
	AccessString string
}
