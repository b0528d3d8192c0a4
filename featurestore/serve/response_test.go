package serve

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"testing"

	"github.com/assayhq/assay/featurestore/online"
)

func TestGoldenResponse(t *testing.T) {
	s, _ := fixture(t, Options{})
	w := post(t, s, `{"feature_service": "churn_model", "entities": {"customer_id": [1, 3]}}`)
	want := `{"metadata":{"feature_names":["customer_id","tenure","charges"]},"results":[` +
		`{"values":[1,3],"statuses":["PRESENT","PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"]},` +
		`{"values":[12,null],"statuses":["PRESENT","MISSING"],"event_timestamps":["2026-11-01T11:00:00Z","1970-01-01T00:00:00Z"]},` +
		`{"values":[70.5,null],"statuses":["PRESENT","MISSING"],"event_timestamps":["2026-11-01T11:00:00Z","1970-01-01T00:00:00Z"]}]}` + "\n"
	if w.Code != http.StatusOK || w.Body.String() != want {
		t.Errorf("got %d\n%s\nwant\n%s", w.Code, w.Body, want)
	}
	if got := w.Header().Get("Content-Length"); got != strconv.Itoa(len(want)) {
		t.Errorf("got Content-Length %s, want %d", got, len(want))
	}
}

func TestEncodeValues(t *testing.T) {
	strs := []string{"", "plain", `quote " backslash \ slash /`, "\n\r\t\b\f", "\x00\x01\x1f\x7f", "<a&b>", "é€😀",
		"\u2028\u2029", "bad \xff utf8 \xc3", "trunc \xe2\x82", "\xed\xa0\x80 surrogate"}
	for _, s := range strs {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := appendValue(nil, online.String(s)); string(got)+"\n" != want.String() {
			t.Errorf("string %q: got %s, want %s", s, got, want.String())
		}
	}
	floats := []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e20, 1e21, 123456789.125, 1e-6, 1e-7, -2.5e-10, math.MaxFloat64, math.SmallestNonzeroFloat64}
	for _, f := range floats {
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendValue(nil, online.Float(f)); string(got) != string(want) {
			t.Errorf("float %v: got %s, want %s", f, got, want)
		}
	}
	tests := []struct {
		v    online.Value
		want string
	}{
		{online.Float(math.NaN()), `"NaN"`},
		{online.Float(math.Inf(1)), `"Infinity"`},
		{online.Float(math.Inf(-1)), `"-Infinity"`},
		{online.Int(math.MinInt64), "-9223372036854775808"},
		{online.Int(42), "42"},
		{online.Bool(true), "true"},
		{online.Bool(false), "false"},
		{online.Null(), "null"},
	}
	for _, tt := range tests {
		if got := string(appendValue(nil, tt.v)); got != tt.want {
			t.Errorf("%v: got %s, want %s", tt.v, got, tt.want)
		}
	}
}

func TestEncodeResponse(t *testing.T) {
	r := &Response{}
	r.reset([]string{"id", "na\"me"}, 2)
	r.Columns[0].Values[0], r.Columns[0].Values[1] = online.String("a\x00"), online.String("b")
	r.Columns[0].Statuses[0], r.Columns[0].Statuses[1] = online.Present, online.Present
	r.Columns[1].Values[0] = online.Float(math.NaN())
	r.Columns[1].Statuses[0], r.Columns[1].Statuses[1] = online.Present, online.Expired
	r.Columns[1].EventTimes[0], r.Columns[1].EventTimes[1] = 1, -1
	want := `{"metadata":{"feature_names":["id","na\"me"]},"results":[` +
		`{"values":["a\u0000","b"],"statuses":["PRESENT","PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"]},` +
		`{"values":["NaN",null],"statuses":["PRESENT","EXPIRED"],"event_timestamps":["1970-01-01T00:00:00.000001Z","1969-12-31T23:59:59.999999Z"]}]}`
	got := r.AppendJSON([]byte("prefix:"))
	if string(got) != "prefix:"+want {
		t.Errorf("got\n%s\nwant\nprefix:%s", got, want)
	}
	if !json.Valid(got[len("prefix:"):]) {
		t.Error("not valid JSON")
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		lit  string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"-0", 0, true},
		{"12", 12, true},
		{"-7", -7, true},
		{"1.0", 1, true},
		{"1.000", 1, true},
		{"1e3", 1000, true},
		{"1E+3", 1000, true},
		{"1.5e1", 15, true},
		{"12300e-2", 123, true},
		{"0.0e5", 0, true},
		{"0e99999999999999999999", 0, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"-9223372036854775808.000", math.MinInt64, true},
		{"9.223372036854775807e18", math.MaxInt64, true},
		{"9223372036854775808", 0, false},
		{"9223372036854775807.5", 0, false},
		{"1.5", 0, false},
		{"0.5", 0, false},
		{"1e-1", 0, false},
		{"12345e-2", 0, false},
		{"1e19", 0, false},
		{"1e30", 0, false},
		{"1e99999999999999999999", 0, false},
		{"1e-99999999999999999999", 0, false},
		{"4503599627370495.5", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseInt(tt.lit)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseInt(%s): got %d, %v, want %d, %v", tt.lit, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseRequest(t *testing.T) {
	body := `{"features": ["v:a", "v:\u00e9\n", "w"], "entities": {"k": [1, -2, 3e2], "s": ["x", "\ud83d\ude00", "\u0000"]}, "full_feature_names": true}`
	req, err := ParseRequest([]byte(body), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Request{
		Features: []string{"v:a", "v:é\n", "w"},
		Entities: map[string][]online.Value{
			"k": {online.Int(1), online.Int(-2), online.Int(300)},
			"s": {online.String("x"), online.String("😀"), online.String("\x00")},
		},
		FullFeatureNames: true,
	}
	if got, w := string(req.AppendJSON(nil)), string(want.AppendJSON(nil)); got != w {
		t.Fatalf("got %s, want %s", got, w)
	}
	const enc = `{"features":["v:a","v:é\n","w"],"entities":{"k":[1,-2,300],"s":["x","😀","\u0000"]},"full_feature_names":true}`
	if got := string(req.AppendJSON(nil)); got != enc {
		t.Errorf("got %s, want %s", got, enc)
	}
}
