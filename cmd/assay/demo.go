package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/examples/churn"
	"github.com/assayhq/assay/featurestore"
	"github.com/assayhq/assay/report"
)

type demoOptions struct {
	Dir string
}

func newDemoCmd(io *streams) *cobra.Command {
	opts := &demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the main job end to end on built-in data (Telco customer churn), in a fresh repository",
		Long: `Run the main job end to end on the Telco customer churn data built into the
binary, in a fresh repository in a new temporary directory (or --dir):
commit a month as v1 and the next month as v2, show the log, diff the two
months by customer, and profile v2 into an HTML report. No network, no
files outside the binary.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDemo(cmd.Context(), io, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", "", "directory for the demo (default: a new temporary directory)")
	return cmd
}

func runDemo(ctx context.Context, io *streams, opts *demoOptions) error {
	dir := opts.Dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "assay-demo-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	start := time.Now()
	step := func(format string, args ...any) {
		fmt.Fprintf(io.Out, "\n== "+format+"\n", args...)
	}
	repoDir := filepath.Join(dir, dataset.DefaultDir)
	step("1. Create a repository in %s", repoDir)
	repo, err := dataset.InitDir(ctx, repoDir)
	if err != nil {
		return err
	}

	month1 := filepath.Join(dir, "telco-2026-10.csv")
	next, err := churn.NextMonth(churn.CSV, 2026_11)
	if err != nil {
		return err
	}
	month2 := filepath.Join(dir, "telco-2026-11.csv")
	if err := os.WriteFile(month1, churn.CSV, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(month2, next, 0o644); err != nil {
		return err
	}

	step("2. Commit the Telco customer churn data (October) as v1")
	fmt.Fprintf(io.Out, "$ assay dataset commit churn %s -m \"October snapshot\" --meta month=2026-10\n", filepath.Base(month1))
	meta := map[string]string{"month": "2026-10", "source": "IBM telco-customer-churn-on-icp4d"}
	v1, err := repo.Commit(ctx, dataset.CommitOptions{Name: "churn", Paths: []string{month1}, Message: "October snapshot", Metadata: meta, CSV: dataset.DefaultCSVOptions()})
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%s: %s rows, %d columns (TotalCharges is blank for %s new customers: inferred float64 with nulls)\n",
		v1.Label(), report.FormatInt(v1.Rows), len(v1.Schema), report.FormatInt(nullsOf(v1, "TotalCharges")))
	if err := repo.Tag(ctx, v1, "october", "demo", false); err != nil {
		return err
	}

	step("3. Commit the next month (November: churned customers gone, new ones joined) as v2")
	meta = map[string]string{"month": "2026-11", "source": "generated from October"}
	v2, err := repo.Commit(ctx, dataset.CommitOptions{Name: "churn", Paths: []string{month2}, Message: "November snapshot", Metadata: meta, CSV: dataset.DefaultCSVOptions()})
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%s: %s rows\n", v2.Label(), report.FormatInt(v2.Rows))

	g := &globalOptions{Repo: repoDir}
	step("4. assay dataset log churn")
	if err := runLog(ctx, io, &logOptions{globalOptions: g, Format: "text"}, "churn"); err != nil {
		return err
	}

	step("5. assay dataset diff churn@october churn@v2 --key customerID --changed")
	if err := runDiff(ctx, io, &diffOptions{globalOptions: g, Key: []string{"customerID"}, Format: "text", Changed: true}, "churn@october", "churn@v2"); err != nil {
		return err
	}

	htmlPath := filepath.Join(dir, "profile-churn-v2.html")
	step("6. assay profile churn@v2 --html %s", htmlPath)
	if err := runProfile(ctx, io, &profileOptions{globalOptions: g, Format: "text", HTML: htmlPath, SampleRows: dataset.DefaultCSVOptions().SampleRows}, "churn@v2"); err != nil {
		return err
	}

	rulesPath := filepath.Join(dir, "churn-rules.yaml")
	if err := os.WriteFile(rulesPath, churn.Rules, 0o644); err != nil {
		return err
	}
	checkHTML := filepath.Join(dir, "check-churn-october.html")
	step("7. assay check churn@october -r %s --html %s", filepath.Base(rulesPath), checkHTML)
	copts := &checkOptions{globalOptions: g, Rules: rulesPath, Format: "text", HTML: checkHTML, Samples: 5, Keys: []string{"customerID"}}
	if err := runCheck(ctx, io, copts, "churn@october"); err != nil {
		var f *failure
		if !errors.As(err, &f) {
			return err
		}
		fmt.Fprintf(io.Out, "The checks found the data's real problems (in CI this run exits 1).\n")
	}

	driftHTML := filepath.Join(dir, "drift-churn.html")
	step("8. assay drift churn@october churn@v2 --html %s", driftHTML)
	dopts := &driftOptions{globalOptions: g, Method: "auto", Correction: "none", DatasetShare: 0.5, Multivariate: "none", RefFrom: "auto", Format: "text"}
	dopts.HTML = driftHTML
	if err := runDrift(ctx, io, dopts, "churn@october", "churn@v2"); err != nil {
		return err
	}

	step("9. assay labels conflicts churn@october --label Churn --exclude customerID")
	copts2 := &labelsConflictsOptions{globalOptions: g, Label: "Churn", Exclude: []string{"customerID"}, Format: "text"}
	if err := runLabelsConflicts(ctx, io, copts2, "churn@october"); err != nil {
		var f *failure
		if !errors.As(err, &f) {
			return err
		}
		fmt.Fprintf(io.Out, "Customers with identical records and different churn labels: review them with\n  assay labels review churn@october --label Churn --from conflicts --exclude customerID\n")
	}

	issuesHTML := filepath.Join(dir, "label-issues-churn.html")
	step("10. assay labels issues churn@october --label Churn --cv 5 --html %s", issuesHTML)
	iopts := &labelsIssuesOptions{globalOptions: g, Label: "Churn", CV: 5, Filter: "prune_by_noise_rate", Rank: "self_confidence", Format: "text", HTML: issuesHTML}
	if err := runLabelsIssues(ctx, io, iopts, "churn@october"); err != nil {
		var f *failure
		if !errors.As(err, &f) {
			return err
		}
		fmt.Fprintf(io.Out, "Review them with: assay labels review churn@october --label Churn --from issues --cv 5\n")
	}

	if err := demoFeatures(ctx, io, g, dir, next, step); err != nil {
		return err
	}

	if err := demoTraining(ctx, io, g, dir, step); err != nil {
		return err
	}
	if err := demoPipeline(ctx, io, g, dir, next, step); err != nil {
		return err
	}

	step("15. assay verify")
	if err := runVerify(ctx, io, &verifyOptions{globalOptions: g, Format: "text"}); err != nil {
		return err
	}

	fmt.Fprintf(io.Out, "\nDone in %s. Repository: %s\nDashboard (links every report): %s\nReports:\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\nTry: assay --repo %s dataset show churn@v2\n     cd %s && assay features serve\n",
		time.Since(start).Round(time.Millisecond), repoDir, filepath.Join(dir, "assay-report", "index.html"), htmlPath, checkHTML, driftHTML, issuesHTML,
		filepath.Join(dir, "run-baseline.html"), filepath.Join(dir, "study-gbdt.html"), repoDir, dir)
	return nil
}

// demoFeatures is the feature step: monthly account snapshots as a feature
// source, definitions, a point-in-time training set, materialization with
// checks, and one online read.
func demoFeatures(ctx context.Context, io *streams, g *globalOptions, dir string, november []byte, step func(string, ...any)) error {
	step("11. Features: definitions, a point-in-time training set, materialization, an online read")
	files := map[string][]byte{
		"features.yaml":       churn.Features,
		"feature-checks.yaml": churn.FeatureChecks,
	}
	var err error
	if files["accounts-2026-10.csv"], err = churn.Snapshot(churn.CSV, "2026-10-31T00:00:00Z"); err != nil {
		return err
	}
	if files["accounts-2026-11.csv"], err = churn.Snapshot(november, "2026-11-30T00:00:00Z"); err != nil {
		return err
	}
	// Labels known on November 15th, for October's customers.
	if files["labels-2026-11-15.csv"], err = churn.Labels(churn.CSV, "2026-11-15T00:00:00Z"); err != nil {
		return err
	}
	path := func(name string) string { return filepath.Join(dir, name) }
	for name, data := range files {
		if err := os.WriteFile(path(name), data, 0o644); err != nil {
			return err
		}
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	for i, month := range []string{"2026-10", "2026-11"} {
		fmt.Fprintf(io.Out, "$ assay dataset commit accounts accounts-%s.csv%s\n", month, map[bool]string{true: " --append"}[i > 0])
		m, err := repo.Commit(ctx, dataset.CommitOptions{Name: "accounts", Paths: []string{path("accounts-" + month + ".csv")}, Append: i > 0,
			Message: "account snapshot " + month, CSV: dataset.DefaultCSVOptions()})
		if err != nil {
			return err
		}
		fmt.Fprintf(io.Out, "%s: %s rows\n", m.Label(), report.FormatInt(m.Rows))
	}
	fmt.Fprintln(io.Out, "$ assay features apply features.yaml")
	if err := runFeaturesApply(ctx, io, g, path("features.yaml"), "demo"); err != nil {
		return err
	}
	fmt.Fprintln(io.Out, "$ assay features training-set --entities labels-2026-11-15.csv --features churn_model -o train.parquet")
	fmt.Fprintln(io.Out, "  (each label at 2026-11-15 gets the October snapshot: November's lies after it)")
	topts := &featuresTrainingOptions{Entities: path("labels-2026-11-15.csv"), Features: []string{"churn_model"},
		EventTime: featurestore.DefaultEventTime, Output: path("train.parquet"), Format: "text"}
	if err := runFeaturesTrainingSet(ctx, io, g, topts); err != nil {
		return err
	}
	tenure, err := firstInt(ctx, topts.Output, "tenure")
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "  7590-VHVEG (row 1) trains with tenure %d, October's value; the online store below has November's.\n", tenure)
	fmt.Fprintln(io.Out, "$ assay features materialize --start 2026-10-01 --end 2026-11-30 --checks feature-checks.yaml")
	mopts := &featuresMaterializeOptions{Start: "2026-10-01", End: "2026-11-30", Checks: []string{path("feature-checks.yaml")}, Author: "demo", Format: "text"}
	if err := runFeaturesMaterialize(ctx, io, g, mopts); err != nil {
		return err
	}
	fmt.Fprintln(io.Out, "$ assay features get --features churn_model --entity customerID=7590-VHVEG --at 2026-12-01")
	gopts := &featuresGetOptions{Features: []string{"churn_model"}, Entities: []string{"customerID=7590-VHVEG"}, At: "2026-12-01", Format: "text"}
	if err := runFeaturesGet(ctx, io, g, gopts); err != nil {
		return err
	}
	fmt.Fprintln(io.Out, "Serve the same over HTTP with: assay features serve --addr 127.0.0.1:6566")
	return nil
}

// firstInt returns the value of an integer column in the first row of a
// Parquet file.
func firstInt(ctx context.Context, path, column string) (int64, error) {
	src, err := dataset.OpenSource(ctx, nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		return 0, err
	}
	defer src.Close()
	sc, err := src.Scanner(ctx)
	if err != nil {
		return 0, err
	}
	defer sc.Close()
	var v int64
	found := false
	err = sc.Scan(ctx, dataset.ScanOptions{Columns: []string{column}, Workers: 1}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		for !found && rg.FirstRow == 0 && br.Next() {
			if a, ok := br.Record().Column(0).(*array.Int64); ok && a.Len() > 0 && a.IsValid(0) {
				v, found = a.Value(0), true
			}
		}
		return br.Err()
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: no integer in the first row of %s", path, column)
	}
	return v, err
}

// demoPipeline is the operating loop: a new month with drift and a price
// change lands, watch runs the pipeline (checks, drift, retraining, the
// gates against the champion, inference), and the dashboard links every
// report.
func demoPipeline(ctx context.Context, io *streams, g *globalOptions, dir string, november []byte, step func(string, ...any)) error {
	step("13. A new month lands: December, with churned customers gone and fiber-optic prices up 15%%")
	december, err := churn.NextMonth(november, 2026_12)
	if err != nil {
		return err
	}
	if december, err = churn.PriceChange(december, 15); err != nil {
		return err
	}
	files := map[string][]byte{"telco-2026-12.csv": december, "assay.yaml": churn.Pipeline, "pipeline-rules.yaml": churn.PipelineRules}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(io.Out, "$ assay dataset commit churn telco-2026-12.csv -m 'December snapshot'")
	m, err := repo.Commit(ctx, dataset.CommitOptions{Name: "churn", Paths: []string{filepath.Join(dir, "telco-2026-12.csv")},
		Message: "December snapshot", Metadata: map[string]string{"month": "2026-12"}, CSV: dataset.DefaultCSVOptions()})
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%s: %s rows\n", m.Label(), report.FormatInt(m.Rows))

	step("14. assay watch --once: the pipeline of assay.yaml runs on the new version")
	err = runWatch(ctx, io, g, &pipelineRunOptions{File: filepath.Join(dir, "assay.yaml"), Once: true, Owner: "demo"})
	var f *failure
	if err != nil && !errors.As(err, &f) {
		return err
	}
	fmt.Fprintln(io.Out, "$ assay report -o assay-report --add profile-churn-v2.html --add check-churn-october.html ...")
	var extra []string
	for _, name := range []string{"profile-churn-v2.html", "check-churn-october.html", "drift-churn.html", "label-issues-churn.html", "run-baseline.html", "study-gbdt.html"} {
		extra = append(extra, filepath.Join(dir, name))
	}
	return runReport(ctx, io, &reportOptions{globalOptions: g, Out: filepath.Join(dir, "assay-report"), Add: extra})
}

// demoTraining is the training step: a baseline, tuning with 5-fold CV,
// registration, gates, the champion alias and batch inference.
func demoTraining(ctx context.Context, io *streams, g *globalOptions, dir string, step func(string, ...any)) error {
	step("12. Training: a baseline, tuning with 5-fold CV, gates, the champion, batch inference")
	gatesPath, spacePath := filepath.Join(dir, "gates.yaml"), filepath.Join(dir, "space.yaml")
	if err := os.WriteFile(gatesPath, churn.Gates, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(spacePath, churn.Space, 0o644); err != nil {
		return err
	}
	data := dataOptions{Target: "Churn", Exclude: []string{"customerID"}, Categorical: []string{"SeniorCitizen"}, GroupBy: []string{"gender", "SeniorCitizen"}}
	fmt.Fprintln(io.Out, "$ assay train churn@october --target Churn --exclude customerID --categorical SeniorCitizen --trainer logistic --cv 5 --group-by gender,SeniorCitizen --html run-baseline.html")
	baseline, err := runTrain(ctx, io, g, &trainOptions{dataOptions: data, Trainer: "logistic", Params: []string{"max_iter=1000"},
		TestFraction: 0.2, Folds: 5, Seed: 42, Author: "demo", Format: "text", HTML: filepath.Join(dir, "run-baseline.html")}, "churn@october")
	if err != nil {
		return err
	}
	fmt.Fprintln(io.Out, "$ assay models register RUN --name churn-model --description 'logistic baseline'")
	v1, err := runModelsRegister(ctx, io, g, baseline, "churn-model", "logistic regression baseline", "demo")
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "$ assay models alias %s champion --gates gates.yaml\n", v1)
	if err := runModelsAlias(ctx, io, g, v1, "champion", gatesPath, "demo", false); err != nil {
		return err
	}
	fmt.Fprintln(io.Out, "$ assay tune churn@october --target Churn ... --space space.yaml --trials 8 --cv 5 --prune --html study-gbdt.html")
	study, err := runTune(ctx, io, g, &tuneOptions{dataOptions: data, Space: spacePath, Sampler: "tpe", Trials: 8, Parallel: 1,
		Folds: 5, TestFraction: 0.2, Seed: 42, Prune: true, Author: "demo", Format: "text", HTML: filepath.Join(dir, "study-gbdt.html")}, "churn@october")
	if err != nil {
		return err
	}
	v2, err := runModelsRegister(ctx, io, g, study, "churn-model", "gradient boosting tuned by TPE with 5-fold CV", "demo")
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "$ assay models alias %s champion --gates gates.yaml\n", v2)
	if err := runModelsAlias(ctx, io, g, v2, "champion", gatesPath, "demo", false); err != nil {
		var f *failure
		if !errors.As(err, &f) {
			return err
		}
		fmt.Fprintf(io.Out, "The gates kept %s as champion: %s\n", v1, f.msg)
	}
	preds := filepath.Join(dir, "churn-predictions-2026-11.parquet")
	fmt.Fprintf(io.Out, "$ assay predict churn-model@champion churn@v2 -o %s --commit churn-predictions\n", filepath.Base(preds))
	return runPredict(ctx, io, g, &predictOptions{Output: preds, Commit: "churn-predictions", Format: "text"}, "churn-model@champion", "churn@v2")
}

func nullsOf(m *dataset.Manifest, col string) int64 {
	if m.Profile == nil {
		return 0
	}
	for _, c := range m.Profile.Columns {
		if c.Name == col {
			return c.Nulls
		}
	}
	return 0
}
