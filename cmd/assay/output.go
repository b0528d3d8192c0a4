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

func share(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// orDash shows an empty cell as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
