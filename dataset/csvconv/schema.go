package csvconv

import (
	"fmt"
	"reflect"

	"github.com/parquet-go/parquet-go"
)

// Schema returns the Parquet schema Convert writes for cols: one OPTIONAL
// column per entry, in order (see the package documentation for the
// physical and logical types).
func Schema(cols []Column) (*parquet.Schema, error) {
	fields := make([]parquet.Field, len(cols))
	seen := make(map[string]bool, len(cols))
	for i, c := range cols {
		if seen[c.Name] {
			return nil, fmt.Errorf("%w: duplicate column %q", ErrHeader, c.Name)
		}
		seen[c.Name] = true
		node, err := leaf(c.Type)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", c.Name, err)
		}
		fields[i] = field{Node: parquet.Optional(node), name: c.Name}
	}
	return parquet.NewSchema("schema", table{fields: fields}), nil
}

func leaf(t Type) (parquet.Node, error) {
	switch t {
	case Int64:
		return parquet.Leaf(parquet.Int64Type), nil
	case Float64:
		return parquet.Leaf(parquet.DoubleType), nil
	case Bool:
		return parquet.Leaf(parquet.BooleanType), nil
	case Timestamp:
		return parquet.Timestamp(parquet.Microsecond), nil
	case String:
		return parquet.Encoded(parquet.String(), &parquet.RLEDictionary), nil
	}
	return nil, fmt.Errorf("%w %q (want one of %s)", ErrInvalidType, string(t), typeList)
}

// table is the root group of the schema. Unlike parquet.Group, which sorts
// its fields by name, it keeps the header order. It embeds an empty
// parquet.Group for the group type and the other Node methods.
type table struct {
	parquet.Group
	fields []parquet.Field
}

var _ parquet.Node = table{}

func (t table) Fields() []parquet.Field { return t.fields }

func (t table) String() string { return parquet.NewSchema("", t).String() }

// GoType is the type rows of this group can be read into with reflection.
// parquet.Group would build a struct type, which fails for names that are
// not valid in struct tags (CSV headers may hold commas), so a table maps
// names to values instead. Convert writes parquet.Row values and never uses
// it.
func (t table) GoType() reflect.Type { return reflect.TypeFor[map[string]any]() }

// field names a node in a table.
type field struct {
	parquet.Node
	name string
}

func (f field) Name() string { return f.name }

// Value returns the named entry of a map[string]any base.
func (f field) Value(base reflect.Value) reflect.Value {
	for base.Kind() == reflect.Interface || base.Kind() == reflect.Pointer {
		if base.IsNil() {
			return reflect.Value{}
		}
		base = base.Elem()
	}
	if base.Kind() != reflect.Map {
		return reflect.Value{}
	}
	return base.MapIndex(reflect.ValueOf(f.name))
}
