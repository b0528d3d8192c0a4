package profile_test

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset/profile"
)

// Profile a record batch, merge the profile of another row group, and read
// the figures.
func Example() {
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "age", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "city", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	specs := []profile.Spec{
		{Name: "age", Type: "int64", Kind: profile.KindOf(arrow.PrimitiveTypes.Int64)},
		{Name: "city", Type: "string", Kind: profile.KindOf(arrow.BinaryTypes.String)},
	}
	batch := func(ages []int64, cities []string, valid []bool) arrow.RecordBatch {
		b := array.NewRecordBuilder(mem, schema)
		defer b.Release()
		b.Field(0).(*array.Int64Builder).AppendValues(ages, valid)
		b.Field(1).(*array.StringBuilder).AppendValues(cities, nil)
		return b.NewRecordBatch()
	}

	// Each row group gets its own profile and seed; merge them in order.
	total := profile.New(specs, 0)
	for i, rec := range []arrow.RecordBatch{
		batch([]int64{34, 0, 51, 29}, []string{"Zürich", "Oslo", "Zürich", "Lyon"}, []bool{true, false, true, true}),
		batch([]int64{29, 62}, []string{"Oslo", "Zürich"}, nil),
	} {
		p := profile.New(specs, uint64(i)+1)
		p.Add(rec)
		rec.Release()
		if err := total.Merge(p); err != nil {
			panic(err)
		}
	}

	s := total.Summary()
	age, city := s.Columns[0], s.Columns[1]
	fmt.Printf("rows %d\n", s.Rows)
	fmt.Printf("age: nulls %d, distinct %d, min %s, max %s, mean %.1f, p50 %v\n",
		age.Nulls, age.Distinct, age.MinValue, age.MaxValue, float64(*age.Mean), float64(age.Quantiles.P50))
	fmt.Printf("city: distinct %d, top %s×%d, length %d…%d\n",
		city.Distinct, city.Top[0].Value, city.Top[0].Count, city.Length.Min, city.Length.Max)
	// Output:
	// rows 6
	// age: nulls 1, distinct 4, min 29, max 62, mean 41.0, p50 34
	// city: distinct 3, top Zürich×3, length 4…6
}
