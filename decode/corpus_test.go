package decode

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amr-tui/amr-tui/decode/decodetest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The corpus lives in decodetest, shared with the viewer's and get's tests; these are short
// names for it here.
const jsonDoc = decodetest.JSONDoc

type mpUser = decodetest.MsgPackUser

func gz(t testing.TB, b []byte) []byte      { return decodetest.Gzip(t, b) }
func zl(b []byte) []byte                    { return decodetest.Zlib(b) }
func defl(b []byte) []byte                  { return decodetest.Deflate(b) }
func zs(b []byte) []byte                    { return decodetest.Zstd(b) }
func lz4Frame(b []byte) []byte              { return decodetest.LZ4Frame(b) }
func lz4Block(b []byte) []byte              { return decodetest.LZ4Block(b) }
func snappyFramed(b []byte) []byte          { return decodetest.SnappyFramed(b) }
func br(b []byte) []byte                    { return decodetest.Brotli(b) }
func mp(t testing.TB) []byte                { return decodetest.MsgPack(t) }
func pb(t testing.TB) []byte                { return decodetest.Protobuf(t) }
func bs(t testing.TB) []byte                { return decodetest.BSON(t) }
func fixture(t testing.TB, n string) []byte { return decodetest.Fixture(t, n) }

type corpusCase struct {
	name   string
	raw    []byte
	choice Codec
	chain  string
	want   []string
}

func corpus(t testing.TB) []corpusCase {
	var out []corpusCase
	for _, c := range decodetest.Corpus(t) {
		out = append(out, corpusCase{c.Name, c.Raw, Codec(c.Choice), c.Chain, c.Want})
	}
	return out
}

func TestCorpus(t *testing.T) {
	for _, c := range corpus(t) {
		t.Run(c.name, func(t *testing.T) {
			r := Decode(context.Background(), c.raw, c.choice, Options{})
			if r.Err != nil {
				t.Fatalf("decode: %v", r.Err)
			}
			if got := r.Chain(); got != c.chain {
				t.Errorf("chain %q, want %q", got, c.chain)
			}
			for _, w := range c.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, r.Text)
				}
			}
			checkGolden(t, "Chain: "+r.Chain()+"\n"+r.Text+"\n")
		})
	}
}

// checkGolden compares got with testdata/<Test>/<Subtest>.golden (-update rewrites it).
func checkGolden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(t.Name())+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("text differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
