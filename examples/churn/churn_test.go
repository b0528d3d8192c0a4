package churn

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"testing"
)

func TestCSVIsTheSourceFile(t *testing.T) {
	sum := sha256.Sum256(CSV)
	got := hex.EncodeToString(sum[:])
	const want = "16320c9c1ec72448db59aa0a26a0b95401046bef5d02fd3aeb906448e3055e91" // SOURCE.md
	if got != want {
		t.Fatalf("sha256 of the embedded CSV = %s, want %s", got, want)
	}
}

func TestNextMonth(t *testing.T) {
	a, err := NextMonth(CSV, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NextMonth(CSV, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different months")
	}
	rows, err := csv.NewReader(bytes.NewReader(a)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := csv.NewReader(bytes.NewReader(CSV)).ReadAll()
	old := map[string][]string{}
	for _, r := range orig[1:] {
		old[r[colID]] = r
	}
	ids := map[string]bool{}
	var kept, joined int
	for _, r := range rows[1:] {
		if ids[r[colID]] {
			t.Fatalf("customer %s appears twice", r[colID])
		}
		ids[r[colID]] = true
		prev, ok := old[r[colID]]
		if !ok {
			joined++
			if r[colTenure] != "1" {
				t.Errorf("new customer %s has tenure %s, want 1", r[colID], r[colTenure])
			}
			continue
		}
		kept++
		if prev[colChurn] == "Yes" {
			t.Errorf("customer %s churned last month but is still here", r[colID])
		}
	}
	if kept != 5174 { // the customers who did not churn (SOURCE.md: 5,174 No)
		t.Errorf("kept %d customers, want 5174", kept)
	}
	if joined != 7043/6 {
		t.Errorf("%d customers joined, want %d", joined, 7043/6)
	}
}
