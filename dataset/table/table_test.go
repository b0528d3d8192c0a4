package table

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
)

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	data := "id,name,score,ok,day\n1,ann,1.5,true,2026-01-02\n2,,,false,\n3,bo,-2,,2026-01-03\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	src, err := dataset.OpenSource(ctx, nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	tab, err := Load(ctx, src, []string{"name", "score", "ok", "id", "day"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows != 3 || len(tab.Cols) != 5 || tab.Cols[0].Name != "name" {
		t.Fatalf("got %d rows, columns %v", tab.Rows, tab.Cols)
	}
	name, score, ok, id, day := tab.Column("name"), tab.Column("score"), tab.Column("ok"), tab.Column("id"), tab.Column("day")
	if name.Numeric || name.Str[0] != "ann" || name.Valid[1] || name.Str[2] != "bo" {
		t.Errorf("name: %+v", name)
	}
	if !score.Numeric || score.Num[0] != 1.5 || !math.IsNaN(score.Num[1]) || score.Valid[1] || score.Num[2] != -2 {
		t.Errorf("score: %+v", score)
	}
	if ok.Num[0] != 1 || ok.Num[1] != 0 || !math.IsNaN(ok.Num[2]) || ok.Text(0) != "true" || ok.Text(2) != "" {
		t.Errorf("ok: %+v", ok)
	}
	if id.Text(2) != "3" || day.Text(0) != "2026-01-02T00:00:00Z" || day.Valid[1] {
		t.Errorf("id %q, day %q", id.Text(2), day.Text(0))
	}
	_, err = Load(ctx, src, []string{"nme"}, 1)
	if !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), `no column "nme" (columns: id, name, score, ok, day)`) {
		t.Errorf("unknown column: got %v", err)
	}
}
