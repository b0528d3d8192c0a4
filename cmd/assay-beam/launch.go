package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/assayhq/assay/dataset"
)

// execute runs a job's pipeline and returns each stream's merged state
// (nil for a stream not scanned). The launcher's analysis an lists the
// shards and decodes the results; the workers build their own from j.
func execute(ctx context.Context, g *global, an analysis, j Job) ([]state, error) {
	ts := tasks(an)
	scs := an.scanners()
	counts := make([]int, len(scs))
	for _, t := range ts {
		counts[t.Stream]++
	}
	out := make([]state, len(scs))
	// A stream without row groups has nothing to distribute: its (empty)
	// state is computed here.
	for stream, sc := range scs {
		if sc != nil && counts[stream] == 0 {
			st, err := an.scan(ctx, stream, nil)
			if err != nil {
				return nil, err
			}
			out[stream] = st
		}
	}
	if len(ts) == 0 {
		return out, nil
	}
	exchange := g.exchange
	if exchange != "" && !dataset.IsURL(exchange) {
		abs, err := filepath.Abs(exchange) // for workers started elsewhere
		if err != nil {
			return nil, err
		}
		exchange = abs
	}
	if exchange == "" {
		dir, err := os.MkdirTemp("", "assay-beam-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		exchange = dir
	}
	ex, err := openExchange(ctx, exchange)
	if err != nil {
		return nil, fmt.Errorf("exchange %s: %w", exchange, err)
	}
	key := newRunKey()
	defer ex.removeRun(context.WithoutCancel(ctx), key)
	if err := beamx.Run(ctx, newPipeline(j, ts, counts, exchange, key)); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("pipeline: %s", dofnError(err))
	}
	for stream, n := range counts {
		if n == 0 {
			continue
		}
		b, err := ex.get(ctx, stateKey(key, stream, n))
		if err != nil {
			return nil, fmt.Errorf("pipeline result: %w", err)
		}
		if out[stream], err = an.decode(stream, b); err != nil {
			return nil, fmt.Errorf("pipeline result: %w", err)
		}
	}
	return out, nil
}

// parseArgs parses a command's flags, which may come before or after its
// arguments, and checks the argument count.
func parseArgs(fs *flag.FlagSet, args []string, want int, names string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != want {
		return nil, fmt.Errorf("%w: %s takes %s (got %d arguments)", dataset.ErrInvalid, strings.TrimPrefix(fs.Name(), "assay-beam "), names, len(pos))
	}
	return pos, nil
}

// list splits a comma-separated flag value (empty: nil).
func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// repoLocation is the repository the command reads: --repo or
// $ASSAY_REPO, else the one around the working directory ("" if none).
// A local one is made absolute, for workers started elsewhere.
func repoLocation(g *global) (string, error) {
	if g.repo != "" {
		if dataset.IsURL(g.repo) {
			return g.repo, nil
		}
		return filepath.Abs(g.repo)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	dir, err := dataset.Find(wd)
	if errors.Is(err, dataset.ErrNotFound) {
		return "", nil
	}
	return dir, err
}

// absRef makes a path ref absolute, for workers started elsewhere; a
// dataset ref is returned as it is.
func absRef(ref string) string {
	r, err := dataset.ParseRef(ref)
	if err != nil || r.Kind != dataset.RefPath || filepath.IsAbs(ref) {
		return ref
	}
	if abs, err := filepath.Abs(ref); err == nil {
		return abs
	}
	return ref
}

// oneOf checks a flag's value against its choices.
func oneOf(flag, value string, choices ...string) error {
	if slices.Contains(choices, value) {
		return nil
	}
	return fmt.Errorf("%w: %s %q: want %s", dataset.ErrInvalid, flag, value, strings.Join(choices, ", "))
}

// dofnError returns what a failed pipeline's function said: the runner
// wraps it in its plan and stages, after the last "failed:" line.
func dofnError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "] failed:\n"); i >= 0 {
		return strings.TrimSpace(msg[i+len("] failed:\n"):])
	}
	return msg
}
