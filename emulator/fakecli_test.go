package emulator_test

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/google/uuid"

	"github.com/amr-tui/amr-tui/emulator"
	"github.com/amr-tui/amr-tui/emulator/emutest"
)

func TestFakeCLIs(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{TokenLifetime: 3 * time.Minute})
	emutest.InstallFakeCLIs(t, e)
	user := emulator.User{UPN: "ada@contoso.example", ObjectID: uuid.NewString()}
	e.SetUser(user)

	azCred, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: e.TenantID()})
	if err != nil {
		t.Fatal(err)
	}
	azdCred, err := azidentity.NewAzureDeveloperCLICredential(&azidentity.AzureDeveloperCLICredentialOptions{TenantID: e.TenantID()})
	if err != nil {
		t.Fatal(err)
	}
	creds := []struct {
		name      string
		cred      azcore.TokenCredential
		loggedOut string
	}{
		{"az", azCred, "Please run 'az login' to setup account."},
		{"azd", azdCred, "not logged in, run `azd auth login` to login"},
	}
	for _, c := range creds {
		t.Run(c.name, func(t *testing.T) {
			e.SetCLILoggedIn(true)
			before := e.Requests(emulator.EndpointCLI)
			first, err := redisToken(t, c.cred)
			if err != nil {
				t.Fatal(err)
			}
			cl := mustVerify(t, e, first, user.ObjectID)
			if cl["upn"] != user.UPN || cl["appid"] != emulator.AzureCLIClientID || cl["idtyp"] != nil {
				t.Errorf("claims = %v", cl)
			}
			if d := time.Until(first.ExpiresOn); d > 3*time.Minute || d < 2*time.Minute {
				t.Errorf("ExpiresOn in %v, want about 3m", d)
			}
			second, err := redisToken(t, c.cred)
			if err != nil {
				t.Fatal(err)
			}
			if second.Token == first.Token { // tokens carry a random uti claim, so they differ within a second too
				t.Error("second call returned the same token; the CLI must mint a fresh one per call")
			}
			mustVerify(t, e, second, user.ObjectID)
			if got := e.Requests(emulator.EndpointCLI); got != before+2 {
				t.Errorf("cli requests = %d, want %d", got, before+2)
			}

			e.SetCLILoggedIn(false)
			_, err = redisToken(t, c.cred)
			var afe *azidentity.AuthenticationFailedError
			if !errors.As(err, &afe) || !strings.Contains(err.Error(), c.loggedOut) {
				t.Fatalf("logged out: want AuthenticationFailedError with %q, got %T %v", c.loggedOut, err, err)
			}
		})
	}
}

func TestFakeCLIErrors(t *testing.T) {
	e := startEntra(t, emulator.EntraOptions{})
	dir := emutest.InstallFakeCLIs(t, e)

	run := func(name string, args ...string) (string, string, int) {
		cmd := exec.Command(dir+"/"+name, args...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), code
	}

	t.Run("other resource", func(t *testing.T) {
		_, stderr, code := run("az", "account", "get-access-token", "-o", "json", "--resource", "https://storage.azure.com")
		if code != 1 || !strings.Contains(stderr, "AADSTS500011") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("unknown tenant", func(t *testing.T) {
		_, stderr, code := run("az", "account", "get-access-token", "--resource", emulator.RedisResource, "--tenant", uuid.NewString())
		if code != 1 || !strings.Contains(stderr, "AADSTS90002") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("account show", func(t *testing.T) {
		stdout, _, code := run("az", "account", "show", "-o", "json")
		if code != 0 || !strings.Contains(stdout, e.TenantID()) {
			t.Errorf("exit %d, stdout %q", code, stdout)
		}
	})
	t.Run("unknown command", func(t *testing.T) {
		_, stderr, code := run("az", "group", "list")
		if code != 2 || !strings.Contains(stderr, "not recognized") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("argument quoting", func(t *testing.T) {
		// Odd bytes in arguments must reach the emulator intact (they are URL-encoded).
		_, stderr, code := run("az", "account", "get-access-token", "--resource", "https://x.example/a b&c=%d")
		if code != 1 || !strings.Contains(stderr, "https://x.example/a b&c=%d") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("injected failure", func(t *testing.T) {
		e.FailNext(emulator.EndpointCLI, 1, 400, "AADSTS50076", "multi-factor authentication required")
		_, stderr, code := run("azd", "auth", "token", "-o", "json", "--scope", emulator.RedisScope)
		if code != 1 || !strings.Contains(stderr, "AADSTS50076") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		stdout, _, code := run("azd", "auth", "token", "-o", "json", "--scope", emulator.RedisScope)
		if code != 0 || !strings.Contains(stdout, `"token"`) {
			t.Errorf("after the failure: exit %d, stdout %q", code, stdout)
		}
	})
	t.Run("emulator down", func(t *testing.T) {
		e.SetDown(true)
		defer e.SetDown(false)
		_, stderr, code := run("az", "account", "get-access-token", "--resource", emulator.RedisResource)
		if code != 1 || !strings.Contains(stderr, "did not answer") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("emulator closed", func(t *testing.T) {
		e2 := emutest.StartEntra(t, emulator.EntraOptions{})
		dir2 := t.TempDir()
		if err := e2.InstallFakeCLIs(dir2); err != nil {
			t.Fatal(err)
		}
		e2.Close()
		cmd := exec.Command(dir2+"/az", "account", "show")
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "did not answer") {
			t.Errorf("err %v, output %q", err, out)
		}
	})
}
