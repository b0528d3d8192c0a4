package main

import (
	"context"
	"encoding"
	"errors"
	"fmt"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/drift"
)

// Job says what a pipeline computes. It travels, as JSON, inside the
// pipeline's functions, and every worker rebuilds the analysis from it:
// the sources it names must be readable from the workers (a repository in
// S3, or paths on a disk they share).
type Job struct {
	Command string   // profile, check or drift
	Repo    string   // repository location ("" when the refs are paths)
	Refs    []string // dataset versions pinned as name@vN, or paths
	Columns []string // profile: the columns (nil: all)

	// check
	RulesPath string // the rule file's name, for messages
	Rules     []byte // its text
	Keys      []string
	Samples   int
	Now       time.Time // what freshness rules measure from, the same on every worker

	// drift
	Drift drift.Options
}

// Task is one shard of one stream: drift reads two streams (the reference
// and the current data), profile and check one.
type Task struct {
	Stream int
	Shard  dataset.Shard
}

// state is a decoded analyzer state: a profile, a check partial or a drift
// part.
type state = encoding.BinaryMarshaler

// analysis is one command's work over one or more streams of shards (a
// stream is a source: drift has the reference and the current data). A
// shard's scan gives a state; the states of consecutive shards merge, in
// shard order, into the state of all of them, which the command finishes
// here. Merging in shard order is what makes the result the local run's,
// bit for bit.
type analysis interface {
	// scanners returns each stream's scanner (nil: a stream not scanned,
	// such as a drift reference read from its stored profile).
	scanners() []*dataset.Scanner
	// scan computes the state of the row groups of a stream that only
	// accepts.
	scan(ctx context.Context, stream int, only func(dataset.RowGroup) bool) (state, error)
	decode(stream int, b []byte) (state, error)
	// merge adds next, the state of the shards right after into's.
	merge(into, next state) error
	Close() error
}

// openAnalysis builds a job's analysis: it opens the repository and the
// sources and reads their footers.
func openAnalysis(ctx context.Context, j Job) (analysis, error) {
	var repo *dataset.Repo
	if j.Repo != "" {
		var err error
		if repo, err = dataset.OpenLocation(ctx, j.Repo); err != nil {
			return nil, err
		}
	}
	switch j.Command {
	case "profile":
		return openProfile(ctx, repo, j)
	case "check":
		return openCheck(ctx, repo, j)
	case "drift":
		return openDrift(ctx, repo, j)
	}
	return nil, fmt.Errorf("%w: unknown command %q", dataset.ErrInvalid, j.Command)
}

// openSource opens a ref for a pipeline: CSV files are refused, since
// their conversion to Parquet would happen on every worker apart.
func openSource(ctx context.Context, repo *dataset.Repo, ref string) (*dataset.Source, error) {
	src, err := dataset.OpenSource(ctx, repo, ref, dataset.DefaultCSVOptions())
	if err != nil {
		return nil, err
	}
	if src.Converted() {
		src.Close()
		return nil, fmt.Errorf("%w: %s: pipelines read Parquet only (convert CSV first, or commit it as a dataset: `assay dataset commit`)", dataset.ErrInvalid, ref)
	}
	return src, nil
}

// scanned is one source opened for scanning: the analysis of profile and
// check.
type scanned struct {
	src *dataset.Source
	sc  *dataset.Scanner
}

// openScanned opens a ref and its files' footers.
func openScanned(ctx context.Context, repo *dataset.Repo, ref string) (scanned, error) {
	src, err := openSource(ctx, repo, ref)
	if err != nil {
		return scanned{}, err
	}
	sc, err := src.Scanner(ctx)
	if err != nil {
		src.Close()
		return scanned{}, err
	}
	return scanned{src, sc}, nil
}

func (s scanned) scanners() []*dataset.Scanner { return []*dataset.Scanner{s.sc} }

func (s scanned) Close() error {
	s.sc.Close()
	return s.src.Close()
}

// pin returns the ref that names exactly this source: a version's name@vN
// (a later commit must not change what workers read), or the path.
func pin(src *dataset.Source, ref string) string {
	if src.Manifest != nil {
		return src.Manifest.Label()
	}
	return ref
}

// tasks lists the shards of every stream, in order.
func tasks(an analysis) []Task {
	var out []Task
	for stream, sc := range an.scanners() {
		if sc == nil {
			continue
		}
		for _, sh := range sc.Shards() {
			out = append(out, Task{Stream: stream, Shard: sh})
		}
	}
	return out
}

// scanTask scans one task's shard, after checking that this machine's
// scanner lists the same shard the launcher did.
func scanTask(ctx context.Context, an analysis, t Task) (state, error) {
	scs := an.scanners()
	if t.Stream < 0 || t.Stream >= len(scs) || scs[t.Stream] == nil {
		return nil, fmt.Errorf("%w: no stream %d", errChanged, t.Stream)
	}
	sh := t.Shard
	shards := scs[t.Stream].Shards()
	if sh.Index < 0 || sh.Index >= len(shards) || shards[sh.Index] != sh {
		return nil, fmt.Errorf("%w: shard %d (%s, row group %d) is not there", errChanged, sh.Index, sh.FileName, sh.RowGroup)
	}
	return an.scan(ctx, t.Stream, func(rg dataset.RowGroup) bool { return rg.Index == sh.Index })
}

// errChanged says a worker found other files than the launcher listed.
var errChanged = errors.New("the source changed since the pipeline started")
