package main

import (
	"github.com/spf13/cobra"
)

func newDatasetCmd(io *streams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dataset",
		Short: "Version Parquet datasets: commit, list, log, show, tag, checkout, diff",
	}
	cmd.AddCommand(
		newCommitCmd(io, g),
		newListCmd(io, g),
		newLogCmd(io, g),
		newShowCmd(io, g),
		newTagCmd(io, g),
		newCheckoutCmd(io, g),
		newDiffCmd(io, g),
	)
	return cmd
}
