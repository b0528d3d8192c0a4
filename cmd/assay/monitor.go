package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/drift"
)

type monitorOptions struct {
	driftOptions
	Reference string
	Every     time.Duration
	Webhook   string
	Once      bool
}

func newMonitorCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &monitorOptions{driftOptions: driftOptions{globalOptions: g}}
	cmd := &cobra.Command{
		Use:   "monitor NAME --reference TAG|VERSION [--every DURATION] [--webhook URL] [--once]",
		Short: "Compare each new version of a dataset with a reference; store results, alert on drift",
		Long: `Compare every version of NAME after the reference with the reference, store
each result in the repository (assay drift history NAME), and post a JSON
webhook (with a Slack-compatible "text") when a version has drifted; the
secret in $ASSAY_WEBHOOK_SECRET signs it (X-Assay-Signature: sha256=…).
A pair is never compared twice, across restarts and concurrent monitors.

--once makes one pass and exits 1 if it found drift (for cron and CI);
otherwise the monitor polls every --every until interrupted.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMonitor(cmd.Context(), io, opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Reference, "reference", "", "the reference version: a tag, v3 or 3 (required)")
	f.DurationVar(&opts.Every, "every", time.Minute, "poll interval")
	f.StringVar(&opts.Webhook, "webhook", "", "POST an alert to `URL` on drift")
	f.BoolVar(&opts.Once, "once", false, "one pass; exit 1 on drift")
	f.StringVar(&opts.Method, "method", "auto", "test method (see assay drift)")
	f.StringVar(&opts.Correction, "correction", "none", "p-value correction: none, bonferroni or bh")
	f.Float64Var(&opts.DatasetShare, "dataset-threshold", 0.5, "share of drifted columns that is dataset drift")
	f.StringVar(&opts.Threshold, "threshold", "", "the method's threshold (default: 0.05 for tests, 0.1 for distances)")
	f.StringVar(&opts.RefFrom, "reference-from", "auto", "reference side: auto, data or profile (see assay drift)")
	f.StringSliceVar(&opts.Columns, "columns", nil, "columns to compare")
	f.StringVar(&opts.Format, "format", "text", "output format of each result: text, json or markdown")
	cmd.MarkFlagRequired("reference")
	return cmd
}

func runMonitor(ctx context.Context, io *streams, opts *monitorOptions, name string) error {
	if err := checkFormat(opts.Format, "text", "json", "markdown"); err != nil {
		return err
	}
	if err := dataset.ValidateName("dataset", name); err != nil {
		return err
	}
	if opts.Every <= 0 {
		return fmt.Errorf("%w: --every must be positive", dataset.ErrInvalid)
	}
	copts, err := opts.compareOptions()
	if err != nil {
		return err
	}
	repo, err := opts.openRepo(ctx)
	if err != nil {
		return err
	}
	mopts := drift.MonitorOptions{Dataset: name, Reference: opts.Reference, Compare: copts,
		Webhook: opts.Webhook, Secret: os.Getenv("ASSAY_WEBHOOK_SECRET")}
	report := func(s drift.Stored) error {
		if err := reportDrift(io, opts.Format, "", s.Report); err != nil {
			if _, isFailure := err.(*failure); !isFailure {
				return err
			}
		}
		return nil
	}
	if opts.Once {
		done, err := drift.MonitorOnce(ctx, repo, mopts)
		drifted := 0
		for _, s := range done {
			if s.Report.Drifted {
				drifted++
			}
			if err := report(s); err != nil {
				return err
			}
		}
		if err != nil {
			return err
		}
		if len(done) == 0 {
			fmt.Fprintf(io.Err, "monitor %s: no new version to compare with %s\n", name, opts.Reference)
		}
		if drifted > 0 {
			return &failure{msg: fmt.Sprintf("drift in %d of %d new versions of %s", drifted, len(done), name)}
		}
		return nil
	}
	// Polling: a failed alert is reported and retried on a later pass;
	// other errors stop the monitor.
	return drift.Monitor(ctx, repo, mopts, opts.Every, func(s drift.Stored) { report(s) }, func(err error) bool {
		var alertErr *drift.AlertError
		if errors.As(err, &alertErr) {
			fmt.Fprintf(io.Err, "assay: %v\n", err)
			return true
		}
		return false
	})
}
