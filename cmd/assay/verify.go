package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
)

type verifyOptions struct {
	*globalOptions
	Format string
}

func newVerifyCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &verifyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Re-hash every object and check every manifest; exit 1 on damage",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), io, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

func runVerify(ctx context.Context, io *streams, opts *verifyOptions) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	repo, err := opts.openRepo(ctx)
	if err != nil {
		return err
	}
	rep, err := repo.Verify(ctx)
	if err != nil {
		return err
	}
	if opts.Format == "json" {
		if err := writeJSON(io.Out, struct {
			Version int `json:"version"`
			*dataset.VerifyReport
		}{jsonVersion, rep}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(io.Out, "checked %d objects (%s), %d manifests, %d tag records\n",
			rep.Objects, report.FormatBytes(rep.Bytes), rep.Manifests, rep.Tags)
		for _, d := range rep.Damage {
			fmt.Fprintf(io.Out, "damaged: %s: %s\n", d.Key, d.Problem)
		}
		if len(rep.Damage) == 0 {
			fmt.Fprintln(io.Out, "no damage found")
		}
	}
	if len(rep.Damage) > 0 {
		return &failure{msg: fmt.Sprintf("verify found %d problems in %s", len(rep.Damage), repo.Location)}
	}
	return nil
}
