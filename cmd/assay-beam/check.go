package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
)

// checkAnalysis runs a rule file's plan on one source.
type checkAnalysis struct {
	scanned
	repo *dataset.Repo
	plan *checks.Plan
}

// openCheck parses the rule text and compiles it against the source, as
// assay check does; the parse problems come with the compile problems.
func openCheck(ctx context.Context, repo *dataset.Repo, j Job) (*checkAnalysis, error) {
	if len(j.Refs) != 1 {
		return nil, fmt.Errorf("%w: check reads one source, not %d", dataset.ErrInvalid, len(j.Refs))
	}
	rules, parseErr := checks.Parse(j.RulesPath, j.Rules)
	if parseErr != nil && (rules == nil || !errors.Is(parseErr, checks.ErrRules)) {
		return nil, parseErr
	}
	s, err := openScanned(ctx, repo, j.Refs[0])
	if err != nil {
		return nil, err
	}
	a := &checkAnalysis{scanned: s, repo: repo}
	env := checks.Env{Repo: repo, Manifest: s.src.Manifest, Now: j.Now, CSV: dataset.DefaultCSVOptions(), Samples: j.Samples, Keys: j.Keys}
	plan, err := checks.Compile(ctx, rules, s.sc.Schema(), env)
	if err := checks.JoinProblems(parseErr, err); err != nil {
		a.Close()
		return nil, err
	}
	a.plan = plan
	return a, nil
}

func (a *checkAnalysis) scan(ctx context.Context, _ int, only func(dataset.RowGroup) bool) (state, error) {
	return a.plan.Scan(ctx, a.sc, only)
}

func (a *checkAnalysis) decode(_ int, b []byte) (state, error) { return a.plan.DecodePartial(b) }

func (a *checkAnalysis) merge(into, next state) error {
	return into.(*checks.Partial).Merge(next.(*checks.Partial))
}

// runCheck is `assay-beam check`: assay check's scan, sharded. Results
// on dataset versions are stored in the repository, as assay check
// stores them.
func runCheck(ctx context.Context, g *global, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	rulesPath := fs.String("rules", "", "rule file (required)")
	fs.StringVar(rulesPath, "r", "", "rule file (short for --rules)")
	format := fs.String("format", "text", "output format: text, json, junit or markdown")
	html := fs.String("html", "", "also write an HTML report to `FILE`")
	keys := fs.String("key", "", "columns shown with every failing row, comma-separated")
	samples := fs.Int("samples", checks.DefaultSamples, "failing rows kept per check (0: none)")
	noSave := fs.Bool("no-save", false, "do not store the results in the repository")
	pos, err := parseArgs(fs, args, 1, "one REF|PATH")
	if err != nil {
		return err
	}
	if err := oneOf("--format", *format, checks.Formats...); err != nil {
		return err
	}
	if *rulesPath == "" {
		return fmt.Errorf("%w: --rules is required", dataset.ErrInvalid)
	}
	if *samples < 0 {
		return fmt.Errorf("%w: --samples must not be negative", dataset.ErrInvalid)
	}
	start := time.Now()
	text, err := os.ReadFile(*rulesPath)
	if err != nil {
		return fmt.Errorf("%w: rule file: %v", dataset.ErrInvalid, err)
	}
	repo, err := repoLocation(g)
	if err != nil {
		return err
	}
	j := Job{Command: "check", Repo: repo, Refs: []string{absRef(pos[0])}, RulesPath: *rulesPath, Rules: text,
		Keys: list(*keys), Samples: *samples, Now: time.Now()}
	if j.Samples == 0 {
		j.Samples = -1 // none (checks.Env reads 0 as the default)
	}
	an, err := openAnalysis(ctx, j)
	if err != nil {
		return err
	}
	defer an.Close()
	ca := an.(*checkAnalysis)
	j.Refs[0] = pin(ca.src, j.Refs[0])
	states, err := execute(ctx, g, an, j)
	if err != nil {
		return err
	}
	run, err := ca.plan.Finish(ctx, ca.src, states[0].(*checks.Partial))
	if err != nil {
		return err
	}
	run.Elapsed = time.Since(start).Seconds() // the pipeline's time included
	if ca.src.Manifest == nil {
		run.Source = pos[0] // the path as given, as assay prints it
	}
	if ca.repo != nil && ca.src.Manifest != nil && !*noSave {
		if err := checks.SaveRun(ctx, ca.repo, run); err != nil {
			return err
		}
	}
	if err := checks.Write(stdout, *format, run); err != nil {
		return err
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		w := stdout
		if *format != "text" {
			w = stderr // stdout stays one document
		}
		if err := checks.WriteGitHubAnnotations(w, run, *rulesPath); err != nil {
			return err
		}
	}
	if *html != "" {
		if err := report.WriteFile(*html, checks.Page(run)); err != nil {
			return err
		}
		if *format == "text" {
			fmt.Fprintf(stdout, "report: %s\n", *html)
		}
	}
	if !run.Success {
		return &failure{msg: fmt.Sprintf("%d of %d checks failed on %s", run.Counts.Failed, run.Counts.Checks, run.Source)}
	}
	return nil
}
