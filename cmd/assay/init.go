package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
)

type initOptions struct {
	*globalOptions
}

func newInitCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &initOptions{globalOptions: g}
	return &cobra.Command{
		Use:   "init",
		Short: "Create a repository (.assay in the working directory, or --repo DIR)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd.Context(), io, opts)
		},
	}
}

func runInit(ctx context.Context, io *streams, opts *initOptions) error {
	dir := opts.Repo
	if dir == "" {
		dir = os.Getenv("ASSAY_REPO")
	}
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		dir = filepath.Join(wd, dataset.DefaultDir)
	}
	if dataset.IsURL(dir) {
		if _, err := dataset.InitLocation(ctx, dir); err != nil {
			return err
		}
		fmt.Fprintf(io.Out, "Initialized empty assay repository in %s\n", dir)
		return nil
	}
	if _, err := dataset.InitDir(ctx, dir); err != nil {
		return err
	}
	abs, _ := filepath.Abs(dir)
	fmt.Fprintf(io.Out, "Initialized empty assay repository in %s\n", abs)
	return nil
}
