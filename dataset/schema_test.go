package dataset_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/assayhq/assay/dataset"
)

func TestSchemaCompatible(t *testing.T) {
	base := dataset.Schema{
		{Name: "id", Type: dataset.Int64},
		{Name: "name", Type: dataset.String, Nullable: true},
		{Name: "at", Type: dataset.TimestampMS, UTC: true},
	}
	edit := func(f func(s dataset.Schema) dataset.Schema) dataset.Schema {
		return f(append(dataset.Schema(nil), base...))
	}
	tests := []struct {
		name  string
		other dataset.Schema
		want  string // "" for compatible
	}{
		{"same", base, ""},
		{"nullability", edit(func(s dataset.Schema) dataset.Schema { s[0].Nullable = true; s[1].Nullable = false; return s }), ""},
		{"retyped", edit(func(s dataset.Schema) dataset.Schema { s[0].Type = dataset.Int32; return s }), `column "id" is int32, not int64`},
		{"time zone", edit(func(s dataset.Schema) dataset.Schema { s[2].UTC = false; return s }), `column "at" is timestamp[ms], not timestamp[ms] UTC`},
		{"missing", base[:2], `column "at" (timestamp[ms] UTC) is missing`},
		{"new last", append(append(dataset.Schema(nil), base...), dataset.Column{Name: "x", Type: dataset.Bool}), `column "x" (bool) is new`},
		{"new first", append(dataset.Schema{{Name: "x", Type: dataset.Bool}}, base...), `column "x" (bool) is new`},
		{"swapped", dataset.Schema{base[1], base[0], base[2]}, `column "id" is at position 2, not 1`},
		{"renamed", edit(func(s dataset.Schema) dataset.Schema { s[1].Name = "nome"; return s }), `column "name" (string) is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := base.Compatible(tt.other)
			if tt.want == "" {
				if err != nil {
					t.Errorf("got %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, dataset.ErrSchema) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want ErrSchema: %s", err, tt.want)
			}
		})
	}
}

func TestSchemaMergeAndArrow(t *testing.T) {
	a := dataset.Schema{{Name: "id", Type: dataset.Int64}, {Name: "at", Type: dataset.TimestampUS}, {Name: "g", Type: "group", Unsupported: "nested"}}
	b := dataset.Schema{{Name: "id", Type: dataset.Int64, Nullable: true}, {Name: "at", Type: dataset.TimestampUS}}
	m := a.Merge(b)
	if !m[0].Nullable || m[1].Nullable || a[0].Nullable {
		t.Errorf("Merge: got %+v (a now %+v), want id nullable only in the result", m, a)
	}
	as := m.Arrow()
	if as.NumFields() != 2 {
		t.Fatalf("Arrow: got %d fields, want 2 (unsupported left out)", as.NumFields())
	}
	if f := as.Field(1); f.Type.(*arrow.TimestampType).Unit != arrow.Microsecond || f.Type.(*arrow.TimestampType).TimeZone != "" {
		t.Errorf("at: got %v, want timestamp[us] without zone", f.Type)
	}
	if got := m.Supported().Names(); len(got) != 2 {
		t.Errorf("Supported: got %v", got)
	}
}
