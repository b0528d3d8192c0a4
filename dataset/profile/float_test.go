package profile_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/assayhq/assay/dataset/profile"
)

func TestFloatJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		json string
	}{
		{"NaN", math.NaN(), `"NaN"`},
		{"+Inf", math.Inf(1), `"Infinity"`},
		{"-Inf", math.Inf(-1), `"-Infinity"`},
		{"zero", 0, `0`},
		{"negative zero", math.Copysign(0, -1), `-0`},
		{"fraction", 0.1, `0.1`},
		{"integer", 1e6, `1e+06`},
		{"small integer", 42, `42`},
		{"large", 1e300, `1e+300`},
		{"max", math.MaxFloat64, `1.7976931348623157e+308`},
		{"smallest subnormal", 5e-324, `5e-324`},
		{"negative", -2.5, `-2.5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(profile.Float(tt.v))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.json {
				t.Errorf("Marshal(%v): got %s, want %s", tt.v, b, tt.json)
			}
			if !json.Valid(b) {
				t.Errorf("Marshal(%v): %s is not valid JSON", tt.v, b)
			}
			var got profile.Float
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			g := float64(got)
			if math.Float64bits(g) != math.Float64bits(tt.v) && !(math.IsNaN(g) && math.IsNaN(tt.v)) {
				t.Errorf("round trip of %v: got %v", tt.v, g)
			}
		})
	}
}

// Summaries with NaN and infinities survive JSON (they are stored in every
// manifest that way).
func TestSummaryJSONRoundTrip(t *testing.T) {
	mem := checkedAlloc(t)
	arr := float64s(mem, []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1, 2})
	defer arr.Release()
	p := profileOf(profile.Spec{Name: "f", Type: "float64", Kind: profile.KindFloat}, 1, arr)
	want := p.Summary()
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got profile.Summary
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if g, w := summaryJSON(t, got), string(b); g != w {
		t.Errorf("round trip:\n got %s\nwant %s", g, w)
	}
	if c := got.Columns[0]; !math.IsInf(float64(*c.Min), -1) || !math.IsInf(float64(*c.Max), 1) || !math.IsNaN(float64(*c.Mean)) {
		t.Errorf("min, max, mean: got %s %s %s, want -Inf +Inf NaN", fv(c.Min), fv(c.Max), fv(c.Mean))
	}
}

// Bad input gives an error that can be printed (a manifest edited by hand
// or damaged must not crash the command that reads it), and JSON null
// leaves a Float as it is, as encoding/json's Unmarshaler convention asks.
func TestFloatUnmarshalJSONBadInput(t *testing.T) {
	tests := []struct {
		name, json string
	}{
		{"unknown word", `{"min": "bogus"}`},
		{"lower-case nan", `{"min": "nan"}`},
		{"bad number", `{"min": 1e999}`},
		{"bool", `{"min": true}`},
		{"bad quantile", `{"quantiles": {"p01": "Inf"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cs profile.ColumnSummary
			err := json.Unmarshal([]byte(tt.json), &cs)
			if err == nil {
				t.Fatalf("Unmarshal(%s): got no error, want one", tt.json)
			}
			var msg string
			if noPanic(t, "Error()", func() { msg = err.Error() }) && msg == "" {
				t.Errorf("Unmarshal(%s): empty error message", tt.json)
			}
		})
	}
	t.Run("null", func(t *testing.T) {
		f := profile.Float(3)
		if err := json.Unmarshal([]byte(`null`), &f); err != nil || f != 3 {
			t.Errorf("Unmarshal(null): got %v, error %v; want 3 unchanged, no error", f, err)
		}
		var q profile.Quantiles
		if err := json.Unmarshal([]byte(`{"p50": null}`), &q); err != nil {
			t.Errorf(`Unmarshal({"p50": null}): %v`, err)
		}
	})
}
