package auth

import (
	"strings"

	"github.com/amr-tui/amr-tui/profiles"
)

// KindName names a profile's credential for messages and Source.Kind, e.g.
// "service principal (client secret)" or "managed identity (user-assigned, client ID …)".
func KindName(a profiles.Auth) string {
	switch a.Kind {
	case profiles.AuthServicePrincipal:
		return "service principal (client secret)"
	case profiles.AuthCertificate:
		return "service principal (certificate)"
	case profiles.AuthManagedIdentity:
		switch {
		case a.ClientID != "":
			return "managed identity (user-assigned, client ID " + a.ClientID + ")"
		case a.ObjectID != "":
			return "managed identity (user-assigned, object ID " + a.ObjectID + ")"
		case a.ResourceID != "":
			return "managed identity (user-assigned, resource ID " + a.ResourceID + ")"
		}
		return "managed identity (system-assigned)"
	case profiles.AuthDeveloper:
		switch developerMethod(a) {
		case profiles.DeveloperAzureCLI:
			return "developer login (Azure CLI)"
		case profiles.DeveloperAzd:
			return "developer login (Azure Developer CLI)"
		case profiles.DeveloperDeviceCode:
			return "developer login (device code)"
		case profiles.DeveloperBrowser:
			return "developer login (interactive browser)"
		case profiles.DeveloperDefault:
			return "developer login (DefaultAzureCredential chain)"
		}
		return "developer login (" + string(a.Method) + ")"
	case profiles.AuthAccessKey:
		if a.Username != "" {
			return "access key (ACL user " + a.Username + ")"
		}
		return "access key"
	case profiles.AuthNone:
		return "no authentication"
	}
	return "auth kind " + quote(string(a.Kind))
}

func developerMethod(a profiles.Auth) profiles.DeveloperMethod {
	if a.Method == "" {
		return profiles.DeveloperDefault
	}
	return a.Method
}

// Describe is a one-line, non-secret description of a profile's login for the UI: the kind, the
// app or identity, the tenant and the cloud, e.g. "service principal (client secret): app
// 1111…, tenant contoso.onmicrosoft.com, public cloud". Secret references are never resolved.
func Describe(p profiles.Profile) string {
	a := p.Auth
	var parts []string
	switch a.Kind {
	case profiles.AuthServicePrincipal, profiles.AuthCertificate:
		if a.ClientID != "" {
			parts = append(parts, "app "+a.ClientID)
		}
		if a.Kind == profiles.AuthCertificate {
			switch {
			case a.CertificateFile != "":
				parts = append(parts, "certificate "+a.CertificateFile)
			case !a.Certificate.IsZero():
				parts = append(parts, "certificate from "+refName(a.Certificate))
			}
			if a.SendCertificateChain {
				parts = append(parts, "sends chain")
			}
		}
	case profiles.AuthAccessKey:
		if !a.Password.IsZero() {
			parts = append(parts, "password from "+refName(a.Password))
		}
		return join(KindName(a), parts)
	case profiles.AuthNone:
		return KindName(a)
	}
	if a.TenantID != "" {
		parts = append(parts, "tenant "+a.TenantID)
	}
	if a.Kind.IsEntra() {
		if usesAuthority(a) {
			if auth, err := resolveAuthority("", a); err == nil && !auth.custom {
				parts = append(parts, auth.name)
			} else {
				parts = append(parts, "authority "+a.Authority)
			}
		}
		if len(a.Scopes) > 0 {
			parts = append(parts, "scopes "+strings.Join(a.Scopes, " "))
		}
		if a.Username != "" {
			parts = append(parts, "Redis user "+a.Username)
		}
	}
	return join(KindName(a), parts)
}

func join(head string, parts []string) string {
	if len(parts) == 0 {
		return head
	}
	return head + ": " + strings.Join(parts, ", ")
}

// usesAuthority: managed identity endpoints and the CLIs pick their own cloud.
func usesAuthority(a profiles.Auth) bool {
	switch a.Kind {
	case profiles.AuthManagedIdentity:
		return false
	case profiles.AuthDeveloper:
		m := developerMethod(a)
		return m != profiles.DeveloperAzureCLI && m != profiles.DeveloperAzd
	}
	return true
}

// refName shows a secret reference, or hides a value that is not one (it may be a secret).
func refName(r profiles.SecretRef) string {
	if r.Scheme() == "" {
		return "an inline value (not shown)"
	}
	return r.String()
}
