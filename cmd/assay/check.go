package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
)

type checkOptions struct {
	*globalOptions
	Rules      string
	Format     string
	HTML       string
	FailedRows string
	Keys       []string
	Samples    int
	Workers    int
	NoSave     bool
}

func newCheckCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &checkOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "check REF|PATH -r rules.yaml",
		Short: "Run declarative quality checks in one scan; exit 1 when an error-level check fails",
		Long: `Run the checks of a rule file on a dataset version or on Parquet/CSV files.

All checks run in one scan that reads only the columns they reference,
row groups in parallel; row counts, null counts and bounds come from
Parquet statistics where those answer them exactly. Each failing check
keeps its first failing rows (--samples); --failed-rows writes every row
that fails a row-level check, with the names of the checks it failed.

Results of checks on dataset versions are stored in the repository, for
'assay check history' and for change and anomaly rules. When
GITHUB_ACTIONS=true, failures are also printed as workflow annotations
(on stderr with --format json, junit or markdown, to keep stdout one
document).

Exit codes: 0 every error-level check passed (warnings allowed), 1 one
failed, 2 the rule file, the ref or the data is bad.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), io, opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Rules, "rules", "r", "", "rule file (required)")
	f.StringVar(&opts.Format, "format", "text", "output format: text, json, junit or markdown")
	f.StringVar(&opts.HTML, "html", "", "also write an HTML report to `FILE`")
	f.StringVar(&opts.FailedRows, "failed-rows", "", "write every failing row to `FILE.parquet`")
	f.StringSliceVar(&opts.Keys, "key", nil, "columns shown with every failing row")
	f.IntVar(&opts.Samples, "samples", checks.DefaultSamples, "failing rows kept per check (0: none)")
	f.IntVar(&opts.Workers, "workers", 0, "scan workers (default: one per core)")
	f.BoolVar(&opts.NoSave, "no-save", false, "do not store the results in the repository")
	cmd.MarkFlagRequired("rules")
	cmd.AddCommand(newCheckHistoryCmd(io, g), newCheckSuggestCmd(io, g))
	return cmd
}

func runCheck(ctx context.Context, io *streams, opts *checkOptions, refText string) error {
	if err := checkFormat(opts.Format, checks.Formats...); err != nil {
		return err
	}
	if opts.Samples < 0 {
		return fmt.Errorf("%w: --samples must not be negative", dataset.ErrInvalid)
	}
	// A rule file with problems still yields its good checks: they are
	// compiled against the data too, so that every problem is reported
	// at once.
	rules, parseErr := checks.ParseFile(opts.Rules)
	if parseErr != nil && (rules == nil || !errors.Is(parseErr, checks.ErrRules)) {
		return parseErr
	}
	repo, err := opts.maybeRepo(ctx)
	if err != nil {
		return err
	}
	src, err := dataset.OpenSource(ctx, repo, refText, dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer src.Close()
	run, err := checkSource(ctx, opts, rules, repo, src, parseErr)
	if err != nil {
		return err
	}
	if repo != nil && !opts.NoSave {
		if err := checks.SaveRun(ctx, repo, run); err != nil {
			return err
		}
	}
	return reportCheck(io, opts, run)
}

// checkSource compiles the rules against the source's schema and runs them.
// parseErr holds the rule file's parse problems, reported with the
// compile problems.
func checkSource(ctx context.Context, opts *checkOptions, rules *checks.File, repo *dataset.Repo, src *dataset.Source, parseErr error) (*checks.Run, error) {
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	schema := sc.Schema()
	sc.Close()
	samples := opts.Samples
	if samples == 0 {
		samples = -1 // none (checks.Env reads 0 as the default)
	}
	env := checks.Env{Repo: repo, Manifest: src.Manifest, CSV: dataset.DefaultCSVOptions(),
		Samples: samples, Keys: opts.Keys, Workers: opts.Workers}
	plan, err := checks.Compile(ctx, rules, schema, env)
	if err := checks.JoinProblems(parseErr, err); err != nil {
		return nil, err
	}
	var runOpts checks.RunOptions
	if opts.FailedRows != "" {
		var run *checks.Run
		err := dataset.WriteFile(opts.FailedRows, checks.FailedRowsSchema(schema), dataset.DefaultWriterOptions(), func(w *dataset.Writer) error {
			runOpts.FailedRows = checks.NewFailedRowsWriter(w, schema)
			var err error
			run, err = plan.Run(ctx, src, runOpts)
			return err
		})
		return run, err
	}
	return plan.Run(ctx, src, runOpts)
}

// reportCheck prints a run in the chosen format (and GitHub annotations),
// writes the HTML report, and turns a failed run into exit code 1.
func reportCheck(io *streams, opts *checkOptions, run *checks.Run) error {
	if err := checks.Write(io.Out, opts.Format, run); err != nil {
		return err
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		// The runner reads workflow commands from stdout and stderr alike.
		// After a JSON, JUnit or Markdown document they go to stderr, so
		// that stdout stays one valid document (check --format json >
		// results.json in a workflow).
		w := io.Out
		if opts.Format != "text" {
			w = io.Err
		}
		if err := checks.WriteGitHubAnnotations(w, run, opts.Rules); err != nil {
			return err
		}
	}
	if opts.HTML != "" {
		if err := report.WriteFile(opts.HTML, checks.Page(run)); err != nil {
			return err
		}
		if opts.Format == "text" {
			fmt.Fprintf(io.Out, "report: %s\n", opts.HTML)
		}
	}
	if !run.Success {
		return &failure{msg: fmt.Sprintf("%d of %d checks failed on %s", run.Counts.Failed, run.Counts.Checks, run.Source)}
	}
	return nil
}

type checkHistoryOptions struct {
	*globalOptions
	Format string
}

func newCheckHistoryCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &checkHistoryOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "history NAME",
		Short: "Show the stored check runs of a dataset",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheckHistory(cmd.Context(), io, opts, args[0])
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

func runCheckHistory(ctx context.Context, io *streams, opts *checkHistoryOptions, name string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	repo, err := opts.openRepo(ctx)
	if err != nil {
		return err
	}
	if _, err := repo.Head(ctx, name); err != nil {
		return err
	}
	lines, err := checks.History(ctx, repo, name)
	if err != nil {
		return err
	}
	if opts.Format == "json" {
		if lines == nil {
			lines = []checks.HistoryLine{}
		}
		return writeJSON(io.Out, struct {
			Version int                  `json:"version"`
			Dataset string               `json:"dataset"`
			Runs    []checks.HistoryLine `json:"runs"`
		}{jsonVersion, name, lines})
	}
	if len(lines) == 0 {
		fmt.Fprintf(io.Out, "No check runs stored for %s yet: assay check %s -r rules.yaml\n", name, name)
		return nil
	}
	t := newTable(io.Out)
	t.row("VERSION", "TIME", "RULES", "RESULT", "PASSED", "FAILED", "WARNED", "FAILING CHECKS")
	for _, l := range lines {
		result := "pass"
		if !l.Success {
			result = "FAIL"
		}
		failed := "-"
		if len(l.Failed) > 0 {
			failed = quoteList(l.Failed)
		}
		t.row(fmt.Sprintf("v%d", l.Version), l.Time.UTC().Format("2006-01-02T15:04:05Z"), filepath.Base(l.Rules), result,
			report.FormatInt(int64(l.Counts.Passed)), report.FormatInt(int64(l.Counts.Failed)), report.FormatInt(int64(l.Counts.Warned)), failed)
	}
	return t.flush()
}

func quoteList(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		if i == 3 {
			return out + fmt.Sprintf("… %d more", len(names)-3)
		}
		out += n
	}
	return out
}

type checkSuggestOptions struct {
	*globalOptions
}

func newCheckSuggestCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &checkSuggestOptions{globalOptions: g}
	return &cobra.Command{
		Use:   "suggest REF|PATH > rules.yaml",
		Short: "Propose a rule file from the data's profile (it passes on that data)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheckSuggest(cmd.Context(), io, opts, args[0])
		},
	}
}

func runCheckSuggest(ctx context.Context, io *streams, opts *checkSuggestOptions, refText string) error {
	repo, err := opts.maybeRepo(ctx)
	if err != nil {
		return err
	}
	src, err := dataset.OpenSource(ctx, repo, refText, dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer src.Close()
	sc, err := src.Scanner(ctx)
	if err != nil {
		return err
	}
	schema := sc.Schema()
	sc.Close()
	p, err := src.Profile(ctx, nil, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(io.Out, checks.Suggest(src.Label, schema, p.Summary()))
	return err
}
