// Package catalog is what discovery finds: subscriptions, caches, who may use them, and why a
// call failed. Plain data with no I/O and no Azure SDK, so the UI can hold it; package azure
// fills it (and re-exports every type).
package catalog

import (
	"net/http"
	"strconv"
)

// Kind tells the two Azure Redis services apart.
type Kind string

const (
	// ManagedRedis is Azure Managed Redis (Microsoft.Cache/redisEnterprise): a cluster with
	// databases, port 10000.
	ManagedRedis Kind = "managed-redis"
	// CacheForRedis is Azure Cache for Redis (Microsoft.Cache/redis), TLS port 6380.
	CacheForRedis Kind = "cache-for-redis"
)

// Clustering policies as ARM names them.
const (
	OSSCluster        = "OSSCluster"
	EnterpriseCluster = "EnterpriseCluster"
	NoCluster         = "NoCluster"
)

// Cache is one cache found: an AMR database or an Azure Cache for Redis instance.
type Cache struct {
	Kind Kind `json:"kind"`
	// Name is the AMR cluster's or the Azure Cache for Redis instance's name.
	Name string `json:"name"`
	// Database is the AMR database name ("default"); empty for Azure Cache for Redis.
	Database string `json:"database,omitempty"`
	// ID is the ARM resource ID: the database's for AMR, the cache's otherwise.
	ID               string `json:"id"`
	SubscriptionID   string `json:"subscription_id"`
	SubscriptionName string `json:"subscription_name"`
	ResourceGroup    string `json:"resource_group"`
	Location         string `json:"location"`
	SKU              string `json:"sku"`
	HostName         string `json:"host"`
	Port             int    `json:"port"`
	TLS              bool   `json:"tls"`
	// ClusteringPolicy is OSSCluster, EnterpriseCluster or NoCluster. For Azure Cache for Redis
	// it is OSSCluster for a clustered Premium cache (it speaks the OSS cluster protocol) and
	// NoCluster otherwise.
	ClusteringPolicy string `json:"clustering_policy"`
	// EntraAuth says whether Microsoft Entra authentication is on. AMR always offers it.
	EntraAuth bool `json:"entra_auth"`
	// AccessKeys says whether access-key authentication is on.
	AccessKeys        bool     `json:"access_keys"`
	Modules           []string `json:"modules,omitempty"`
	RedisVersion      string   `json:"redis_version,omitempty"`
	ProvisioningState string   `json:"provisioning_state"`
	// Err says why a cluster's databases could not be listed (the entry then stands for the
	// cluster, with no database).
	Err string `json:"error,omitempty"`
}

// Ref is how the CLI names the cache: CLUSTER/DATABASE for AMR, NAME for Azure Cache for Redis.
func (c Cache) Ref() string {
	if c.Kind == ManagedRedis && c.Database != "" {
		return c.Name + "/" + c.Database
	}
	return c.Name
}

// ServiceName is the service's product name.
func (c Cache) ServiceName() string {
	if c.Kind == ManagedRedis {
		return "Azure Managed Redis"
	}
	return "Azure Cache for Redis"
}

// ServiceShort is the service's short name for tables: AMR or ACR.
func (c Cache) ServiceShort() string {
	if c.Kind == ManagedRedis {
		return "AMR"
	}
	return "ACR"
}

// Addr is host:port.
func (c Cache) Addr() string {
	if c.HostName == "" {
		return "-"
	}
	return c.HostName + ":" + strconv.Itoa(c.Port)
}

// Subscription is an Azure subscription.
type Subscription struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	TenantID string `json:"tenant_id,omitempty"`
}

// SubscriptionResult is what one subscription yielded: its caches, or why it could not be read.
// A subscription can have both: caches of one service and a failure for the other.
type SubscriptionResult struct {
	Subscription Subscription `json:"subscription"`
	Caches       []Cache      `json:"caches"`
	// Failures lists the calls that failed (403 AuthorizationFailed, 429 after the retries).
	Failures []*Failure `json:"failures,omitempty"`
}

// Result is everything a discovery found.
type Result struct {
	Identity      Identity             `json:"identity"`
	Subscriptions []SubscriptionResult `json:"subscriptions"`
}

// Caches lists every cache found, grouped by subscription.
func (r Result) Caches() []Cache {
	var out []Cache
	for _, s := range r.Subscriptions {
		out = append(out, s.Caches...)
	}
	return out
}

// Progress reports how far a discovery is, for a UI. Subscriptions is 0 until they are listed.
type Progress struct {
	Subscriptions int
	Done          int
	// Finished is the subscription just completed (nil for the first report after listing).
	Finished *SubscriptionResult
}

// Identity is who the client's token is for, read from its claims (never verified here; ARM
// verifies it). ObjectID is what a Redis access policy assignment must name.
type Identity struct {
	ObjectID string `json:"object_id"`
	TenantID string `json:"tenant_id,omitempty"`
	UPN      string `json:"upn,omitempty"`
	// AppID is the client (application) ID the token was issued to: for a service principal or
	// managed identity that is the identity's own client ID.
	AppID string `json:"app_id,omitempty"`
	// App is true for a service principal or managed identity (no user in the token).
	App bool `json:"app"`
}

// String names the identity for messages: "user dev@contoso.com (OID)" or "app CLIENT (OID)".
func (i Identity) String() string {
	if i.UPN != "" {
		return "user " + i.UPN + " (" + i.ObjectID + ")"
	}
	if i.AppID != "" {
		return "app " + i.AppID + " (" + i.ObjectID + ")"
	}
	return i.ObjectID
}

// Policy is a data access policy of a cache.
type Policy struct {
	Name string `json:"name"`
	// Type is BuiltIn or Custom (Azure Cache for Redis).
	Type string `json:"type,omitempty"`
	// Permissions is the policy's Redis ACL string.
	Permissions string `json:"permissions,omitempty"`
}

// Assignment gives one principal a data access policy on a cache.
type Assignment struct {
	Name     string `json:"name"`
	ObjectID string `json:"object_id"`
	// Alias is the principal's display alias (Azure Cache for Redis only).
	Alias  string `json:"alias,omitempty"`
	Policy string `json:"policy"`
	// AccessString is the Redis ACL string of an AMR assignment, where the API gives one.
	AccessString string `json:"access_string,omitempty"`
	// Mine marks the signed-in identity's own assignment.
	Mine bool `json:"mine,omitempty"`
	// ClientIDMistake marks an assignment that names the signed-in app's client ID instead of
	// its object ID, and so grants nothing.
	ClientIDMistake bool `json:"client_id_mistake,omitempty"`
}

// Access is who may use a cache through Microsoft Entra, as seen by one identity.
type Access struct {
	Cache       Cache        `json:"cache"`
	Identity    Identity     `json:"identity"`
	Policies    []Policy     `json:"policies"`
	Assignments []Assignment `json:"assignments"`
}

// Mine lists the identity's own assignments.
func (a Access) Mine() []Assignment {
	var out []Assignment
	for _, as := range a.Assignments {
		if as.Mine {
			out = append(out, as)
		}
	}
	return out
}

// Verdict says in plain words whether the identity may use the cache through Entra, and
// explains an assignment made to the app's client ID instead of its object ID.
func (a Access) Verdict() []string {
	var out []string
	mine := a.Mine()
	oid := a.Identity.ObjectID
	switch {
	case !a.Cache.EntraAuth:
		out = append(out, "Microsoft Entra authentication is off on this cache: no access policy assignment applies until it is turned on")
	case len(mine) == 0:
		out = append(out, "you ("+oid+") have no access policy on this cache")
	default:
		for _, m := range mine {
			s := "you (" + oid + ") have the access policy " + quote(m.Policy)
			if m.AccessString != "" {
				s += " with access string " + quote(m.AccessString)
			}
			out = append(out, s)
		}
	}
	for _, as := range a.Assignments {
		if as.ClientIDMistake {
			out = append(out, "the assignment "+quote(as.Name)+" names "+as.ObjectID+", which is this app's client (application) ID, not its object ID; "+
				"Redis checks the object ID ("+oid+"), so that assignment grants nothing: assign the policy to the object ID "+oid+" instead")
		}
	}
	return out
}

// HasAccess reports whether the identity holds an assignment on a cache with Entra on.
func (a Access) HasAccess() bool { return a.Cache.EntraAuth && len(a.Mine()) > 0 }

// Failure is a short, user-facing account of an ARM call that failed.
type Failure struct {
	// Status is the HTTP status (0 when no response came back).
	Status int `json:"status,omitempty"`
	// Code is ARM's error code, such as AuthorizationFailed or TooManyRequests.
	Code string `json:"code,omitempty"`
	// Message says what happened and what to do, in one line.
	Message string `json:"message"`
	err     error
}

func (f *Failure) Error() string { return f.Message }

// Unwrap gives the underlying error (an *azcore.ResponseError, a transport error).
func (f *Failure) Unwrap() error { return f.err }

// Forbidden reports whether the caller lacks the role the call needs (403).
func (f *Failure) Forbidden() bool { return f.Status == http.StatusForbidden }

// NewFailure makes a Failure wrapping err (which Unwrap returns).
func NewFailure(status int, code, message string, err error) *Failure {
	return &Failure{Status: status, Code: code, Message: message, err: err}
}

func quote(s string) string { return "\"" + s + "\"" }
