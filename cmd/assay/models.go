package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/training"
	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/gates"
	"github.com/assayhq/assay/training/track"
)

func newModelsCmd(io *streams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "models",
		Short: "The model registry: register runs, versions, aliases behind gates",
		Long: `The model registry, in the repository:

  assay models register RUN --name NAME [--description TEXT]
  assay models list [NAME]
  assay models show NAME[@vN|@ALIAS]
  assay models alias NAME@vN ALIAS [--gates gates.yaml]     move an alias (champion, challenger, ...)
  assay models compare NAME@A NAME@B                       metrics side by side
  assay models tag NAME@vN KEY=VALUE...                    notes on a version
  assay models ensemble RUN RUN... --name NAME             an averaging ensemble (--best DATA: the best run per trainer)

An alias names one version; moving it is atomic. With --gates, every gate
must pass first; each result is recorded as a tag on the version, and a
refusal (exit code 1) says which gates failed and why.`,
	}
	cmd.AddCommand(newModelsRegisterCmd(io, g), newModelsListCmd(io, g), newModelsShowCmd(io, g), newModelsAliasCmd(io, g), newModelsCompareCmd(io, g), newModelsEnsembleCmd(io, g), newModelsTagCmd(io, g))
	return cmd
}

func newModelsRegisterCmd(io *streams, g *globalOptions) *cobra.Command {
	var name, desc, author string
	cmd := &cobra.Command{
		Use:   "register RUN --name NAME [--description TEXT]",
		Short: "Register a training run as the next version of a model",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := runModelsRegister(cmd.Context(), io, g, args[0], name, desc, author)
			return err
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the model's name")
	cmd.Flags().StringVar(&desc, "description", "", "what the version is")
	cmd.Flags().StringVar(&author, "author", "", "who registers (default: $ASSAY_AUTHOR, else the user name)")
	cmd.MarkFlagRequired("name")
	return cmd
}

// runModelsRegister registers a run and returns the version's label.
func runModelsRegister(ctx context.Context, io *streams, g *globalOptions, runID, name, desc, author string) (string, error) {
	repo, err := g.openRepo(ctx)
	if err != nil {
		return "", err
	}
	run, err := track.LoadRun(ctx, repo, runID)
	if err != nil {
		return "", err
	}
	if author == "" {
		author = defaultAuthor()
	}
	v, err := track.Register(ctx, repo, name, run, desc, author)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(io.Out, "%s: run %s (%s)\n", v.Label(), run.ID, run.Trainer)
	return v.Label(), nil
}

func newModelsListCmd(io *streams, g *globalOptions) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list [NAME]",
		Short: "List models, or the versions of one",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			repo, err := g.openRepo(ctx)
			if err != nil {
				return err
			}
			names := args
			if len(args) == 0 {
				if names, err = track.Models(ctx, repo); err != nil {
					return err
				}
				if len(names) == 0 && format == "text" {
					fmt.Fprintln(io.Out, "No models registered yet (assay models register RUN --name NAME).")
					return nil
				}
			}
			type entry struct {
				*track.Version
				Aliases []string `json:"aliases,omitempty"`
			}
			var all []entry
			for _, name := range names {
				vs, err := track.Versions(ctx, repo, name)
				if err != nil {
					return err
				}
				al, err := track.Aliases(ctx, repo, name)
				if err != nil {
					return err
				}
				for _, v := range vs {
					e := entry{Version: v}
					for a, n := range al {
						if n == v.Version {
							e.Aliases = append(e.Aliases, a)
						}
					}
					slices.Sort(e.Aliases)
					all = append(all, e)
				}
			}
			if format == "json" {
				return writeJSON(io.Out, all)
			}
			tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tALIASES\tTRAINER\tRUN\tTEST METRIC\tDESCRIPTION")
			for _, e := range all {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Label(), strings.Join(e.Aliases, ","), e.Trainer, e.Run, headline(e.Summary), e.Description)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// headline is a version's main test metric.
func headline(s map[string]float64) string {
	for _, m := range []string{"test.roc_auc", "test.r2"} {
		if v, ok := s[m]; ok {
			return strings.TrimPrefix(m, "test.") + " " + formatMetric(v)
		}
	}
	return "-"
}

func newModelsShowCmd(io *streams, g *globalOptions) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show NAME[@vN|@ALIAS]",
		Short: "Show a model version: its run, signature, metrics, tags and aliases",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			repo, err := g.openRepo(ctx)
			if err != nil {
				return err
			}
			v, err := track.Resolve(ctx, repo, args[0])
			if err != nil {
				return err
			}
			run, err := track.LoadRun(ctx, repo, v.Run)
			if err != nil {
				return err
			}
			tags, err := track.Tags(ctx, repo, v.Model, v.Version)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(io.Out, struct {
					*track.Version
					Tags map[string]track.Tag `json:"tags"`
					Run  *track.Run           `json:"run_record"`
				}{v, tags, run})
			}
			fmt.Fprintf(io.Out, "%s: %s, run %s, registered %s by %s\n", v.Label(), v.Trainer, v.Run, v.Time.Format("2006-01-02T15:04:05Z"), v.Author)
			if v.Description != "" {
				fmt.Fprintf(io.Out, "description: %s\n", v.Description)
			}
			fmt.Fprintf(io.Out, "data: %s (%d rows, target %s)\n", run.Data.Source, run.Data.Rows, run.Data.Target)
			var s frame.Schema
			if err := json.Unmarshal(v.Signature, &s); err == nil {
				var feats []string
				for _, f := range s.Features {
					feats = append(feats, fmt.Sprintf("%s %s", f.Name, f.Type))
				}
				fmt.Fprintf(io.Out, "signature: %s\n", strings.Join(feats, ", "))
			}
			for _, k := range training.SummaryNames(v.Summary) {
				if !strings.Contains(k, ".by.") {
					fmt.Fprintf(io.Out, "  %-24s %s\n", k, formatMetric(v.Summary[k]))
				}
			}
			keys := make([]string, 0, len(tags))
			for k := range tags {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				fmt.Fprintf(io.Out, "tag %s: %s\n", k, tags[k].Value)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newModelsAliasCmd(io *streams, g *globalOptions) *cobra.Command {
	var gatesPath, author string
	var remove bool
	cmd := &cobra.Command{
		Use:   "alias NAME@vN ALIAS [--gates gates.yaml]",
		Short: "Point an alias at a version, after its gates pass",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runModelsAlias(cmd.Context(), io, g, args[0], args[1], gatesPath, author, remove)
		},
	}
	cmd.Flags().StringVar(&gatesPath, "gates", "", "a gate file: every gate must pass before the alias moves")
	cmd.Flags().StringVar(&author, "author", "", "who moves it (default: $ASSAY_AUTHOR, else the user name)")
	cmd.Flags().BoolVar(&remove, "remove", false, "remove the alias instead")
	return cmd
}

func runModelsAlias(ctx context.Context, io *streams, g *globalOptions, ref, alias, gatesPath, author string, remove bool) error {
	var gf *gates.File
	if gatesPath != "" {
		var err error
		if gf, err = gates.ParseFile(gatesPath); err != nil {
			return fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
		}
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	if author == "" {
		author = defaultAuthor()
	}
	v, err := track.Resolve(ctx, repo, ref)
	if err != nil {
		return err
	}
	if remove {
		if err := track.SetAlias(ctx, repo, v.Model, alias, 0, author); err != nil {
			return err
		}
		fmt.Fprintf(io.Out, "removed %s@%s\n", v.Model, alias)
		return nil
	}
	if gf != nil {
		results, err := evaluateGates(ctx, repo, gf, v)
		if err != nil {
			return err
		}
		for _, r := range results {
			verdict := "passed"
			if !r.Passed {
				verdict = "failed"
			}
			if err := track.SetTag(ctx, repo, v.Model, v.Version, "gate."+r.Gate, verdict+": "+r.Detail, author); err != nil {
				return err
			}
			fmt.Fprintf(io.Out, "  %-6s %s: %s\n", verdict, r.Gate, r.Detail)
		}
		if !gates.Passed(results) {
			return &failure{msg: fmt.Sprintf("%s does not become %s@%s: gates failed", v.Label(), v.Model, alias)}
		}
	}
	if err := track.SetAlias(ctx, repo, v.Model, alias, v.Version, author); err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%s@%s → %s\n", v.Model, alias, v.Label())
	return nil
}

// evaluateGates judges a version; a champion is re-scored on the
// candidate's holdout.
func evaluateGates(ctx context.Context, repo *dataset.Repo, gf *gates.File, v *track.Version) ([]gates.Result, error) {
	run, err := track.LoadRun(ctx, repo, v.Run)
	if err != nil {
		return nil, err
	}
	c := gates.Candidate{Summary: v.Summary, Description: v.Description, HasSig: len(v.Signature) > 2}
	if run.Data.Checks != nil {
		ok := run.Data.Checks.Success
		c.Checks = &ok
	}
	c.Champion = func(alias, metric string) (float64, string, bool, error) {
		aliases, err := track.Aliases(ctx, repo, v.Model)
		if err != nil {
			return 0, "", false, err
		}
		n, ok := aliases[alias]
		if !ok || n == v.Version {
			return 0, "", false, nil
		}
		champ, err := track.GetVersion(ctx, repo, v.Model, n)
		if err != nil {
			return 0, "", false, err
		}
		score, err := scoreOnHoldout(ctx, repo, champ, run, metric)
		return score, champ.Label(), true, err
	}
	return gf.Evaluate(c)
}

// scoreOnHoldout scores a model version on the holdout rows of another
// run's data.
func scoreOnHoldout(ctx context.Context, repo *dataset.Repo, v *track.Version, on *track.Run, metric string) (float64, error) {
	split, name, _ := strings.Cut(metric, ".")
	if split != "test" {
		return 0, fmt.Errorf("%w: beats_champion compares on the holdout: use a test.* metric, not %s", dataset.ErrInvalid, metric)
	}
	run, err := track.LoadRun(ctx, repo, v.Run)
	if err != nil {
		return 0, err
	}
	m, s, err := training.LoadModel(ctx, repo, run)
	if err != nil {
		return 0, err
	}
	ev, err := training.RunEvaluation(on)
	if err != nil {
		return 0, err
	}
	src, err := dataset.OpenSource(ctx, repo, on.Data.Source, dataset.DefaultCSVOptions())
	if err != nil {
		return 0, fmt.Errorf("the candidate's data %s: %w", on.Data.Source, err)
	}
	defer src.Close()
	return training.ScoreRows(ctx, m, s, src, ev.TestRows, name)
}

func newModelsCompareCmd(io *streams, g *globalOptions) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "compare NAME@A NAME@B...",
		Short: "Compare model versions' metrics side by side",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			repo, err := g.openRepo(ctx)
			if err != nil {
				return err
			}
			var vs []*track.Version
			for _, ref := range args {
				v, err := track.Resolve(ctx, repo, ref)
				if err != nil {
					return err
				}
				vs = append(vs, v)
			}
			names := map[string]bool{}
			for _, v := range vs {
				for k := range v.Summary {
					names[k] = true
				}
			}
			all := make(map[string]float64, len(names))
			for k := range names {
				all[k] = 0
			}
			if format == "json" {
				type row struct {
					Version string        `json:"version"`
					Summary track.Summary `json:"summary"`
				}
				var rows []row
				for _, v := range vs {
					rows = append(rows, row{v.Label(), v.Summary})
				}
				return writeJSON(io.Out, rows)
			}
			tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
			header := []string{"METRIC"}
			for _, v := range vs {
				header = append(header, v.Label())
			}
			fmt.Fprintln(tw, strings.Join(header, "\t"))
			for _, k := range training.SummaryNames(all) {
				if strings.Contains(k, ".by.") {
					continue
				}
				cells := []string{k}
				for _, v := range vs {
					x, ok := v.Summary[k]
					if !ok {
						cells = append(cells, "-")
						continue
					}
					cells = append(cells, formatMetric(x))
				}
				fmt.Fprintln(tw, strings.Join(cells, "\t"))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newModelsTagCmd(io *streams, g *globalOptions) *cobra.Command {
	var author string
	cmd := &cobra.Command{
		Use:   "tag NAME[@vN|@ALIAS] KEY=VALUE...",
		Short: "Set tags on a model version (the newest value per key counts)",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var pairs [][2]string
			for _, a := range args[1:] {
				k, v, ok := strings.Cut(a, "=")
				if !ok || strings.TrimSpace(k) == "" {
					return fmt.Errorf("%w: tag %q: want KEY=VALUE", dataset.ErrInvalid, a)
				}
				pairs = append(pairs, [2]string{strings.TrimSpace(k), v})
			}
			repo, err := g.openRepo(ctx)
			if err != nil {
				return err
			}
			v, err := track.Resolve(ctx, repo, args[0])
			if err != nil {
				return err
			}
			if author == "" {
				author = defaultAuthor()
			}
			for _, p := range pairs {
				if err := track.SetTag(ctx, repo, v.Model, v.Version, p[0], p[1], author); err != nil {
					return err
				}
				fmt.Fprintf(io.Out, "%s: %s=%s\n", v.Label(), p[0], p[1])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&author, "author", "", "who tags (default: $ASSAY_AUTHOR, else the user name)")
	return cmd
}
