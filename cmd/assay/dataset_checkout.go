package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type checkoutOptions struct {
	*globalOptions
	Out string
}

func newCheckoutCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &checkoutOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "checkout REF -o DIR",
		Short: "Write a version's Parquet files into a directory",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheckout(cmd.Context(), io, opts, args[0])
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "output", "o", "", "directory to write into (required)")
	cmd.MarkFlagRequired("output")
	return cmd
}

func runCheckout(ctx context.Context, io *streams, opts *checkoutOptions, refText string) error {
	repo, m, err := opts.resolveVersion(ctx, refText, "checkout", "")
	if err != nil {
		return err
	}
	files, err := repo.Checkout(ctx, m, opts.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%s: wrote %d files to %s\n", m.Label(), len(files), opts.Out)
	for _, f := range files {
		fmt.Fprintf(io.Out, "  %s\n", f)
	}
	return nil
}
