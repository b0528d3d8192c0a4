// Command assay-beam runs assay's heavy scans (profile, check and drift)
// as Apache Beam pipelines, the way TensorFlow Data Validation computes
// statistics at scale. The shards are the Parquet row groups of the
// sources; a worker scans a shard with the same analyzers `assay` runs
// locally and leaves their state in an exchange store (a directory or an
// S3 prefix); one worker merges each source's states in shard order; this
// command finishes the result and prints it as `assay` does. The result
// is the local run's, bit for bit.
//
// It lives in its own module so that Beam's SDK stays out of the `assay`
// binary. Beam's flags (--runner, --endpoint, --environment_type, ...)
// come before the command:
//
//	assay-beam --runner=prism profile churn@v3
//	assay-beam --runner=dataflow --project=P --region=R --staging_location=gs://B/s \
//	    --repo s3://bucket/repo --exchange s3://bucket/tmp check --rules rules.yaml churn
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// Exit codes, as assay's.
const (
	exitOK          = 0   // success
	exitFailed      = 1   // a quality failure: checks failed, drift found
	exitInput       = 2   // usage, input or pipeline error
	exitInterrupted = 130 // interrupted
)

// global are the flags before the command (besides Beam's own).
type global struct {
	repo     string
	exchange string
	verbose  bool
}

func main() {
	g := &global{}
	flag.StringVar(&g.repo, "repo", os.Getenv("ASSAY_REPO"), "repository: a directory or s3://bucket/prefix (default $ASSAY_REPO)")
	flag.StringVar(&g.exchange, "exchange", "", "where the pipeline leaves its merged states: a directory or s3:// URL both the workers and this command reach (default: a temporary directory, for runners on this machine)")
	flag.BoolVar(&g.verbose, "verbose", false, "show the runner's log (Prism logs every stage)")
	flag.Usage = func() { usage(os.Stderr) }
	flag.Parse()
	// Init returns at once here; on a worker started by a remote runner it
	// runs the worker and exits.
	beam.Init()
	runnerLogs(g.verbose)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, g, flag.Args(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: assay-beam [beam flags] [--repo LOC] [--exchange LOC] [--verbose] COMMAND [flags] ARGS

Commands:
  profile REF|PATH              profile columns, as assay profile --format json|text
  check --rules FILE REF|PATH   run quality rules, as assay check
  drift REF|PATH REF|PATH       compare the current data with a reference, as assay drift

Beam's flags choose the runner: --runner=prism (the default) runs in this
process; the README shows Dataflow, Flink and Spark. --verbose shows the
runner's log. Run "assay-beam COMMAND -h" for a command's flags.
`)
}

// failure is a quality failure (exit code 1).
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

// run executes one command line and returns the exit code.
func run(ctx context.Context, g *global, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitInput
	}
	var err error
	switch args[0] {
	case "profile":
		err = runProfile(ctx, g, args[1:], stdout, stderr)
	case "check":
		err = runCheck(ctx, g, args[1:], stdout, stderr)
	case "drift":
		err = runDrift(ctx, g, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return exitOK
	default:
		fmt.Fprintf(stderr, "assay-beam: unknown command %q\n", args[0])
		usage(stderr)
		return exitInput
	}
	var f *failure
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &f):
		if f.msg != "" {
			fmt.Fprintf(stderr, "assay-beam: %s\n", f.msg)
		}
		return exitFailed
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "assay-beam: interrupted")
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "assay-beam: %v\n", err)
	return exitInput
}

// newFlags returns a command's flag set, whose errors are returned, not
// printed and exited on.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("assay-beam "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// runnerLogs keeps the runner's log off stderr unless verbose: Prism logs
// every stage, and a failed bundle several times over; the command reports
// the failure itself, once.
func runnerLogs(verbose bool) {
	level := slog.Level(100)
	if verbose {
		level = slog.LevelInfo
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
}
