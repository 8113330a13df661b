package rediscli

import "strings"

// Redacted replaces a secret in a command line kept in the console's history or scrollback.
const Redacted = "(redacted)"

// Redact returns args with every secret replaced by Redacted, and whether it replaced any:
//
//   - AUTH [username] password
//   - HELLO … AUTH username password
//   - CONFIG SET … requirepass|masterauth|tls-key-file-pass|tls-client-key-file-pass value …
//   - ACL SETUSER user … >password <password #hash !hash …
//   - MIGRATE … AUTH password | AUTH2 username password …
//
// Names are matched case-insensitively; args itself is never modified.
func Redact(args []string) ([]string, bool) {
	if len(args) == 0 {
		return args, false
	}
	out := append([]string(nil), args...)
	changed := false
	hide := func(i int) {
		if i > 0 && i < len(out) {
			out[i] = Redacted
			changed = true
		}
	}
	switch strings.ToLower(out[0]) {
	case "auth":
		hide(len(out) - 1) // the password is the last argument with or without a username
		if len(out) > 3 {
			for i := 1; i < len(out); i++ {
				hide(i)
			}
		}
	case "hello":
		// From the first argument: the server refuses AUTH without a protocol version, but
		// the password was typed all the same. SETNAME's value is skipped, so a client named
		// "auth" is not taken for the option.
		for i := 1; i < len(out); i++ {
			switch strings.ToLower(out[i]) {
			case "auth":
				hide(i + 2)
				i += 2
			case "setname":
				i++
			}
		}
	case "config":
		if len(out) > 2 && strings.EqualFold(out[1], "set") {
			for i := 2; i+1 < len(out); i += 2 {
				if secretConfig[strings.ToLower(out[i])] {
					hide(i + 1)
				}
			}
		}
	case "acl":
		if len(out) > 2 && strings.EqualFold(out[1], "setuser") {
			for i := 3; i < len(out); i++ {
				if r := out[i]; r != "" && strings.ContainsRune("><#!", rune(r[0])) {
					out[i] = r[:1] + Redacted
					changed = true
				}
			}
		}
	case "migrate":
		for i := 6; i < len(out); i++ {
			switch strings.ToLower(out[i]) {
			case "auth":
				hide(i + 1)
				i++
			case "auth2":
				hide(i + 2)
				i += 2
			case "keys":
				i = len(out)
			}
		}
	}
	return out, changed
}

// secretConfig are the configuration parameters whose value is a secret: the password
// clients and replicas authenticate with, and the TLS private keys' passphrases.
var secretConfig = map[string]bool{"requirepass": true, "masterauth": true,
	"tls-key-file-pass": true, "tls-client-key-file-pass": true}

// HasRedacted reports whether args hold a secret removed by Redact: such a line, recalled
// from history, must not be sent with the placeholder in place of the secret.
func HasRedacted(args []string) bool {
	for _, a := range args {
		if strings.HasSuffix(a, Redacted) && len(a) <= len(Redacted)+1 {
			return true
		}
	}
	return false
}

// dangerous are commands that can destroy data, stop the server or stall it, as lower-case
// names or "container|sub" keys.
var dangerous = []string{"flushall", "flushdb", "keys", "debug", "shutdown", "config|set",
	"script|flush", "function|flush", "client|kill", "swapdb"}

// Dangerous returns the name of the dangerous command args runs ("FLUSHALL", "CONFIG SET"), or
// "" when it is not one: the console asks for the profile name before sending these.
func Dangerous(args []string) string {
	if len(args) == 0 {
		return ""
	}
	name, key := lookupKey(args)
	for _, d := range dangerous {
		if d == name || d == key {
			return strings.ToUpper(strings.ReplaceAll(d, "|", " "))
		}
	}
	return ""
}

// EscapeControls returns b with every control character but newline and tab written as \xHH
// (C1 controls, U+0080–U+009F, as \u0080…), so a reply written to a terminal cannot move the
// cursor, retitle the window or hide text (redis-cli writes them raw). b is returned as it is
// when it holds none.
func EscapeControls(b []byte) []byte {
	const hex = "0123456789abcdef"
	var out []byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		control := c < 0x20 && c != '\n' && c != '\t' || c == 0x7f
		c1 := c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f
		if !control && !c1 {
			if out != nil {
				out = append(out, c)
			}
			continue
		}
		if out == nil {
			out = append(make([]byte, 0, len(b)+16), b[:i]...)
		}
		if c1 {
			i++
			out = append(out, '\\', 'u', '0', '0', hex[b[i]>>4], hex[b[i]&0xf])
			continue
		}
		out = append(out, '\\', 'x', hex[c>>4], hex[c&0xf])
	}
	if out == nil {
		return b
	}
	return out
}
