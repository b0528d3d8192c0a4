package drift

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Alert is the JSON a monitor posts when it finds drift. Text is a
// Slack-compatible summary (Slack's incoming webhooks read "text").
type Alert struct {
	Event        string   `json:"event"` // drift_detected
	Dataset      string   `json:"dataset"`
	Current      string   `json:"current"`
	Reference    string   `json:"reference"`
	DriftedShare float64  `json:"drifted_share"`
	Drifted      []string `json:"drifted_columns"`
	Text         string   `json:"text"`
	Time         string   `json:"time"`
}

// NewAlert summarises a report.
func NewAlert(ds string, r *Report) Alert {
	a := Alert{Event: "drift_detected", Dataset: ds, Current: r.Current, Reference: r.Reference,
		DriftedShare: r.DriftedShare, Time: r.Time.Format(time.RFC3339)}
	for _, c := range r.Columns {
		if c.Drifted {
			a.Drifted = append(a.Drifted, c.Column)
		}
	}
	a.Text = fmt.Sprintf(":warning: drift in %s: %d of %d columns (%.0f%%) drifted against %s: %v",
		r.Current, r.DriftedCount, r.ColumnCount, 100*r.DriftedShare, r.Reference, a.Drifted)
	return a
}

// Post sends the alert as a JSON POST, with up to attempts tries (1 s, 2
// s, 4 s apart) on network errors and 5xx answers. With a secret, the
// X-Assay-Signature header is "sha256=" and the hex HMAC-SHA256 of the
// body.
func Post(ctx context.Context, client *http.Client, url, secret string, a Alert, attempts int) error {
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if attempts < 1 {
		attempts = 1
	}
	var last error
	wait := time.Second
	for try := range attempts {
		if try > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "assay")
		if secret != "" {
			m := hmac.New(sha256.New, []byte(secret))
			m.Write(body)
			req.Header.Set("X-Assay-Signature", "sha256="+hex.EncodeToString(m.Sum(nil)))
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
		last = fmt.Errorf("webhook %s answered %s", url, resp.Status)
		if resp.StatusCode < 500 {
			return last // a client error will not go away by retrying
		}
	}
	return fmt.Errorf("post webhook after %d tries: %w", attempts, last)
}
