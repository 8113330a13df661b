package azure

import (
	"strconv"
	"strings"
)

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
