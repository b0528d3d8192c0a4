// Package churn holds the demo data of assay: the IBM Telco customer churn
// table (7,043 customers, see SOURCE.md), built into the binary, and a
// deterministic generator of the following month's snapshot.
package churn

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strconv"
)

// CSV is Telco-Customer-Churn.csv, byte for byte.
//
//go:embed Telco-Customer-Churn.csv
var CSV []byte

// Column positions in the CSV.
const (
	colID       = 0
	colTenure   = 5
	colContract = 15
	colMonthly  = 18
	colTotal    = 19
	colChurn    = 20
)

// NextMonth returns the snapshot one month after month (a CSV with the same
// header): customers who churned are gone, everyone else is a month older
// and has paid one more monthly charge, about 3% of the remaining customers
// (month-to-month contracts most) churn this month, and new customers join,
// drawn from the profiles of existing ones with fresh IDs. The same seed
// gives the same file.
func NextMonth(month []byte, seed uint64) ([]byte, error) {
	rows, err := csv.NewReader(bytes.NewReader(month)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read month: %w", err)
	}
	if len(rows) < 2 || len(rows[0]) != 21 {
		return nil, fmt.Errorf("read month: want a header and rows of 21 columns")
	}
	r := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
	out := [][]string{rows[0]}
	var stayed [][]string
	for _, row := range rows[1:] {
		if row[colChurn] == "Yes" {
			continue
		}
		next := append([]string(nil), row...)
		tenure, _ := strconv.Atoi(next[colTenure])
		next[colTenure] = strconv.Itoa(tenure + 1)
		monthly, _ := strconv.ParseFloat(next[colMonthly], 64)
		total, err := strconv.ParseFloat(next[colTotal], 64)
		if err != nil {
			total = 0 // blank for brand-new customers
		}
		next[colTotal] = strconv.FormatFloat(total+monthly, 'f', 2, 64)
		risk := 0.01
		if next[colContract] == "Month-to-month" {
			risk = 0.055
		}
		next[colChurn] = "No"
		if r.Float64() < risk {
			next[colChurn] = "Yes"
		}
		stayed = append(stayed, next)
	}
	out = append(out, stayed...)
	taken := make(map[string]bool, len(rows))
	for _, row := range rows[1:] {
		taken[row[colID]] = true
	}
	joined := len(rows[1:]) / 6
	for range joined {
		tmpl := stayed[r.IntN(len(stayed))]
		row := append([]string(nil), tmpl...)
		row[colID] = newID(r, taken)
		row[colTenure] = "1"
		row[colTotal] = row[colMonthly]
		row[colChurn] = "No"
		if r.Float64() < 0.08 {
			row[colChurn] = "Yes"
		}
		out = append(out, row)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// newID makes a customer ID in the data's style ("7590-VHVEG") that no
// customer has yet.
func newID(r *rand.Rand, taken map[string]bool) string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for {
		b := fmt.Appendf(nil, "%04d-", r.IntN(10000))
		for range 5 {
			b = append(b, letters[r.IntN(len(letters))])
		}
		if id := string(b); !taken[id] {
			taken[id] = true
			return id
		}
	}
}

// Rules is rules.yaml: quality rules for the churn data that find its real
// problems.
//
//go:embed rules.yaml
var Rules []byte

// Features is the demo's feature definitions over the snapshots (see
// Snapshot): one view of each customer's account as of a snapshot.
//
//go:embed features.yaml
var Features []byte

// FeatureChecks is the rule file the demo runs on each materialized batch.
//
//go:embed feature-checks.yaml
var FeatureChecks []byte

// Snapshot returns month (a CSV with a header) with a snapshot_ts column
// set to at on every row, as a feature source with an event time.
func Snapshot(month []byte, at string) ([]byte, error) {
	return mapRows(month, func(header bool, row []string) []string {
		if header {
			return append(row, "snapshot_ts")
		}
		return append(row, at)
	})
}

// Labels returns the entity rows of a training set: each customer of
// month with the event time at and the Churn label.
func Labels(month []byte, at string) ([]byte, error) {
	return mapRows(month, func(header bool, row []string) []string {
		if header {
			return []string{"customerID", "event_timestamp", "Churn"}
		}
		return []string{row[colID], at, row[colChurn]}
	})
}

// mapRows rewrites every row of a CSV of 21 columns.
func mapRows(data []byte, f func(header bool, row []string) []string) ([]byte, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read month: %w", err)
	}
	if len(rows) < 1 || len(rows[0]) != 21 {
		return nil, fmt.Errorf("read month: want a header and rows of 21 columns")
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for i, row := range rows {
		if err := w.Write(f(i == 0, row)); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// Gates is the demo's promotion gates for the churn model.
//
//go:embed gates.yaml
var Gates []byte

// Space is the demo's tuning search space.
//
//go:embed space.yaml
var Space []byte

// colInternet is the InternetService column.
const colInternet = 8

// PriceChange returns month with the monthly charge of fiber-optic
// customers raised by pct percent (the demo's December price change).
func PriceChange(month []byte, pct float64) ([]byte, error) {
	return mapRows(month, func(header bool, row []string) []string {
		if header || row[colInternet] != "Fiber optic" {
			return row
		}
		if m, err := strconv.ParseFloat(row[colMonthly], 64); err == nil {
			row[colMonthly] = strconv.FormatFloat(m*(1+pct/100), 'f', 2, 64)
		}
		return row
	})
}

// Pipeline is the demo's pipeline file, and PipelineRules the checks it
// runs on each new month.
//
//go:embed assay.yaml
var Pipeline []byte

//go:embed pipeline-rules.yaml
var PipelineRules []byte
