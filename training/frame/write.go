package frame

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/assayhq/assay/dataset"
)

// WriteParquet writes the features of x (and the target y, if not nil) as
// a Parquet file, for programs outside assay: numeric features as
// float64, categorical ones as their level strings, the target as its
// class names or numbers; missing values are null.
func WriteParquet(path string, x *Matrix, y *Target) error {
	var fields []arrow.Field
	for _, f := range x.Features {
		t := arrow.DataType(arrow.PrimitiveTypes.Float64)
		if f.Kind == Categorical {
			t = arrow.BinaryTypes.String
		}
		fields = append(fields, arrow.Field{Name: f.Name, Type: t, Nullable: true})
	}
	if y != nil {
		t := arrow.DataType(arrow.BinaryTypes.String)
		if y.Task == Regression {
			t = arrow.PrimitiveTypes.Float64
		}
		fields = append(fields, arrow.Field{Name: y.Name, Type: t, Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	return dataset.WriteFile(path, schema, dataset.DefaultWriterOptions(), func(w *dataset.Writer) error {
		const chunk = 64 * 1024
		for lo := 0; lo < x.Rows || lo == 0; lo += chunk {
			n := min(chunk, x.Rows-lo)
			var cols []arrow.Array
			for j := range x.Features {
				f := &x.Features[j]
				if f.Kind == Categorical {
					cols = append(cols, stringArray(f.Cat[lo:lo+n], f.Levels))
				} else {
					cols = append(cols, floatArray(f.Num[lo:lo+n]))
				}
			}
			if y != nil {
				if y.Task == Regression {
					cols = append(cols, floatArray(y.Value[lo:lo+n]))
				} else {
					cols = append(cols, stringArray(y.Class[lo:lo+n], y.Classes))
				}
			}
			rec := array.NewRecordBatch(schema, cols, int64(n))
			err := w.Write(rec)
			rec.Release()
			for _, c := range cols {
				c.Release()
			}
			if err != nil || x.Rows == 0 {
				return err
			}
		}
		return nil
	})
}

func floatArray(v []float64) arrow.Array {
	b := array.NewFloat64Builder(memory.DefaultAllocator)
	defer b.Release()
	for _, x := range v {
		if math.IsNaN(x) {
			b.AppendNull()
		} else {
			b.Append(x)
		}
	}
	return b.NewArray()
}

func stringArray(codes []int32, levels []string) arrow.Array {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	for _, c := range codes {
		if c == Missing {
			b.AppendNull()
		} else {
			b.Append(levels[c])
		}
	}
	return b.NewArray()
}

// WriteCSV writes the same as WriteParquet as CSV with a header, for
// programs without a Parquet reader; a missing value is an empty field.
func WriteCSV(path string, x *Matrix, y *Target) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	rec := make([]string, 0, len(x.Features)+1)
	for _, ft := range x.Features {
		rec = append(rec, ft.Name)
	}
	if y != nil {
		rec = append(rec, y.Name)
	}
	if err := w.Write(rec); err != nil {
		return err
	}
	for i := range x.Rows {
		rec = rec[:0]
		for j := range x.Features {
			ft := &x.Features[j]
			switch {
			case ft.IsMissing(i):
				rec = append(rec, "")
			case ft.Kind == Categorical:
				rec = append(rec, ft.Levels[ft.Cat[i]])
			default:
				rec = append(rec, strconv.FormatFloat(ft.Num[i], 'g', -1, 64))
			}
		}
		if y != nil {
			if y.Task == Regression {
				rec = append(rec, strconv.FormatFloat(y.Value[i], 'g', -1, 64))
			} else {
				rec = append(rec, y.Classes[y.Class[i]])
			}
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return bw.Flush()
}
