package azure_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/azure"
)

func discover(t *testing.T, e env) map[string]azure.Cache {
	t.Helper()
	res, err := e.client.Discover(ctx(t), azure.DiscoverOptions{Subscription: subProd})
	if err != nil {
		t.Fatal(err)
	}
	return byRef(res)
}

func TestAccessManagedRedisWithAccessString(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	caches := discover(t, e)
	me, err := e.client.Identity(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.client.Access(ctx(t), caches["prod-amr/default"], me)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Policies) != 1 || a.Policies[0].Name != "default" {
		t.Errorf("policies = %+v", a.Policies)
	}
	if len(a.Assignments) != 2 {
		t.Fatalf("assignments = %+v", a.Assignments)
	}
	mine := a.Mine()
	if len(mine) != 1 || mine[0].ObjectID != appObjectID || mine[0].AccessString != "+@read ~cache:*" {
		t.Errorf("mine = %+v", mine)
	}
	if !a.HasAccess() {
		t.Error("HasAccess = false")
	}
	v := strings.Join(a.Verdict(), "\n")
	if !strings.Contains(v, "you ("+appObjectID+") have the access policy \"default\" with access string \"+@read ~cache:*\"") {
		t.Errorf("verdict = %q", v)
	}
}

func TestAccessManagedRedisFallsBackToTheStableVersion(t *testing.T) {
	f := fixture()
	f.NoAccessStringAPI = true
	e := newEnv(t, f, fastRetry())
	caches := discover(t, e)
	me, _ := e.client.Identity(ctx(t))
	a, err := e.client.Access(ctx(t), caches["prod-amr/default"], me)
	if err != nil {
		t.Fatal(err)
	}
	if m := a.Mine(); len(m) != 1 || m[0].AccessString != "" {
		t.Errorf("mine = %+v; the stable version has no access string", m)
	}
	var versions []string
	for _, r := range e.arm.Requests() {
		if strings.Contains(r, "accessPolicyAssignments") {
			versions = append(versions, r[strings.Index(r, "api-version=")+len("api-version="):])
		}
	}
	// The preview is tried once, then every page comes from the stable version.
	if len(versions) < 2 || versions[0] != "2026-05-01-preview" || slices.ContainsFunc(versions[1:], func(v string) bool { return v != "2025-07-01" }) {
		t.Errorf("assignment requests used api-versions %q", versions)
	}
}

func TestAccessNoPolicyForMe(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	caches := discover(t, e)
	me, _ := e.client.Identity(ctx(t))
	a, err := e.client.Access(ctx(t), caches["ent-amr/default"], me)
	if err != nil {
		t.Fatal(err)
	}
	if a.HasAccess() || len(a.Mine()) != 0 {
		t.Errorf("access = %+v", a)
	}
	want := "you (" + appObjectID + ") have no access policy on this cache"
	if v := a.Verdict(); len(v) != 1 || v[0] != want {
		t.Errorf("verdict = %q, want %q", v, want)
	}
}

func TestAccessCacheForRedisDetectsTheClientIDMistake(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	caches := discover(t, e)
	me, _ := e.client.Identity(ctx(t))
	a, err := e.client.Access(ctx(t), caches["legacy-acr"], me)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Policies) != 2 || a.Policies[1].Permissions != "+get +hget" || a.Policies[1].Type != "Custom" {
		t.Errorf("policies = %+v", a.Policies)
	}
	if len(a.Assignments) != 2 || a.Assignments[1].Alias != "someone@contoso.example" || a.Assignments[1].Policy != "readers" {
		t.Errorf("assignments = %+v", a.Assignments)
	}
	if !a.Assignments[0].ClientIDMistake || a.Assignments[0].Mine {
		t.Errorf("the assignment to the app's client ID = %+v", a.Assignments[0])
	}
	v := a.Verdict()
	if len(v) != 2 || v[0] != "you ("+appObjectID+") have no access policy on this cache" ||
		!strings.Contains(v[1], appClientID+", which is this app's client (application) ID, not its object ID") ||
		!strings.Contains(v[1], "assign the policy to the object ID "+appObjectID) {
		t.Errorf("verdict = %q", v)
	}
}

func TestAccessEntraOff(t *testing.T) {
	e := newEnv(t, fixture(), fastRetry())
	caches := discover(t, e)
	me, _ := e.client.Identity(ctx(t))
	a, err := e.client.Access(ctx(t), caches["premium-acr"], me)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Verdict(); len(v) != 1 || !strings.Contains(v[0], "Microsoft Entra authentication is off") {
		t.Errorf("verdict = %q", v)
	}
}

func TestAccessForbidden(t *testing.T) {
	f := fixture()
	f.Subscriptions[0].Caches[0].AccessForbidden = true
	f.Subscriptions[0].Clusters[0].Databases[0].AccessForbidden = true
	e := newEnv(t, f, fastRetry())
	caches := discover(t, e)
	me, _ := e.client.Identity(ctx(t))
	for _, ref := range []string{"legacy-acr", "prod-amr/default"} {
		_, err := e.client.Access(ctx(t), caches[ref], me)
		var fl *azure.Failure
		if !asFailure(err, &fl) || !fl.Forbidden() || fl.Code != "AuthorizationFailed" {
			t.Errorf("%s: err = %v", ref, err)
		}
	}
}
