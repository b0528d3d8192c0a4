package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// config is one load run's settings.
type config struct {
	URL     string
	Method  string
	Headers http.Header // sent with every request; a Host entry sets the request's Host
	// Bodies are the request bodies, cycled round-robin over requests in the
	// order they are issued; none means an empty body.
	Bodies      [][]byte
	Concurrency int           // number of workers
	Rate        float64       // open loop: requests per second; 0 means closed loop
	Duration    time.Duration // measured duration
	Warmup      time.Duration // duration before measuring, whose requests are not counted
	Timeout     time.Duration // per-request timeout; 0 means none
	// Client is "raw" (a lean HTTP/1.1 client, for http:// URLs) or "std"
	// (net/http's client); "" picks raw for http:// and std for https://.
	Client string
}

// validate checks the settings that do not involve files.
func (c *config) validate() error {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		return errors.New("-url is required")
	case err != nil:
		return fmt.Errorf("-url: %v", err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return fmt.Errorf("-url %q: want http://host[:port]/path or https://...", c.URL)
	case c.Method == "":
		return errors.New("-method is empty")
	case c.Concurrency < 1:
		return fmt.Errorf("-c %d: want at least 1", c.Concurrency)
	case c.Rate < 0 || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0):
		return fmt.Errorf("-rate %v: want a finite rate ≥ 0", c.Rate)
	case c.Duration <= 0:
		return fmt.Errorf("-d %v: want a positive duration", c.Duration)
	case c.Warmup < 0:
		return fmt.Errorf("-warmup %v: want a duration ≥ 0", c.Warmup)
	case c.Timeout < 0:
		return fmt.Errorf("-timeout %v: want a duration ≥ 0", c.Timeout)
	case c.Client != "" && c.Client != "raw" && c.Client != "std":
		return fmt.Errorf("-client %q: want raw or std", c.Client)
	case c.Client == "raw" && u.Scheme != "http":
		return fmt.Errorf("-client raw speaks plain http://, not %s://", u.Scheme)
	}
	if _, err := http.NewRequest(c.Method, c.URL, nil); err != nil {
		return fmt.Errorf("-method %q -url %q: %v", c.Method, c.URL, err)
	}
	return nil
}

// report is the outcome of a run.
type report struct {
	Method, URL string
	Concurrency int
	Rate        float64
	// Duration is the measured time: from the end of the warmup until the
	// last worker finished (the in-flight requests of the end included).
	Duration       time.Duration
	Requests       int            // counted requests, errors included
	WarmupRequests int            // requests sent during the warmup, not counted
	Unsent         int            // open loop: due in the measured window but still waiting for a worker at its end
	Errors         int            // counted requests that erred
	ErrorsByStatus map[string]int // errors by status code, or "transport"
	FirstError     *requestError  // the earliest counted error, if any
	Latency        latencySummary // over all counted requests
	Interrupted    bool           // the run was cancelled before its end
}

// requestError describes one failed request.
type requestError struct {
	Status  string // the status code, or "transport"
	Message string
	at      time.Time
}

// latencySummary summarises a latency distribution; percentiles are
// nearest-rank (see percentile).
type latencySummary struct {
	Min, Mean, P50, P90, P99, P999, Max time.Duration
}

// RPS returns the counted requests per second of measured duration.
func (r *report) RPS() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Duration.Seconds()
}

// percentile returns the nearest-rank p-th percentile of the ascending
// latencies: the ceil(p/100·N)-th smallest of the N values (the smallest for
// p ≤ 0, the largest for p ≥ 100), or 0 when there are none. p is taken as
// the decimal it prints as, so 99.9 of 1000 values is exactly the 999th,
// not the 1000th that the binary float 99.9000000000000057 would give.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case !(p > 0): // NaN too
		return sorted[0]
	case p >= 100:
		return sorted[n-1]
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(p, 'g', -1, 64))
	if !ok {
		return sorted[n-1]
	}
	r.Mul(r, big.NewRat(int64(n), 100))
	rank, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if rem.Sign() != 0 {
		rank.Add(rank, big.NewInt(1))
	}
	k := int(rank.Int64())
	return sorted[min(max(k, 1), n)-1]
}

// summarize sorts the latencies in place and summarises them.
func summarize(lat []time.Duration) latencySummary {
	if len(lat) == 0 {
		return latencySummary{}
	}
	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	return latencySummary{
		Min:  lat[0],
		Mean: sum / time.Duration(len(lat)),
		P50:  percentile(lat, 50),
		P90:  percentile(lat, 90),
		P99:  percentile(lat, 99),
		P999: percentile(lat, 99.9),
		Max:  lat[len(lat)-1],
	}
}

// newClient returns an HTTP client for many keep-alive requests to one host
// from c workers. It does not follow redirects (a 3xx is then an error), does
// not use a proxy, and does not ask for compression.
func newClient(c int, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        c,
		MaxIdleConnsPerHost: c,
		MaxConnsPerHost:     0,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// window is a run's timeline: the warmup starts at start and the measured
// window is [measure, end). Closed-loop workers start no request at or after
// end; open loop sends only requests due before end (see schedule).
type window struct{ start, measure, end time.Time }

// job is one request to send: the body index and, in open loop, its
// scheduled send time.
type job struct {
	i  int
	at time.Time
}

// workerResult is what one worker recorded; merged after the run.
type workerResult struct {
	lat      []time.Duration
	warmup   int
	errs     map[string]int
	firstErr *requestError
}

// run sends the load described by cfg and reports on it. Cancelling ctx
// stops the run early; requests cut short by the cancellation are not
// counted and the report is marked interrupted.
func run(ctx context.Context, cfg config) (*report, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Client == "" {
		cfg.Client = "raw"
		if strings.HasPrefix(cfg.URL, "https:") {
			cfg.Client = "std"
		}
	}
	senders := make([]sender, cfg.Concurrency)
	client := newClient(cfg.Concurrency, cfg.Timeout)
	defer client.CloseIdleConnections()
	for k := range senders {
		if cfg.Client == "std" {
			senders[k] = &stdSender{client: client, cfg: &cfg}
			continue
		}
		raw, err := newRawSender(&cfg)
		if err != nil {
			return nil, err
		}
		senders[k] = raw
		// Cancelling the run cuts the requests in flight short.
		stop := context.AfterFunc(ctx, raw.abort)
		defer stop()
	}
	defer func() {
		for _, s := range senders {
			s.close()
		}
	}()

	now := time.Now()
	w := window{start: now, measure: now.Add(cfg.Warmup)}
	w.end = w.measure.Add(cfg.Duration)

	results := make([]workerResult, cfg.Concurrency)
	var wg sync.WaitGroup
	var schedUnsent int
	if cfg.Rate > 0 {
		jobs := make(chan job)
		wg.Go(func() { schedUnsent = schedule(ctx, jobs, w, cfg.Rate) })
		for k := range results {
			wg.Go(func() { results[k] = openWorker(ctx, senders[k], w, &cfg, jobs) })
		}
	} else {
		var next atomic.Int64
		for k := range results {
			wg.Go(func() { results[k] = closedWorker(ctx, senders[k], w, &cfg, &next) })
		}
	}
	wg.Wait()

	rep := &report{
		Method:         cfg.Method,
		URL:            cfg.URL,
		Concurrency:    cfg.Concurrency,
		Rate:           cfg.Rate,
		Duration:       max(time.Since(w.measure), 0),
		Unsent:         schedUnsent,
		ErrorsByStatus: map[string]int{},
		Interrupted:    ctx.Err() != nil,
	}
	n := 0
	for _, r := range results {
		n += len(r.lat)
	}
	lat := make([]time.Duration, 0, n)
	for _, r := range results {
		lat = append(lat, r.lat...)
		rep.WarmupRequests += r.warmup
		for s, c := range r.errs {
			rep.ErrorsByStatus[s] += c
			rep.Errors += c
		}
		if f := r.firstErr; f != nil && (rep.FirstError == nil || f.at.Before(rep.FirstError.at)) {
			rep.FirstError = f
		}
	}
	rep.Requests = len(lat)
	rep.Latency = summarize(lat)
	return rep, nil
}

// closedWorker sends requests back to back until the end of w, taking body
// indexes from next. Latency is measured from the actual send time.
func closedWorker(ctx context.Context, snd sender, w window, cfg *config, next *atomic.Int64) workerResult {
	res := workerResult{errs: map[string]int{}}
	for {
		if ctx.Err() != nil || !time.Now().Before(w.end) {
			return res
		}
		i := int(next.Add(1) - 1)
		res.send(ctx, snd, cfg, w, i, time.Time{})
	}
}

// openWorker sends the jobs it receives, measuring latency from each job's
// scheduled time.
func openWorker(ctx context.Context, snd sender, w window, cfg *config, jobs <-chan job) workerResult {
	res := workerResult{errs: map[string]int{}}
	for j := range jobs {
		if ctx.Err() == nil {
			res.send(ctx, snd, cfg, w, j.i, j.at)
		}
	}
	return res
}

// schedule hands jobs to the workers at rate per second, then closes jobs.
// Job i is due at start + i/rate, for every due time before the end of w.
// When no worker is free the schedule falls behind and catches up later,
// never skipping a job. Once the end has passed, the jobs still due are
// handed only to workers that are idle at once (so timer slack at the end
// loses nothing); the first that finds none ends the schedule, and the jobs
// left that are due in the measured window are returned as unsent.
func schedule(ctx context.Context, jobs chan<- job, w window, rate float64) (unsent int) {
	defer close(jobs)
	span := float64(w.end.Sub(w.start))
	// due returns job i's due time, and false when that is not before the end.
	due := func(i int) (time.Time, bool) {
		off := float64(i) * float64(time.Second) / rate
		if off >= span {
			return time.Time{}, false
		}
		return w.start.Add(time.Duration(off)), true
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	endTimer := time.NewTimer(time.Until(w.end))
	defer endTimer.Stop()
	ended := false
	for i := 0; ; i++ {
		at, ok := due(i)
		if !ok {
			return 0
		}
		j := job{i: i, at: at}
		if !ended {
			if d := time.Until(at); d > 0 {
				timer.Reset(d)
				select {
				case <-timer.C:
				case <-ctx.Done():
					return 0
				}
			}
			select {
			case jobs <- j:
				continue
			case <-ctx.Done():
				return 0
			case <-endTimer.C:
				ended = true
			}
		}
		select {
		case jobs <- j:
			continue
		default:
		}
		for ; ok; at, ok = due(i) {
			if !at.Before(w.measure) {
				unsent++
			}
			i++
		}
		return unsent
	}
}

// send sends the request with body index i and records it. scheduled is
// the open-loop send time the latency is measured from; zero in closed loop,
// where the actual send time is used. A request is counted when the time it
// is measured from is in the measured window.
func (res *workerResult) send(ctx context.Context, snd sender, cfg *config, w window, i int, scheduled time.Time) {
	var body []byte
	if len(cfg.Bodies) > 0 {
		body = cfg.Bodies[i%len(cfg.Bodies)]
	}
	sent := time.Now()
	from := sent
	if !scheduled.IsZero() {
		from = scheduled
	}
	status, msg, err := snd.do(ctx, body)
	done := time.Now()
	if ctx.Err() != nil {
		return // cut short by cancellation: not counted
	}
	if from.Before(w.measure) {
		res.warmup++
		return
	}
	res.lat = append(res.lat, done.Sub(from))
	switch {
	case err != nil:
		res.fail(sent, "transport", err.Error())
	case status < 200 || status > 299:
		res.fail(sent, strconv.Itoa(status), msg)
	}
}

// fail records an error of a counted request.
func (res *workerResult) fail(at time.Time, status, msg string) {
	res.errs[status]++
	if res.firstErr == nil {
		res.firstErr = &requestError{Status: status, Message: msg, at: at}
	}
}

// newRequest builds one request of cfg with the given body.
func newRequest(ctx context.Context, cfg *config, body []byte) (*http.Request, error) {
	var r io.Reader = http.NoBody
	if len(body) > 0 {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, cfg.Method, cfg.URL, r)
	if err != nil {
		return nil, err
	}
	if cfg.Headers != nil {
		req.Header = cfg.Headers.Clone()
	}
	if h := req.Header.Get("Host"); h != "" {
		req.Host = h
		req.Header.Del("Host")
	}
	return req, nil
}

// do sends req and reads the whole response body, so that the connection
// is reused. For a non-2xx status, msg describes the status and the start
// of the body. err is a transport error, reading the body included.
func do(client *http.Client, req *http.Request) (status int, msg string, err error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		head, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		msg = "HTTP " + resp.Status
		if s := strings.TrimSpace(string(head)); s != "" {
			msg += ": " + s
		}
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, "", fmt.Errorf("reading the response body: %w", err)
	}
	return resp.StatusCode, msg, nil
}

// ms formats d in milliseconds.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
}

// writeText writes the report for people.
func writeText(w io.Writer, r *report) error {
	var b strings.Builder
	mode := fmt.Sprintf("closed loop, %d workers", r.Concurrency)
	if r.Rate > 0 {
		mode = fmt.Sprintf("open loop at %g/s over %d workers, latency from scheduled send time", r.Rate, r.Concurrency)
	}
	fmt.Fprintf(&b, "target     %s %s (%s)\n", r.Method, r.URL, mode)
	if r.Interrupted {
		b.WriteString("           interrupted before the end\n")
	}
	fmt.Fprintf(&b, "requests   %d in %.1fs (%.1f/s), %d errors\n", r.Requests, r.Duration.Seconds(), r.RPS(), r.Errors)
	if r.Requests == 0 {
		b.WriteString("latency    no requests counted\n")
	} else {
		l := r.Latency
		fmt.Fprintf(&b, "latency    min %s  mean %s  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n",
			ms(l.Min), ms(l.Mean), ms(l.P50), ms(l.P90), ms(l.P99), ms(l.P999), ms(l.Max))
	}
	if r.Unsent > 0 {
		fmt.Fprintf(&b, "unsent     %d scheduled requests still waiting for a worker at the end (the server or the workers could not keep up)\n", r.Unsent)
	}
	if r.Errors > 0 {
		keys := make([]string, 0, len(r.ErrorsByStatus))
		for k := range r.ErrorsByStatus {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s: %d", k, r.ErrorsByStatus[k])
		}
		fmt.Fprintf(&b, "errors     %s\n", strings.Join(parts, "  "))
		if f := r.FirstError; f != nil {
			fmt.Fprintf(&b, "first      %s: %s\n", f.Status, f.Message)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonReport is the -format json report.
type jsonReport struct {
	DurationS      float64        `json:"duration_s"`
	Requests       int            `json:"requests"`
	Errors         int            `json:"errors"`
	ErrorsByStatus map[string]int `json:"errors_by_status"`
	RPS            float64        `json:"rps"`
	LatencyMS      jsonLatency    `json:"latency_ms"`
	Concurrency    int            `json:"concurrency"`
	Rate           float64        `json:"rate"`
	WarmupRequests int            `json:"warmup_requests"`
	Unsent         int            `json:"unsent"`
	FirstError     *jsonError     `json:"first_error,omitempty"`
	Interrupted    bool           `json:"interrupted,omitempty"`
}

type jsonLatency struct {
	Min  float64 `json:"min"`
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
}

type jsonError struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// writeJSON writes the report as one JSON object.
func writeJSON(w io.Writer, r *report) error {
	f := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	l := r.Latency
	out := jsonReport{
		DurationS:      r.Duration.Seconds(),
		Requests:       r.Requests,
		Errors:         r.Errors,
		ErrorsByStatus: r.ErrorsByStatus,
		RPS:            r.RPS(),
		LatencyMS:      jsonLatency{f(l.Min), f(l.Mean), f(l.P50), f(l.P90), f(l.P99), f(l.P999), f(l.Max)},
		Concurrency:    r.Concurrency,
		Rate:           r.Rate,
		WarmupRequests: r.WarmupRequests,
		Unsent:         r.Unsent,
		Interrupted:    r.Interrupted,
	}
	if out.ErrorsByStatus == nil {
		out.ErrorsByStatus = map[string]int{}
	}
	if e := r.FirstError; e != nil {
		out.FirstError = &jsonError{e.Status, e.Message}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
