package emulator

// The JSON shapes below follow the stable API versions' examples in Azure/azure-rest-api-specs,
// keeping the fields a client reads and a few it does not, so that clients ignore extras.

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func cacheID(sub ARMSubscription, c ARMCache) string {
	return "/subscriptions/" + sub.ID + "/resourceGroups/" + c.ResourceGroup + "/providers/Microsoft.Cache/Redis/" + c.Name
}

func clusterID(sub ARMSubscription, c ARMCluster) string {
	return "/subscriptions/" + sub.ID + "/resourceGroups/" + c.ResourceGroup + "/providers/Microsoft.Cache/redisEnterprise/" + c.Name
}

func cachesJSON(sub ARMSubscription) []map[string]any {
	var out []map[string]any
	for _, c := range sub.Caches {
		aad := "false"
		if c.EntraAuth {
			aad = "true"
		}
		props := map[string]any{
			"provisioningState": orDefault(c.ProvisioningState, "Succeeded"),
			"redisVersion":      orDefault(c.RedisVersion, "6.0"),
			"sku":               map[string]any{"name": orDefault(c.SKU, "Standard"), "family": orDefault(c.Family, "C"), "capacity": c.Capacity},
			"enableNonSslPort":  false,
			"minimumTlsVersion": "1.2",
			"hostName":          c.HostName,
			"port":              c.Port,
			"sslPort":           c.SSLPort,
			"redisConfiguration": map[string]any{
				"aad-enabled": aad, "maxmemory-policy": "volatile-lru",
			},
			"disableAccessKeyAuthentication": c.AccessKeysDisabled,
			"publicNetworkAccess":            "Enabled",
		}
		if c.ShardCount > 0 {
			props["shardCount"] = c.ShardCount
		}
		out = append(out, map[string]any{
			"id": cacheID(sub, c), "name": c.Name, "type": "Microsoft.Cache/Redis", "location": c.Location,
			"tags": map[string]string{}, "properties": props,
		})
	}
	return out
}

func clustersJSON(sub ARMSubscription) []map[string]any {
	var out []map[string]any
	for _, c := range sub.Clusters {
		out = append(out, map[string]any{
			"id": clusterID(sub, c), "name": c.Name, "type": "Microsoft.Cache/redisEnterprise", "location": c.Location,
			"kind": "v2", "sku": map[string]any{"name": orDefault(c.SKU, "Balanced_B0")},
			"properties": map[string]any{
				"hostName":          c.HostName,
				"provisioningState": orDefault(c.ProvisioningState, "Succeeded"),
				"resourceState":     "Running",
				"redisVersion":      orDefault(c.RedisVersion, "7.4"),
				"highAvailability":  "Enabled",
				"minimumTlsVersion": "1.2",
			},
		})
	}
	return out
}

func databasesJSON(sub ARMSubscription, c ARMCluster) []map[string]any {
	var out []map[string]any
	for _, d := range c.Databases {
		proto := "Encrypted"
		if d.Plaintext {
			proto = "Plaintext"
		}
		keys := "Enabled"
		if d.AccessKeysDisabled {
			keys = "Disabled"
		}
		mods := []map[string]string{}
		for _, m := range d.Modules {
			mods = append(mods, map[string]string{"name": m, "args": "", "version": "1.0.0"})
		}
		port := d.Port
		if port == 0 {
			port = 10000
		}
		out = append(out, map[string]any{
			"id": clusterID(sub, c) + "/databases/" + d.Name, "name": d.Name, "type": "Microsoft.Cache/redisEnterprise/databases",
			"properties": map[string]any{
				"clientProtocol":           proto,
				"port":                     port,
				"provisioningState":        orDefault(d.ProvisioningState, "Succeeded"),
				"resourceState":            "Running",
				"clusteringPolicy":         orDefault(d.ClusteringPolicy, "OSSCluster"),
				"evictionPolicy":           "VolatileLRU",
				"modules":                  mods,
				"accessKeysAuthentication": keys,
			},
		})
	}
	return out
}

func policiesJSON(sub ARMSubscription, c ARMCache) []map[string]any {
	var out []map[string]any
	for _, p := range c.Policies {
		out = append(out, map[string]any{
			"id": cacheID(sub, c) + "/accessPolicies/" + p.Name, "name": p.Name, "type": "Microsoft.Cache/Redis/accessPolicies",
			"properties": map[string]any{"provisioningState": "Succeeded", "type": orDefault(p.Type, "Custom"), "permissions": p.Permissions},
		})
	}
	return out
}

func cacheAssignmentsJSON(sub ARMSubscription, c ARMCache) []map[string]any {
	var out []map[string]any
	for _, as := range c.Assignments {
		out = append(out, map[string]any{
			"id": cacheID(sub, c) + "/accessPolicyAssignments/" + as.Name, "name": as.Name, "type": "Microsoft.Cache/Redis/accessPolicyAssignments",
			"properties": map[string]any{"provisioningState": "Succeeded", "objectId": as.ObjectID, "objectIdAlias": as.Alias, "accessPolicyName": as.PolicyName},
		})
	}
	return out
}

func enterpriseAssignmentsJSON(sub ARMSubscription, c ARMCluster, d ARMDatabase, withAccessString bool) []map[string]any {
	var out []map[string]any
	for _, as := range d.Assignments {
		props := map[string]any{"provisioningState": "Succeeded", "accessPolicyName": orDefault(as.PolicyName, "default"),
			"user": map[string]string{"objectId": as.ObjectID}}
		if withAccessString {
			props["accessString"] = orDefault(as.AccessString, "+@all ~*")
		}
		out = append(out, map[string]any{
			"id":   clusterID(sub, c) + "/databases/" + d.Name + "/accessPolicyAssignments/" + as.Name,
			"name": as.Name, "type": "Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments", "properties": props,
		})
	}
	return out
}
