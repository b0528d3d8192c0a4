package dataset_test

import (
	"errors"
	"testing"

	"github.com/assayhq/assay/dataset"
)

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{
		"churn", "churn@v3", "churn@3", "churn@prod", "churn@~1", "churn@~",
		"churn@2026-11-01T00:00:00Z", "churn@2026-11-01", "churn@2026-11-01T02:00:00.5+02:00",
		"churn@0000-01-01T00:00:00+01:00", "data/*.parquet", "./x", "x.csv", "churn@",
		"@", "churn@a@b", "churn@v99999999999999999999", "con", "a..b", "ch\xffrn", "[",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := dataset.ParseRef(s)
		if err != nil {
			var re *dataset.RefError
			if !errors.As(err, &re) || re.Ref != s || re.Reason == "" {
				t.Fatalf("ParseRef(%q): error %#v is not a *RefError for the input with a reason", s, err)
			}
			if !errors.Is(err, dataset.ErrInvalid) {
				t.Fatalf("ParseRef(%q): error does not wrap ErrInvalid", s)
			}
			return
		}
		switch r.Kind {
		case dataset.RefPath:
			if r.Path != s || r.Name != "" {
				t.Fatalf("ParseRef(%q) = %#v: a path ref must keep the input as its path", s, r)
			}
		default:
			if err := dataset.ValidateName("dataset", r.Name); err != nil {
				t.Fatalf("ParseRef(%q) = %#v with a bad name: %v", s, r, err)
			}
		}
		switch r.Kind {
		case dataset.RefVersion:
			if r.Version < 1 {
				t.Fatalf("ParseRef(%q) = %#v: version < 1", s, r)
			}
		case dataset.RefBack:
			if r.Back < 1 {
				t.Fatalf("ParseRef(%q) = %#v: back < 1", s, r)
			}
		case dataset.RefTag:
			if err := dataset.ValidateName("tag", r.Tag); err != nil {
				t.Fatalf("ParseRef(%q) = %#v with a bad tag: %v", s, r, err)
			}
		case dataset.RefTime:
			if r.Time.Location().String() != "UTC" {
				t.Fatalf("ParseRef(%q) = %#v: time not in UTC", s, r)
			}
		}
		canon := r.String()
		again, err := dataset.ParseRef(canon)
		if err != nil {
			t.Fatalf("ParseRef(%q) = %#v, but its String %q does not parse: %v", s, r, canon, err)
		}
		if again != r {
			t.Fatalf("round trip of %q through %q:\ngot  %#v\nwant %#v", s, canon, again, r)
		}
		if again.String() != canon {
			t.Fatalf("String of %q not stable: %q then %q", s, canon, again.String())
		}
	})
}
