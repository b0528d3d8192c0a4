package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/training/pipeline"
)

func newPipelineCmd(io *streams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pipeline",
		Short: "The retraining pipeline of a dataset (assay.yaml)",
		Long: `A pipeline file (assay.yaml) ties the parts into the retraining loop: the
dataset, its checks, drift against a reference, a feature-store training
set, training or tuning, the model's gates and champion alias, batch
inference, webhooks and the trigger policy. See training/pipeline.

  assay pipeline check [FILE]     read and check the file (default assay.yaml)
  assay pipeline run [--version NAME@VERSION]
  assay watch [--once]            run it as new versions land (see assay watch --help)`,
	}
	cmd.AddCommand(newPipelineCheckCmd(io, g), newPipelineRunCmd(io, g))
	return cmd
}

func newPipelineCheckCmd(io *streams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "check [FILE]",
		Short: "Check a pipeline file: every problem at once, with file:line:column",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "assay.yaml"
			if len(args) == 1 {
				path = args[0]
			}
			s, err := pipeline.ParseFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(io.Out, "%s: dataset %s, steps %s, trigger %s\n", path, s.Dataset, strings.Join(s.Steps, " → "), s.Trigger.Policy)
			return nil
		},
	}
}
