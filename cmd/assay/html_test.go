package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/examples/churn"
	"github.com/assayhq/assay/report/reporttest"
)

// TestProfileReportInBrowser writes the profile report of the churn data
// and loads it in headless Chromium: it renders, logs nothing and makes no
// network request.
func TestProfileReportInBrowser(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "telco.csv")
	if err := os.WriteFile(data, churn.CSV, 0o644); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(dir, "profile.html")
	var out bytes.Buffer
	io := &streams{Out: &out, Err: &out}
	opts := &profileOptions{globalOptions: &globalOptions{}, Format: "text", HTML: html,
		SampleRows: dataset.DefaultCSVOptions().SampleRows}
	t.Chdir(dir) // no repository: the path is profiled directly
	if err := runProfile(context.Background(), io, opts, data); err != nil {
		t.Fatal(err)
	}
	res := reporttest.Check(t, html)
	for _, want := range []string{"TotalCharges", "customerID", "Most frequent values"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
}
