// Package webhook posts assay's events to HTTP endpoints: a JSON POST
// with retries on network errors and 5xx answers, an optional HMAC
// signature, and a Slack-compatible payload option. Drift monitors and
// pipelines send their events through it.
//
// With a secret, the X-Assay-Signature header is "sha256=" and the hex
// HMAC-SHA256 of the body, as GitHub signs its webhooks; a receiver
// recomputes it over the raw body with the shared secret.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Target is where and how events are posted.
type Target struct {
	URL string
	// Secret signs the body; "" sends no signature.
	Secret string
	// Slack posts only {"text": ...}, the payload of Slack's incoming
	// webhooks; otherwise the whole event is posted.
	Slack bool
	// Attempts is the most tries (default 3); Backoff the wait before
	// the second (default 1 s), doubling after each.
	Attempts int
	Backoff  time.Duration
}

// Event is what happened. Text is a one-line summary for people (and
// Slack); Details carry the event's own fields.
type Event struct {
	Event   string         `json:"event"`
	Dataset string         `json:"dataset,omitempty"`
	Text    string         `json:"text"`
	Time    string         `json:"time"`
	Details map[string]any `json:"details,omitempty"`
}

// ErrClient marks a 4xx answer, which retrying will not change.
var ErrClient = errors.New("webhook refused the event")

// Signature returns the X-Assay-Signature value of a body.
func Signature(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Post sends v (any JSON value) to the target, retrying network errors
// and 5xx answers; text replaces it for a Slack target.
func Post(ctx context.Context, client *http.Client, t Target, v any, text string) error {
	var body []byte
	var err error
	if t.Slack {
		body, err = json.Marshal(map[string]string{"text": text})
	} else {
		body, err = json.Marshal(v)
	}
	if err != nil {
		return err
	}
	attempts := t.Attempts
	if attempts < 1 {
		attempts = 3
	}
	wait := t.Backoff
	if wait <= 0 {
		wait = time.Second
	}
	var last error
	for try := range attempts {
		if try > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "assay")
		if t.Secret != "" {
			req.Header.Set("X-Assay-Signature", Signature(t.Secret, body))
		}
		resp, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode < 300 {
			return nil
		}
		last = fmt.Errorf("webhook %s answered %s", t.URL, resp.Status)
		if resp.StatusCode < 500 {
			return fmt.Errorf("%w: %v", ErrClient, last)
		}
	}
	return fmt.Errorf("post webhook after %d tries: %w", attempts, last)
}

// Send posts an event (see Post).
func Send(ctx context.Context, client *http.Client, t Target, e Event) error {
	if e.Time == "" {
		e.Time = time.Now().UTC().Format(time.RFC3339)
	}
	return Post(ctx, client, t, e, e.Text)
}
