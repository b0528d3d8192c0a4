package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
)

// WriteJSON writes the report's JSON form (see docs/drift.md).
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

func fmtF(f Float) string {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return "-"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v != 0 && (math.Abs(v) < 1e-4 || math.Abs(v) >= 1e6):
		return fmt.Sprintf("%.3g", v)
	}
	return fmt.Sprintf("%.4g", v)
}

func fmtP(c *ColumnResult) string {
	if c.PValue == nil {
		return "-"
	}
	p := float64(*c.PValue)
	if c.AdjustedPValue != nil {
		p = float64(*c.AdjustedPValue)
	}
	lp := Float(math.NaN())
	if c.LogPValue != nil {
		lp = *c.LogPValue
	}
	return pText(Float(p), lp)
}

// pText formats a p-value; one too small for a float is given by its
// logarithm, as a power of e.
func pText(p, logP Float) string {
	if p == 0 && !math.IsNaN(float64(logP)) && !math.IsInf(float64(logP), 0) {
		return fmt.Sprintf("e^%.0f", float64(logP))
	}
	return fmtF(p)
}

func verdict(drifted bool) string {
	if drifted {
		return "DRIFT"
	}
	return "ok"
}

// WriteText writes a table of columns, then explanations of those that
// drifted, the multivariate and concept results, and the verdict.
func WriteText(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "Drift of %s against %s (%s vs %s rows", r.Current, r.Reference, report.FormatInt(r.CurRows), report.FormatInt(r.RefRows))
	if r.Sampled {
		fmt.Fprint(w, ", sampled")
	}
	fmt.Fprintf(w, ") in %.2fs\n", r.Elapsed)
	if r.ReferenceNote != "" {
		fmt.Fprintln(w, r.ReferenceNote)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tTYPE\tTEST\tSTATISTIC\tP-VALUE\tTHRESHOLD\tMISSING\tVERDICT")
	for _, c := range r.Columns {
		missing := fmt.Sprintf("%.1f%% -> %.1f%%", 100*c.MissingRef, 100*c.MissingCur)
		if c.MissingRef == c.MissingCur {
			missing = fmt.Sprintf("%.1f%%", 100*c.MissingRef)
		}
		v := verdict(c.Drifted)
		if c.MissingDrift && !c.TestDrifted {
			v = "DRIFT (missing share)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Column, c.Type, c.Test, fmtF(c.Statistic), fmtP(c), fmtF(c.Threshold), missing, v)
	}
	tw.Flush()
	for _, c := range r.Columns {
		if !c.Drifted {
			continue
		}
		fmt.Fprintf(w, "\n%s: %s\n", c.Column, explanation(c))
	}
	if m := r.Multivariate; m != nil {
		fmt.Fprintln(w)
		switch m.Method {
		case "classifier":
			fmt.Fprintf(w, "multivariate (domain classifier): held-out ROC AUC %s (drift at >= %s): %s\n", fmtF(*m.AUC), fmtF(m.Threshold), verdict(m.Drifted))
			var names []string
			for _, f := range m.Features {
				names = append(names, fmt.Sprintf("%s (%.3g)", f.Name, f.Importance))
			}
			fmt.Fprintf(w, "  separating features: %s\n", strings.Join(names, ", "))
		case "pca":
			fmt.Fprintf(w, "multivariate (PCA reconstruction): error %s, reference band [%s, %s]: %s\n", fmtF(*m.Error), fmtF(*m.Lower), fmtF(*m.Upper), verdict(m.Drifted))
		}
	}
	if c := r.Concept; c != nil {
		fmt.Fprintln(w)
		if c.TargetDrift != nil {
			fmt.Fprintf(w, "target %s: %s %s, p %s: %s\n", c.Target, c.TargetDrift.Test, fmtF(c.TargetDrift.Statistic), fmtP(c.TargetDrift), verdict(c.TargetDrift.Drifted))
		}
		if c.PredDrift != nil {
			fmt.Fprintf(w, "prediction %s: %s %s, p %s: %s\n", c.Prediction, c.PredDrift.Test, fmtF(c.PredDrift.Statistic), fmtP(c.PredDrift), verdict(c.PredDrift.Drifted))
		}
		for _, cd := range c.Conditional {
			fmt.Fprintf(w, "P(%s | %s %s): %.3g -> %.3g (p %s)\n", c.Target, cd.Feature, cd.Bin, cd.RefRate, cd.CurRate, pText(cd.PValue, cd.LogPValue))
		}
		if p := c.Performance; p != nil {
			fmt.Fprintf(w, "performance (%s):", p.Task)
			for _, k := range []string{"accuracy", "f1", "roc_auc", "rmse", "mae"} {
				if v, ok := p.Ref[k]; ok {
					fmt.Fprintf(w, " %s %s -> %s;", k, fmtF(v), fmtF(p.Cur[k]))
				}
			}
			fmt.Fprintf(w, " %s\n", verdict(p.Drifted))
		}
		for _, d := range c.Detectors {
			var ev []string
			for _, e := range d.Events {
				s := fmt.Sprintf("%s at row %d", e.Kind, e.Row)
				if e.Time != "" {
					s += " (" + e.Time + ")"
				}
				ev = append(ev, s)
			}
			if len(ev) == 0 {
				ev = []string{"no alarm"}
			}
			if len(ev) > 6 {
				ev = append(ev[:6], fmt.Sprintf("… %d more", len(d.Events)-6))
			}
			fmt.Fprintf(w, "detector %s: %s\n", d.Name, strings.Join(ev, ", "))
		}
		for _, n := range c.Notes {
			fmt.Fprintln(w, n)
		}
	}
	fmt.Fprintf(w, "\n%d of %d columns drifted (%.0f%%; dataset drift at >= %.0f%%): ", r.DriftedCount, r.ColumnCount, 100*r.DriftedShare, 100*r.Threshold)
	if r.Drifted {
		fmt.Fprintln(w, "DATASET DRIFT (exit status 1)")
	} else {
		fmt.Fprintln(w, "no dataset drift")
	}
	return nil
}

// explanation says in words what moved in a column.
func explanation(c *ColumnResult) string {
	var parts []string
	if c.MissingDrift {
		parts = append(parts, fmt.Sprintf("missing share %.2f%% -> %.2f%%", 100*c.MissingRef, 100*c.MissingCur))
	}
	if c.MeanShift != nil {
		parts = append(parts, fmt.Sprintf("mean moved %+.3g sd", float64(*c.MeanShift)))
	}
	if q := c.QuantileShifts; q != nil {
		parts = append(parts, fmt.Sprintf("p05 %+.2g sd, p50 %+.2g sd, p95 %+.2g sd", float64(q["p5"]), float64(q["p50"]), float64(q["p95"])))
	}
	for _, m := range c.Moved {
		parts = append(parts, fmt.Sprintf("%s %.1f%% -> %.1f%%", m.Label, 100*m.RefShare, 100*m.CurShare))
	}
	if len(c.New) > 0 {
		parts = append(parts, "new: "+strings.Join(c.New, ", "))
	}
	if len(c.Gone) > 0 {
		parts = append(parts, "gone: "+strings.Join(c.Gone, ", "))
	}
	return strings.Join(parts, "; ")
}

// WriteMarkdown writes the report for a pull-request comment.
func WriteMarkdown(w io.Writer, r *Report) error {
	mark := "✅ no dataset drift"
	if r.Drifted {
		mark = "❌ dataset drift"
	}
	fmt.Fprintf(w, "### %s: %s vs %s\n\n", mark, mdEscape(r.Current), mdEscape(r.Reference))
	fmt.Fprintf(w, "%d of %d columns drifted (threshold %.0f%%).\n\n", r.DriftedCount, r.ColumnCount, 100*r.Threshold)
	fmt.Fprintln(w, "| column | test | statistic | p-value | verdict | what moved |")
	fmt.Fprintln(w, "|---|---|---:|---:|---|---|")
	for _, c := range r.Columns {
		v := "ok"
		if c.Drifted {
			v = "**drift**"
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | %s |\n", mdEscape(c.Column), c.Test, fmtF(c.Statistic), fmtP(c), v, mdEscape(explanation(c)))
	}
	return nil
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "`", "'", "\n", " ").Replace(s)
}

// Formats are the formats Write prints.
var Formats = []string{"text", "json", "markdown"}

// Write prints a report in one of Formats.
func Write(w io.Writer, format string, r *Report) error {
	switch format {
	case "json":
		return WriteJSON(w, r)
	case "markdown":
		return WriteMarkdown(w, r)
	case "text":
		return WriteText(w, r)
	}
	return fmt.Errorf("%w: format %q: want %s", dataset.ErrInvalid, format, strings.Join(Formats, ", "))
}
