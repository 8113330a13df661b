package bulk

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestServerCPUImport(t *testing.T) {
	if os.Getenv("AMR_BULK_CPU") == "" {
		t.Skip("manual")
	}
	ctx := context.Background()
	src, dst := startServer(t), startServer(t)
	n := 50000
	benchSeed(t, src, n)
	var file bytes.Buffer
	_, err := Export(ctx, src, Selection{}, &file, ExportOptions{})
	must(t, err)
	cpu := func() float64 {
		info := dst.Info(ctx, "cpu").Val()
		var tot float64
		for _, l := range strings.Split(info, "\n") {
			for _, k := range []string{"used_cpu_user:", "used_cpu_sys:"} {
				if v, ok := strings.CutPrefix(strings.TrimSpace(l), k); ok {
					f, _ := strconv.ParseFloat(v, 64)
					tot += f
				}
			}
		}
		return tot
	}
	c0 := cpu()
	rep, err := Import(ctx, dst, opener(file.Bytes()), ImportOptions{})
	must(t, err)
	c1 := cpu()
	fmt.Printf("import %d keys: server CPU %.2fs (%.1f µs/key)\n", rep.Created, c1-c0, (c1-c0)/float64(n)*1e6)
	must(t, dst.FlushAll(ctx).Err())
	resp := t.TempDir() + "/x.resp"
	must(t, os.WriteFile(resp, massInsert(t, src, n), 0o600))
	h, p := hostPort(dst)
	c2 := cpu()
	shell(t, fmt.Sprintf(`redis-cli -h %s -p %s --pipe < %s > /dev/null`, h, p, resp))
	c3 := cpu()
	fmt.Printf("redis-cli --pipe %d keys: server CPU %.2fs (%.1f µs/key)\n", dst.DBSize(ctx).Val(), c3-c2, (c3-c2)/float64(n)*1e6)
}
