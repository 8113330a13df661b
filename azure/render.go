package azure

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
)

// Safe escapes what must not reach a terminal raw (control and non-printable characters), so
// names from ARM are shown byte for byte but never interpreted.
func Safe(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			q := strconv.Quote(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// WriteText prints a discovery as a table per subscription, failures included.
func WriteText(w io.Writer, r Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Signed in as %s\n", Safe(r.Identity.String()))
	n := 0
	for _, s := range r.Subscriptions {
		fmt.Fprintf(&b, "\n%s (%s)\n", Safe(s.Subscription.Name), Safe(s.Subscription.ID))
		for _, f := range s.Failures {
			fmt.Fprintf(&b, "  ! %s\n", Safe(f.Message))
		}
		if len(s.Caches) == 0 {
			if len(s.Failures) == 0 {
				b.WriteString("  no caches\n")
			}
			continue
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  NAME\tSERVICE\tRESOURCE GROUP\tREGION\tSKU\tENDPOINT\tTLS\tCLUSTERING\tENTRA\tKEYS\tVERSION\tSTATE\tMODULES")
		for _, c := range s.Caches {
			n++
			if c.Err != "" {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t! %s\n", Safe(c.Ref()), c.ServiceShort(), Safe(c.ResourceGroup), Safe(c.Location), Safe(c.SKU), Safe(c.Err))
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", Safe(c.Ref()), c.ServiceShort(), Safe(c.ResourceGroup),
				Safe(c.Location), Safe(c.SKU), Safe(c.Addr()), onOff(c.TLS), Safe(c.ClusteringPolicy), onOff(c.EntraAuth), onOff(c.AccessKeys),
				orText(Safe(c.RedisVersion), "-"), Safe(c.ProvisioningState), orText(Safe(strings.Join(c.Modules, ",")), "-"))
		}
		tw.Flush()
	}
	fmt.Fprintf(&b, "\n%d subscription(s), %d cache(s)\n", len(r.Subscriptions), n)
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// WriteAccessText prints who may use a cache, marking the signed-in identity, then the verdict.
func WriteAccessText(w io.Writer, a Access) error {
	var b strings.Builder
	c := a.Cache
	fmt.Fprintf(&b, "%s %s (%s, %s)\nSigned in as %s\n\n", c.ServiceName(), Safe(c.Ref()), Safe(c.SubscriptionName), Safe(c.ResourceGroup), Safe(a.Identity.String()))
	b.WriteString("Access policies\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tTYPE\tPERMISSIONS")
	for _, p := range a.Policies {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", Safe(p.Name), orText(Safe(p.Type), "-"), orText(Safe(p.Permissions), "-"))
	}
	tw.Flush()
	b.WriteString("\nAssignments\n")
	if len(a.Assignments) == 0 {
		b.WriteString("  none: nobody may use this cache through Microsoft Entra\n")
	} else {
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  OBJECT ID\tALIAS\tPOLICY\tACCESS STRING\t")
		for _, as := range a.Assignments {
			mark := ""
			switch {
			case as.Mine:
				mark = "← you"
			case as.ClientIDMistake:
				mark = "← your app's client ID, not its object ID"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", Safe(as.ObjectID), orText(Safe(as.Alias), "-"), Safe(as.Policy), orText(Safe(as.AccessString), "-"), mark)
		}
		tw.Flush()
	}
	b.WriteString("\n")
	for _, v := range a.Verdict() {
		fmt.Fprintf(&b, "%s\n", Safe(v))
	}
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// trimLines drops the padding tabwriter leaves after a row's last cell.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
