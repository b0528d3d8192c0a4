package online

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
)

// JoinKey is one join key of an entity: its name and value (int64 or
// string).
type JoinKey struct {
	Name  string
	Value Value
}

// EntityKey is an entity's join-key values in canonical encoded form, made
// by EncodeKey or ParseKey. The zero EntityKey is invalid. EntityKeys are
// comparable and may be used as map keys.
//
// The encoding is: the number of join keys (uvarint), then per join key in
// ascending name order: name length (uvarint), name, kind byte, value
// (int64: 8 bytes big-endian, sign bit flipped; string: uvarint length,
// bytes). It is stable, unambiguous and prefix-free: no valid key is a
// proper prefix of another.
type EntityKey struct {
	enc string
}

// EncodeKey returns the canonical key of an entity with the given join keys,
// in any order. Names must be non-empty and distinct; values must be int64
// or string.
func EncodeKey(keys ...JoinKey) (EntityKey, error) {
	if len(keys) == 0 {
		return EntityKey{}, fmt.Errorf("entity key: no join keys: %w", ErrInvalid)
	}
	sorted := keys
	if !slices.IsSortedFunc(keys, cmpJoinKey) {
		sorted = slices.Clone(keys)
		slices.SortFunc(sorted, cmpJoinKey)
	}
	n := binary.MaxVarintLen64
	for _, k := range sorted {
		n += 2*binary.MaxVarintLen64 + len(k.Name) + 9 + len(k.Value.str)
	}
	b := make([]byte, 0, n)
	b = binary.AppendUvarint(b, uint64(len(sorted)))
	for i, k := range sorted {
		if k.Name == "" {
			return EntityKey{}, fmt.Errorf("entity key: empty join key name: %w", ErrInvalid)
		}
		if i > 0 && sorted[i-1].Name == k.Name {
			return EntityKey{}, fmt.Errorf("entity key: join key %q given twice: %w", k.Name, ErrInvalid)
		}
		b = binary.AppendUvarint(b, uint64(len(k.Name)))
		b = append(b, k.Name...)
		b = append(b, byte(k.Value.kind))
		switch k.Value.kind {
		case KindInt64:
			b = binary.BigEndian.AppendUint64(b, k.Value.bits^signBit)
		case KindString:
			b = binary.AppendUvarint(b, uint64(len(k.Value.str)))
			b = append(b, k.Value.str...)
		default:
			return EntityKey{}, fmt.Errorf("entity key: join key %q is %s, want int64 or string: %w", k.Name, k.Value.kind, ErrInvalid)
		}
	}
	return EntityKey{enc: string(b)}, nil
}

func cmpJoinKey(a, b JoinKey) int { return strings.Compare(a.Name, b.Name) }

// ParseKey checks that b is a canonical encoded entity key, as returned by
// EntityKey.Bytes, and returns it.
func ParseKey(b []byte) (EntityKey, error) {
	k := EntityKey{enc: string(b)}
	keys, err := k.JoinKeys()
	if err != nil {
		return EntityKey{}, err
	}
	// Re-encoding rejects non-canonical forms (unsorted or duplicate names).
	k2, err := EncodeKey(keys...)
	if err != nil || k2 != k {
		return EntityKey{}, fmt.Errorf("entity key %x: not canonical: %w", b, ErrCorrupt)
	}
	return k, nil
}

// Bytes returns the encoded key.
func (k EntityKey) Bytes() []byte { return []byte(k.enc) }

// IsZero reports whether k is the zero (invalid) EntityKey.
func (k EntityKey) IsZero() bool { return k.enc == "" }

// JoinKeys decodes the key into its join keys, sorted by name.
func (k EntityKey) JoinKeys() ([]JoinKey, error) {
	b := []byte(k.enc)
	bad := func() ([]JoinKey, error) {
		return nil, fmt.Errorf("entity key %x: %w", k.enc, ErrCorrupt)
	}
	n, m := binary.Uvarint(b)
	if m <= 0 || n == 0 || n > uint64(len(b)) {
		return bad()
	}
	b = b[m:]
	keys := make([]JoinKey, 0, n)
	for range n {
		l, m := binary.Uvarint(b)
		if m <= 0 || l > uint64(len(b)-m) {
			return bad()
		}
		name := string(b[m : m+int(l)])
		b = b[m+int(l):]
		if len(b) < 1 {
			return bad()
		}
		kind := Kind(b[0])
		b = b[1:]
		switch kind {
		case KindInt64:
			if len(b) < 8 {
				return bad()
			}
			keys = append(keys, JoinKey{name, Int(int64(binary.BigEndian.Uint64(b) ^ signBit))})
			b = b[8:]
		case KindString:
			l, m := binary.Uvarint(b)
			if m <= 0 || l > uint64(len(b)-m) {
				return bad()
			}
			keys = append(keys, JoinKey{name, String(string(b[m : m+int(l)]))})
			b = b[m+int(l):]
		default:
			return bad()
		}
	}
	if len(b) != 0 {
		return bad()
	}
	return keys, nil
}

// String formats the key for messages: name=value pairs.
func (k EntityKey) String() string {
	keys, err := k.JoinKeys()
	if err != nil {
		return fmt.Sprintf("entitykey(%x)", k.enc)
	}
	var sb strings.Builder
	for i, jk := range keys {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(jk.Name)
		sb.WriteByte('=')
		sb.WriteString(jk.Value.String())
	}
	return sb.String()
}

const signBit = 1 << 63
