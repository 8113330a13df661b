package emulator

import (
	"net"
	"strconv"
	"time"
)

// Subscriptions of the demo's fake ARM. Made up, like the demo's identities.
const (
	DemoSubscriptionID          = "5d1e7c2a-3b4f-4a6d-9e8c-7f6a5b4c3d2e"
	DemoForbiddenSubscriptionID = "6e2f8d3b-4c5a-4b7e-8f9d-8a7b6c5d4e3f"
	DemoBusySubscriptionID      = "7f3a9e4c-5d6b-4c8f-9a0e-9b8c7d6e5f40"
	demoResourceGroup           = "amr-tui-demo"
)

// startARM starts the demo's fake ARM, listing caches that are the demo's own gates, so that a
// cache found by discovery opens for real.
func (d *Demo) startARM() error {
	if !d.plain && d.Cluster == nil {
		tlsCfg, err := d.Entra.CA().ServerTLSConfig()
		if err != nil {
			return err
		}
		if d.ACRGate, err = StartGate(GateOptions{Backend: d.Backend, Verifier: d.Entra, TLS: tlsCfg,
			Latency: time.Duration(d.Gate.latency.Load())}); err != nil {
			return err
		}
	}
	a, err := StartARM(ARMOptions{Entra: d.Entra, Fixture: d.ARMFixture()})
	if err != nil {
		return err
	}
	d.ARM = a
	return nil
}

// closeARM stops the fake ARM and the Azure Cache for Redis gate.
func (d *Demo) closeARM() {
	if d.ARM != nil {
		d.ARM.Close()
	}
	if d.ACRGate != nil {
		_ = d.ACRGate.Close()
	}
}

// ARMFixture is what the demo's fake ARM serves: a subscription holding an Azure Managed Redis
// database on the demo's gate (Enterprise policy, or OSS policy on a --cluster demo) and, with
// TLS and no cluster, an Azure Cache for Redis instance on ACRGate (same data); a subscription the demo identities may not read
// (403); and one that is throttled once (429, Retry-After 1 s). The AMR database grants every
// demo identity the default policy; the Azure Cache for Redis instance has assignments for the
// developer user and, by the classic mistake, for the demo app's client ID rather than its
// object ID.
func (d *Demo) ARMFixture() ARMFixture {
	port := d.GatePort()
	amr := ARMCluster{Name: "demo-amr", ResourceGroup: demoResourceGroup, Location: "westeurope", SKU: "Balanced_B1",
		HostName: "127.0.0.1", RedisVersion: "7.4",
		Databases: []ARMDatabase{{Name: "default", Port: port, ClusteringPolicy: "EnterpriseCluster", Plaintext: d.plain,
			Modules: []string{"RediSearch", "RedisJSON"}, AccessKeysDisabled: true,
			Assignments: []ARMAssignment{
				{Name: "demoapp", ObjectID: DemoAppObjectID, PolicyName: "default", AccessString: "+@all ~*"},
				{Name: "democert", ObjectID: DemoCertObjectID, PolicyName: "default", AccessString: "+@read ~*"},
				{Name: "demomi", ObjectID: DemoMIObjectID, PolicyName: "default", AccessString: "+@all ~*"},
				{Name: "demosystemmi", ObjectID: DemoSystemMIObjectID, PolicyName: "default", AccessString: "+@all ~*"},
				{Name: "demouser", ObjectID: DemoUserObjectID, PolicyName: "default", AccessString: "+@all ~*"},
			}}}}
	if d.Cluster != nil {
		amr.Name, amr.HostName = "demo-amr-oss", "localhost"
		amr.Databases[0].ClusteringPolicy = "OSSCluster"
		_, p, _ := net.SplitHostPort(d.Cluster.Entry())
		amr.Databases[0].Port, _ = strconv.Atoi(p)
	}
	main := ARMSubscription{ID: DemoSubscriptionID, DisplayName: "amr-tui demo", Clusters: []ARMCluster{amr}}
	if d.ACRGate != nil {
		_, p, _ := net.SplitHostPort(d.ACRGate.Addr())
		acrPort, _ := strconv.Atoi(p)
		main.Caches = []ARMCache{{Name: "demo-acr", ResourceGroup: demoResourceGroup, Location: "westeurope",
			SKU: "Standard", Family: "C", Capacity: 1, HostName: "127.0.0.1", Port: 6379, SSLPort: acrPort, RedisVersion: "6.0",
			EntraAuth: true,
			Policies: []ARMAccessPolicy{
				{Name: "Data Owner", Type: "BuiltIn", Permissions: "+@all allkeys"},
				{Name: "Data Contributor", Type: "BuiltIn", Permissions: "+@all -@dangerous +cluster|info +cluster|nodes +cluster|slots allkeys"},
				{Name: "Data Reader", Type: "BuiltIn", Permissions: "+@read +@connection +cluster|info +cluster|nodes +cluster|slots allkeys"},
			},
			Assignments: []ARMAssignment{
				{Name: "devuser", ObjectID: DemoUserObjectID, Alias: DemoUserPrincipalName, PolicyName: "Data Owner"},
				{Name: "demoappbyclientid", ObjectID: DemoAppClientID, Alias: "amr-tui-demo-app", PolicyName: "Data Contributor"},
			}}}
	}
	return ARMFixture{PageSize: 2, Subscriptions: []ARMSubscription{
		main,
		{ID: DemoForbiddenSubscriptionID, DisplayName: "amr-tui demo (no access)", Forbidden: true},
		{ID: DemoBusySubscriptionID, DisplayName: "amr-tui demo (busy)", Throttle: 1, RetryAfter: time.Second},
	}}
}
