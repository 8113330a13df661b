package azure_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/amr-tui/amr-tui/azure"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// Identities of the test tenant.
const (
	appClientID = "11111111-1111-4111-8111-111111111111"
	appObjectID = "22222222-2222-4222-8222-222222222222"
	appSecret   = "test~secret"
	otherOID    = "33333333-3333-4333-8333-333333333333"

	subProd   = "aaaaaaaa-0000-4000-8000-000000000001"
	subDev    = "aaaaaaaa-0000-4000-8000-000000000002"
	subTest   = "aaaaaaaa-0000-4000-8000-000000000003"
	subOld    = "aaaaaaaa-0000-4000-8000-000000000004"
	subThrott = "aaaaaaaa-0000-4000-8000-000000000005"
)

// fixture is a tenant with every case discovery meets: AMR databases under both clustering
// policies, Azure Cache for Redis with and without clustering or Entra, a subscription
// answering 403, one throttled once, a disabled one, and pages of one item.
func fixture() emulator.ARMFixture {
	return emulator.ARMFixture{
		PageSize: 1,
		Subscriptions: []emulator.ARMSubscription{
			{ID: subProd, DisplayName: "Contoso Prod",
				Clusters: []emulator.ARMCluster{
					{Name: "prod-amr", ResourceGroup: "rg-prod", Location: "westeurope", SKU: "Balanced_B1",
						HostName: "prod-amr.westeurope.redis.azure.net", RedisVersion: "7.4",
						Databases: []emulator.ARMDatabase{{Name: "default", ClusteringPolicy: "OSSCluster",
							Modules: []string{"RediSearch", "RedisJSON"}, AccessKeysDisabled: true,
							Assignments: []emulator.ARMAssignment{
								{Name: "me", ObjectID: appObjectID, PolicyName: "default", AccessString: "+@read ~cache:*"},
								{Name: "other", ObjectID: otherOID, PolicyName: "default"},
							}}}},
					{Name: "ent-amr", ResourceGroup: "rg-prod", Location: "northeurope", SKU: "MemoryOptimized_M10",
						HostName: "ent-amr.northeurope.redis.azure.net",
						Databases: []emulator.ARMDatabase{{Name: "default", ClusteringPolicy: "EnterpriseCluster",
							Assignments: []emulator.ARMAssignment{{Name: "other", ObjectID: otherOID}}}}},
				},
				Caches: []emulator.ARMCache{
					{Name: "legacy-acr", ResourceGroup: "rg-legacy", Location: "eastus", SKU: "Standard", Family: "C", Capacity: 1,
						HostName: "legacy-acr.redis.cache.windows.net", Port: 6379, SSLPort: 6380, RedisVersion: "6.0", EntraAuth: true,
						Policies: []emulator.ARMAccessPolicy{
							{Name: "Data Owner", Type: "BuiltIn", Permissions: "+@all allkeys"},
							{Name: "readers", Type: "Custom", Permissions: "+get +hget"},
						},
						Assignments: []emulator.ARMAssignment{
							{Name: "app-by-client-id", ObjectID: appClientID, Alias: "my-app", PolicyName: "Data Owner"},
							{Name: "someone", ObjectID: otherOID, Alias: "someone@contoso.example", PolicyName: "readers"},
						}},
					{Name: "premium-acr", ResourceGroup: "rg-legacy", Location: "eastus", SKU: "Premium", Family: "P", Capacity: 2,
						HostName: "premium-acr.redis.cache.windows.net", Port: 6379, SSLPort: 6380, ShardCount: 3, AccessKeysDisabled: false},
				}},
			{ID: subDev, DisplayName: "Contoso Dev", Forbidden: true,
				Caches: []emulator.ARMCache{{Name: "hidden", ResourceGroup: "rg", HostName: "hidden.redis.cache.windows.net", SSLPort: 6380}}},
			{ID: subTest, DisplayName: "Contoso Test",
				Caches: []emulator.ARMCache{{Name: "test-acr", ResourceGroup: "rg-test", Location: "westus", HostName: "test-acr.redis.cache.windows.net", SSLPort: 6380, EntraAuth: true}}},
			{ID: subThrott, DisplayName: "Contoso Throttled", Throttle: 1, RetryAfter: time.Second,
				Caches: []emulator.ARMCache{{Name: "busy-acr", ResourceGroup: "rg-busy", HostName: "busy-acr.redis.cache.windows.net", SSLPort: 6380, EntraAuth: true}}},
			{ID: subOld, DisplayName: "Old", State: "Disabled",
				Caches: []emulator.ARMCache{{Name: "gone", ResourceGroup: "rg", HostName: "gone.redis.cache.windows.net", SSLPort: 6380}}},
		},
	}
}

// env is a fake Entra, a fake ARM and a client signed in as the test app.
type env struct {
	entra  *emulator.Entra
	arm    *emulator.ARM
	client *azure.Client
}

func newEnv(t *testing.T, f emulator.ARMFixture, retry *policy.RetryOptions) env {
	t.Helper()
	emutest.CleanAzureEnv(t)
	e := emutest.StartEntra(t, emulator.EntraOptions{})
	e.RegisterApp(emulator.App{ClientID: appClientID, Secret: appSecret, ObjectID: appObjectID})
	a := emutest.StartARM(t, e, f)
	cred, err := azidentity.NewClientSecretCredential(e.TenantID(), appClientID, appSecret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: emutest.ClientOptions(t, e), DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := azure.CustomEndpoint(a.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	c, err := azure.New(cred, azure.Options{Endpoint: ep, Transport: emutest.Transport(t, e), Retry: retry, Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	return env{entra: e, arm: a, client: c}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// staticCred serves one fixed token.
type staticCred string

func (s staticCred) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// newClientWith is a client on e's fake ARM with another credential.
func newClientWith(t *testing.T, e env, cred azcore.TokenCredential) *azure.Client {
	t.Helper()
	c, err := azure.New(cred, azure.Options{Endpoint: e.client.Endpoint(), Transport: emutest.Transport(t, e.entra),
		Retry: &policy.RetryOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func asFailure(err error, f **azure.Failure) bool { return errors.As(err, f) }
