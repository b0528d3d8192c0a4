package online

import (
	"fmt"
	"math"
	"strconv"
)

// Kind is the type of a Value.
type Kind uint8

// The kinds of values. Their numbers are part of the record format.
const (
	KindNull Kind = iota
	KindFloat64
	KindInt64
	KindString
	KindBool
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindFloat64:
		return "float64"
	case KindInt64:
		return "int64"
	case KindString:
		return "string"
	case KindBool:
		return "bool"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is a typed feature or join key value: float64, int64, string, bool
// or null. The zero Value is null. Values are compared with ==.
type Value struct {
	kind Kind
	bits uint64 // float64 bits, int64, or bool as 0/1
	str  string
}

// Null returns the null value.
func Null() Value { return Value{} }

// Float returns a float64 value.
func Float(f float64) Value { return Value{kind: KindFloat64, bits: math.Float64bits(f)} }

// Int returns an int64 value.
func Int(i int64) Value { return Value{kind: KindInt64, bits: uint64(i)} }

// String returns a string value.
func String(s string) Value { return Value{kind: KindString, str: s} }

// Bool returns a bool value.
func Bool(b bool) Value {
	v := Value{kind: KindBool}
	if b {
		v.bits = 1
	}
	return v
}

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether the value is null.
func (v Value) IsNull() bool { return v.kind == KindNull }

// Float returns the float64 of a KindFloat64 value, else 0.
func (v Value) Float() float64 {
	if v.kind != KindFloat64 {
		return 0
	}
	return math.Float64frombits(v.bits)
}

// Int returns the int64 of a KindInt64 value, else 0.
func (v Value) Int() int64 {
	if v.kind != KindInt64 {
		return 0
	}
	return int64(v.bits)
}

// Str returns the string of a KindString value, else "".
func (v Value) Str() string { return v.str }

// Bool returns the bool of a KindBool value, else false.
func (v Value) Bool() bool { return v.kind == KindBool && v.bits == 1 }

// String formats the value for messages: null, numbers, quoted strings.
func (v Value) String() string {
	switch v.kind {
	case KindNull:
		return "null"
	case KindFloat64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case KindInt64:
		return strconv.FormatInt(v.Int(), 10)
	case KindString:
		return strconv.Quote(v.str)
	case KindBool:
		return strconv.FormatBool(v.Bool())
	}
	return fmt.Sprintf("value(kind %d)", v.kind)
}

// Status says what a read found for one entity × feature.
type Status uint8

const (
	// Missing means there is no record for the entity and view, the
	// feature is not in the record, or its value is null. The zero Status.
	Missing Status = iota
	// Present means the value is there and fresh.
	Present
	// Expired means the value is there but its record's event time is
	// before now − TTL of its view.
	Expired
)

// String returns the status's name.
func (s Status) String() string {
	switch s {
	case Missing:
		return "missing"
	case Present:
		return "present"
	case Expired:
		return "expired"
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}
