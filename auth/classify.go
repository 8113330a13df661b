package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
)

// classify explains a GetToken failure. The order follows azure.md §5: the caller's context
// first (azidentity flattens transport errors into text, so errors.Is is unreliable), then
// "sign-in needed", then "authentication failed" with an HTTP response (Entra or the identity
// endpoint refused) or without one (a CLI or the transport failed), then "unavailable"
// (NonRetriable), and anything else is a configuration problem.
//
// netErr is the last transport failure of this request, if any: when the deadline passes
// while azcore waits to retry it, it is the real cause and is reported as such.
func (b *builder) classify(ctx context.Context, err error, netErr error) *Error {
	e := &Error{Credential: b.kind, err: err}
	if ctx.Err() != nil && netErr != nil && b.fam != famCLI && b.fam != famAzd {
		e.Step = StepReach
		e.Summary, e.Fix = reachSummary(netErr, b.endpointName())
		e.Detail = detailOf(netErr)
		return e
	}
	if cerr := ctx.Err(); cerr != nil {
		e.Step = StepTimeout
		if errors.Is(cerr, context.DeadlineExceeded) {
			e.Summary = "no token before the deadline"
			e.Fix = "the identity endpoint is slow or unreachable; check the network (proxy, firewall) and retry, or raise token.request_timeout"
		} else {
			e.Summary = "the token request was cancelled"
		}
		switch {
		case b.fam == famDeviceCode || b.fam == famBrowser:
			e.Fix = "finish the sign-in before the deadline, then retry"
		case b.fam == famMI && b.miSrc == managedidentity.DefaultToIMDS:
			e.Summary += " from the instance metadata service"
			e.Fix = "managed identity is probably not available on this machine: it works only on Azure (VM, App Service, Functions, Container Apps, AKS); on a workstation use a developer login or a service principal"
		}
		return e // the underlying text is only "context deadline exceeded" in one wrapping or another
	}
	var req *azidentity.AuthenticationRequiredError
	if errors.As(err, &req) {
		e.Step = StepInteraction
		e.Summary = "an interactive sign-in is needed"
		e.Fix = "sign in again from the connect screen"
		return e
	}
	var af *azidentity.AuthenticationFailedError
	if errors.As(err, &af) {
		if af.RawResponse != nil {
			return b.fromResponse(e, af.RawResponse)
		}
		return b.fromMessage(e, err.Error(), false)
	}
	if isNonRetriable(err) {
		return b.fromMessage(e, err.Error(), true)
	}
	e.Step = StepConfig
	e.Summary = firstLine(err.Error())
	e.Fix = "check the profile's auth settings (scopes, tenant, IDs)"
	return e
}

func isNonRetriable(err error) bool {
	var nr interface{ NonRetriable() }
	return errors.As(err, &nr)
}

// entraErrorBody is an OAuth error reply from Entra, or the shapes managed identity endpoints use.
type entraErrorBody struct {
	Error            json.RawMessage `json:"error"`
	ErrorDescription string          `json:"error_description"`
	ErrorCodes       []int           `json:"error_codes"`
	CorrelationID    string          `json:"correlation_id"`
	TraceID          string          `json:"trace_id"`
	Message          string          `json:"message"`
	CorrelationIDMI  string          `json:"correlationId"` // App Service managed identity shape
}

// fromResponse explains an HTTP error reply from Entra or a managed identity endpoint.
func (b *builder) fromResponse(e *Error, resp *http.Response) *Error {
	body, _ := runtime.Payload(resp) // Payload caches the body, so azidentity's Error() still works
	var eb entraErrorBody
	_ = json.Unmarshal(body, &eb)
	errName, errDesc := "", eb.ErrorDescription
	if len(eb.Error) > 0 {
		var s string
		if json.Unmarshal(eb.Error, &s) == nil {
			errName = s
		} else {
			var o struct{ Code, Message string }
			if json.Unmarshal(eb.Error, &o) == nil {
				errName, errDesc = o.Code, firstNonEmpty(errDesc, o.Message)
			}
		}
	}
	errDesc = firstNonEmpty(errDesc, eb.Message)
	if len(eb.ErrorCodes) > 0 {
		e.Code = fmt.Sprintf("AADSTS%d", eb.ErrorCodes[0])
	} else if m := aadstsInText().FindStringSubmatch(errDesc); m != nil {
		e.Code = "AADSTS" + m[1]
	}
	desc := firstLine(aadstsInText().ReplaceAllString(errDesc, ""))
	desc = strings.TrimSpace(strings.TrimPrefix(desc, ":"))
	if i := strings.Index(desc, " Trace ID:"); i >= 0 { // Entra appends trace/correlation IDs and a timestamp
		desc = strings.TrimSpace(desc[:i])
	}

	var detail []string
	if errName != "" || desc != "" {
		who := "Entra"
		if b.fam == famMI {
			who = "The managed identity endpoint"
		}
		detail = append(detail, who+" replied: "+strings.Trim(errName+": "+desc, ": "))
	}
	if resp.Request != nil {
		detail = append(detail, fmt.Sprintf("Request: %s %s://%s%s → HTTP %d", resp.Request.Method, resp.Request.URL.Scheme, resp.Request.URL.Host, resp.Request.URL.Path, resp.StatusCode))
	} else {
		detail = append(detail, fmt.Sprintf("HTTP %d", resp.StatusCode))
	}
	eb.CorrelationID = firstNonEmpty(eb.CorrelationID, eb.CorrelationIDMI)
	if eb.CorrelationID != "" {
		detail = append(detail, "Correlation ID: "+eb.CorrelationID+" (quote it when asking for help)")
	}
	e.Detail = strings.Join(detail, "\n")

	if info, ok := lookupAADSTS(e.Code); ok {
		e.Step, e.Summary, e.Fix = StepRefused, info.Meaning, info.Fix
		return e
	}
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		e.Step = StepReach
		e.Summary = fmt.Sprintf("the identity endpoint answered HTTP %d (%s)", resp.StatusCode, strings.ToLower(http.StatusText(resp.StatusCode)))
		e.Fix = "a temporary problem at the identity service; retry in a moment"
		if b.fam == famMI {
			e.Fix = "the managed identity endpoint is failing; retry in a moment, and check the hosting service's health"
		}
		return e
	case b.fam == famMI:
		e.Step = StepRefused
		switch {
		case resp.StatusCode == http.StatusBadRequest && b.userAssigned():
			e.Summary = "the managed identity endpoint knows no such identity here"
		case resp.StatusCode == http.StatusBadRequest:
			e.Summary = "the managed identity endpoint has no system-assigned identity here"
		default:
			e.Summary = fmt.Sprintf("the managed identity endpoint refused the request (HTTP %d)", resp.StatusCode)
		}
		e.Fix = b.miFix()
		return e
	}
	e.Step = StepRefused
	switch {
	case desc != "":
		e.Summary = shorten(desc, 160)
	case errName != "":
		e.Summary = errName
	default:
		e.Summary = fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
	e.Fix = b.genericFix()
	return e
}

func (b *builder) userAssigned() bool {
	return b.auth.ClientID != "" || b.auth.ObjectID != "" || b.auth.ResourceID != ""
}

func (b *builder) miFix() string {
	switch {
	case b.auth.ClientID != "":
		return "no managed identity with client ID " + b.auth.ClientID + " is assigned to this resource: check the ID (the identity's Client ID) and that the identity is attached to this VM/app"
	case b.auth.ObjectID != "":
		return "no managed identity with object ID " + b.auth.ObjectID + " is assigned to this resource: check the ID (the identity's Object (principal) ID) and that the identity is attached to this VM/app"
	case b.auth.ResourceID != "":
		return "no managed identity with resource ID " + b.auth.ResourceID + " is assigned to this resource: check the ARM resource ID and that the identity is attached to this VM/app"
	}
	return "enable the system-assigned identity on this resource, or select a user-assigned identity by client_id, object_id or resource_id"
}

func (b *builder) genericFix() string {
	switch b.fam {
	case famSecret:
		return "check auth.tenant_id, auth.client_id and the client secret against the app registration"
	case famCert:
		return "check auth.tenant_id, auth.client_id and that this certificate is registered on the app"
	case famDeviceCode, famBrowser:
		return "sign in again; if it keeps failing, check auth.tenant_id and that your account may use the app"
	}
	return "check the profile's auth settings"
}

// fromMessage explains a failure that carries no HTTP response: a CLI's error output, a
// transport failure, or an "unavailable" credential (when unavailable is set).
func (b *builder) fromMessage(e *Error, msg string, unavailable bool) *Error {
	e.Detail = detailOf(errors.New(msg))
	lower := strings.ToLower(msg)
	if m := aadstsInText().FindStringSubmatch(msg); m != nil {
		e.Code = "AADSTS" + m[1]
	}
	info, known := lookupAADSTS(e.Code)

	switch b.fam {
	case famCLI, famAzd:
		tool, login := "the Azure CLI (az)", "az login"
		if b.fam == famAzd {
			tool, login = "the Azure Developer CLI (azd)", "azd auth login"
		}
		if b.auth.TenantID != "" {
			if b.fam == famAzd {
				login += " --tenant-id " + b.auth.TenantID
			} else {
				login += " --tenant " + b.auth.TenantID
			}
		}
		switch {
		case strings.Contains(lower, "executable not found") || strings.Contains(lower, "not recognized"):
			e.Step = StepUnavailable
			e.Summary = tool + " is not installed or not on PATH"
			e.Fix = "install it (https://aka.ms/azure-cli or https://aka.ms/azd), or choose another login method"
		case known:
			e.Step = StepCLILogin
			e.Summary = tool + " could not get a token: " + info.Meaning
			e.Fix = info.Fix
			if !strings.Contains(e.Fix, "login") {
				e.Fix += "; then run `" + login + "` again"
			}
		case strings.Contains(lower, "login") || strings.Contains(lower, "logged in") || strings.Contains(lower, "expired") || strings.Contains(lower, "re-authenticate"):
			e.Step = StepCLILogin
			e.Summary = tool + " is not logged in (or its login expired)"
			e.Fix = "run `" + login + "` in a terminal, then retry"
		default:
			e.Step = StepUnavailable
			e.Summary = tool + " failed to get a token"
			e.Fix = "run `az account get-access-token --resource https://redis.azure.com` (or `azd auth token --scope https://redis.azure.com/.default`) in a terminal to see the problem"
		}
		return e
	case famMI:
		if b.miSrc == managedidentity.DefaultToIMDS && (unavailable || isUnreachable(lower)) {
			e.Step = StepUnavailable
			e.Summary = "no managed identity is available on this machine (the instance metadata service cannot be reached)"
			e.Fix = "managed identity works only on Azure (VM, App Service, Functions, Container Apps, AKS); on a workstation use a developer login or a service principal"
			return e
		}
		if unavailable {
			e.Step = StepUnavailable
			e.Summary = "the managed identity is not available here: " + shorten(stripCredName(firstLine(msg)), 160)
			e.Fix = b.miFix()
			return e
		}
	case famDefault:
		e.Step = StepUnavailable
		if !unavailable {
			e.Step = StepRefused
		}
		if known {
			e.Summary = "the default credential chain failed: " + info.Meaning
			e.Fix = info.Fix
			return e
		}
		e.Summary = "no credential in the DefaultAzureCredential chain could get a token"
		e.Fix = "sign in with `az login` or `azd auth login`, or set AZURE_TOKEN_CREDENTIALS to the one credential you mean (e.g. AzureCliCredential); the detail lists what each credential said"
		return e
	case famDeviceCode, famBrowser:
		if p := b.lastPromptError(); p != nil && strings.Contains(msg, p.Error()) {
			e.Step = StepInteraction
			e.Summary = "the device code sign-in was abandoned: " + shorten(p.Error(), 120)
			e.Fix = "start the sign-in again and enter the code at the verification URL"
			return e
		}
		if strings.Contains(lower, "declined") || strings.Contains(lower, "cancel") {
			e.Step = StepInteraction
			e.Summary = "the sign-in was not completed"
			e.Fix = "start the sign-in again and complete it"
			return e
		}
	}
	if known {
		e.Step, e.Summary, e.Fix = StepRefused, info.Meaning, info.Fix
		return e
	}
	if unavailable {
		e.Step = StepUnavailable
		e.Summary = shorten(stripCredName(firstLine(msg)), 160)
		e.Fix = "choose a login method that works on this machine"
		return e
	}
	e.Step = StepReach
	e.Summary, e.Fix = reachSummary(errors.New(msg), b.endpointName())
	return e
}

// endpointName is who a credential asks for tokens, for "… unreachable".
func (b *builder) endpointName() string {
	if b.fam == famMI {
		return "the managed identity endpoint"
	}
	return "Entra"
}

func isUnreachable(lower string) bool {
	for _, s := range []string{"connection refused", "no route to host", "network is unreachable", "i/o timeout", "timeout", "blocked non-loopback", "connect:", "eof"} {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return false
}

// stripCredName drops azidentity's "XxxCredential: " prefix, which the Error names better.
func stripCredName(s string) string {
	if i := strings.Index(s, "Credential: "); i >= 0 && !strings.Contains(s[:i], " ") {
		return s[i+len("Credential: "):]
	}
	return s
}

// detailOf is the underlying error's text without azidentity's troubleshooting link noise.
func detailOf(err error) string {
	s := strings.TrimSpace(err.Error())
	if i := strings.Index(s, "To troubleshoot, visit"); i >= 0 {
		s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s[:i]), "."))
	}
	return s
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
