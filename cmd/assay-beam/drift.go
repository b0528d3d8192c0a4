package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/drift"
	"github.com/assayhq/assay/report"
)

// driftAnalysis compares two sources: stream 0 is the reference, stream 1
// the current data.
type driftAnalysis struct {
	ref, cur *dataset.Source
	plan     *drift.Plan
}

func openDrift(ctx context.Context, repo *dataset.Repo, j Job) (*driftAnalysis, error) {
	if len(j.Refs) != 2 {
		return nil, fmt.Errorf("%w: drift reads two sources, not %d", dataset.ErrInvalid, len(j.Refs))
	}
	a := &driftAnalysis{}
	var err error
	if a.ref, err = openSource(ctx, repo, j.Refs[0]); err != nil {
		return nil, err
	}
	if a.cur, err = openSource(ctx, repo, j.Refs[1]); err != nil {
		a.ref.Close()
		return nil, err
	}
	if a.plan, err = drift.NewPlan(ctx, a.ref, a.cur, j.Drift); err != nil {
		a.ref.Close()
		a.cur.Close()
		return nil, err
	}
	return a, nil
}

func (a *driftAnalysis) scanners() []*dataset.Scanner {
	return []*dataset.Scanner{a.plan.Scanner(drift.Reference), a.plan.Scanner(drift.Current)}
}

func (a *driftAnalysis) scan(ctx context.Context, stream int, only func(dataset.RowGroup) bool) (state, error) {
	return a.plan.Scan(ctx, drift.Side(stream), only)
}

func (a *driftAnalysis) decode(_ int, b []byte) (state, error) { return a.plan.DecodePart(b) }

func (a *driftAnalysis) merge(into, next state) error {
	return into.(*drift.Part).Merge(next.(*drift.Part))
}

func (a *driftAnalysis) Close() error {
	err := a.plan.Close()
	a.ref.Close()
	a.cur.Close()
	return err
}

// runDrift is `assay-beam drift`: assay drift's scans of both sides,
// sharded.
func runDrift(ctx context.Context, g *global, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("drift", stderr)
	columns := fs.String("columns", "", "columns to compare, comma-separated (default: all both sides share)")
	var o drift.Options
	fs.StringVar(&o.Target, "target", "", "the label column, for concept drift")
	fs.StringVar(&o.Prediction, "prediction", "", "the model's output column, for concept drift")
	fs.StringVar(&o.Error, "error", "", "a column of per-row model errors for the error-stream detectors")
	fs.StringVar(&o.Time, "time", "", "the column that orders rows for the error-stream detectors")
	fs.StringVar(&o.Method, "method", "auto", "auto, ks, chisquare, z, psi, jensenshannon, kl, wasserstein, hellinger, anderson, cvm, mannwhitney or tvd")
	threshold := fs.String("threshold", "", "the method's threshold (default: 0.05 for tests, 0.1 for distances)")
	fs.StringVar(&o.Correction, "correction", "none", "p-value correction: none, bonferroni or bh")
	fs.Float64Var(&o.DatasetThreshold, "dataset-threshold", 0.5, "share of drifted columns that is dataset drift")
	fs.StringVar(&o.Multivariate, "multivariate", "none", "whole-row drift: none, classifier or pca")
	fs.StringVar(&o.ReferenceFrom, "reference-from", "auto", "reference side: data, profile or auto (as assay drift)")
	format := fs.String("format", "text", "output format: text, json or markdown")
	html := fs.String("html", "", "also write an HTML report to `FILE`")
	pos, err := parseArgs(fs, args, 2, "REFERENCE and CURRENT")
	if err != nil {
		return err
	}
	if err := oneOf("--format", *format, drift.Formats...); err != nil {
		return err
	}
	o.Columns = list(*columns)
	if *threshold != "" {
		t, err := strconv.ParseFloat(*threshold, 64)
		if err != nil {
			return fmt.Errorf("%w: --threshold %q is not a number", dataset.ErrInvalid, *threshold)
		}
		o.Threshold = &t
	}
	o.Now = time.Now()
	repo, err := repoLocation(g)
	if err != nil {
		return err
	}
	j := Job{Command: "drift", Repo: repo, Refs: []string{absRef(pos[0]), absRef(pos[1])}, Drift: o}
	an, err := openAnalysis(ctx, j)
	if err != nil {
		return err
	}
	defer an.Close()
	da := an.(*driftAnalysis)
	j.Refs = []string{pin(da.ref, j.Refs[0]), pin(da.cur, j.Refs[1])}
	states, err := execute(ctx, g, an, j)
	if err != nil {
		return err
	}
	ref, _ := states[0].(*drift.Part)
	cur, _ := states[1].(*drift.Part)
	rep, err := da.plan.Finish(ctx, ref, cur)
	if err != nil {
		return err
	}
	// Paths print as given, as assay prints them.
	if da.ref.Manifest == nil {
		rep.Reference = pos[0]
	}
	if da.cur.Manifest == nil {
		rep.Current = pos[1]
	}
	if err := drift.Write(stdout, *format, rep); err != nil {
		return err
	}
	if *html != "" {
		if err := report.WriteFile(*html, drift.Page(rep)); err != nil {
			return err
		}
		if *format == "text" {
			fmt.Fprintf(stdout, "report: %s\n", *html)
		}
	}
	if rep.Drifted {
		return &failure{msg: fmt.Sprintf("dataset drift: %d of %d columns of %s drifted against %s", rep.DriftedCount, rep.ColumnCount, rep.Current, rep.Reference)}
	}
	return nil
}
