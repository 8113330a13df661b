package emulator_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/amr-tui/amr-tui/emulator"
)

// Compile-time check: the fake Entra is what the gate verifies tokens with.
var _ emulator.TokenVerifier = (*emulator.Entra)(nil)

func TestVerifyToken(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	oid := uuid.NewString()
	mint := func(o emulator.MintOptions) string {
		t.Helper()
		if o.OID == "" {
			o.OID = oid
		}
		tok, _, err := e.Mint(o)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}

	for _, aud := range emulator.RedisAudiences {
		vt, err := e.VerifyToken(mint(emulator.MintOptions{Audience: aud}))
		if err != nil || vt.OID != oid || vt.TenantID != e.TenantID() {
			t.Errorf("audience %s: %+v, %v", aud, vt, err)
		}
	}
	user, err := e.VerifyToken(mint(emulator.MintOptions{UPN: "u@contoso.example"}))
	if err != nil || user.OID != oid {
		t.Errorf("user token: %+v %v", user, err)
	}

	// A token signed with a symmetric key derived from the public key (alg confusion).
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"oid": oid, "aud": emulator.RedisResource, "tid": e.TenantID(),
		"iss": "https://sts.windows.net/" + e.TenantID() + "/", "nbf": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
	hs.Header["kid"] = claimsHeader(t, mint(emulator.MintOptions{}))["kid"]
	hsTok, err := hs.SignedString(x509.MarshalPKCS1PublicKey(e.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	valid := mint(emulator.MintOptions{})
	parts := strings.Split(valid, ".")

	bad := map[string]string{
		"forged (other key)": mint(emulator.MintOptions{SigningKey: otherKey}),
		"expired":            mint(emulator.MintOptions{IssuedAt: time.Now().Add(-2 * time.Hour), Lifetime: time.Hour}),
		"not yet valid":      mint(emulator.MintOptions{IssuedAt: time.Now().Add(time.Hour)}),
		"wrong audience":     mint(emulator.MintOptions{Audience: "https://management.azure.com"}),
		"other tenant":       mint(emulator.MintOptions{TenantID: uuid.NewString()}),
		"alg HS256":          hsTok,
		"alg none":           b64json(t, map[string]any{"alg": "none", "typ": "JWT"}) + "." + parts[1] + ".",
		"tampered claims":    parts[0] + "." + b64json(t, map[string]any{"oid": uuid.NewString(), "aud": emulator.RedisResource}) + "." + parts[2],
		"empty":              "",
		"garbage":            "not-a-jwt",
		"two parts":          parts[0] + "." + parts[1],
	}
	for name, tok := range bad {
		vt, err := e.VerifyToken(tok)
		if err == nil {
			t.Errorf("%s: accepted (%+v)", name, vt)
			continue
		}
		if tok != "" && strings.Contains(err.Error(), tok) {
			t.Errorf("%s: error contains the token", name)
		}
	}
	if _, _, err := e.Mint(emulator.MintOptions{}); err == nil {
		t.Error("Mint without OID succeeded")
	}
}

// A one-second token verifies at once and is refused as soon as its exp passes.
func TestVerifyTokenPromptExpiry(t *testing.T) {
	// exp is whole seconds, rounded down: a 1 s token minted late in a second expires within
	// milliseconds, before a busy machine gets to check it fresh. 3 s leaves over 1 s.
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 3 * time.Second})
	tok, exp, err := e.Mint(emulator.MintOptions{OID: uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(exp); d > 3*time.Second || d <= 0 {
		t.Fatalf("exp in %v, want within 3 s", d)
	}
	if _, err := e.VerifyToken(tok); err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	time.Sleep(time.Until(exp) + 50*time.Millisecond)
	if _, err := e.VerifyToken(tok); err == nil {
		t.Fatal("token still accepted after exp")
	}
}

// An out-of-process verifier can check tokens with the published JWKS.
func TestJWKS(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	req, _ := http.NewRequest(http.MethodGet, e.JWKSURL(), nil)
	status, body := do(t, e, req)
	if status != 200 {
		t.Fatalf("jwks: %d %s", status, body)
	}
	var set struct {
		Keys []struct{ Kid, N, E string }
	}
	if err := json.Unmarshal([]byte(body), &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("jwks %s: %v", body, err)
	}
	k := set.Keys[0]
	n, _ := base64.RawURLEncoding.DecodeString(k.N)
	ex, _ := base64.RawURLEncoding.DecodeString(k.E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(ex).Int64())}

	tok, _, err := e.Mint(emulator.MintOptions{OID: uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jwt.Parse(tok, func(tk *jwt.Token) (any, error) {
		if tk.Header["kid"] != k.Kid {
			t.Errorf("kid %v not in JWKS (%s)", tk.Header["kid"], k.Kid)
		}
		return pub, nil
	}, jwt.WithValidMethods([]string{"RS256"}))
	if err != nil || !parsed.Valid {
		t.Fatalf("token does not verify with the JWKS key: %v", err)
	}
	if e.Requests(emulator.EndpointJWKS) != 1 {
		t.Errorf("jwks requests = %d", e.Requests(emulator.EndpointJWKS))
	}
}

// Client assertions are checked like Entra does: time window, audience, issuer.
func TestClientAssertionChecks(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	tc := newTestCert(t, "assertion app")
	app := emulator.App{ClientID: uuid.NewString(), Certificate: tc.cert, ObjectID: uuid.NewString()}
	e.RegisterApp(app)
	tokenURL := e.AuthorityHost() + e.TenantID() + "/oauth2/v2.0/token"
	sum := sha256.Sum256(tc.cert.Raw)

	signWith := tc.key
	assertion := func(mod func(jwt.MapClaims)) string {
		now := time.Now()
		c := jwt.MapClaims{"aud": tokenURL, "iss": app.ClientID, "sub": app.ClientID, "jti": uuid.NewString(),
			"nbf": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
		mod(c)
		tok := jwt.NewWithClaims(jwt.SigningMethodPS256, c)
		tok.Header["x5t#S256"] = base64.StdEncoding.EncodeToString(sum[:])
		s, err := tok.SignedString(signWith)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	post := func(a string) (int, string) {
		form := url.Values{
			"grant_type": {"client_credentials"}, "client_id": {app.ClientID}, "scope": {emulator.RedisScope},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {a},
		}
		req, _ := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return do(t, e, req)
	}

	if status, body := post(assertion(func(jwt.MapClaims) {})); status != 200 || !strings.Contains(body, "access_token") {
		t.Fatalf("valid assertion: %d %s", status, body)
	}
	cases := map[string]struct {
		mod  func(jwt.MapClaims)
		code string
	}{
		"expired":        {func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Minute).Unix() }, "AADSTS700024"},
		"not yet valid":  {func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(time.Hour).Unix() }, "AADSTS700024"},
		"no exp":         {func(c jwt.MapClaims) { delete(c, "exp") }, "AADSTS700024"},
		"wrong audience": {func(c jwt.MapClaims) { c["aud"] = "https://login.microsoftonline.com/x/oauth2/v2.0/token" }, "AADSTS700027"},
		"wrong issuer":   {func(c jwt.MapClaims) { c["iss"] = uuid.NewString() }, "AADSTS700021"},
	}
	for name, c := range cases {
		status, body := post(assertion(c.mod))
		if status != http.StatusUnauthorized || !strings.Contains(body, c.code) {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	// The header names the registered certificate, but another key signed the assertion.
	signWith = newTestCert(t, "impostor").key
	if status, body := post(assertion(func(jwt.MapClaims) {})); status != http.StatusUnauthorized || !strings.Contains(body, "AADSTS700027") {
		t.Errorf("assertion signed by another key: %d %s", status, body)
	}
	if status, body := post("garbage"); status != 400 || !strings.Contains(body, "AADSTS50027") {
		t.Errorf("malformed assertion: %d %s", status, body)
	}
}

func b64json(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func claimsHeader(t *testing.T, tok string) map[string]any {
	t.Helper()
	parsed, _, err := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	return parsed.Header
}

// A token whose base64url text differs from the one issued only in the unused low bits of the
// signature's last character decodes to the same bytes under lenient base64; the fake Entra,
// like a strict verifier, refuses it: the gate accepts only the exact text it issued.
func TestVerifyTokenRefusesNonCanonicalBase64(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	tok, _, err := e.Mint(emulator.MintOptions{OID: uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.VerifyToken(tok); err != nil {
		t.Fatalf("the issued token: %v", err)
	}
	dot := strings.LastIndexByte(tok, '.')
	sig := tok[dot+1:]
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	unused := (6 - (len(sig)*6)%8) % 6 // RS256's 256-byte signature: 342 characters, 4 spare bits
	if unused == 0 {
		t.Fatalf("signature of %d characters has no spare bits", len(sig))
	}
	last := strings.IndexByte(alphabet, sig[len(sig)-1])
	twin := alphabet[last^1] // flip the lowest bit: unused, so the decoded bytes are the same
	forged := tok[:len(tok)-1] + string(twin)
	raw1, _ := base64.RawURLEncoding.DecodeString(sig)
	raw2, err := base64.RawURLEncoding.DecodeString(forged[dot+1:])
	if err != nil || string(raw1) != string(raw2) {
		t.Fatalf("the twin does not decode to the same signature: %v", err)
	}
	if _, err := e.VerifyToken(forged); err == nil {
		t.Fatal("a token differing from the issued one in the signature's padding bits was accepted")
	}
}
