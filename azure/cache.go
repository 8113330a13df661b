package azure

import (
	"strconv"
	"strings"
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

// resourceGroupOf reads the resource group from an ARM resource ID.
func resourceGroupOf(id string) string {
	seg := strings.Split(id, "/")
	for i := 0; i+1 < len(seg); i++ {
		if strings.EqualFold(seg[i], "resourceGroups") {
			return seg[i+1]
		}
	}
	return ""
}

func cacheFromWire(sub Subscription, w wireCache) Cache {
	p := w.Properties
	port := p.SSLPort
	if port == 0 {
		port = 6380
	}
	policy := NoCluster
	if p.ShardCount > 0 {
		policy = OSSCluster
	}
	sku := p.SKU.Name
	if p.SKU.Family != "" {
		sku += " " + p.SKU.Family + strconv.Itoa(p.SKU.Capacity)
	}
	return Cache{
		Kind: CacheForRedis, Name: w.Name, ID: w.ID, SubscriptionID: sub.ID, SubscriptionName: sub.Name,
		ResourceGroup: resourceGroupOf(w.ID), Location: w.Location, SKU: sku,
		HostName: p.HostName, Port: port, TLS: true, ClusteringPolicy: policy,
		EntraAuth: truthy(p.RedisConfiguration["aad-enabled"]), AccessKeys: !p.DisableAccessKeys,
		RedisVersion: p.RedisVersion, ProvisioningState: p.ProvisioningState,
	}
}

func databaseFromWire(sub Subscription, cl wireCluster, d wireDatabase) Cache {
	p := d.Properties
	port := p.Port
	if port == 0 {
		port = 10000
	}
	var mods []string
	for _, m := range p.Modules {
		mods = append(mods, m.Name)
	}
	state := p.ProvisioningState
	if state == "" {
		state = cl.Properties.ProvisioningState
	}
	return Cache{
		Kind: ManagedRedis, Name: cl.Name, Database: d.Name, ID: d.ID, SubscriptionID: sub.ID, SubscriptionName: sub.Name,
		ResourceGroup: resourceGroupOf(cl.ID), Location: cl.Location, SKU: cl.SKU.Name,
		HostName: cl.Properties.HostName, Port: port, TLS: !strings.EqualFold(p.ClientProtocol, "Plaintext"),
		ClusteringPolicy: orText(p.ClusteringPolicy, OSSCluster), EntraAuth: true,
		AccessKeys: strings.EqualFold(p.AccessKeysAuthentication, "Enabled"), Modules: mods,
		RedisVersion: cl.Properties.RedisVersion, ProvisioningState: state,
	}
}

// truthy reads a redisConfiguration flag, which ARM gives as a string ("true", "True").
func truthy(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return strings.EqualFold(t, "true")
	}
	return false
}
