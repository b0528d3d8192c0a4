package online

import (
	"context"
	"fmt"
	"sync"
)

// Memory is a Store held in memory, for tests and small tools. It stores
// the same record bytes as the other implementations.
type Memory struct {
	mu     sync.RWMutex
	closed bool
	recs   map[EntityKey]map[string][]byte // entity → view → record
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{recs: make(map[EntityKey]map[string][]byte)}
}

// Write implements Store.
func (m *Memory) Write(ctx context.Context, view string, features []string, rows []Row) error {
	s, err := newSchema(view, features, rows)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	for i := range rows {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec := s.appendRecord(nil, &rows[i])
		views := m.recs[rows[i].Key]
		if views == nil {
			views = make(map[string][]byte)
			m.recs[rows[i].Key] = views
		}
		if newer(rec, views[view]) {
			views[view] = rec
		}
	}
	return nil
}

// Read implements Store.
func (m *Memory) Read(ctx context.Context, keys []EntityKey, refs []FeatureRef, opts ReadOptions) ([][]Result, error) {
	p, err := newPlan(refs, opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := p.results(len(keys))
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	for i, k := range keys {
		if k.IsZero() {
			return nil, fmt.Errorf("read: key %d: zero entity key: %w", i, ErrInvalid)
		}
		views := m.recs[k]
		for v, name := range p.views {
			if rec, ok := views[name]; ok {
				if err := p.fill(out[i], v, rec); err != nil {
					return nil, fmt.Errorf("read %s: %w", k, err)
				}
			}
		}
	}
	return out, nil
}

// Close implements Store.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.recs = nil
	return nil
}
