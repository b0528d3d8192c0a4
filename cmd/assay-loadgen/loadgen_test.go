package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	// The classic example: 15 20 35 40 50.
	five := ms(15, 20, 35, 40, 50)
	thousand := make([]time.Duration, 1000)
	for i := range thousand {
		thousand[i] = time.Duration(i + 1) // 1ns … 1000ns
	}
	cases := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"p0 is min", five, 0, 15 * time.Millisecond},
		{"p5: rank ceil(0.25)=1", five, 5, 15 * time.Millisecond},
		{"p30: rank ceil(1.5)=2", five, 30, 20 * time.Millisecond},
		{"p40: rank 2 exactly", five, 40, 20 * time.Millisecond},
		{"p50: rank ceil(2.5)=3", five, 50, 35 * time.Millisecond},
		{"p100 is max", five, 100, 50 * time.Millisecond},
		{"one value", ms(7), 99.9, 7 * time.Millisecond},
		{"p50 of 1000: rank 500", thousand, 50, 500},
		{"p90 of 1000: rank 900", thousand, 90, 900},
		{"p99 of 1000: rank 990", thousand, 99, 990},
		{"p99.9 of 1000: rank 999, not 1000", thousand, 99.9, 999},
		{"p99.9 of 999: rank ceil(998.001)=999", thousand[:999], 99.9, 999},
		{"p99.9 of 10: rank ceil(9.99)=10", thousand[:10], 99.9, 10},
		{"p90 of 10: rank 9", thousand[:10], 90, 9},
		{"p10 of 3: rank ceil(0.3)=1", thousand[:3], 10, 1},
		{"p34 of 3: rank ceil(1.02)=2", thousand[:3], 34, 2},
	}
	for _, c := range cases {
		if got := percentile(c.sorted, c.p); got != c.want {
			t.Errorf("%s: percentile(p=%v) = %v, want %v", c.name, c.p, got, c.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	lat := []time.Duration{5, 1, 4, 2, 3}
	s := summarize(lat)
	want := latencySummary{Min: 1, Mean: 3, P50: 3, P90: 5, P99: 5, P999: 5, Max: 5}
	if s != want {
		t.Errorf("summarize = %+v, want %+v", s, want)
	}
}

// countingServer counts requests and records their bodies in arrival order.
type countingServer struct {
	*httptest.Server
	n      atomic.Int64
	mu     sync.Mutex
	bodies []string
}

// newServer starts a server whose handler first counts and records the
// request, then calls h (which may be nil for a plain 200).
func newServer(t *testing.T, h func(n int64, w http.ResponseWriter, r *http.Request)) *countingServer {
	s := &countingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, string(b))
		s.mu.Unlock()
		n := s.n.Add(1)
		if h != nil {
			h(n, w, r)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(s.Close)
	return s
}

func testConfig(url string) config {
	return config{
		URL:         url,
		Method:      http.MethodPost,
		Headers:     http.Header{"Content-Type": {"application/json"}},
		Concurrency: 4,
		Duration:    300 * time.Millisecond,
		Warmup:      100 * time.Millisecond,
		Timeout:     5 * time.Second,
	}
}

func TestClosedLoop(t *testing.T) {
	t.Parallel()
	var badHeader atomic.Int64
	srv := newServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Test") != "yes" {
			badHeader.Add(1)
		}
	})
	cfg := testConfig(srv.URL)
	cfg.Headers.Set("X-Test", "yes")
	cfg.Bodies = [][]byte{[]byte(`{"id":1}`)}
	start := time.Now()
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if rep.Requests == 0 || rep.Errors != 0 || len(rep.ErrorsByStatus) != 0 || rep.FirstError != nil {
		t.Fatalf("requests %d errors %d %v first %v; want some requests and no errors", rep.Requests, rep.Errors, rep.ErrorsByStatus, rep.FirstError)
	}
	if rep.WarmupRequests == 0 {
		t.Errorf("no warmup requests in a 100ms warmup")
	}
	// Every request the server saw was either a warmup one or a counted one.
	if got, want := srv.n.Load(), int64(rep.Requests+rep.WarmupRequests); got != want {
		t.Errorf("server saw %d requests, report has %d counted + %d warmup = %d", got, rep.Requests, rep.WarmupRequests, want)
	}
	if n := badHeader.Load(); n > 0 {
		t.Errorf("%d requests lacked the headers", n)
	}
	if rep.Duration < cfg.Duration || rep.Duration > elapsed {
		t.Errorf("measured duration %v; want between -d %v and the run's %v", rep.Duration, cfg.Duration, elapsed)
	}
	if rps := rep.RPS(); rps <= 0 || rps > float64(rep.Requests)/cfg.Duration.Seconds() {
		t.Errorf("rps %v inconsistent with %d requests in %v", rps, rep.Requests, rep.Duration)
	}
	l := rep.Latency
	if !(0 < l.Min && l.Min <= l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.P999 && l.P999 <= l.Max && l.Min <= l.Mean && l.Mean <= l.Max) {
		t.Errorf("latency summary out of order: %+v", l)
	}
	var buf bytes.Buffer
	if err := writeText(&buf, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"requests   ", " 0 errors", "latency    min ", "p99.9 "} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestBodiesRoundRobin(t *testing.T) {
	t.Parallel()
	bodies := [][]byte{[]byte(`{"id":0}`), []byte(`{"id":1}`), []byte(`{"id":2}`)}

	t.Run("one worker, in order", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, nil)
		cfg := testConfig(srv.URL)
		cfg.Concurrency, cfg.Duration, cfg.Warmup = 1, 150*time.Millisecond, 0
		cfg.Bodies = bodies
		rep, err := run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		srv.mu.Lock()
		defer srv.mu.Unlock()
		if len(srv.bodies) < 4 || len(srv.bodies) != rep.Requests {
			t.Fatalf("server saw %d bodies, report %d requests; want equal and at least 4", len(srv.bodies), rep.Requests)
		}
		for i, b := range srv.bodies {
			if want := string(bodies[i%3]); b != want {
				t.Fatalf("request %d had body %s, want %s", i, b, want)
			}
		}
	})

	t.Run("four workers, balanced", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, nil)
		cfg := testConfig(srv.URL)
		cfg.Duration, cfg.Warmup = 150*time.Millisecond, 0
		cfg.Bodies = bodies
		if _, err := run(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		srv.mu.Lock()
		defer srv.mu.Unlock()
		count := map[string]int{}
		for _, b := range srv.bodies {
			count[b]++
		}
		lo, hi := len(srv.bodies), 0
		for _, b := range bodies {
			lo, hi = min(lo, count[string(b)]), max(hi, count[string(b)])
		}
		if len(count) != 3 || hi-lo > 1 {
			t.Errorf("bodies sent %v times; want the 3 bodies, as often as each other ±1", count)
		}
	})
}

func TestErrorsCountedByStatus(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n%3 == 0 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		w.Write([]byte("{}"))
	})
	cfg := testConfig(srv.URL)
	cfg.Warmup = 0
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors == 0 || rep.ErrorsByStatus["500"] != rep.Errors || len(rep.ErrorsByStatus) != 1 {
		t.Fatalf("errors %d by status %v; want all of them 500", rep.Errors, rep.ErrorsByStatus)
	}
	// Every third request the server saw failed.
	if got, want := rep.Errors, int(srv.n.Load()/3); got != want {
		t.Errorf("errors %d, want %d (a third of %d)", got, want, srv.n.Load())
	}
	if f := rep.FirstError; f == nil || f.Status != "500" || !strings.Contains(f.Message, "boom") {
		t.Errorf("first error %+v; want status 500 and the body", f)
	}

	// The command prints the report and exits 1.
	var out, errOut bytes.Buffer
	code := runMain(context.Background(), []string{"-url", srv.URL, "-d", "100ms", "-warmup", "0", "-c", "2"}, &out, &errOut)
	if code != 1 {
		t.Errorf("exit code %d, want 1; stderr %s", code, errOut.String())
	}
	for _, want := range []string{"errors     500: ", "first      500: HTTP 500 Internal Server Error: boom", "latency    min"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestTransportError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more
	cfg := testConfig(url)
	cfg.Duration, cfg.Warmup, cfg.Concurrency = 50*time.Millisecond, 0, 1
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors == 0 || rep.Errors != rep.Requests || rep.ErrorsByStatus["transport"] != rep.Errors {
		t.Errorf("requests %d errors %v; want every request a transport error", rep.Requests, rep.ErrorsByStatus)
	}
}

func TestOpenLoopRate(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	cfg := testConfig(srv.URL)
	cfg.Rate, cfg.Duration, cfg.Warmup = 200, 500*time.Millisecond, 0
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests < 70 || rep.Requests > 130 || rep.Errors != 0 {
		t.Errorf("%d requests, %d errors at 200/s for 500ms; want about 100 and no errors", rep.Requests, rep.Errors)
	}
	if got := srv.n.Load(); got != int64(rep.Requests) {
		t.Errorf("server saw %d requests, report %d", got, rep.Requests)
	}
}

// A server slower than the schedule: latency must be measured from the
// scheduled send time, so the backlog shows up in it.
func TestOpenLoopCoordinatedOmission(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(_ int64, w http.ResponseWriter, _ *http.Request) {
		time.Sleep(20 * time.Millisecond)
	})
	cfg := testConfig(srv.URL)
	// 100/s is one every 10ms, one worker answers one every 20ms: request k
	// waits about 10k ms for its turn.
	cfg.Rate, cfg.Concurrency, cfg.Duration, cfg.Warmup = 100, 1, 300*time.Millisecond, 0
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests < 5 || rep.Unsent < 5 {
		t.Fatalf("%d requests, %d unsent; want the worker busy all along and a backlog", rep.Requests, rep.Unsent)
	}
	if got, want := srv.n.Load(), int64(rep.Requests); got != want {
		t.Errorf("server saw %d requests, report %d", got, want)
	}
	// Measured from the actual send time every latency would be ~20ms.
	if rep.Latency.Max < 80*time.Millisecond || rep.Latency.P50 < 40*time.Millisecond {
		t.Errorf("latency p50 %v max %v; want the growing wait for the schedule in them", rep.Latency.P50, rep.Latency.Max)
	}
}

func TestSlowHandlerLatency(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(_ int64, w http.ResponseWriter, _ *http.Request) {
		time.Sleep(20 * time.Millisecond)
	})
	cfg := testConfig(srv.URL)
	cfg.Duration, cfg.Warmup = 200*time.Millisecond, 0
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests == 0 {
		t.Fatal("no requests")
	}
	if rep.Latency.P50 < 20*time.Millisecond || rep.Latency.Min < 20*time.Millisecond {
		t.Errorf("p50 %v min %v; want ≥ 20ms from a handler sleeping 20ms", rep.Latency.P50, rep.Latency.Min)
	}
	// 4 workers × 200ms / 20ms: at most about 40 requests.
	if rep.Requests > 44 {
		t.Errorf("%d requests; 4 workers cannot do more than ~40 of 20ms in 200ms", rep.Requests)
	}
}

func TestJSONReport(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	var out, errOut bytes.Buffer
	code := runMain(context.Background(), []string{"-url", srv.URL, "-d", "100ms", "-warmup", "0", "-c", "2", "-format", "json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit code %d; stderr %s", code, errOut.String())
	}
	var got struct {
		DurationS      *float64           `json:"duration_s"`
		Requests       int                `json:"requests"`
		Errors         *int               `json:"errors"`
		ErrorsByStatus map[string]int     `json:"errors_by_status"`
		RPS            float64            `json:"rps"`
		LatencyMS      map[string]float64 `json:"latency_ms"`
		Concurrency    int                `json:"concurrency"`
		Rate           *float64           `json:"rate"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v in %s", err, out.String())
	}
	if got.DurationS == nil || *got.DurationS < 0.1 || got.Requests == 0 || got.Errors == nil || *got.Errors != 0 ||
		got.ErrorsByStatus == nil || got.RPS <= 0 || got.Concurrency != 2 || got.Rate == nil || *got.Rate != 0 {
		t.Errorf("json report %s", out.String())
	}
	for _, k := range []string{"min", "mean", "p50", "p90", "p99", "p999", "max"} {
		if v, ok := got.LatencyMS[k]; !ok || v <= 0 {
			t.Errorf("latency_ms.%s = %v (present %v)", k, v, ok)
		}
	}
}

func TestBadBodiesFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "reqs.jsonl")
	content := "{\"id\":1}\n\n{\"id\":2}\nnot json\n{\"id\":3}\n"
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := runMain(context.Background(), []string{"-url", "http://127.0.0.1:1/x", "-bodies", name}, &out, &errOut)
	if code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if want := name + ":4:"; !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr %q does not name %q", errOut.String(), want)
	}
	if out.Len() != 0 {
		t.Errorf("printed a report: %s", out.String())
	}

	// A non-JSON Content-Type takes any line.
	bodies, err := loadBodies(name, false)
	if err != nil || len(bodies) != 4 || string(bodies[2]) != "not json" {
		t.Errorf("loadBodies without JSON check = %q, %v", bodies, err)
	}
}

func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "req.json")
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(good, []byte(`{"a":1}`), 0o644)
	os.WriteFile(bad, []byte(`{"a":`), 0o644)
	missing := filepath.Join(dir, "missing.json")
	u := "http://127.0.0.1:1/x"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{}, "-url is required"},
		{[]string{"-url", "ftp://x/"}, "-url"},
		{[]string{"-url", u, "-c", "0"}, "-c 0"},
		{[]string{"-url", u, "-d", "0s"}, "-d"},
		{[]string{"-url", u, "-rate", "-1"}, "-rate"},
		{[]string{"-url", u, "-format", "xml"}, "-format"},
		{[]string{"-url", u, "-header", "nocolon"}, "Key: Value"},
		{[]string{"-url", u, "-body", good, "-bodies", good}, "exclusive"},
		{[]string{"-url", u, "-body", missing}, missing},
		{[]string{"-url", u, "-bodies", missing}, missing},
		{[]string{"-url", u, "-body", bad}, bad + ": not valid JSON"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		if code := runMain(context.Background(), c.args, &out, &errOut); code != 2 {
			t.Errorf("%q: exit code %d, want 2", c.args, code)
		}
		if !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%q: stderr %q lacks %q", c.args, errOut.String(), c.want)
		}
	}

	// A bad body is fine when the Content-Type is not JSON.
	cfg, _, err := parseArgs([]string{"-url", u, "-body", bad, "-header", "Content-Type: text/plain", "-header", "X-A: b: c"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if string(cfg.Bodies[0]) != `{"a":` || cfg.Headers.Get("X-A") != "b: c" || cfg.Method != "POST" || cfg.Concurrency != 8 ||
		cfg.Duration != 10*time.Second || cfg.Warmup != time.Second || cfg.Rate != 0 {
		t.Errorf("parsed config %+v", cfg)
	}
	if cfg, _, err := parseArgs([]string{"-url", u}, io.Discard); err != nil || cfg.Headers.Get("Content-Type") != "application/json" || cfg.Bodies != nil {
		t.Errorf("default Content-Type: %v, %v", cfg.Headers, err)
	}
}

// TestRawClientFraming runs the lean client against the response framings
// a server may choose: Content-Length, chunked, Connection: close, and a
// body up to the end of the connection; with the std client as a check.
func TestRawClientFraming(t *testing.T) {
	t.Parallel()
	handlers := map[string]http.HandlerFunc{
		"length": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "5")
			io.WriteString(w, "hello")
		},
		"chunked": func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "hel")
			w.(http.Flusher).Flush()
			io.WriteString(w, "lo")
		},
		"close": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		},
		"error": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no such thing", http.StatusTeapot)
		},
	}
	for name, h := range handlers {
		for _, client := range []string{"raw", "std"} {
			t.Run(name+"/"+client, func(t *testing.T) {
				var conns atomic.Int64
				srv := httptest.NewUnstartedServer(h)
				srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
					if s == http.StateNew {
						conns.Add(1)
					}
				}
				srv.Start()
				defer srv.Close()
				cfg := testConfig(srv.URL)
				cfg.Client, cfg.Concurrency, cfg.Warmup, cfg.Duration = client, 1, 0, 100*time.Millisecond
				rep, err := run(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Requests < 10 {
					t.Fatalf("only %d requests", rep.Requests)
				}
				if name == "error" {
					if rep.ErrorsByStatus["418"] != rep.Requests || !strings.Contains(rep.FirstError.Message, "HTTP 418 I'm a teapot: no such thing") {
						t.Errorf("got %v, %+v", rep.ErrorsByStatus, rep.FirstError)
					}
					return
				}
				if rep.Errors != 0 {
					t.Errorf("got errors %v: %+v", rep.ErrorsByStatus, rep.FirstError)
				}
				// Keep-alive unless the server closes.
				switch n := int(conns.Load()); {
				case name == "close" && n < rep.Requests:
					t.Errorf("%d connections for %d requests, each closed by the server", n, rep.Requests)
				case name != "close" && n != 1:
					t.Errorf("%d connections, want 1 kept alive", n)
				}
			})
		}
	}
}
