package azure

import (
	"context"
	"errors"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/amr-tui/amr-tui/auth"
	"github.com/amr-tui/amr-tui/profiles"
)

// Credential signs in to the management endpoint the way a profile signs in to Redis: the same
// kind, tenant, client, authority and secrets, asking for the endpoint's scope instead of
// Redis's. Access keys cannot sign in to Azure Resource Manager.
func Credential(p profiles.Profile, ep Endpoint, opts auth.Options) (azcore.TokenCredential, error) {
	if !p.Auth.Kind.IsEntra() {
		return nil, errors.New("the profile signs in with " + string(p.Auth.Kind) + ", which cannot read Azure Resource Manager; use a Microsoft Entra sign-in")
	}
	q := p.Clone()
	q.Auth.Scopes = []string{ep.Scope()}
	src, err := auth.NewSource(q, opts)
	if err != nil {
		return nil, err
	}
	return sourceCredential{src: src}, nil
}

// SignIn is the sign-in a discovery without a profile uses: a developer method, an optional
// tenant, and the authority (with its CA) for a custom cloud.
type SignIn struct {
	Method          profiles.DeveloperMethod
	TenantID        string
	Authority       string
	AuthorityCAFile string
}

// Auth is the profile auth block for the sign-in, as written into profiles made from it.
func (s SignIn) Auth() profiles.Auth {
	m := s.Method
	if m == "" {
		m = profiles.DeveloperDefault
	}
	return profiles.Auth{Kind: profiles.AuthDeveloper, Method: m, TenantID: s.TenantID,
		Authority: s.Authority, AuthorityCAFile: s.AuthorityCAFile}
}

// Profile is a profile carrying only the sign-in, for Credential.
func (s SignIn) Profile() profiles.Profile {
	return profiles.Profile{Name: "discover", Host: "management.azure.com", Auth: s.Auth()}
}

// sourceCredential serves an auth.Source's tokens (already for the management scope) to azcore.
type sourceCredential struct{ src auth.Source }

func (s sourceCredential) GetToken(ctx context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
	t, err := s.src.Token(ctx)
	if err != nil {
		return azcore.AccessToken{}, err
	}
	return azcore.AccessToken{Token: t.Value, ExpiresOn: t.ExpiresOn, RefreshOn: t.RefreshOn}, nil
}
