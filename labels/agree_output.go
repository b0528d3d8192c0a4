package labels

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/labels/agreement"
	"github.com/assayhq/assay/report"
)

func coefText(c Coefficient) string {
	if c.Value == nil {
		return "undefined (" + c.Undefined + ")"
	}
	return fmt.Sprintf("%.4f", *c.Value)
}

func rateText(v *float64) string {
	if v == nil {
		return "-"
	}
	return report.FormatPercent(*v)
}

// WriteAgreementText writes the coefficients, each annotator's agreement
// and the consensus summary.
func WriteAgreementText(w io.Writer, r *AgreementReport) error {
	fmt.Fprintf(w, "Agreement of %d annotators on %s items of %s (%s form; classes: %s)\n\n",
		len(r.Annotators), report.FormatInt(int64(r.Items)), r.Source, r.Form, strings.Join(r.Classes, ", "))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Krippendorff's alpha (nominal)\t%s\t%s pairable labels\n", coefText(r.Krippendorff), report.FormatInt(int64(r.Krippendorff.N)))
	fmt.Fprintf(tw, "Fleiss' kappa\t%s\t%s items labelled by all\n", coefText(r.Fleiss), report.FormatInt(int64(r.Fleiss.N)))
	tw.Flush()
	fmt.Fprintln(w, "\nCohen's kappa, by pair (on the items both labelled):")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "A\tB\tKAPPA\tITEMS")
	for _, p := range r.Cohen {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.A, p.B, coefText(p.Coefficient), report.FormatInt(int64(p.N)))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nAnnotators (agreement: with the majority of the others):")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ANNOTATOR\tLABELLED\tCOMPARED\tAGREEMENT\tDAWID-SKENE ACCURACY")
	for _, a := range r.PerAnnotator {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Name, report.FormatInt(int64(a.Labelled)), report.FormatInt(int64(a.Compared)), rateText(a.Rate), report.FormatPercent(a.DSAccuracy))
	}
	tw.Flush()
	conv := "converged"
	if !r.DSConverged {
		conv = "stopped before converging"
	}
	_, err := fmt.Fprintf(w, "\nConsensus on %s labelled items: %s majority ties (broken by the label given most often overall, then class order); Dawid-Skene (%s after %d iterations) differs from the majority on %s items.\n",
		report.FormatInt(int64(r.Labelled)), report.FormatInt(int64(r.Tied)), conv, r.DSIterations, report.FormatInt(int64(r.Disagree)))
	return err
}

// WriteConsensus writes the consensus of every item as Parquet: item,
// majority, majority_share, tied, dawid_skene, dawid_skene_p (the
// posterior of Dawid-Skene's label). Items nobody labelled have nulls.
func WriteConsensus(path string, r *AgreementReport) error {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "item", Type: arrow.BinaryTypes.String},
		{Name: "majority", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "majority_share", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "tied", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "dawid_skene", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "dawid_skene_p", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	k := len(r.Classes)
	return dataset.WriteFile(path, schema, dataset.DefaultWriterOptions(), func(w *dataset.Writer) error {
		flush := func() error {
			rec := b.NewRecordBatch()
			defer rec.Release()
			return w.Write(rec)
		}
		for i := range r.Items {
			b.Field(0).(*array.StringBuilder).Append(r.ItemNames[i])
			m := r.Consensus.Labels[i]
			if m == agreement.Missing {
				for f := 1; f < 6; f++ {
					b.Field(f).AppendNull()
				}
			} else {
				d := r.DS.Labels[i]
				b.Field(1).(*array.StringBuilder).Append(r.Classes[m])
				b.Field(2).(*array.Float64Builder).Append(r.Consensus.Share[i])
				b.Field(3).(*array.BooleanBuilder).Append(r.Consensus.Tied[i])
				b.Field(4).(*array.StringBuilder).Append(r.Classes[d])
				b.Field(5).(*array.Float64Builder).Append(r.DS.Posterior[i*k+int(d)])
			}
			if (i+1)%65536 == 0 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
}

// AgreementPage lays the report out as an HTML page.
func AgreementPage(r *AgreementReport) report.Page {
	p := report.Page{
		Title:    "Annotator agreement on " + r.Source,
		Subtitle: fmt.Sprintf("%d annotators · %s items · %d classes", len(r.Annotators), report.FormatInt(int64(r.Items)), len(r.Classes)),
		Meta:     []report.KV{{Key: "Source", Value: r.Source}, {Key: "Form", Value: r.Form}, {Key: "Classes", Value: strings.Join(r.Classes, ", ")}},
	}
	stats := &report.Stats{Items: []report.KV{
		{Key: "Krippendorff's alpha", Value: coefText(r.Krippendorff)},
		{Key: "Fleiss' kappa", Value: coefText(r.Fleiss)},
		{Key: "Items labelled by all", Value: report.FormatInt(int64(r.Fleiss.N))},
		{Key: "Majority ties", Value: report.FormatInt(int64(r.Tied))},
		{Key: "Dawid-Skene differs", Value: report.FormatInt(int64(r.Disagree))},
	}}
	cohen := &report.Table{Caption: "Cohen's kappa by pair, on the items both labelled", Columns: []string{"A", "B", "Kappa", "Items"}, Numeric: []bool{false, false, true, true}}
	for _, c := range r.Cohen {
		cohen.Rows = append(cohen.Rows, []report.Cell{{Text: c.A}, {Text: c.B}, {Text: coefText(c.Coefficient), Level: kappaLevel(c.Value)}, {Text: report.FormatInt(int64(c.N))}})
	}
	ann := &report.Table{Caption: "Annotators: agreement with the majority of the others (leave-one-out), and Dawid-Skene's estimate of their accuracy",
		Columns: []string{"Annotator", "Labelled", "Compared", "Agreement", "Dawid-Skene accuracy"}, Numeric: []bool{false, true, true, true, true}}
	bars := &report.Bars{Title: "Agreement with the others' majority", Max: 1, Format: report.FormatPercent}
	for _, a := range r.PerAnnotator {
		ann.Rows = append(ann.Rows, []report.Cell{{Text: a.Name}, {Text: report.FormatInt(int64(a.Labelled))}, {Text: report.FormatInt(int64(a.Compared))}, {Text: rateText(a.Rate)}, {Text: report.FormatPercent(a.DSAccuracy)}})
		if a.Rate != nil {
			bars.Labels = append(bars.Labels, a.Name)
			bars.Values = append(bars.Values, *a.Rate)
		}
	}
	p.Sections = append(p.Sections, report.Section{ID: "summary", Title: "Agreement", Blocks: []report.Block{stats, cohen}},
		report.Section{ID: "annotators", Title: "Annotators", Blocks: []report.Block{bars, ann}})
	// Dawid-Skene's confusion matrices, one card per annotator.
	grid := &report.Grid{}
	for a, name := range r.Annotators {
		t := &report.Table{Columns: append([]string{"true \\ said"}, r.Classes...)}
		for j, cj := range r.Classes {
			row := []report.Cell{{Text: cj}}
			for l := range r.Classes {
				row = append(row, report.Cell{Text: fmt.Sprintf("%.2f", r.DS.Pi(a, j, l))})
			}
			t.Rows = append(t.Rows, row)
		}
		grid.Cards = append(grid.Cards, report.Card{Title: name, Blocks: []report.Block{t}})
	}
	p.Sections = append(p.Sections, report.Section{ID: "dawid-skene", Title: "Dawid-Skene confusion matrices",
		Intro: "P(the annotator says the column's class | the true class is the row's), estimated by EM from all labels.", Blocks: []report.Block{grid}})
	return p
}

// kappaLevel colours a kappa by Landis and Koch's bands: below 0.4 poor
// to fair, up to 0.6 moderate, above substantial.
func kappaLevel(v *float64) report.Level {
	switch {
	case v == nil:
		return ""
	case *v < 0.4:
		return report.LevelError
	case *v < 0.6:
		return report.LevelWarn
	}
	return report.LevelOK
}
