package dataset_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store/mem"
)

type customer struct {
	ID      int64    `parquet:"id"`
	Segment string   `parquet:"segment,dict"`
	Income  *float64 `parquet:"income,optional"`
}

// exampleFile writes a small Parquet file of five customers in two row
// groups and returns its path.
func exampleFile() (string, func()) {
	dir, err := os.MkdirTemp("", "assay-example-")
	if err != nil {
		log.Fatal(err)
	}
	inc := func(v float64) *float64 { return &v }
	rows := []customer{
		{1, "consumer", inc(52000)}, {2, "enterprise", nil}, {3, "consumer", inc(61000)},
		{4, "student", inc(9000)}, {5, "consumer", inc(48000)},
	}
	path := filepath.Join(dir, "customers.parquet")
	if err := parquet.WriteFile(path, rows, parquet.MaxRowsPerRowGroup(3)); err != nil {
		log.Fatal(err)
	}
	return path, func() { os.RemoveAll(dir) }
}

func ExampleNewScanner() {
	path, cleanup := exampleFile()
	defer cleanup()
	ctx := context.Background()

	s, err := dataset.NewScanner(ctx, []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Println("rows:", s.NumRows())
	for _, c := range s.Schema() {
		fmt.Printf("%s nullable=%v\n", c, c.Nullable)
	}
	for _, rg := range s.RowGroups() {
		fmt.Printf("row group %d: rows %d to %d\n", rg.Index, rg.FirstRow, rg.FirstRow+rg.NumRows-1)
	}
	// Output:
	// rows: 5
	// id int64 nullable=false
	// segment string nullable=false
	// income float64 nullable=true
	// row group 0: rows 0 to 2
	// row group 1: rows 3 to 4
}

func ExampleScanner_Scan() {
	path, cleanup := exampleFile()
	defer cleanup()
	ctx := context.Background()
	s, err := dataset.NewScanner(ctx, []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	// Read two columns, in this order, two rows per batch. Row groups run
	// in parallel; results are kept per row group and printed in order.
	out := make([][]string, len(s.RowGroups()))
	err = s.Scan(ctx, dataset.ScanOptions{Columns: []string{"income", "id"}, BatchRows: 2},
		func(ctx context.Context, rg dataset.RowGroup, r *dataset.BatchReader) error {
			for r.Next() {
				rec := r.Record()
				for i := range int(rec.NumRows()) {
					row := rg.FirstRow + r.Offset() + int64(i)
					out[rg.Index] = append(out[rg.Index], fmt.Sprintf("row %d: id=%s income=%s",
						row, dataset.FormatCell(rec.Column(1), i), dataset.FormatCell(rec.Column(0), i)))
				}
			}
			return nil
		})
	if err != nil {
		log.Fatal(err)
	}
	for _, lines := range out {
		for _, l := range lines {
			fmt.Println(l)
		}
	}
	// Output:
	// row 0: id=1 income=52000
	// row 1: id=2 income=null
	// row 2: id=3 income=61000
	// row 3: id=4 income=9000
	// row 4: id=5 income=48000
}

func ExampleProfile() {
	path, cleanup := exampleFile()
	defer cleanup()
	ctx := context.Background()
	s, err := dataset.NewScanner(ctx, []dataset.Input{dataset.FileInput(path)})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	p, err := dataset.Profile(ctx, s, dataset.ScanOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range p.Summary().Columns {
		fmt.Printf("%s: count %d, nulls %d, distinct %d", c.Name, c.Count, c.Nulls, c.Distinct)
		if c.Mean != nil {
			fmt.Printf(", mean %g", float64(*c.Mean))
		}
		fmt.Println()
	}
	// Output:
	// id: count 5, nulls 0, distinct 5, mean 3
	// segment: count 5, nulls 0, distinct 3
	// income: count 5, nulls 1, distinct 4, mean 42500
}

func ExampleRepo_Commit() {
	path, cleanup := exampleFile()
	defer cleanup()
	ctx := context.Background()
	repo, err := dataset.Init(ctx, mem.New(), "memory")
	if err != nil {
		log.Fatal(err)
	}
	m, err := repo.Commit(ctx, dataset.CommitOptions{
		Name: "customers", Paths: []string{path}, Message: "first export", Author: "ann",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Label(), m.Op, m.Rows, "rows")

	// The same file again, appended: one more version, the content stored
	// once, the name made unique.
	m, err = repo.Commit(ctx, dataset.CommitOptions{
		Name: "customers", Paths: []string{path}, Message: "again", Author: "ann", Append: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Label(), m.Op, m.Rows, "rows, parent", m.Parent)
	for _, f := range m.Files {
		fmt.Println(" ", f.Name, f.Rows, f.Object == m.Files[0].Object)
	}

	ref, _ := dataset.ParseRef("customers@~1")
	old, err := repo.Resolve(ctx, ref)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("customers@~1 is", old.Label())
	// Output:
	// customers@v1 commit 5 rows
	// customers@v2 append 10 rows, parent 1
	//   customers.parquet 5 true
	//   customers-2.parquet 5 true
	// customers@~1 is customers@v1
}
