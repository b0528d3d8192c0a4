package suggest

import "testing"

func TestNearest(t *testing.T) {
	for _, tt := range []struct {
		name  string
		known []string
		want  string
	}{
		{"not_nul", []string{"not_null", "unique"}, "not_null"},
		{"NotNull", []string{"not_null"}, "not_null"},
		{"uniq", []string{"unique"}, ""},     // distance 2, short name: too far
		{"between", []string{"between"}, ""}, // the same name
		{"=", []string{"!=", "=="}, "=="},    // ties go to a name starting with it
		{"customer_idd", []string{"customer_id"}, "customer_id"},
		{"zzz", nil, ""},
	} {
		if got := Nearest(tt.name, tt.known); got != tt.want {
			t.Errorf("Nearest(%q, %v) = %q, want %q", tt.name, tt.known, got, tt.want)
		}
	}
}

func TestWithin(t *testing.T) {
	if got := Within("Tenure", []string{"tenure", "tenures"}, 3); got != "tenure" {
		t.Errorf("Within = %q", got)
	}
	if got := Within("abc", []string{"xyz"}, 3); got != "" {
		t.Errorf("Within far = %q", got)
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"kitten", "sitting", 3}, {"é", "e", 1}, {"abc", "", 3}} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
