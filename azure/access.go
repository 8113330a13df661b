package azure

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// amrDefaultPolicy is the one policy of every AMR database.
var amrDefaultPolicy = Policy{Name: "default", Type: "BuiltIn", Permissions: "+@all ~*"}

// Access lists the cache's data access policies and their assignments, marking the identity's
// own object ID and assignments made to its client ID by mistake. A 403 comes back as a
// *Failure whose Forbidden is true.
func (c *Client) Access(ctx context.Context, cache Cache, me Identity) (Access, error) {
	a := Access{Cache: cache, Identity: me}
	switch cache.Kind {
	case CacheForRedis:
		ps, err := list[wirePolicy](ctx, c, armPath(cache.ID)+"/accessPolicies", redisAPI)
		if err != nil {
			return a, explain("reading the access policies of "+cache.Name, err)
		}
		for _, p := range ps {
			a.Policies = append(a.Policies, Policy{Name: p.Name, Type: p.Properties.Type, Permissions: p.Properties.Permissions})
		}
		as, err := list[wireCacheAssignment](ctx, c, armPath(cache.ID)+"/accessPolicyAssignments", redisAPI)
		if err != nil {
			return a, explain("reading the access policy assignments of "+cache.Name, err)
		}
		for _, w := range as {
			a.Assignments = append(a.Assignments, Assignment{Name: w.Name, ObjectID: w.Properties.ObjectID,
				Alias: w.Properties.ObjectIDAlias, Policy: w.Properties.AccessPolicyName})
		}
	case ManagedRedis:
		if cache.Database == "" {
			return a, &Failure{Message: "the databases of " + cache.Name + " could not be listed, so neither can their access policies"}
		}
		a.Policies = []Policy{amrDefaultPolicy}
		path := armPath(cache.ID) + "/accessPolicyAssignments"
		as, err := list[wireEnterpriseAssignment](ctx, c, path, accessStringAPI)
		if unsupportedVersion(err) {
			as, err = list[wireEnterpriseAssignment](ctx, c, path, enterpriseAPI)
		}
		if err != nil {
			return a, explain("reading the access policy assignments of "+cache.Ref(), err)
		}
		for _, w := range as {
			a.Assignments = append(a.Assignments, Assignment{Name: w.Name, ObjectID: w.Properties.User.ObjectID,
				Policy: w.Properties.AccessPolicyName, AccessString: w.Properties.AccessString})
		}
	default:
		return a, errors.New("azure: unknown cache kind " + string(cache.Kind))
	}
	for i := range a.Assignments {
		as := &a.Assignments[i]
		as.Mine = me.ObjectID != "" && strings.EqualFold(as.ObjectID, me.ObjectID)
		as.ClientIDMistake = me.App && me.AppID != "" && !strings.EqualFold(me.AppID, me.ObjectID) &&
			strings.EqualFold(as.ObjectID, me.AppID)
	}
	return a, nil
}

// unsupportedVersion reports an ARM 400 refusing the API version (a region or cloud without
// the newer version yet).
func unsupportedVersion(err error) bool {
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest {
		return false
	}
	switch re.ErrorCode {
	case "InvalidApiVersionParameter", "NoRegisteredProviderFound", "InvalidResourceType", "UnsupportedApiVersion":
		return true
	}
	return false
}
