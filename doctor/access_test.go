package doctor_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/doctor"
	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

// TestDoctorAccess: the access step finds the cache in the (fake) Azure Resource Manager by host
// and port and says whether the profile's identity holds an access policy on it.
func TestDoctorAccess(t *testing.T) {
	d := startDemo(t)
	sp := demoProfile(t, d, "demo-sp")
	opts := testOptions(t)
	opts.Access = doctor.AccessOptions{Endpoint: d.ARM.Endpoint(), Transport: emutest.Transport(t, d.Entra),
		Retry: &policy.RetryOptions{MaxRetries: 1, RetryDelay: 10 * time.Millisecond}}
	port := d.GatePort()
	amr := func(assignees ...string) emulator.ARMCluster {
		db := emulator.ARMDatabase{Name: "default", Port: port, ClusteringPolicy: "EnterpriseCluster"}
		for i, oid := range assignees {
			db.Assignments = append(db.Assignments, emulator.ARMAssignment{Name: "a" + string(rune('0'+i)), ObjectID: oid, PolicyName: "default"})
		}
		return emulator.ARMCluster{Name: "doc-amr", ResourceGroup: "rg-doc", HostName: "127.0.0.1", Databases: []emulator.ARMDatabase{db}}
	}
	sub := func(s emulator.ARMSubscription) emulator.ARMFixture {
		s.ID, s.DisplayName = emulator.DemoSubscriptionID, "doctor"
		return emulator.ARMFixture{Subscriptions: []emulator.ARMSubscription{s}}
	}
	const other = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	const rest = " auth=pass ping=pass info=pass scan=pass command=pass write=pass cluster=pass"
	const head = "profile=pass secrets=pass dns=pass tcp=pass tls=pass token=pass"

	for _, tc := range []struct {
		name    string
		fixture emulator.ARMFixture
		status  string
		want    []string // in detail, cause or fix
		golden  bool
	}{
		{"has-policy", sub(emulator.ARMSubscription{Clusters: []emulator.ARMCluster{amr(other, emulator.DemoAppObjectID)}}), "pass",
			[]string{"doc-amr/default: you (" + emulator.DemoAppObjectID + ") have the access policy \"default\""}, true},
		{"no-policy", sub(emulator.ARMSubscription{Clusters: []emulator.ARMCluster{amr(other)}}), "warn",
			[]string{"you (" + emulator.DemoAppObjectID + ") have no access policy on this cache",
				"az redisenterprise database access-policy-assignment create --cluster-name doc-amr --database-name default --resource-group rg-doc"}, true},
		{"client-id-mistake", sub(emulator.ARMSubscription{Caches: []emulator.ARMCache{{Name: "doc-acr", ResourceGroup: "rg-doc",
			HostName: "127.0.0.1", SSLPort: port, EntraAuth: true,
			Assignments: []emulator.ARMAssignment{{Name: "byclientid", ObjectID: emulator.DemoAppClientID, PolicyName: "Data Owner"}}}}}), "warn",
			[]string{emulator.DemoAppClientID + ", which is this app's client (application) ID, not its object ID",
				"az redis access-policy-assignment create --name doc-acr"}, true},
		{"subscription-forbidden", sub(emulator.ARMSubscription{Forbidden: true, Clusters: []emulator.ARMCluster{amr(emulator.DemoAppObjectID)}}), "warn",
			[]string{"access policies not checked", "could not be read", "Reader"}, false},
		{"assignments-forbidden", func() emulator.ARMFixture {
			c := amr(emulator.DemoAppObjectID)
			c.Databases[0].AccessForbidden = true
			return sub(emulator.ARMSubscription{Clusters: []emulator.ARMCluster{c}})
		}(), "warn", []string{"403 AuthorizationFailed", "Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments/read"}, false},
		{"not-found", sub(emulator.ARMSubscription{}), "warn", []string{"sees no cache at 127.0.0.1:"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d.ARM.SetFixture(tc.fixture)
			rep := runDoctor(t, sp, opts)
			wantSteps(t, rep, head+" access="+tc.status+rest)
			s := rep.Steps[6]
			all := s.Detail + "\n" + s.Cause + "\n" + s.Fix
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("access step lacks %q:\n%s", w, all)
				}
			}
			if tc.golden {
				assertGolden(t, rep, map[string]string{filepath.Dir(d.CAFile): "$DEMO"}, "")
			}
		})
	}
}

// TestDoctorAccessSkipsInteractiveLogins: a device code profile would need a second sign-in.
func TestDoctorAccessSkipsInteractiveLogins(t *testing.T) {
	d := startDemo(t)
	p := demoProfile(t, d, "demo-device-code")
	opts := testOptions(t)
	opts.Auth.DeviceCodePrompt = deviceCodeAccepted
	opts.Access = doctor.AccessOptions{Endpoint: d.ARM.Endpoint(), Transport: emutest.Transport(t, d.Entra)}
	rep := runDoctor(t, p, opts)
	if len(rep.Steps) < 7 || rep.Steps[6].Name != doctor.StepAccess || rep.Steps[6].Status != doctor.Skip ||
		!strings.Contains(rep.Steps[6].Detail, "amr-tui discover --method device-code") {
		t.Fatalf("steps: %+v", rep.Steps)
	}
}

// deviceCodeAccepted stands for the user: the fake Entra approves the code after a few polls.
func deviceCodeAccepted(context.Context, auth.DeviceCodePrompt) error { return nil }
