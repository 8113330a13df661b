package emulator

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// The fake az and azd are small bash scripts. Each run sends its arguments to the Entra's
// plain-HTTP loopback listener through bash's /dev/tcp (no curl needed) and gets back an exit
// code, a stream and the text to print, so every call returns a freshly minted token and
// tests can switch the CLIs between logged in and logged out.
//
// Wire format of an answer body: "<exit code> <out|err>\n" followed by the text.

// cliScript is the fake CLI; %[1]s is the tool name, %[2]d the port, %[3]s the path key.
const cliScript = `#!/usr/bin/env bash
# Fake '%[1]s' installed by the amr-tui emulator. It asks the emulator's fake Entra ID at
# 127.0.0.1:%[2]d what to print, so every call returns a freshly minted token.
export LC_ALL=C
trap '' PIPE
enc() {
  local s=$1 out= c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [a-zA-Z0-9.~_-]) out+=$c ;;
      *) printf -v c '%%%%%%02X' "'$c"; out+=$c ;;
    esac
  done
  printf '%%s' "$out"
}
unreachable() {
  echo "ERROR: the amr-tui emulator (fake Entra ID) at 127.0.0.1:%[2]d did not answer; is it still running?" >&2
  exit 1
}
q=
for a in "$@"; do q+="&a=$(enc "$a")"; done
{ exec 3<>/dev/tcp/127.0.0.1/%[2]d; } 2>/dev/null || unreachable
printf 'GET /cli/%[3]s/%[1]s?%%s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "${q#&}" >&3 || unreachable
IFS= read -r line <&3 || unreachable
case $line in
  "HTTP/1."?" 200 "*) ;;
  *) unreachable ;;
esac
while IFS= read -r line <&3; do
  [ -z "${line%%$'\r'}" ] && break
done
IFS=' ' read -r code stream <&3 || unreachable
if [ "$stream" = err ]; then cat <&3 >&2; else cat <&3; fi
exit "$code"
`

// InstallFakeCLIs writes executable az and azd scripts into dir (bash and coreutils are all
// they need). Put dir, as an absolute path, first on PATH: azidentity runs the CLIs through
// /bin/sh with /bin as working directory. The scripts embed a random key, so they are written
// readable by the owner only.
func (e *Entra) InstallFakeCLIs(dir string) error {
	port := e.cliLn.Addr().(*net.TCPAddr).Port
	for _, tool := range []string{"az", "azd"} {
		path := filepath.Join(dir, tool)
		script := fmt.Sprintf(cliScript, tool, port, e.cliKey)
		if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
			return fmt.Errorf("fake Entra: writing fake %s: %w", tool, err)
		}
		if err := os.Chmod(path, 0o700); err != nil { // WriteFile keeps an existing file's mode
			return fmt.Errorf("fake Entra: making fake %s executable: %w", tool, err)
		}
	}
	return nil
}

// cliRoutes serves the fake CLIs on the plain-HTTP loopback listener.
func (e *Entra) cliRoutes() http.Handler {
	main := e.routes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/msi/token" {
			// App Service serves its identity endpoint over plain HTTP on localhost, so the
			// emulator does too: a managed-identity credential then needs no CA of ours.
			main.ServeHTTP(w, r)
			return
		}
		if !e.admitRequest(w, r, EndpointCLI) {
			return
		}
		key, tool, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/cli/"), "/")
		if r.Method != http.MethodGet || key != e.cliKey {
			writeCLIFailure(w, 1, "ERROR: this fake CLI was installed by another emulator instance; reinstall it.")
			return
		}
		args := r.URL.Query()["a"]
		switch tool {
		case "az":
			e.fakeAZ(w, args)
		case "azd":
			e.fakeAZD(w, args)
		default:
			writeCLIFailure(w, 127, tool+": command not found")
		}
	})
}

// fakeAZ answers `az account get-access-token` and `az account show`.
func (e *Entra) fakeAZ(w http.ResponseWriter, args []string) {
	e.mu.Lock()
	loggedIn := e.cliLoggedIn
	e.mu.Unlock()
	cmd, flags := splitCLIArgs(args)
	switch cmd {
	case "account get-access-token", "account show":
	default:
		writeCLIFailure(w, 2, fmt.Sprintf("ERROR: '%s' is misspelled or not recognized by the system.", cmd))
		return
	}
	if !loggedIn {
		writeCLIFailure(w, 1, "ERROR: Please run 'az login' to setup account.")
		return
	}
	if t := firstOf(flags, "--tenant", "-t"); t != "" && !e.resolveTenant(t) {
		writeCLIFailure(w, 1, "ERROR: AADSTS90002: Tenant '"+t+"' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
		return
	}
	u := e.CurrentUser()
	if cmd == "account show" {
		writeCLIJSON(w, map[string]any{
			"environmentName": "AzureCloud",
			"homeTenantId":    e.tenant,
			"id":              e.subscription,
			"isDefault":       true,
			"name":            "amr-tui emulator",
			"state":           "Enabled",
			"tenantId":        e.tenant,
			"user":            map[string]string{"name": u.UPN, "type": "user"},
		})
		return
	}
	resource := firstOf(flags, "--resource")
	if resource == "" {
		resource = strings.TrimSuffix(firstOf(flags, "--scope"), "/.default")
	}
	if !isKnownResource(resource) {
		writeCLIFailure(w, 1, "ERROR: AADSTS500011: "+errResourceNotFound(resource, e.tenant).desc)
		return
	}
	lifetime, _ := e.settings()
	tok, exp, err := e.Mint(MintOptions{OID: u.ObjectID, UPN: u.UPN, AppID: AzureCLIClientID, Lifetime: lifetime, Audience: audienceFor(resource)})
	if err != nil {
		writeCLIFailure(w, 1, "ERROR: "+err.Error())
		return
	}
	writeCLIJSON(w, map[string]any{
		"accessToken":  tok,
		"expiresOn":    exp.Local().Format("2006-01-02 15:04:05.000000"),
		"expires_on":   exp.Unix(),
		"subscription": e.subscription,
		"tenant":       e.tenant,
		"tokenType":    "Bearer",
	})
}

// fakeAZD answers `azd auth token`.
func (e *Entra) fakeAZD(w http.ResponseWriter, args []string) {
	e.mu.Lock()
	loggedIn := e.cliLoggedIn
	e.mu.Unlock()
	cmd, flags := splitCLIArgs(args)
	if cmd != "auth token" {
		writeAZDFailure(w, fmt.Sprintf("unknown command %q for \"azd\"", cmd))
		return
	}
	if !loggedIn {
		writeAZDFailure(w, "not logged in, run `azd auth login` to login")
		return
	}
	if t := firstOf(flags, "--tenant-id"); t != "" && !e.resolveTenant(t) {
		writeAZDFailure(w, "failed to acquire token: AADSTS90002: Tenant '"+t+"' not found.")
		return
	}
	if aerr := checkRedisScope(strings.Join(flags["--scope"], " "), false, e.tenant); aerr != nil {
		writeAZDFailure(w, fmt.Sprintf("failed to acquire token: AADSTS%d: %s", aerr.code, aerr.desc))
		return
	}
	u := e.CurrentUser()
	lifetime, _ := e.settings()
	tok, exp, err := e.Mint(MintOptions{OID: u.ObjectID, UPN: u.UPN, AppID: AzureCLIClientID, Lifetime: lifetime,
		Audience: audienceFor(strings.Join(flags["--scope"], " "))})
	if err != nil {
		writeAZDFailure(w, err.Error())
		return
	}
	writeCLIJSON(w, map[string]any{"token": tok, "expiresOn": exp.UTC().Format("2006-01-02T15:04:05Z")})
}

// splitCLIArgs splits argv into the command words before the first flag and the flags with
// their values (a flag followed by another flag, or last, gets "").
func splitCLIArgs(args []string) (string, map[string][]string) {
	var words []string
	flags := map[string][]string{}
	i := 0
	for ; i < len(args) && !strings.HasPrefix(args[i], "-"); i++ {
		words = append(words, args[i])
	}
	for ; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "-") {
			continue
		}
		name, val, hasEq := strings.Cut(args[i], "=")
		if !hasEq && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			val = args[i+1]
			i++
		}
		flags[name] = append(flags[name], val)
	}
	return strings.Join(words, " "), flags
}

func firstOf(flags map[string][]string, names ...string) string {
	for _, n := range names {
		if v := flags[n]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// writeCLIJSON makes the CLI print v as indented JSON and exit 0.
func writeCLIJSON(w http.ResponseWriter, v any) {
	b, _ := json.MarshalIndent(v, "", "  ")
	writeCLIAnswer(w, 0, "out", string(b)+"\n")
}

// writeCLIFailure makes the CLI print msg on stderr and exit with code.
func writeCLIFailure(w http.ResponseWriter, code int, msg string) {
	writeCLIAnswer(w, code, "err", msg+"\n")
}

// writeAZDFailure prints msg the way azd (v1.23.7+) reports errors with -o json.
func writeAZDFailure(w http.ResponseWriter, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg, "message": msg})
	writeCLIFailure(w, 1, string(b))
}

func writeCLIAnswer(w http.ResponseWriter, code int, stream, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Connection", "close")
	fmt.Fprintf(w, "%d %s\n%s", code, stream, text)
}
