package bulk

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A client-side filter narrows a pattern walk, and a Job reports once done.
func TestSelectionFilterAndJob(t *testing.T) {
	ctx := context.Background()
	c := startServer(t)
	for _, k := range []string{"a:1", "a:22", "a:333", "b:1"} {
		must(t, c.Set(ctx, k, "v", 0).Err())
	}
	sel := Selection{Match: "a:*", Filter: func(k string) bool { return len(k) > 3 }, FilterText: "filter len>3"}
	p, err := Preview(ctx, c, sel, PreviewOptions{}, nil)
	must(t, err)
	if p.Count != 2 || !strings.Contains(p.Selection, "len>3") {
		t.Fatalf("%+v", p)
	}
	j := Start(0, p.Count, func(ctl *Control) (Report, error) {
		return Delete(ctx, c, sel, MutateOptions{Control: ctl})
	})
	select {
	case <-j.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the job did not end")
	}
	rep, err := j.Result()
	must(t, err)
	if rep.Affected != 2 || c.Exists(ctx, "a:1").Val() != 1 || c.Exists(ctx, "a:22").Val() != 0 {
		t.Fatalf("%s", rep.String())
	}
}
