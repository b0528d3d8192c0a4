package drift

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/assayhq/assay/dataset"
)

// MonitorOptions configure a monitor: which dataset, the reference version
// (a tag or version selector such as "prod", "v3", "3"), how to compare,
// and where to post alerts.
type MonitorOptions struct {
	Dataset   string
	Reference string
	Compare   Options
	Webhook   string
	Secret    string // HMAC key for the webhook signature (optional)
	Client    *http.Client
	Attempts  int // webhook tries (default 3)
}

// MonitorOnce compares every version after the reference that has no
// stored report with the reference, stores each report, and posts an
// alert for each that found dataset drift. It returns the reports made in
// this pass. A pair another monitor stored meanwhile is skipped.
func MonitorOnce(ctx context.Context, repo *dataset.Repo, opts MonitorOptions) ([]Stored, error) {
	refText := opts.Dataset + "@" + opts.Reference
	refRef, err := dataset.ParseRef(refText)
	if err != nil {
		return nil, err
	}
	refM, err := repo.Resolve(ctx, refRef)
	if err != nil {
		return nil, err
	}
	versions, err := repo.Versions(ctx, opts.Dataset)
	if err != nil {
		return nil, err
	}
	if opts.Webhook != "" {
		if err := resendAlerts(ctx, repo, opts, refM.Version); err != nil {
			return nil, err
		}
	}
	var done []Stored
	for _, v := range versions {
		if v <= refM.Version {
			continue
		}
		seen, err := exists(ctx, repo, runKey(opts.Dataset, v, refM.Version))
		if err != nil {
			return done, err
		}
		if seen {
			continue
		}
		rep, err := comparePair(ctx, repo, opts, refM.Version, v)
		if err != nil {
			return done, err
		}
		if rep.Drifted && opts.Webhook != "" {
			// Marked before the report is stored: a monitor stopped before
			// its alert went out sends it on its next pass.
			if err := mark(ctx, repo, alertKey(opts.Dataset, v, refM.Version, "pending")); err != nil {
				return done, err
			}
		}
		if err := Save(ctx, repo, opts.Dataset, v, refM.Version, rep); err != nil {
			if errors.Is(err, ErrCompared) {
				continue // another monitor was first
			}
			return done, err
		}
		done = append(done, Stored{Current: v, Reference: refM.Version, Report: rep})
		if rep.Drifted && opts.Webhook != "" {
			if err := alert(ctx, repo, opts, v, refM.Version, rep); err != nil {
				return done, err
			}
		}
	}
	return done, nil
}

// AlertError is a drift alert that could not be delivered. The comparison
// is stored; the alert is sent again on the next pass.
type AlertError struct {
	Current string // the drifted version
	Err     error
}

func (e *AlertError) Error() string {
	return fmt.Sprintf("drift found in %s, but the alert failed (it is sent again on the next pass): %v", e.Current, e.Err)
}

func (e *AlertError) Unwrap() error { return e.Err }

// alert posts the alert of a drifted pair and marks it sent.
func alert(ctx context.Context, repo *dataset.Repo, opts MonitorOptions, cur, ref int, rep *Report) error {
	client := opts.Client
	if client == nil {
		client = http.DefaultClient
	}
	attempts := opts.Attempts
	if attempts == 0 {
		attempts = 3
	}
	if err := Post(ctx, client, opts.Webhook, opts.Secret, NewAlert(opts.Dataset, rep), attempts); err != nil {
		return &AlertError{Current: rep.Current, Err: err}
	}
	return mark(ctx, repo, alertKey(opts.Dataset, cur, ref, "sent"))
}

// resendAlerts posts the alerts of stored drifted pairs against ref that
// are pending and not sent: those of a monitor that stopped, or whose
// webhook failed, before they went out.
func resendAlerts(ctx context.Context, repo *dataset.Repo, opts MonitorOptions, ref int) error {
	runs, err := History(ctx, repo, opts.Dataset)
	if err != nil {
		return err
	}
	for _, s := range runs {
		if s.Reference != ref || !s.Report.Drifted {
			continue
		}
		pending, err := exists(ctx, repo, alertKey(opts.Dataset, s.Current, ref, "pending"))
		if err != nil || !pending {
			return err
		}
		sent, err := exists(ctx, repo, alertKey(opts.Dataset, s.Current, ref, "sent"))
		if err != nil {
			return err
		}
		if !sent {
			if err := alert(ctx, repo, opts, s.Current, ref, s.Report); err != nil {
				return err
			}
		}
	}
	return nil
}

// Monitor runs MonitorOnce now and then every interval until ctx is done,
// handing each stored comparison to report as it is made. An error of a
// pass ends the loop unless keepGoing says to go on (a webhook that is
// down for a while, say); the pass's pending alerts are sent later.
func Monitor(ctx context.Context, repo *dataset.Repo, opts MonitorOptions, every time.Duration, report func(Stored), keepGoing func(error) bool) error {
	for {
		done, err := MonitorOnce(ctx, repo, opts)
		for _, s := range done {
			report(s)
		}
		if err != nil && (ctx.Err() != nil || keepGoing == nil || !keepGoing(err)) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
}

func comparePair(ctx context.Context, repo *dataset.Repo, opts MonitorOptions, ref, cur int) (*Report, error) {
	open := func(v int) (*dataset.Source, error) {
		return dataset.OpenSource(ctx, repo, fmt.Sprintf("%s@v%d", opts.Dataset, v), dataset.DefaultCSVOptions())
	}
	rs, err := open(ref)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cs, err := open(cur)
	if err != nil {
		return nil, err
	}
	defer cs.Close()
	return Compare(ctx, rs, cs, opts.Compare)
}
