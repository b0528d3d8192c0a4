package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
)

type tagOptions struct {
	*globalOptions
	Force bool
}

func newTagCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &tagOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "tag REF TAG",
		Short: "Name a version with a tag (--force moves an existing tag)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTag(cmd.Context(), io, opts, args[0], args[1])
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "move the tag if it exists")
	return cmd
}

func runTag(ctx context.Context, io *streams, opts *tagOptions, refText, tag string) error {
	if _, err := dataset.ParseRef(refText); err != nil {
		return err
	}
	if err := dataset.ValidateName("tag", tag); err != nil {
		return err
	}
	repo, m, err := opts.resolveVersion(ctx, refText, "tag", "")
	if err != nil {
		return err
	}
	if err := repo.Tag(ctx, m, tag, dataset.DefaultAuthor(), opts.Force); err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%s@%s -> v%d\n", m.Dataset, tag, m.Version)
	return nil
}
