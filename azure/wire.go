package azure

// Wire shapes of ARM replies: only the fields amr-tui reads.

type wireSubscription struct {
	SubscriptionID string `json:"subscriptionId"`
	DisplayName    string `json:"displayName"`
	State          string `json:"state"`
	TenantID       string `json:"tenantId"`
}

type wireCache struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Location   string `json:"location"`
	Properties struct {
		ProvisioningState string `json:"provisioningState"`
		RedisVersion      string `json:"redisVersion"`
		SKU               struct {
			Name     string `json:"name"`
			Family   string `json:"family"`
			Capacity int    `json:"capacity"`
		} `json:"sku"`
		HostName           string         `json:"hostName"`
		SSLPort            int            `json:"sslPort"`
		ShardCount         int            `json:"shardCount"`
		RedisConfiguration map[string]any `json:"redisConfiguration"`
		DisableAccessKeys  bool           `json:"disableAccessKeyAuthentication"`
	} `json:"properties"`
}

type wireCluster struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location"`
	SKU      struct {
		Name string `json:"name"`
	} `json:"sku"`
	Properties struct {
		HostName          string `json:"hostName"`
		ProvisioningState string `json:"provisioningState"`
		RedisVersion      string `json:"redisVersion"`
	} `json:"properties"`
}

type wireDatabase struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Properties struct {
		ClientProtocol    string `json:"clientProtocol"`
		Port              int    `json:"port"`
		ProvisioningState string `json:"provisioningState"`
		ClusteringPolicy  string `json:"clusteringPolicy"`
		Modules           []struct {
			Name string `json:"name"`
		} `json:"modules"`
		AccessKeysAuthentication string `json:"accessKeysAuthentication"`
	} `json:"properties"`
}

type wirePolicy struct {
	Name       string `json:"name"`
	Properties struct {
		Type        string `json:"type"`
		Permissions string `json:"permissions"`
	} `json:"properties"`
}

type wireCacheAssignment struct {
	Name       string `json:"name"`
	Properties struct {
		ObjectID         string `json:"objectId"`
		ObjectIDAlias    string `json:"objectIdAlias"`
		AccessPolicyName string `json:"accessPolicyName"`
	} `json:"properties"`
}

type wireEnterpriseAssignment struct {
	Name       string `json:"name"`
	Properties struct {
		AccessPolicyName string `json:"accessPolicyName"`
		AccessString     string `json:"accessString"`
		User             struct {
			ObjectID string `json:"objectId"`
		} `json:"user"`
	} `json:"properties"`
}
