package labels

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/assayhq/assay/report"
)

// textIssues is how many issues the text output lists.
const textIssues = 20

// WriteIssuesText writes the confident joint, the noise matrix, the counts
// and the likeliest label errors.
func WriteIssuesText(w io.Writer, r *IssuesReport) error {
	fmt.Fprintf(w, "Label issues in %s (label %s; %s rows, %s labelled; classes %s)\n", r.Source, r.Label,
		report.FormatInt(int64(r.Rows)), report.FormatInt(int64(r.Labelled)), strings.Join(r.Classes, ", "))
	fmt.Fprintf(w, "probabilities: %s\n", r.ProbsFrom)
	if b := r.Baseline; b != nil {
		fmt.Fprintf(w, "  a BASELINE, not your model: features %s", strings.Join(b.Features, ", "))
		if len(b.Dropped) > 0 {
			fmt.Fprintf(w, " (left out as identifiers: %s)", strings.Join(b.Dropped, ", "))
		}
		fmt.Fprintln(w, "; a better model finds errors better")
	}
	fmt.Fprintf(w, "filter %s, ranked by %s\n\n", r.Filter, r.Rank)
	matrix := func(title string, cell func(i, j int) string) {
		fmt.Fprintln(w, title)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "given \\ true\t")
		for _, c := range r.Classes {
			fmt.Fprint(tw, c+"\t")
		}
		fmt.Fprintln(tw)
		for i, c := range r.Classes {
			fmt.Fprint(tw, c+"\t")
			for j := range r.Classes {
				fmt.Fprint(tw, cell(i, j)+"\t")
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	matrix("Confident joint (rows: given label; columns: likely true label):", func(i, j int) string {
		return report.FormatInt(r.ConfidentJoint[i][j])
	})
	matrix("Noise matrix, P(given | true):", func(i, j int) string { return fmt.Sprintf("%.3f", r.NoiseMatrix[i][j]) })
	fmt.Fprintf(w, "Estimated label issues: %s; flagged by %s: %s (%s of labelled rows)\n", report.FormatInt(int64(r.NumIssues)), r.Filter,
		report.FormatInt(int64(r.Flagged)), report.FormatPercent(float64(r.Flagged)/float64(max(r.Labelled, 1))))
	if r.Flagged == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tGIVEN\tSUGGESTED\tSCORE\tP(GIVEN)\tP(SUGGESTED)")
	for _, is := range r.Issues[:min(textIssues, len(r.Issues))] {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.4f\t%.4f\t%.4f\n", is.Row, is.Given, is.Suggested, is.Score, is.PGiven, is.PSuggest)
	}
	tw.Flush()
	if r.Flagged > textIssues {
		fmt.Fprintf(w, "(the first %d of %s; --format json lists all)\n", textIssues, report.FormatInt(int64(r.Flagged)))
	}
	return nil
}

// IssuesPage lays the report out as an HTML page.
func IssuesPage(r *IssuesReport) report.Page {
	p := report.Page{
		Title:    "Label issues in " + r.Source,
		Subtitle: fmt.Sprintf("label %s · %s rows · %s flagged", r.Label, report.FormatInt(int64(r.Rows)), report.FormatInt(int64(r.Flagged))),
		Meta: []report.KV{{Key: "Source", Value: r.Source}, {Key: "Probabilities", Value: r.ProbsFrom},
			{Key: "Filter", Value: r.Filter}, {Key: "Ranked by", Value: r.Rank}},
	}
	lvl := report.LevelOK
	if r.Flagged > 0 {
		lvl = report.LevelWarn
	}
	summary := []report.Block{
		&report.Note{Level: lvl, Text: fmt.Sprintf("%s rows flagged as likely label errors; Cleanlab's estimate of the number of issues is %s.",
			report.FormatInt(int64(r.Flagged)), report.FormatInt(int64(r.NumIssues)))},
	}
	if r.Baseline != nil {
		summary = append(summary, &report.Note{Level: report.LevelInfo, Text: "The probabilities come from assay's baseline model (" + r.ProbsFrom +
			"), not from your model: a better model finds errors better."})
	}
	byClass := &report.Bars{Title: "Flagged rows by given label"}
	counts := map[string]float64{}
	for _, is := range r.Issues {
		counts[is.Given]++
	}
	for _, c := range r.Classes {
		byClass.Labels = append(byClass.Labels, c)
		byClass.Values = append(byClass.Values, counts[c])
	}
	summary = append(summary, byClass)
	p.Sections = append(p.Sections, report.Section{ID: "summary", Title: "Summary", Blocks: summary})
	joint := &report.Table{Caption: "Confident joint: rows are the given label, columns the likely true label", Columns: append([]string{"given \\ true"}, r.Classes...)}
	noise := &report.Table{Caption: "Noise matrix: P(given | true)", Columns: append([]string{"given \\ true"}, r.Classes...)}
	for i, c := range r.Classes {
		jr, nr := []report.Cell{{Text: c}}, []report.Cell{{Text: c}}
		for j := range r.Classes {
			cell := report.Cell{Text: report.FormatInt(r.ConfidentJoint[i][j])}
			if i != j && r.ConfidentJoint[i][j] > 0 {
				cell.Level = report.LevelWarn
			}
			jr = append(jr, cell)
			nr = append(nr, report.Cell{Text: fmt.Sprintf("%.3f", r.NoiseMatrix[i][j])})
		}
		joint.Rows, noise.Rows = append(joint.Rows, jr), append(noise.Rows, nr)
	}
	p.Sections = append(p.Sections, report.Section{ID: "joint", Title: "Confident joint and noise", Blocks: []report.Block{joint, noise}})
	const shown = 200
	issues := &report.Table{Caption: fmt.Sprintf("The likeliest label errors (%d of %s)", min(shown, r.Flagged), report.FormatInt(int64(r.Flagged))),
		Columns: []string{"Row", "Given", "Suggested", "Score", "P(given)", "P(suggested)"}, Numeric: []bool{true, false, false, true, true, true}, Filter: r.Flagged > 20}
	for _, is := range r.Issues[:min(shown, len(r.Issues))] {
		issues.Rows = append(issues.Rows, []report.Cell{{Text: fmt.Sprint(is.Row)}, {Text: is.Given, Level: report.LevelError}, {Text: is.Suggested},
			{Text: fmt.Sprintf("%.4f", is.Score)}, {Text: fmt.Sprintf("%.4f", is.PGiven)}, {Text: fmt.Sprintf("%.4f", is.PSuggest)}})
	}
	p.Sections = append(p.Sections, report.Section{ID: "issues", Title: "Issues", Blocks: []report.Block{issues}})
	return p
}
