package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a local endpoint that answers with the codes given, in
// turn, and records what it got.
type receiver struct {
	mu     sync.Mutex
	codes  []int
	bodies [][]byte
	sigs   []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bodies = append(r.bodies, body)
	r.sigs = append(r.sigs, req.Header.Get("X-Assay-Signature"))
	code := http.StatusOK
	if len(r.codes) > 0 {
		code, r.codes = r.codes[0], r.codes[1:]
	}
	w.WriteHeader(code)
}

func TestSendSignedWithRetries(t *testing.T) {
	rec := &receiver{codes: []int{503, 502}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	e := Event{Event: "model_registered", Dataset: "churn", Text: "churn-model@v2 registered", Details: map[string]any{"version": 2}}
	err := Send(context.Background(), srv.Client(), Target{URL: srv.URL, Secret: "s3cret", Backoff: time.Millisecond}, e)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.bodies) != 3 {
		t.Fatalf("%d posts, want 3 (two 5xx retried)", len(rec.bodies))
	}
	for i, b := range rec.bodies {
		if rec.sigs[i] != Signature("s3cret", b) || !strings.HasPrefix(rec.sigs[i], "sha256=") {
			t.Errorf("post %d: signature %q does not verify", i, rec.sigs[i])
		}
	}
	var got Event
	if err := json.Unmarshal(rec.bodies[2], &got); err != nil || got.Event != "model_registered" || got.Time == "" || got.Details["version"] != 2.0 {
		t.Errorf("got %+v, %v", got, err)
	}
}

func TestSlackAndClientErrors(t *testing.T) {
	rec := &receiver{codes: []int{200, 404}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	tgt := Target{URL: srv.URL, Slack: true, Backoff: time.Millisecond}
	if err := Send(context.Background(), srv.Client(), tgt, Event{Event: "checks_failed", Text: "3 checks failed"}); err != nil {
		t.Fatal(err)
	}
	if string(rec.bodies[0]) != `{"text":"3 checks failed"}` || rec.sigs[0] != "" {
		t.Errorf("slack body %s, signature %q", rec.bodies[0], rec.sigs[0])
	}
	err := Send(context.Background(), srv.Client(), tgt, Event{Event: "x", Text: "y"})
	if !errors.Is(err, ErrClient) || len(rec.bodies) != 2 {
		t.Errorf("404: got %v after %d posts, want ErrClient and no retry", err, len(rec.bodies))
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	start := time.Now()
	err := Send(context.Background(), http.DefaultClient, Target{URL: url, Attempts: 3, Backoff: 10 * time.Millisecond}, Event{Event: "x"})
	if err == nil || !strings.Contains(err.Error(), "after 3 tries") {
		t.Errorf("got %v", err)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("three tries took %v; want the backoff (10 ms, then 20 ms) waited", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Send(ctx, http.DefaultClient, Target{URL: url, Attempts: 3, Backoff: time.Hour}, Event{Event: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}
