package main

import (
	"github.com/spf13/cobra"
)

func newDatasetCmd(io *streams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dataset",
		Short: "Version Parquet datasets: commit, list, log, show, tag, checkout, diff",
		// Without Args and RunE, cobra prints the help for an unknown
		// subcommand ("assay dataset comit …") and exits 0, so a typo in a
		// CI script would pass. NoArgs makes it an error (exit 2).
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
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
