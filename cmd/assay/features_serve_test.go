package main

// The feature server as a user runs it: definitions applied, a window
// materialized, `assay features serve` answering Feast's JSON API over
// HTTP, and materialization while it serves: refused by the embedded
// store's file lock, live with Redis. The commands run in-process through
// the root command, the server in a goroutine.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online/onlinetest"
)

// TestFeaturesServe serves the embedded (bolt) online store: values,
// statuses and timestamps of a service request, an expired record,
// refused requests, /health, and a materialization refused while the
// server holds the store and accepted once it has stopped.
func TestFeaturesServe(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	tx := newServeData(now)
	setupFeatures(t, tx, "")
	start, end := now.Add(-60*24*time.Hour).Format(time.RFC3339), now.Format(time.RFC3339)
	materialize := []string{"features", "materialize", "--start", start, "--end", end}
	out := mustRunAssay(t, materialize...)
	if !strings.Contains(out, "online store bolt:featurestore/online.bolt\n") || !strings.Contains(out, "  spend: wrote 3 entities") {
		t.Fatalf("materialize: want 3 entities written into bolt:featurestore/online.bolt; got:\n%s", out)
	}

	srv := startFeatureServer(t)
	if want := "Serving features v1 from bolt:featurestore/online.bolt at " + srv.url + " (Ctrl-C stops)"; srv.banner != want {
		t.Errorf("serve printed\n%q\nwant\n%q", srv.banner, want)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()

	// (a) A service: the join key echoed, then the view's features in
	// order. Customer 1's tie at now-2d goes to the later created row;
	// 99 was never materialized.
	t.Run("service", func(t *testing.T) {
		resp := getOnline(t, client, srv.url, `{"feature_service": "churn", "entities": {"customer_id": [1, 2, 99]}}`)
		resp.checkNames(t, "customer_id", "amount", "plan")
		resp.checkColumn(t, "customer_id", `1,2,99`, "PRESENT PRESENT PRESENT", epoch, epoch, epoch)
		resp.checkColumn(t, "amount", `25,7,null`, "PRESENT PRESENT MISSING", rfc(tx.c1), rfc(tx.c2), epoch)
		resp.checkColumn(t, "plan", `"pro","basic",null`, "PRESENT PRESENT MISSING", rfc(tx.c1), rfc(tx.c2), epoch)
	})

	// (b) Customer 3's record is 45 days old, past the view's 30-day TTL:
	// expired, its value null, its timestamp kept. Customer 2 in the same
	// request is fresh.
	t.Run("expired", func(t *testing.T) {
		resp := getOnline(t, client, srv.url, `{"features": ["spend:amount", "spend:plan"], "entities": {"customer_id": [3, 2]}, "full_feature_names": true}`)
		resp.checkNames(t, "customer_id", "spend__amount", "spend__plan")
		resp.checkColumn(t, "spend__amount", `null,7`, "EXPIRED PRESENT", rfc(tx.c3), rfc(tx.c2))
		resp.checkColumn(t, "spend__plan", `null,"basic"`, "EXPIRED PRESENT", rfc(tx.c3), rfc(tx.c2))
	})

	// (c) Bad requests: 400 with {"error": ...} saying what is wrong.
	t.Run("bad requests", func(t *testing.T) {
		for _, tt := range []struct {
			name, body string
			want       []string // substrings of the error
		}{
			{"unknown feature", `{"features": ["spend:amout"], "entities": {"customer_id": [1]}}`,
				[]string{"view spend has no feature amout", "did you mean amount?"}},
			{"unknown service", `{"feature_service": "chrun", "entities": {"customer_id": [1]}}`,
				[]string{"chrun", "did you mean churn?"}},
			{"string key for an int join key", `{"feature_service": "churn", "entities": {"customer_id": ["1"]}}`,
				[]string{"entities.customer_id[0]", "want int64"}},
		} {
			code, body := postOnline(t, client, srv.url, tt.body)
			var e struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
				t.Errorf("%s: status %d, body %s: want {\"error\": \"...\"} (%v)", tt.name, code, body, err)
				continue
			}
			if code != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400; error %q", tt.name, code, e.Error)
			}
			for _, w := range tt.want {
				if !strings.Contains(e.Error, w) {
					t.Errorf("%s: error %q does not say %q", tt.name, e.Error, w)
				}
			}
		}
	})

	// (d) Health.
	t.Run("health", func(t *testing.T) {
		r, err := client.Get(strings.TrimSuffix(srv.url, "/get-online-features") + "/health")
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusCode != http.StatusOK || string(body) != "ok\n" {
			t.Errorf("GET /health: status %d, body %q; want 200 \"ok\\n\"", r.StatusCode, body)
		}
	})

	// (e) The server holds the bolt file for reading: a materialization
	// waits for the lock (5 s), then fails saying the store is busy,
	// with exit code 2, and the server still answers.
	t.Run("materialize while serving", func(t *testing.T) {
		type result struct {
			out, errOut string
			err         error
			took        time.Duration
		}
		done := make(chan result, 1)
		go func() {
			began := time.Now()
			out, errOut, err := runAssayIn(context.Background(), materialize...)
			done <- result{out, errOut, err, time.Since(began)}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("materialize while serving: no answer within 10 s")
		}
		t.Logf("materialize while serving failed after %v", r.took.Round(time.Millisecond))
		if r.err == nil {
			t.Fatalf("materialize while serving succeeded; want it refused: the store is held by the server\nstdout:\n%s", r.out)
		}
		if !strings.Contains(r.err.Error(), "online store busy") {
			t.Errorf("materialize while serving: error %q does not say \"online store busy\"", r.err)
		}
		if code := exitCode(context.Background(), r.err); code != exitInput {
			t.Errorf("materialize while serving: exit code %d, want %d", code, exitInput)
		}
		resp := getOnline(t, client, srv.url, `{"features": ["spend:amount"], "entities": {"customer_id": [1]}}`)
		resp.checkColumn(t, "amount", `25`, "PRESENT", rfc(tx.c1))
	})

	client.CloseIdleConnections()
	if stderr, err := srv.stop(t); err != nil {
		t.Fatalf("serve returned %v after its context was cancelled; want nil\nstderr:\n%s", err, stderr)
	} else if !strings.HasSuffix(stderr, "\nStopped.\n") {
		t.Errorf("serve did not end with \"Stopped.\"; stderr:\n%s", stderr)
	}

	// The lock is released: the same materialization succeeds now.
	if out, _, err := runAssayIn(context.Background(), materialize...); err != nil {
		t.Errorf("materialize after the server stopped: %v\nstdout:\n%s", err, out)
	} else if !strings.Contains(out, "  spend: wrote 3 entities") {
		t.Errorf("materialize after the server stopped: want 3 entities written; got:\n%s", out)
	}
}

// TestFeaturesServeRedis serves a Redis online store while a newer
// version of the data is materialized into it: the server answers the
// new value at once, without a restart.
func TestFeaturesServeRedis(t *testing.T) {
	addr := onlinetest.StartRedis(t)
	now := time.Now().UTC().Truncate(time.Second)
	tx := newServeData(now)
	redisURL := "redis://" + addr + "/0"
	setupFeatures(t, tx, "online_store:\n  type: redis\n  url: "+redisURL+"\n")
	t.Setenv(defs.RedisPasswordEnv, "")
	materialize := []string{"features", "materialize", "--start", now.Add(-60 * 24 * time.Hour).Format(time.RFC3339), "--end", now.Format(time.RFC3339)}
	out := mustRunAssay(t, materialize...)
	if !strings.Contains(out, "online store "+redisURL+"\n") || !strings.Contains(out, "  spend: wrote 3 entities") {
		t.Fatalf("materialize: want 3 entities written into %s; got:\n%s", redisURL, out)
	}

	srv := startFeatureServer(t)
	if want := "Serving features v1 from " + redisURL + " at " + srv.url + " (Ctrl-C stops)"; srv.banner != want {
		t.Errorf("serve printed\n%q\nwant\n%q", srv.banner, want)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	const req = `{"feature_service": "churn", "entities": {"customer_id": [1, 2]}}`
	resp := getOnline(t, client, srv.url, req)
	resp.checkColumn(t, "amount", `25,7`, "PRESENT PRESENT", rfc(tx.c1), rfc(tx.c2))
	resp.checkColumn(t, "plan", `"pro","basic"`, "PRESENT PRESENT", rfc(tx.c1), rfc(tx.c2))

	// tx v2: customer 1 upgraded an hour ago. The source reads the newest
	// version; materializing it while the server runs must succeed.
	upgraded := now.Add(-time.Hour)
	tx.rows = append(tx.rows, fmt.Sprintf("1,%s,%s,40,enterprise", rfc(upgraded), rfc(upgraded)))
	if err := os.WriteFile("tx.csv", tx.csv(), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRunAssay(t, "dataset", "commit", "tx", "tx.csv", "-m", "customer 1 upgraded")
	out = mustRunAssay(t, materialize...)
	if !strings.Contains(out, "of 6 read from tx@v2") {
		t.Errorf("materialize while serving: want the 6 rows of tx@v2 read; got:\n%s", out)
	}
	resp = getOnline(t, client, srv.url, req)
	resp.checkColumn(t, "amount", `40,7`, "PRESENT PRESENT", rfc(upgraded), rfc(tx.c2))
	resp.checkColumn(t, "plan", `"enterprise","basic"`, "PRESENT PRESENT", rfc(upgraded), rfc(tx.c2))

	client.CloseIdleConnections()
	if stderr, err := srv.stop(t); err != nil {
		t.Fatalf("serve returned %v after its context was cancelled; want nil\nstderr:\n%s", err, stderr)
	} else if !strings.HasSuffix(stderr, "\nStopped.\n") {
		t.Errorf("serve did not end with \"Stopped.\"; stderr:\n%s", stderr)
	}
}

// epoch is the event timestamp of a join key column, or of a feature
// without a record.
const epoch = "1970-01-01T00:00:00Z"

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

// serveData is the transactions of the serving tests, timed relative to
// the test's start so that the view's 30-day TTL finds some fresh and
// some expired.
type serveData struct {
	rows       []string
	c1, c2, c3 time.Time // the latest event time of customers 1, 2 and 3
}

func newServeData(now time.Time) *serveData {
	day := 24 * time.Hour
	d := &serveData{c1: now.Add(-2 * day), c2: now.Add(-5 * day), c3: now.Add(-45 * day)}
	d.rows = []string{
		fmt.Sprintf("1,%s,%s,10,basic", rfc(now.Add(-10*day)), rfc(now.Add(-10*day))),
		// A tie on event time: the later created row wins.
		fmt.Sprintf("1,%s,%s,20,basic", rfc(d.c1), rfc(d.c1)),
		fmt.Sprintf("1,%s,%s,25,pro", rfc(d.c1), rfc(now.Add(-1*day))),
		fmt.Sprintf("2,%s,%s,7,basic", rfc(d.c2), rfc(d.c2)),
		fmt.Sprintf("3,%s,%s,3,basic", rfc(d.c3), rfc(d.c3)),
	}
	return d
}

func (d *serveData) csv() []byte {
	return []byte("customer_id,event_ts,created_ts,amount,plan\n" + strings.Join(d.rows, "\n") + "\n")
}

// setupFeatures makes a repository in a new temporary working directory,
// commits the transactions as dataset tx and applies the definitions,
// with extra appended to them.
func setupFeatures(t *testing.T, tx *serveData, extra string) {
	t.Helper()
	t.Chdir(t.TempDir())
	t.Setenv("ASSAY_REPO", "")
	t.Setenv("ASSAY_AUTHOR", testAuthor)
	const features = `entities:
  - name: customer
    join_keys: [customer_id]
sources:
  - name: tx
    path: tx
    timestamp: event_ts
    created: created_ts
feature_views:
  - name: spend
    entities: [customer]
    source: tx
    ttl: 30d
    features: [amount, plan]
feature_services:
  - name: churn
    features: [spend]
`
	if err := os.WriteFile("tx.csv", tx.csv(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("features.yaml", []byte(features+extra), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRunAssay(t, "init")
	mustRunAssay(t, "dataset", "commit", "tx", "tx.csv", "-m", "transactions")
	if out := mustRunAssay(t, "features", "apply", "features.yaml"); !strings.HasPrefix(out, "features v1: 1 entities, 1 sources, 1 feature views, 1 services") {
		t.Fatalf("features apply: got %q", out)
	}
}

// runAssayIn runs the assay command line args in-process, in the working
// directory, and returns its output.
func runAssayIn(ctx context.Context, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	root := newRootCmd(&streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
	root.SetArgs(args)
	err = root.ExecuteContext(ctx)
	return out.String(), errOut.String(), err
}

// mustRunAssay runs args in-process and returns stdout; it fails the test
// on an error.
func mustRunAssay(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := runAssayIn(context.Background(), args...)
	if err != nil {
		t.Fatalf("assay %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// featureServer is `assay features serve` running in a goroutine.
type featureServer struct {
	url    string // http://127.0.0.1:PORT/get-online-features
	banner string // the line that announced it
	cancel context.CancelFunc
	done   chan error    // what the command returned
	eof    chan struct{} // closed when all of stderr is read
	stderr strings.Builder
	once   sync.Once
}

// startFeatureServer starts `assay features serve --addr 127.0.0.1:0`
// and waits for it to announce its URL. The server is stopped when the
// test ends, if stop has not been called.
func startFeatureServer(t *testing.T) *featureServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &featureServer{cancel: cancel, done: make(chan error, 1), eof: make(chan struct{})}
	pr, pw := io.Pipe()
	root := newRootCmd(&streams{In: strings.NewReader(""), Out: io.Discard, Err: pw})
	root.SetArgs([]string{"features", "serve", "--addr", "127.0.0.1:0"})
	go func() {
		s.done <- root.ExecuteContext(ctx)
		pw.Close()
	}()
	announced := make(chan [2]string, 1) // the line and the URL
	go func() {
		defer close(s.eof)
		re := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+/get-online-features) `)
		sc := bufio.NewScanner(pr)
		found := false
		for sc.Scan() {
			s.stderr.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil && !found {
				found = true
				announced <- [2]string{sc.Text(), m[1]}
			}
		}
		io.Copy(io.Discard, pr) // never block the server
	}()
	t.Cleanup(func() { s.stop(t) })
	select {
	case a := <-announced:
		s.banner, s.url = a[0], a[1]
	case <-s.eof:
		stderr, err := s.stop(t)
		t.Fatalf("serve did not start: %v\nstderr:\n%s", err, stderr)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not announce its URL within 10 s")
	}
	return s
}

// stop cancels the server's context and returns what the command
// returned and all it wrote on stderr. Only the first call waits; the
// server must stop within 5 s.
func (s *featureServer) stop(t *testing.T) (stderr string, err error) {
	t.Helper()
	first := false
	s.once.Do(func() {
		first = true
		s.cancel()
		select {
		case err = <-s.done:
		case <-time.After(5 * time.Second):
			t.Fatal("serve did not stop within 5 s of its context's cancellation")
		}
		<-s.eof
	})
	if !first {
		return "", nil
	}
	return s.stderr.String(), err
}

// onlineResponse is the JSON of a get-online-features answer.
type onlineResponse struct {
	Metadata struct {
		FeatureNames []string `json:"feature_names"`
	} `json:"metadata"`
	Results []struct {
		Values          []json.RawMessage `json:"values"`
		Statuses        []string          `json:"statuses"`
		EventTimestamps []string          `json:"event_timestamps"`
	} `json:"results"`
	raw []byte
}

func postOnline(t *testing.T, client *http.Client, url, body string) (int, []byte) {
	t.Helper()
	r, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", body, err)
	}
	defer r.Body.Close()
	out, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("POST %s: read the answer: %v", body, err)
	}
	return r.StatusCode, out
}

// getOnline posts a request that must succeed, and decodes the answer
// strictly.
func getOnline(t *testing.T, client *http.Client, url, body string) *onlineResponse {
	t.Helper()
	code, out := postOnline(t, client, url, body)
	if code != http.StatusOK {
		t.Fatalf("POST %s: status %d, want 200: %s", body, code, out)
	}
	resp := &onlineResponse{raw: out}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(resp); err != nil {
		t.Fatalf("POST %s: the answer is not Feast's format: %v\n%s", body, err, out)
	}
	if len(resp.Results) != len(resp.Metadata.FeatureNames) {
		t.Fatalf("POST %s: %d results for %d feature names\n%s", body, len(resp.Results), len(resp.Metadata.FeatureNames), out)
	}
	return resp
}

func (r *onlineResponse) checkNames(t *testing.T, want ...string) {
	t.Helper()
	if strings.Join(r.Metadata.FeatureNames, " ") != strings.Join(want, " ") {
		t.Errorf("feature_names %q, want %q\n%s", r.Metadata.FeatureNames, want, r.raw)
	}
}

// checkColumn checks the column of name: its values as JSON separated by
// commas, its statuses separated by spaces, and its event timestamps.
func (r *onlineResponse) checkColumn(t *testing.T, name, values, statuses string, times ...string) {
	t.Helper()
	i := -1
	for j, n := range r.Metadata.FeatureNames {
		if n == name {
			i = j
		}
	}
	if i < 0 {
		t.Errorf("no column %s in %q\n%s", name, r.Metadata.FeatureNames, r.raw)
		return
	}
	c := r.Results[i]
	vals := make([]string, len(c.Values))
	for j, v := range c.Values {
		vals[j] = string(v)
	}
	if got := strings.Join(vals, ","); got != values {
		t.Errorf("%s: values [%s], want [%s]", name, got, values)
	}
	if got := strings.Join(c.Statuses, " "); got != statuses {
		t.Errorf("%s: statuses [%s], want [%s]", name, got, statuses)
	}
	if got, want := strings.Join(c.EventTimestamps, " "), strings.Join(times, " "); got != want {
		t.Errorf("%s: event_timestamps [%s], want [%s]", name, got, want)
	}
}
