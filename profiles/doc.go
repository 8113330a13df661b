// Package profiles holds saved connection profiles: their format, validation, atomic storage in
// one TOML file, and references to secrets that are never stored in plain text.
//
// It is a leaf package: no Azure, Redis or UI imports.
//
// # The file
//
// One TOML file (DefaultPath: $AMR_TUI_CONFIG, else profiles.toml in an amr-tui directory under
// os.UserConfigDir; the CLI's --config overrides both) holds every profile:
//
//	version = 1                # schema version; required
//	last_used = "prod"         # remembered by the UI; optional
//
//	[profiles.prod]            # the table name is the profile name
//	label = "Production"       # optional; color, port, db, read_only, cluster likewise
//	color = "red"
//	host = "prod.westeurope.redis.azure.net"   # required; port/TLS default from the host
//	read_only = true
//	cluster = "on"             # auto (default) | on | off
//	tree_delimiters = [":", "/"]   # folders in the tree view; default [":"]
//
//	[profiles.prod.tls]        # enabled, ca_file, cert_file, key_file, server_name,
//	server_name = "prod.westeurope.redis.azure.net"   # insecure_skip_verify
//
//	[profiles.prod.auth]
//	kind = "service-principal" # or certificate, managed-identity, developer, access-key, none
//	tenant_id = "…"
//	client_id = "…"
//	client_secret = "keyring:amr-tui/prod/client_secret"
//
//	[profiles.prod.token]      # optional; see TokenSettings for the defaults
//	refresh_ratio = 0.7
//	lower_refresh_bound = "5m"
//
// Keys are snake_case; durations are Go duration strings. Paths are absolute or start with
// "~/" (see ExpandPath). Load rejects unknown fields, wrong types, missing required fields and
// bad values with a *FileError naming the file, line, profile and field and what is expected.
//
// # Secrets
//
// Secret fields (SecretFields) hold a SecretRef: keyring:SERVICE/ACCOUNT, env:NAME or
// file:PATH. A value that is not a reference is refused at load, and the message never repeats
// it. Profile.Secret resolves a reference when connecting.
//
// # Saving
//
// File.Save writes atomically (temporary file, fsync, rename, directory fsync) with mode 0600,
// keeps the previous version as PATH.bak, and refuses to overwrite a file that changed since it
// was loaded, in particular one that no longer parses.
package profiles
