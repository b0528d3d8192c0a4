package defs

import (
	"errors"
	"strings"
	"testing"
)

const resolveYAML = `feature_views:
  - name: stats
    entities: [customer]
    source: transactions
    features:
      - tenure
      - name: charges
        expr: TotalCharges / 2
  - name: profile
    entities: [customer]
    source: transactions
    features: [segment]
feature_services:
  - name: churn_model
    features: [stats:charges, profile]
  - name: broken
    features: [stats:nope]
`

func TestResolve(t *testing.T) {
	r, err := Parse("fs.yaml", []byte(resolveYAML))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		refs []string
		want string // refs joined by ",", or the error's text
		err  bool
	}{
		{"one feature", []string{"stats:tenure"}, "stats:tenure", false},
		{"whole view", []string{"stats"}, "stats:tenure,stats:charges", false},
		{"service", []string{"churn_model"}, "stats:charges,profile:segment", false},
		{"no repeats", []string{"stats:charges", "churn_model", "stats"}, "stats:charges,profile:segment,stats:tenure", false},
		{"none", nil, "", false},
		{"unknown feature", []string{"stats:tenur"}, `"stats:tenur": view stats has no feature tenur; did you mean tenure?`, true},
		{"unknown view", []string{"stat:tenure"}, `"stat:tenure": unknown feature view stat; did you mean stats?`, true},
		{"unknown name", []string{"churn_modl"}, `"churn_modl": no feature view or service is named churn_modl; did you mean churn_model?`, true},
		{"broken service", []string{"broken"}, `"broken": service broken lists stats:nope: view stats has no feature nope`, true},
		{"all errors at once", []string{"x:y", "stats", "zzz"}, `"x:y": unknown feature view x; "zzz": no feature view or service is named zzz`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Resolve(tt.refs)
			if tt.err {
				if !errors.Is(err, ErrUnknownRef) {
					t.Fatalf("got %v, want ErrUnknownRef", err)
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("got %q, want it to contain %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, f := range got {
				s = append(s, f.String())
			}
			if strings.Join(s, ",") != tt.want {
				t.Errorf("got %s, want %s", strings.Join(s, ","), tt.want)
			}
		})
	}
}

func TestResolveAmbiguous(t *testing.T) {
	r := &Registry{
		Views:    []*FeatureView{{Name: "x", Features: []*Feature{{Name: "a"}}}},
		Services: []*FeatureService{{Name: "x", Features: []string{"x:a"}}},
	}
	if _, err := r.Resolve([]string{"x"}); !errors.Is(err, ErrUnknownRef) || !strings.Contains(err.Error(), "both a feature view and a feature service") {
		t.Fatalf("got %v, want an ambiguity error", err)
	}
	got, err := r.Resolve([]string{"x:a"})
	if err != nil || len(got) != 1 || got[0].String() != "x:a" {
		t.Fatalf("got %v, %v; want x:a", got, err)
	}
}
