package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/assayhq/assay/dataset/profile"
	"github.com/assayhq/assay/report"
)

// jsonVersion is the version of every JSON document assay prints; a
// change that breaks readers bumps it.
const jsonVersion = 1

// writeJSON prints v, indented, with a trailing newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// table writes aligned columns.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer) *table {
	return &table{tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)}
}

func (t *table) row(cells ...string) { fmt.Fprintln(t.tw, strings.Join(cells, "\t")) }
func (t *table) flush() error        { return t.tw.Flush() }

// fnum formats an optional number for a table.
func fnum(f *profile.Float) string {
	if f == nil {
		return "-"
	}
	return report.FormatFloat(float64(*f))
}

// quote shortens and quotes a value for a one-line table cell.
func quote(s string, most int) string {
	r := []rune(s)
	if len(r) > most {
		s = string(r[:most-1]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// profileTable writes a one-line-per-column summary of a profile.
func profileTable(w io.Writer, s profile.Summary) error {
	t := newTable(w)
	t.row("COLUMN", "TYPE", "NULLS", "DISTINCT", "MIN", "MAX", "MEAN", "STD", "P50", "TOP")
	for _, c := range s.Columns {
		nulls := report.FormatPercent(share(c.Nulls, c.Count))
		distinct := report.FormatInt(c.Distinct)
		if !c.DistinctExact {
			distinct = "≈" + distinct
		}
		minV, maxV := c.MinValue, c.MaxValue
		if c.Type == "string" || c.Type == "binary" {
			minV, maxV = quote(minV, 16), quote(maxV, 16)
			if c.MinValue == "" && c.MaxValue == "" && c.Count == c.Nulls {
				minV, maxV = "-", "-"
			}
		}
		if minV == "" {
			minV = "-"
		}
		if maxV == "" {
			maxV = "-"
		}
		p50 := "-"
		if c.Quantiles != nil {
			p50 = report.FormatFloat(float64(c.Quantiles.P50))
		}
		top := "-"
		if len(c.Top) > 0 && c.Top[0].Count == 1 {
			top = "(all distinct)"
		} else if len(c.Top) > 0 {
			top = fmt.Sprintf("%s (%s)", quote(c.Top[0].Value, 20), report.FormatInt(c.Top[0].Count))
		}
		t.row(c.Name, c.Type, nulls, distinct, minV, maxV, fnum(c.Mean), fnum(c.Std), p50, top)
	}
	return t.flush()
}

func share(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
