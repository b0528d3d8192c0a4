package drift

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset"
)

// hook is a webhook receiver on loopback that records what it is sent.
type hook struct {
	mu      sync.Mutex
	alerts  []Alert
	sigs    []string
	fail    int // answer 503 to this many requests first
	status  int // answer this status (default 204)
	srv     *httptest.Server
	request int
}

func newHook(t *testing.T) *hook {
	h := &hook{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.request++
		if h.fail > 0 {
			h.fail--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var a Alert
		if err := json.Unmarshal(body, &a); err != nil || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("webhook body %q (%v), content type %q", body, err, r.Header.Get("Content-Type"))
		}
		m := hmac.New(sha256.New, []byte("s3cret"))
		m.Write(body)
		if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); r.Header.Get("X-Assay-Signature") != want {
			t.Errorf("signature %q, want %q", r.Header.Get("X-Assay-Signature"), want)
		}
		h.alerts = append(h.alerts, a)
		if h.status != 0 {
			w.WriteHeader(h.status)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// monitorRepo holds versions v1 (reference), v2 (like v1) and v3 (shifted).
func monitorRepo(t *testing.T) *dataset.Repo {
	dir := t.TempDir()
	mk := func(name string, shift int) string {
		return writeCSV(t, dir, name, []string{"a", "b"}, 3000, func(i int) []string {
			return []string{strconv.Itoa(i%100 + shift), strconv.Itoa(i%60 + shift)}
		})
	}
	return newRepo(t, mk("1.csv", 0), mk("2.csv", 0), mk("3.csv", 40))
}

func TestMonitorOnce(t *testing.T) {
	ctx := context.Background()
	repo := monitorRepo(t)
	h := newHook(t)
	opts := MonitorOptions{Dataset: "d", Reference: "v1", Webhook: h.srv.URL, Secret: "s3cret"}
	done, err := MonitorOnce(ctx, repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 2 || done[0].Current != 2 || done[1].Current != 3 || done[0].Report.Drifted || !done[1].Report.Drifted {
		t.Fatalf("first pass compared %+v; want v2 (no drift) and v3 (drift)", done)
	}
	if len(h.alerts) != 1 {
		t.Fatalf("%d alerts, want 1 (for v3)", len(h.alerts))
	}
	a := h.alerts[0]
	if a.Event != "drift_detected" || a.Current != "d@v3" || a.Reference != "d@v1" || len(a.Drifted) != 2 || !strings.Contains(a.Text, "d@v3") {
		t.Errorf("alert %+v", a)
	}
	// A second pass, and a restarted monitor (a new Repo on the same
	// store), compare nothing again.
	for range 2 {
		again, err := MonitorOnce(ctx, repo, opts)
		if err != nil || len(again) != 0 {
			t.Fatalf("repeated pass compared %d pairs (%v), want none", len(again), err)
		}
	}
	if len(h.alerts) != 1 {
		t.Errorf("%d alerts after repeated passes, want still 1", len(h.alerts))
	}
	hist, err := History(ctx, repo, "d")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].Current != 2 || hist[1].Current != 3 || hist[1].Reference != 1 || !hist[1].Report.Drifted {
		t.Errorf("history %+v", hist)
	}
	if c := hist[1].Report.Columns[0]; c.Bins == nil || len(c.Bins.Ref) == 0 {
		t.Error("stored report lost its bins")
	}
	// A new reference compares the versions after it.
	v2, err := repo.Resolve(ctx, dataset.Ref{Kind: dataset.RefVersion, Name: "d", Version: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Tag(ctx, v2, "prod", "test", false); err != nil {
		t.Fatal(err)
	}
	opts.Reference = "prod"
	done, err = MonitorOnce(ctx, repo, opts)
	if err != nil || len(done) != 1 || done[0].Current != 3 || done[0].Reference != 2 {
		t.Errorf("against prod (v2): %+v, %v; want v3 against v2", done, err)
	}
}

func TestWebhookRetries(t *testing.T) {
	ctx := context.Background()
	h := newHook(t)
	h.fail = 1
	a := Alert{Event: "drift_detected", Text: "x"}
	if err := Post(ctx, h.srv.Client(), h.srv.URL, "s3cret", a, 2); err != nil {
		t.Fatalf("one 503 then success: %v", err)
	}
	if h.request != 2 || len(h.alerts) != 1 {
		t.Errorf("%d requests, %d alerts; want 2, 1", h.request, len(h.alerts))
	}
	h.status = http.StatusBadRequest
	err := Post(ctx, h.srv.Client(), h.srv.URL, "s3cret", a, 3)
	if err == nil || !strings.Contains(err.Error(), "400") || h.request != 3 {
		t.Errorf("a 400 answer: error %v after %d requests; want an error, no retry", err, h.request)
	}
}

// TestMonitorResendsFailedAlert: an alert that could not be delivered is
// sent on the next pass, once, though the comparison is not repeated.
func TestMonitorResendsFailedAlert(t *testing.T) {
	ctx := context.Background()
	repo := monitorRepo(t)
	h := newHook(t)
	h.status = http.StatusBadRequest // received, but refused
	opts := MonitorOptions{Dataset: "d", Reference: "v1", Webhook: h.srv.URL, Secret: "s3cret"}
	done, err := MonitorOnce(ctx, repo, opts)
	if err == nil || len(done) != 2 {
		t.Fatalf("refused alert: %d compared, error %v; want 2 and an error", len(done), err)
	}
	h.status = 0
	for pass := range 3 {
		done, err := MonitorOnce(ctx, repo, opts)
		if err != nil || len(done) != 0 {
			t.Fatalf("pass %d: %d compared, %v", pass, len(done), err)
		}
	}
	if len(h.alerts) != 2 || h.alerts[1].Current != "d@v3" {
		t.Errorf("%d alerts received, want the refused one and its resend", len(h.alerts))
	}
	// A monitor without a webhook never sends, and a later one with a
	// webhook does not alert on pairs compared without one.
	repo2 := monitorRepo(t)
	if _, err := MonitorOnce(ctx, repo2, MonitorOptions{Dataset: "d", Reference: "v1"}); err != nil {
		t.Fatal(err)
	}
	before := len(h.alerts)
	if _, err := MonitorOnce(ctx, repo2, opts); err != nil || len(h.alerts) != before {
		t.Errorf("webhook added later: %d new alerts (%v), want none", len(h.alerts)-before, err)
	}
}

// TestMonitorPolls: a running monitor picks up versions committed while it
// runs, compares each once, and stops with its context.
func TestMonitorPolls(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, shift int) string {
		return writeCSV(t, dir, name, []string{"a"}, 500, func(i int) []string { return []string{strconv.Itoa(i%50 + shift)} })
	}
	repo := newRepo(t, mk("1.csv", 0))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := make(chan Stored, 10)
	done := make(chan error, 1)
	go func() {
		done <- Monitor(ctx, repo, MonitorOptions{Dataset: "d", Reference: "v1"}, 20*time.Millisecond,
			func(s Stored) { seen <- s }, nil)
	}()
	for v, path := range []string{mk("2.csv", 0), mk("3.csv", 30)} {
		if _, err := repo.Commit(ctx, dataset.CommitOptions{Name: "d", Paths: []string{path}, Message: "m", Author: "test"}); err != nil {
			t.Fatal(err)
		}
		select {
		case s := <-seen:
			if s.Current != v+2 || s.Report.Drifted != (v == 1) {
				t.Errorf("compared v%d (drift %v), want v%d", s.Current, s.Report.Drifted, v+2)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("v%d not compared within 10 s", v+2)
		}
	}
	time.Sleep(100 * time.Millisecond) // a few more passes: nothing new
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("monitor ended with %v, want context.Canceled", err)
	}
	if len(seen) != 0 {
		t.Errorf("%d more comparisons after both versions, want none", len(seen))
	}
}
