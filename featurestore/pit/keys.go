package pit

import (
	"context"
)

// keyCodes gives each row of one side a uint64 code for its join key
// tuple: equal tuples have equal codes and different tuples different ones.
type keyCodes struct {
	ints  []int64  // a single int64 key: the code is the value
	codes []uint64 // dictionary-coded keys
	ok    []bool   // nil: every row has a code; else false where a key is null or unknown
}

// at returns row i's code, or false when the row cannot match. With no key
// columns at all every row has code 0.
func (k *keyCodes) at(i int) (uint64, bool) {
	if k.ok != nil && !k.ok[i] {
		return 0, false
	}
	if k.ints != nil {
		return uint64(k.ints[i]), true
	}
	if k.codes != nil {
		return k.codes[i], true
	}
	return 0, true
}

// coder holds the dictionaries of one key set, built from the entity rows:
// per string column a map from value to dense id, and per extra column a
// map folding (tuple so far, column value) into a dense id.
type coder struct {
	strs []map[string]uint64
	tups []map[[2]uint64]uint64
}

// simpleKey reports whether cols need no dictionary: no columns, or one
// int64 column.
func simpleKey(cols []*KeyColumn) bool {
	return len(cols) == 0 || (len(cols) == 1 && !cols[0].isStr())
}

// entityCodes codes the entity rows on cols and returns the coder that
// codes view rows consistently.
func entityCodes(cols []*KeyColumn, n int) (*coder, keyCodes) {
	if simpleKey(cols) {
		if len(cols) == 0 {
			return nil, keyCodes{}
		}
		return nil, keyCodes{ints: cols[0].Int, ok: cols[0].Valid}
	}
	c := &coder{
		strs: make([]map[string]uint64, len(cols)),
		tups: make([]map[[2]uint64]uint64, len(cols)-1),
	}
	for i, col := range cols {
		if col.isStr() {
			c.strs[i] = map[string]uint64{}
		}
	}
	for i := range c.tups {
		c.tups[i] = map[[2]uint64]uint64{}
	}
	k := keyCodes{codes: make([]uint64, n), ok: make([]bool, n)}
	for r := 0; r < n; r++ {
		var id uint64
		valid := true
		for i, col := range cols {
			if col.Valid != nil && !col.Valid[r] {
				valid = false
				break
			}
			var x uint64
			if col.isStr() {
				m := c.strs[i]
				var found bool
				if x, found = m[col.Str[r]]; !found {
					x = uint64(len(m))
					m[col.Str[r]] = x
				}
			} else {
				x = uint64(col.Int[r])
			}
			if i == 0 {
				id = x
				continue
			}
			m := c.tups[i-1]
			t := [2]uint64{id, x}
			var found bool
			if id, found = m[t]; !found {
				id = uint64(len(m))
				m[t] = id
			}
		}
		k.codes[r], k.ok[r] = id, valid
	}
	return c, k
}

// viewCodes codes view rows on cols with the entity dictionaries; a row
// whose key no entity row has gets no code. The dictionaries are only read,
// so chunks are coded in parallel.
func (c *coder) viewCodes(ctx context.Context, cols []*KeyColumn, n, workers int) (keyCodes, error) {
	if simpleKey(cols) {
		if len(cols) == 0 {
			return keyCodes{}, nil
		}
		return keyCodes{ints: cols[0].Int, ok: cols[0].Valid}, nil
	}
	k := keyCodes{codes: make([]uint64, n), ok: make([]bool, n)}
	err := forChunks(ctx, n, workers, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			k.codes[r], k.ok[r] = c.code(cols, r)
		}
	})
	return k, err
}

func (c *coder) code(cols []*KeyColumn, r int) (uint64, bool) {
	var id uint64
	for i, col := range cols {
		if col.Valid != nil && !col.Valid[r] {
			return 0, false
		}
		var x uint64
		if col.isStr() {
			var found bool
			if x, found = c.strs[i][col.Str[r]]; !found {
				return 0, false
			}
		} else {
			x = uint64(col.Int[r])
		}
		if i == 0 {
			id = x
			continue
		}
		var found bool
		if id, found = c.tups[i-1][[2]uint64{id, x}]; !found {
			return 0, false
		}
	}
	return id, true
}
