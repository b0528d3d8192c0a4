package dataset

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// Type is the logical type of a column, in the words users see:
// bool, int32, int64, float32, float64, string, binary, date,
// timestamp[ms], timestamp[us] or timestamp[ns] (UTC when the Parquet
// column is adjusted to UTC, local wall time otherwise).
type Type string

// The column types assay reads. Columns of other Parquet types (nested
// groups, decimals, INT96, fixed-length arrays) are listed in the schema as
// unsupported and left out of scans.
const (
	Bool        Type = "bool"
	Int32       Type = "int32"
	Int64       Type = "int64"
	Float32     Type = "float32"
	Float64     Type = "float64"
	String      Type = "string"
	Binary      Type = "binary"
	Date        Type = "date"
	TimestampMS Type = "timestamp[ms]"
	TimestampUS Type = "timestamp[us]"
	TimestampNS Type = "timestamp[ns]"
)

// Numeric reports whether values of t are numbers (dates and timestamps
// count: they are ordered and have a mean).
func (t Type) Numeric() bool {
	switch t {
	case Int32, Int64, Float32, Float64, Date, TimestampMS, TimestampUS, TimestampNS:
		return true
	}
	return false
}

// Temporal reports whether t is a date or timestamp.
func (t Type) Temporal() bool { return t == Date || t.Timestamp() }

// Timestamp reports whether t is a timestamp.
func (t Type) Timestamp() bool {
	return t == TimestampMS || t == TimestampUS || t == TimestampNS
}

// Column is one top-level column of a dataset.
type Column struct {
	Name     string `json:"name"`
	Type     Type   `json:"type"`
	Nullable bool   `json:"nullable"`
	// UTC is set for timestamps adjusted to UTC.
	UTC bool `json:"utc,omitempty"`
	// Unsupported, when set, says why the column cannot be scanned; Type
	// then holds the Parquet type for display.
	Unsupported string `json:"unsupported,omitempty"`
}

// Schema is the ordered list of a dataset's columns.
type Schema []Column

// Index returns the position of the named column, or -1.
func (s Schema) Index(name string) int {
	for i, c := range s {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Names returns the column names in order.
func (s Schema) Names() []string {
	names := make([]string, len(s))
	for i, c := range s {
		names[i] = c.Name
	}
	return names
}

// Supported returns the columns a scan can read.
func (s Schema) Supported() Schema {
	out := make(Schema, 0, len(s))
	for _, c := range s {
		if c.Unsupported == "" {
			out = append(out, c)
		}
	}
	return out
}

// Compatible reports the first difference that keeps other's rows from
// joining s's: a missing or extra column, a changed type or order. Only
// nullability may differ.
//
// Missing, retyped and new columns are reported before a changed order,
// which they would otherwise show up as ("column id is at position 2").
func (s Schema) Compatible(other Schema) error {
	for _, c := range s {
		j := other.Index(c.Name)
		if j < 0 {
			return fmt.Errorf("%w: column %q (%s) is missing", ErrSchema, c.Name, c.typeString())
		}
		o := other[j]
		if o.Type != c.Type || o.UTC != c.UTC {
			return fmt.Errorf("%w: column %q is %s, not %s", ErrSchema, c.Name, o.typeString(), c.typeString())
		}
	}
	for _, o := range other {
		if s.Index(o.Name) < 0 {
			return fmt.Errorf("%w: column %q (%s) is new", ErrSchema, o.Name, o.typeString())
		}
	}
	for i, c := range s {
		if j := other.Index(c.Name); i != j {
			return fmt.Errorf("%w: column %q is at position %d, not %d", ErrSchema, c.Name, j+1, i+1)
		}
	}
	return nil
}

// Merge returns s with columns nullable where other's are.
func (s Schema) Merge(other Schema) Schema {
	out := append(Schema(nil), s...)
	for i := range out {
		if j := other.Index(out[i].Name); j >= 0 && other[j].Nullable {
			out[i].Nullable = true
		}
	}
	return out
}

func (c Column) typeString() string {
	if c.Type.Timestamp() && c.UTC {
		return string(c.Type) + " UTC"
	}
	return string(c.Type)
}

// String renders the type with its time zone, as in "timestamp[ms] UTC".
func (c Column) String() string { return c.Name + " " + c.typeString() }

// Arrow returns the Arrow type of the column's values.
func (c Column) Arrow() arrow.DataType {
	tz := ""
	if c.UTC {
		tz = "UTC"
	}
	switch c.Type {
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	case Int32:
		return arrow.PrimitiveTypes.Int32
	case Int64:
		return arrow.PrimitiveTypes.Int64
	case Float32:
		return arrow.PrimitiveTypes.Float32
	case Float64:
		return arrow.PrimitiveTypes.Float64
	case String:
		return arrow.BinaryTypes.String
	case Binary:
		return arrow.BinaryTypes.Binary
	case Date:
		return arrow.FixedWidthTypes.Date32
	case TimestampMS:
		return &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: tz}
	case TimestampUS:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: tz}
	case TimestampNS:
		return &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: tz}
	}
	return arrow.Null
}

// Arrow returns the Arrow schema of the supported columns.
func (s Schema) Arrow() *arrow.Schema {
	fields := make([]arrow.Field, 0, len(s))
	for _, c := range s {
		if c.Unsupported != "" {
			continue
		}
		fields = append(fields, arrow.Field{Name: c.Name, Type: c.Arrow(), Nullable: c.Nullable})
	}
	return arrow.NewSchema(fields, nil)
}

// schemaOf maps a Parquet schema to assay columns, one per top-level field.
func schemaOf(ps *parquet.Schema) Schema {
	fields := ps.Fields()
	out := make(Schema, len(fields))
	for i, f := range fields {
		out[i] = columnOf(f)
	}
	return out
}

func columnOf(f parquet.Field) Column {
	c := Column{Name: f.Name(), Nullable: f.Optional()}
	if !f.Leaf() {
		c.Type = "group"
		c.Unsupported = "nested columns are not supported"
		return c
	}
	if f.Repeated() {
		c.Type = "repeated"
		c.Unsupported = "repeated columns are not supported"
		return c
	}
	t := f.Type()
	kind, ok := leafKind(t)
	if !ok {
		// A damaged footer: a leaf annotated with a group's logical type
		// (MAP, LIST), on which parquet-go's Type.Kind panics.
		c.Type = "invalid"
		c.Unsupported = "the file declares this column as a leaf of type " + t.String()
		return c
	}
	var lt format.LogicalTypeValue
	if l := t.LogicalType(); l != nil {
		lt = l.Value
	}
	var ct *deprecated.ConvertedType
	if l := t.LogicalType(); l == nil || l.Value == nil {
		ct = t.ConvertedType()
	}
	switch kind {
	case parquet.Boolean:
		c.Type = Bool
	case parquet.Int32:
		c.Type = Int32
		switch v := lt.(type) {
		case *format.DateType:
			c.Type = Date
		case *format.IntType:
			if !v.IsSigned && v.BitWidth == 32 {
				c.Type = "uint32"
				c.Unsupported = "unsigned 32-bit integers are not supported"
			}
		case nil:
			if ct != nil && *ct == deprecated.Date {
				c.Type = Date
			}
		case *format.DecimalType:
			c.Type = "decimal"
			c.Unsupported = "decimals are not supported"
		case *format.TimeType:
			c.Type = "time"
			c.Unsupported = "time of day is not supported"
		}
	case parquet.Int64:
		c.Type = Int64
		switch v := lt.(type) {
		case *format.TimestampType:
			c.UTC = v.IsAdjustedToUTC
			switch v.Unit.Value.(type) {
			case *format.MilliSeconds:
				c.Type = TimestampMS
			case *format.MicroSeconds:
				c.Type = TimestampUS
			default:
				c.Type = TimestampNS
			}
		case *format.IntType:
			if !v.IsSigned {
				c.Type = "uint64"
				c.Unsupported = "unsigned 64-bit integers are not supported"
			}
		case *format.DecimalType:
			c.Type = "decimal"
			c.Unsupported = "decimals are not supported"
		case *format.TimeType:
			c.Type = "time"
			c.Unsupported = "time of day is not supported"
		case nil:
			if ct != nil {
				switch *ct {
				case deprecated.TimestampMillis:
					c.Type, c.UTC = TimestampMS, true
				case deprecated.TimestampMicros:
					c.Type, c.UTC = TimestampUS, true
				}
			}
		}
	case parquet.Float:
		c.Type = Float32
	case parquet.Double:
		c.Type = Float64
	case parquet.ByteArray:
		c.Type = Binary
		switch lt.(type) {
		case *format.StringType, *format.EnumType, *format.JsonType:
			c.Type = String
		case *format.DecimalType:
			c.Type = "decimal"
			c.Unsupported = "decimals are not supported"
		case nil:
			if ct != nil && (*ct == deprecated.UTF8 || *ct == deprecated.Enum || *ct == deprecated.Json) {
				c.Type = String
			}
		}
	default:
		c.Type = Type(strings.ToLower(kind.String()))
		c.Unsupported = fmt.Sprintf("Parquet type %s is not supported", kind)
	}
	return c
}

// leafKind returns the physical type of a leaf; ok is false when parquet-go
// cannot tell (it panics for group types found on a leaf of a damaged
// file).
func leafKind(t parquet.Type) (k parquet.Kind, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return t.Kind(), true
}
