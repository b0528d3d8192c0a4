package profile

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/assayhq/assay/report"
)

// WriteText writes a one-line-per-column summary of a profile as an
// aligned table.
func WriteText(w io.Writer, s Summary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	row("COLUMN", "TYPE", "NULLS", "DISTINCT", "MIN", "MAX", "MEAN", "STD", "P50", "TOP")
	for _, c := range s.Columns {
		nulls := report.FormatPercent(fraction(c.Nulls, c.Count))
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
		row(c.Name, c.Type, nulls, distinct, minV, maxV, fnum(c.Mean), fnum(c.Std), p50, top)
	}
	return tw.Flush()
}

// quote shortens and quotes a value for a one-line table cell.
func quote(s string, most int) string {
	r := []rune(s)
	if len(r) > most {
		s = string(r[:most-1]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// fnum formats an optional number for a table.
func fnum(f *Float) string {
	if f == nil {
		return "-"
	}
	return report.FormatFloat(float64(*f))
}

func fraction(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// DocumentVersion is the version of the document WriteJSON prints; a
// change that breaks its readers bumps it.
const DocumentVersion = 1

// WriteJSON prints the profile of source as the JSON document of
// `assay profile --format json`: version, source, then the summary.
func WriteJSON(w io.Writer, source string, s Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Version int    `json:"version"`
		Source  string `json:"source"`
		Summary
	}{DocumentVersion, source, s})
}
