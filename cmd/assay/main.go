// Command assay is data-centric machine learning in one binary: versioned
// Parquet datasets, quality checks, drift, label review, a feature store and
// training, each with a self-contained HTML report.
//
// This package holds the cobra commands only: each parses its flags into an
// options struct and calls the packages that do the work. Exit codes are
// decided here, in one place, from error classes (see exitCode).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitOK          = 0   // success
	exitFailed      = 1   // a quality failure: checks failed, drift found, damage found
	exitInput       = 2   // usage, configuration or input error
	exitInterrupted = 130 // interrupted (Ctrl-C)
)

func main() { os.Exit(run()) }

// run executes the command line and returns the exit code.
func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	io := systemStreams()
	cmd := newRootCmd(io)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(ctx, err)
	var silent *failure
	switch {
	case code == exitInterrupted:
		// Not "context canceled": say what happened.
		fmt.Fprintln(io.Err, "assay: interrupted")
	case !errors.As(err, &silent) || silent.msg != "":
		fmt.Fprintf(io.Err, "assay: %v\n", err)
	}
	return code
}

// failure is a quality failure: the command ran and found a problem in the
// data (exit code 1). Its message, if any, is printed on stderr.
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

// exitCode maps an error to the exit code.
func exitCode(ctx context.Context, err error) int {
	var f *failure
	switch {
	case errors.As(err, &f):
		return exitFailed
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return exitInterrupted
	default:
		return exitInput
	}
}
