package main

// Regression tests for problems users would meet through the CLI.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckoutFileMode: checked-out files get the mode any new file gets
// (0666 minus the umask), not the 0600 of a temporary file, so that a
// teammate or a CI step running as another user can read them.
func TestCheckoutFileMode(t *testing.T) {
	dir := t.TempDir()
	mustAssay(t, 0, dir, "init")
	if err := os.WriteFile(filepath.Join(dir, "plans.csv"), []byte("plan,price\nbasic,19.5\npro,49\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustAssay(t, 0, dir, "dataset", "commit", "plans", "plans.csv", "-m", "plans")
	mustAssay(t, 0, dir, "dataset", "checkout", "plans", "-o", "out")

	// A file created the ordinary way in the same directory, for the mode
	// the umask gives.
	ref := filepath.Join(dir, "out", "reference")
	f, err := os.Create(ref)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	want, err := os.Stat(ref)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.Stat(filepath.Join(dir, "out", "plans.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Mode().Perm() != want.Mode().Perm()&^0o111 {
		t.Errorf("checked-out file has mode %v, want %v like any new file", got.Mode().Perm(), want.Mode().Perm())
	}
}

// TestStoreErrorNamesCSV: when a commit of a CSV file cannot store its
// data, the message names the CSV the user gave, not the temporary Parquet
// file it was converted to.
func TestStoreErrorNamesCSV(t *testing.T) {
	dir := t.TempDir()
	mustAssay(t, 0, dir, "init")
	if err := os.WriteFile(filepath.Join(dir, "nov.csv"), []byte("plan,price\nbasic,19.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Every write goes through the repository's tmp directory: make it a
	// file, so that no write can succeed (even for root).
	tmp := filepath.Join(dir, ".assay", "tmp")
	if err := os.RemoveAll(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustAssay(t, 2, dir, "dataset", "commit", "plans", "nov.csv", "-m", "November")
	if !strings.HasPrefix(r.stderr, "assay: store nov.csv") || strings.Contains(r.stderr, "assay-csv-") {
		t.Errorf("the message names a temp file, not nov.csv:\n%s", r.stderr)
	}
}
