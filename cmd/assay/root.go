package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
)

// globalOptions are the flags every command has.
type globalOptions struct {
	Repo string // --repo, else $ASSAY_REPO, else found upward from the working directory
}

const helpExitCodes = `Exit codes:
  0    success
  1    a quality failure: checks failed, drift found, repository damage found
  2    usage, configuration or input error (bad flag, ref, file, rule)
  130  interrupted`

func newRootCmd(io *streams) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "assay",
		Short: "Good data before good models: versioned datasets, checks, drift, labels, features, training",
		Long: `assay versions Parquet datasets and profiles every version; later steps
(checks, drift, label review, feature store, training) build on them.

Refs name data everywhere: name, name@v3, name@3, name@TAG, name@~1,
name@2026-11-01T00:00:00Z (newest version at or before), or a path or glob
of Parquet/CSV files, which needs no repository.

` + helpExitCodes,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetIn(io.In)
	root.PersistentFlags().StringVar(&g.Repo, "repo", "", "repository directory (default: $ASSAY_REPO, else .assay in this or a parent directory)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	root.AddCommand(
		newInitCmd(io, g),
		newDatasetCmd(io, g),
		newProfileCmd(io, g),
		newCheckCmd(io, g),
		newDriftCmd(io, g),
		newMonitorCmd(io, g),
		newLabelsCmd(io, g),
		newFeaturesCmd(io, g),
		newTrainCmd(io, g),
		newTuneCmd(io, g),
		newModelsCmd(io, g),
		newPredictCmd(io, g),
		newReportCmd(io, g),
		newPipelineCmd(io, g),
		newWatchCmd(io, g),
		newVerifyCmd(io, g),
		newGCCmd(io, g),
		newDemoCmd(io),
	)
	return root
}

// repoDir returns the repository directory the options name, and whether
// it was named explicitly.
func (g *globalOptions) repoDir() (string, bool, error) {
	if g.Repo != "" {
		return g.Repo, true, nil
	}
	if env := os.Getenv("ASSAY_REPO"); env != "" {
		return env, true, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false, err
	}
	dir, err := dataset.Find(wd)
	return dir, false, err
}

// openRepo opens the repository; it is an error when there is none.
func (g *globalOptions) openRepo(ctx context.Context) (*dataset.Repo, error) {
	dir, _, err := g.repoDir()
	if err != nil {
		return nil, err
	}
	return dataset.OpenLocation(ctx, dir)
}

// maybeRepo opens the repository if there is one: commands that also take
// file paths work without.
func (g *globalOptions) maybeRepo(ctx context.Context) (*dataset.Repo, error) {
	dir, explicit, err := g.repoDir()
	if err != nil {
		if !explicit && errors.Is(err, dataset.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return dataset.OpenLocation(ctx, dir)
}

// resolveVersion opens the repository and resolves a ref that must name a
// dataset version; the error for a path names the command, cmd, and ends
// with hint.
func (g *globalOptions) resolveVersion(ctx context.Context, refText, cmd, hint string) (*dataset.Repo, *dataset.Manifest, error) {
	ref, err := dataset.ParseRef(refText)
	if err != nil {
		return nil, nil, err
	}
	if ref.Kind == dataset.RefPath {
		return nil, nil, fmt.Errorf("%w: %s is a path; %s takes a dataset version%s", dataset.ErrInvalid, refText, cmd, hint)
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return nil, nil, err
	}
	m, err := repo.Resolve(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	return repo, m, nil
}

// checkFormat rejects an unknown --format value.
func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return fmt.Errorf("%w: unknown --format %q (use %v)", dataset.ErrInvalid, format, allowed)
}
