// Command assay-loadgen is a small HTTP load generator used to measure the
// latency and throughput of assay's feature server (or any HTTP endpoint).
//
//	go run ./cmd/assay-loadgen -url http://127.0.0.1:PORT/get-online-features -body req.json -c 8 -d 30s
//	go run ./cmd/assay-loadgen -url http://127.0.0.1:PORT/get-online-features -bodies reqs.jsonl -rate 5000 -d 30s -format json
//
// By default it runs closed-loop: -c workers each send their next request
// as soon as the previous one has been answered, which measures the highest
// throughput the server sustains at that concurrency. With -rate R it runs
// open-loop instead: requests are scheduled at a fixed R per second and
// handed to a pool of -c workers; when every worker is busy the schedule
// falls behind but is not skipped, and each request's latency is measured
// from its scheduled send time, not from when it was actually sent. That
// corrects for coordinated omission: a server stall shows up in the
// latencies of every request that should have been sent during it.
//
// Requests sent during -warmup are not counted. A response whose status is
// not 2xx, or a transport error, is an error; errors are counted by status
// code ("transport" for transport errors) and the first one is reported.
// The report gives the counted requests, requests per second, and the
// latency min, mean, p50, p90, p99, p99.9 and max, where the p-th
// percentile is the nearest-rank one: the ceil(p/100·N)-th smallest of the
// N recorded latencies.
//
// The exit status is 0 when the run completed without errors, 1 when any
// counted request erred (the report is still printed), and 2 on bad flags
// or an unreadable or invalid body file. An interrupt (Ctrl-C) ends the run
// early and prints the report of what was measured until then.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// runMain parses args, runs the load and prints the report to stdout. It
// returns the process exit status: 0 when the run had no errors, 1 when any
// counted request erred, 2 on bad flags or body files.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, format, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "assay-loadgen:", err)
		return 2
	}
	rep, err := run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "assay-loadgen:", err)
		return 2
	}
	if format == "json" {
		err = writeJSON(stdout, rep)
	} else {
		err = writeText(stdout, rep)
	}
	if err != nil {
		fmt.Fprintln(stderr, "assay-loadgen:", err)
		return 2
	}
	if rep.Errors > 0 {
		return 1
	}
	return 0
}

// headerFlag collects repeated -header 'Key: Value' flags.
type headerFlag struct{ h http.Header }

func (f *headerFlag) String() string { return "" }

func (f *headerFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, ":")
	k = strings.TrimSpace(k)
	if !ok || k == "" || strings.ContainsAny(k, " \t") {
		return fmt.Errorf("want 'Key: Value', got %q", s)
	}
	f.h.Add(k, strings.TrimSpace(v))
	return nil
}

const usageText = `usage: assay-loadgen -url URL [flags]

Sends HTTP requests to URL for -d after a -warmup, then reports the counted
requests, requests/s and the latency distribution.

Closed loop (default): -c workers each send their next request as soon as
the previous one is answered; latency is measured from the actual send time.

Open loop (-rate R): requests are scheduled at R per second and handed to a
pool of -c workers; when all workers are busy the schedule falls behind but
is not skipped. Latency is measured from each request's SCHEDULED send time,
not its actual send time, which corrects for coordinated omission. Requests
still waiting for a worker at the end are not sent and reported as unsent.

Percentiles are nearest-rank: pP is the ceil(P/100*N)-th smallest of the N
counted latencies. Latencies include erring requests. A non-2xx status
(redirects are not followed) or a transport error is an error. Exit status:
0 ran without errors, 1 some request erred, 2 bad flags or body file.

flags:
`

// parseArgs parses the command line into a config and the output format,
// reading and validating the body files. Usage and flag errors go to stderr.
func parseArgs(args []string, stderr io.Writer) (config, string, error) {
	fs := flag.NewFlagSet("assay-loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	headers := &headerFlag{h: http.Header{}}
	var cfg config
	fs.StringVar(&cfg.URL, "url", "", "target `URL` (required)")
	fs.StringVar(&cfg.Method, "method", http.MethodPost, "HTTP method")
	bodyFile := fs.String("body", "", "request body `file`, sent with every request")
	bodiesFile := fs.String("bodies", "", "JSON-lines `file`, one request body a line, cycled round-robin over requests")
	fs.Var(headers, "header", "request header `'Key: Value'` (repeatable; Content-Type defaults to application/json)")
	fs.IntVar(&cfg.Concurrency, "c", 8, "concurrency: number of workers")
	fs.Float64Var(&cfg.Rate, "rate", 0, "open loop: requests per second over all workers (0: closed loop)")
	fs.DurationVar(&cfg.Duration, "d", 10*time.Second, "measured duration")
	fs.DurationVar(&cfg.Warmup, "warmup", time.Second, "warmup before measuring; its requests are not counted")
	fs.DurationVar(&cfg.Timeout, "timeout", 10*time.Second, "per-request timeout (0: none); a timeout is a transport error")
	fs.StringVar(&cfg.Client, "client", "", "raw: a lean HTTP/1.1 client, one write per request (default for http://); std: net/http's client (default for https://)")
	format := fs.String("format", "text", "report format: text or json")
	if err := fs.Parse(args); err != nil {
		return config{}, "", err
	}
	if fs.NArg() > 0 {
		return config{}, "", fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *format != "text" && *format != "json" {
		return config{}, "", fmt.Errorf("-format %q: want text or json", *format)
	}
	if *bodyFile != "" && *bodiesFile != "" {
		return config{}, "", errors.New("-body and -bodies are exclusive")
	}
	if headers.h.Get("Content-Type") == "" {
		headers.h.Set("Content-Type", "application/json")
	}
	cfg.Headers = headers.h
	if err := cfg.validate(); err != nil {
		return config{}, "", err
	}
	checkJSON := isJSON(cfg.Headers.Get("Content-Type"))
	var err error
	switch {
	case *bodyFile != "":
		cfg.Bodies, err = loadBody(*bodyFile, checkJSON)
	case *bodiesFile != "":
		cfg.Bodies, err = loadBodies(*bodiesFile, checkJSON)
	}
	if err != nil {
		return config{}, "", err
	}
	return cfg, *format, nil
}

// isJSON reports whether the Content-Type names a JSON media type.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// loadBody reads the -body file; with checkJSON its content must be JSON.
func loadBody(name string, checkJSON bool) ([][]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("-body: %v", err)
	}
	if checkJSON && !json.Valid(b) {
		return nil, fmt.Errorf("-body %s: not valid JSON (Content-Type is JSON)", name)
	}
	return [][]byte{b}, nil
}

// loadBodies reads the -bodies JSON-lines file: one body a line, blank lines
// skipped. With checkJSON every line must be JSON; the error names the first
// line that is not.
func loadBodies(name string, checkJSON bool) ([][]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("-bodies: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	var bodies [][]byte
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if checkJSON && !json.Valid(b) {
			return nil, fmt.Errorf("-bodies %s:%d: not valid JSON (Content-Type is JSON): %.60q", name, line, b)
		}
		bodies = append(bodies, bytes.Clone(b))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("-bodies %s:%d: %v", name, line+1, err)
	}
	if len(bodies) == 0 {
		return nil, fmt.Errorf("-bodies %s: no bodies (the file has no non-blank line)", name)
	}
	return bodies, nil
}
