package rediscli

import (
	"slices"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	R := Redacted
	cases := []struct {
		in, want string
		changed  bool
	}{
		{"AUTH s3cret", "AUTH " + R, true},
		{"auth alice s3cret", "auth alice " + R, true},
		{"AUTH a b c", "AUTH " + R + " " + R + " " + R, true},
		{"HELLO 3 AUTH alice s3cret SETNAME x", "HELLO 3 AUTH alice " + R + " SETNAME x", true},
		{"hello 3 auth alice", "hello 3 auth alice", false},
		{"HELLO 3", "HELLO 3", false},
		{"HELLO AUTH alice s3cret", "HELLO AUTH alice " + R, true},
		{"HELLO 3 SETNAME auth AUTH alice s3cret", "HELLO 3 SETNAME auth AUTH alice " + R, true},
		{"HELLO 3 SETNAME x AUTH auth s3cret", "HELLO 3 SETNAME x AUTH auth " + R, true},
		{"CONFIG SET tls-key-file-pass s3cret", "CONFIG SET tls-key-file-pass " + R, true},
		{"CONFIG SET TLS-CLIENT-KEY-FILE-PASS s3cret", "CONFIG SET TLS-CLIENT-KEY-FILE-PASS " + R, true},
		{"CONFIG SET requirepass s3cret", "CONFIG SET requirepass " + R, true},
		{"config set maxmemory 1mb MasterAuth s3cret", "config set maxmemory 1mb MasterAuth " + R, true},
		{"CONFIG SET maxmemory 1mb", "CONFIG SET maxmemory 1mb", false},
		{"CONFIG GET requirepass", "CONFIG GET requirepass", false},
		{"ACL SETUSER bob on >p1 <p2 #abc !def ~* +@all", "ACL SETUSER bob on >" + R + " <" + R + " #" + R + " !" + R + " ~* +@all", true},
		{"ACL SETUSER >bob on", "ACL SETUSER >bob on", false},
		{"ACL GETUSER bob", "ACL GETUSER bob", false},
		{"MIGRATE h 6379 k 0 5000 AUTH s3cret", "MIGRATE h 6379 k 0 5000 AUTH " + R, true},
		{"MIGRATE h 6379 \"\" 0 5000 COPY AUTH2 alice s3cret KEYS a b", "MIGRATE h 6379 \"\" 0 5000 COPY AUTH2 alice " + R + " KEYS a b", true},
		{"MIGRATE h 6379 \"\" 0 5000 KEYS auth b", "MIGRATE h 6379 \"\" 0 5000 KEYS auth b", false},
		{"SET auth s3cret", "SET auth s3cret", false},
		{"GET k", "GET k", false},
	}
	for _, c := range cases {
		args, err := SplitArgs(c.in)
		if err != nil {
			t.Fatal(err)
		}
		before := slices.Clone(args)
		out, changed := Redact(args)
		if got := strings.Join(out, " "); got != strings.ReplaceAll(c.want, `""`, "") || changed != c.changed {
			t.Errorf("Redact(%q) = %q, %v; want %q, %v", c.in, got, changed, c.want, c.changed)
		}
		if !slices.Equal(args, before) {
			t.Errorf("Redact(%q) modified its argument", c.in)
		}
		if changed && !HasRedacted(out) {
			t.Errorf("HasRedacted(%q) = false", out)
		}
		if !changed && HasRedacted(out) {
			t.Errorf("HasRedacted(%q) = true", out)
		}
	}
}
