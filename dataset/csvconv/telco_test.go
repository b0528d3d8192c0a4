package csvconv

import (
	"bytes"
	"context"
	"testing"
)

// telcoPath is the IBM Telco customer churn data, byte-identical to its
// source (see testdata/telco-churn/SOURCE.md).
const telcoPath = "testdata/telco-churn/Telco-Customer-Churn.csv"

func TestTelcoChurn(t *testing.T) {
	ctx := context.Background()
	opts := DefaultOptions()
	cols, err := Infer(ctx, []string{telcoPath}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) != 21 {
		t.Fatalf("got %d columns, want 21", len(cols))
	}
	types := make(map[string]Type, len(cols))
	for _, c := range cols {
		types[c.Name] = c.Type
	}
	for name, want := range map[string]Type{
		"customerID":     String,
		"gender":         String,
		"SeniorCitizen":  Int64,
		"tenure":         Int64,
		"MonthlyCharges": Float64,
		"TotalCharges":   Float64, // " " in 11 rows is null
		"Churn":          String,
	} {
		if got := types[name]; got != want {
			t.Errorf("column %s: got %s, want %s", name, got, want)
		}
	}

	var buf bytes.Buffer
	n, err := Convert(ctx, telcoPath, &buf, cols, opts)
	if err != nil {
		t.Fatal(err)
	}
	if n != 7043 {
		t.Errorf("Convert: got %d rows, want 7043", n)
	}
	f := openParquet(t, buf.Bytes())
	if f.NumRows() != 7043 {
		t.Errorf("file: got %d rows, want 7043", f.NumRows())
	}
	if got := len(f.Schema().Fields()); got != 21 {
		t.Errorf("file: got %d columns, want 21", got)
	}

	idx := func(name string) int {
		for i, c := range cols {
			if c.Name == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	total, tenure, churn := idx("TotalCharges"), idx("tenure"), idx("Churn")
	var nulls, otherNulls, yes int
	for _, row := range readRows(t, buf.Bytes()) {
		for i, v := range row {
			if v != nil {
				continue
			}
			if i != total {
				otherNulls++
				continue
			}
			nulls++
			if row[tenure] != int64(0) {
				t.Errorf("null TotalCharges with tenure %v, want 0", row[tenure])
			}
		}
		if row[churn] == "Yes" {
			yes++
		}
	}
	if nulls != 11 {
		t.Errorf("TotalCharges: got %d nulls, want 11", nulls)
	}
	if otherNulls != 0 {
		t.Errorf("other columns: got %d nulls, want 0", otherNulls)
	}
	if yes != 1869 {
		t.Errorf("Churn: got %d Yes, want 1869", yes)
	}
	st := f.Metadata().RowGroups[0].Columns[total].MetaData.Statistics
	if st.NullCount != 11 {
		t.Errorf("TotalCharges chunk statistics: got null count %d, want 11", st.NullCount)
	}
}
