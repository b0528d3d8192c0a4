package labels

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store/mem"
)

func writeCSV(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func openSource(t *testing.T, repo *dataset.Repo, ref string) *dataset.Source {
	t.Helper()
	s, err := dataset.OpenSource(context.Background(), repo, ref, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

const pets = `id,name,weight,kind,p_cat,p_dog
1, Tom ,4.5,cat,0.9,0.1
2,Rex,30,dog,0.2,0.8
3,,,cat,0.5,0.5
4,Rex,30,cat,0.3,0.7
`

func TestLoadAndEncode(t *testing.T) {
	dir := t.TempDir()
	src := openSource(t, nil, writeCSV(t, dir, "pets.csv", pets))
	tab, err := Load(context.Background(), src, []string{"name", "weight", "kind", "id"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows != 4 {
		t.Fatalf("%d rows", tab.Rows)
	}
	name, weight := tab.Column("name"), tab.Column("weight")
	if name.Text(0) != " Tom " || name.Valid[2] || weight.Valid[2] || !math.IsNaN(weight.Num[2]) || weight.Text(1) != "30" {
		t.Errorf("values: %q %v %v %q", name.Text(0), name.Valid[2], weight.Valid[2], weight.Text(1))
	}
	l := Encode(tab.Column("kind"))
	if strings.Join(l.Classes, ",") != "cat,dog" || l.Codes[1] != 1 || l.Counts[0] != 3 || l.Missing != 0 {
		t.Errorf("encoded %+v", l)
	}
	ids := Encode(tab.Column("id"))
	if strings.Join(ids.Classes, ",") != "1,2,3,4" {
		t.Errorf("numeric classes %v", ids.Classes)
	}
	if _, err := Load(context.Background(), src, []string{"nope"}, 1); !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), `no column "nope"`) {
		t.Errorf("unknown column: %v", err)
	}
}

func TestNumericClassesSortAsNumbers(t *testing.T) {
	dir := t.TempDir()
	src := openSource(t, nil, writeCSV(t, dir, "n.csv", "y,z\n10,a\n2,a\n1,a\n,a\n2,a\n"))
	tab, err := Load(context.Background(), src, []string{"y"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	l := Encode(tab.Column("y"))
	if strings.Join(l.Classes, ",") != "1,2,10" || l.Missing != 1 || l.Codes[0] != 2 || l.Codes[3] != -1 {
		t.Errorf("classes %v, missing %d, codes %v", l.Classes, l.Missing, l.Codes)
	}
}

func TestProbColumns(t *testing.T) {
	classes := []string{"cat", "dog"}
	for _, tt := range []struct {
		specs []string
		want  string
		err   string
	}{
		{[]string{"p_dog", "p_cat"}, "p_cat,p_dog", ""}, // by name
		{[]string{"a", "b"}, "a,b", ""},                 // by position
		{[]string{"dog=a", "cat=b"}, "b,a", ""},         // pairs
		{[]string{"a"}, "", "1 probability columns for 2 classes (cat, dog)"},
		{[]string{"cat=a", "fish=b"}, "", `no class "fish"`},
		{[]string{"cat=a", "b"}, "", "mix of class=column pairs"},
		{[]string{"cat=a", "cat=b"}, "", `class "cat" given twice`},
	} {
		got, err := ProbColumns(tt.specs, classes)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, dataset.ErrInvalid) {
				t.Errorf("%v: error %v, want %q", tt.specs, err, tt.err)
			}
			continue
		}
		if err != nil || strings.Join(got, ",") != tt.want {
			t.Errorf("%v: %v (%v), want %s", tt.specs, got, err, tt.want)
		}
	}
}

func TestReadProbs(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	src := openSource(t, nil, writeCSV(t, dir, "pets.csv", pets))
	for _, workers := range []int{1, 2, 4} {
		p, err := ReadProbs(ctx, src, []string{"p_cat", "p_dog"}, workers)
		if err != nil || p.N != 4 || p.K != 2 || p.Row(1)[1] != 0.8 || p.Row(3)[0] != 0.3 {
			t.Fatalf("%d workers: %+v %v", workers, p, err)
		}
	}
	if _, err := ReadProbs(ctx, src, []string{"p_cat", "name"}, 1); err == nil || !strings.Contains(err.Error(), `"name" is string, not a number`) {
		t.Errorf("text column: %v", err)
	}
	for _, tt := range []struct{ csv, want string }{
		{"a,b\n0.5,0.5\n0.7,0.5\n", "row 1: probabilities a, b sum to 1.2"},
		{"a,b\n0.5,0.5\n,0.5\n", `row 1: probability column "a" is missing`},
		{"a,b\n0.5,0.5\n1.5,-0.5\n", `row 1: probability column "a" is 1.5, not in [0, 1]`},
	} {
		bad := openSource(t, nil, writeCSV(t, dir, "bad.csv", tt.csv))
		if _, err := ReadProbs(ctx, bad, []string{"a", "b"}, 1); err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, dataset.ErrInvalid) {
			t.Errorf("%q: %v, want %q", tt.csv, err, tt.want)
		}
	}
}

// TestApply commits a relabelled version: only the changed rows differ,
// the metadata holds the audit trail, and bad changes write nothing.
func TestApply(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	repo, err := dataset.Init(ctx, mem.New(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("id,kind,score\n")
	for i := range 3000 {
		b.WriteString(strconv.Itoa(i) + "," + []string{"cat", "dog"}[i%2] + "," + strconv.Itoa(i%7) + "\n")
	}
	path := writeCSV(t, dir, "pets.csv", b.String())
	if _, err := repo.Commit(ctx, dataset.CommitOptions{Name: "pets", Paths: []string{path}, Message: "m", Author: "t"}); err != nil {
		t.Fatal(err)
	}
	src := openSource(t, repo, "pets@v1")
	m, err := Apply(ctx, repo, src, ApplyOptions{Label: "kind", Changes: []Change{{Row: 0, Label: "dog"}, {Row: 2999, Label: "bird"}},
		Message: "relabel", Author: "ann", Metadata: map[string]string{"labels.decisions": "[...]"}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != 2 || m.Rows != 3000 || m.Metadata["labels.decisions"] != "[...]" || m.Author != "ann" {
		t.Errorf("new version %s: %d rows, metadata %v", m.Label(), m.Rows, m.Metadata)
	}
	tab, err := Load(ctx, openSource(t, repo, "pets@v2"), []string{"id", "kind", "score"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	kind := tab.Column("kind")
	for i := range 3000 {
		want := []string{"cat", "dog"}[i%2]
		switch i {
		case 0:
			want = "dog"
		case 2999:
			want = "bird"
		}
		if kind.Text(i) != want || tab.Column("id").Num[i] != float64(i) {
			t.Fatalf("row %d: kind %q id %v, want %q", i, kind.Text(i), tab.Column("id").Num[i], want)
		}
	}
	// Bad input: nothing committed.
	head := func() int {
		h, err := repo.Head(ctx, "pets")
		if err != nil {
			t.Fatal(err)
		}
		return h.Version
	}
	v2 := openSource(t, repo, "pets@v2")
	for _, tt := range []struct {
		src  *dataset.Source
		opts ApplyOptions
		want string
	}{
		{src, ApplyOptions{Label: "kind", Changes: []Change{{0, "cat"}}}, "not the newest version"},
		{v2, ApplyOptions{Label: "nope"}, `no column "nope"`},
		{v2, ApplyOptions{Label: "kind", Changes: []Change{{3000, "cat"}}}, "row 3000 is not a row"},
		{v2, ApplyOptions{Label: "score", Changes: []Change{{1, "high"}}}, `label "high" is not a int64 value`},
		{v2, ApplyOptions{Label: "kind", Changes: []Change{{1, "cat"}, {1, "dog"}}}, "row 1 is changed twice"},
		{openSource(t, nil, path), ApplyOptions{Label: "kind"}, "is a file"},
	} {
		_, err := Apply(ctx, repo, tt.src, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, dataset.ErrInvalid) {
			t.Errorf("%+v: error %v, want %q", tt.opts, err, tt.want)
		}
	}
	if head() != 2 {
		t.Errorf("a failed apply committed v%d", head())
	}
}

func TestCrossValProbs(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,x,color,y\n")
	for i := range 2000 {
		x := float64(i%100) / 10
		color := []string{"red", "green", "blue"}[i%3]
		y := "low"
		if x > 5 || color == "red" {
			y = "high"
		}
		b.WriteString("u" + strconv.Itoa(i) + "," + strconv.FormatFloat(x, 'g', -1, 64) + "," + color + "," + y + "\n")
	}
	src := openSource(t, nil, writeCSV(t, dir, "d.csv", b.String()))
	tab, err := Load(context.Background(), src, []string{"id", "x", "color", "y"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	l := Encode(tab.Column("y"))
	p, base, err := CrossValProbs(tab, l, []string{"id", "x", "color"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(base.Dropped, ",") != "id" || strings.Join(base.Features, ",") != "x,color" || base.Inputs != 4 {
		t.Errorf("baseline %+v: want id dropped as an identifier, x and 3 colours", base)
	}
	right := 0
	for i := range p.N {
		row := p.Row(i)
		var s float64
		best := 0
		for k, v := range row {
			s += v
			if v > row[best] {
				best = k
			}
		}
		if math.Abs(s-1) > 1e-9 {
			t.Fatalf("row %d sums to %v", i, s)
		}
		if best == l.Codes[i] {
			right++
		}
	}
	if acc := float64(right) / float64(p.N); acc < 0.9 {
		t.Errorf("out-of-fold accuracy %v on nearly separable data, want ≥ 0.9", acc)
	}
	if _, _, err := CrossValProbs(tab, l, []string{"x"}, 1); err == nil {
		t.Error("--cv 1 accepted")
	}
}
