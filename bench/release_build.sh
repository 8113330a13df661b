# Sourced by the bench scripts: release_build OUT [DIR] builds the amr-tui of DIR (default: this
# tree) as .goreleaser.yaml builds the released packages — CGO_ENABLED=0 (a static binary: no
# dynamic loader, no libc), -trimpath, -ldflags "-s -w" — so start-up figures speak for the
# binary users install. A cgo build starts 2–3 ms later on a 2-core VM (ld.so, libc, threads
# made by pthread_create). DEV_BUILD=1 measures a plain `go build` instead.
release_build() {
	local out=$1 dir=${2:-.}
	if [ -n "${DEV_BUILD:-}" ]; then
		(cd "$dir" && go build -o "$out" .)
	else
		(cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out" .)
	fi
}
