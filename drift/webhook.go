package drift

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/assayhq/assay/dataset/webhook"
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
// body (see package webhook).
func Post(ctx context.Context, client *http.Client, url, secret string, a Alert, attempts int) error {
	return webhook.Post(ctx, client, webhook.Target{URL: url, Secret: secret, Attempts: max(attempts, 1)}, a, a.Text)
}
