package online

import (
	"context"
	"fmt"
	"time"
)

// Store is an online feature store. Implementations are safe for concurrent
// use, and every implementation passes the onlinetest conformance suite.
type Store interface {
	// Write stores rows of one view. features names the view's features,
	// and each row's Values holds one value per name, in the same order.
	// Per (entity, view) the store keeps the record with the latest event
	// time, ties going to the latest created time; a row older than the
	// stored record is dropped without error. Rows of one call may repeat an
	// entity; the same rule picks the winner.
	Write(ctx context.Context, view string, features []string, rows []Row) error
	// Read returns, for each key, one Result per ref, in the order given.
	Read(ctx context.Context, keys []EntityKey, refs []FeatureRef, opts ReadOptions) ([][]Result, error)
	// Close releases the store. Using it afterwards is an error.
	Close() error
}

// Row is one entity's values for one view, as materialization writes it.
type Row struct {
	Key         EntityKey
	EventTime   int64   // microseconds since the Unix epoch
	CreatedTime int64   // microseconds since the Unix epoch; breaks event time ties
	Values      []Value // one per feature name passed to Write
}

// FeatureRef names one feature of one view.
type FeatureRef struct {
	View string
	Name string
}

// String returns "view:name".
func (r FeatureRef) String() string { return r.View + ":" + r.Name }

// ReadOptions says how to judge freshness. See the package doc.
type ReadOptions struct {
	// Now is the read time in microseconds since the Unix epoch. Zero means
	// time.Now().
	Now int64
	// TTL maps view names to their time to live; a record of view v is fresh
	// when its event time ≥ Now − TTL[v]. Views not in the map, and zero or
	// negative TTLs, never expire.
	TTL map[string]time.Duration
}

// Result is what a read found for one entity × feature.
type Result struct {
	// Value is the feature's value; it is set when Status is Present or
	// Expired, and null when Missing.
	Value Value
	// Status says whether the value is present, missing or expired.
	Status Status
	// EventTime is the event time of the view's record, in microseconds,
	// or 0 when there is no record.
	EventTime int64
}

func checkWrite(view string, features []string, rows []Row) error {
	if view == "" {
		return fmt.Errorf("write: empty view name: %w", ErrInvalid)
	}
	for i, r := range rows {
		if r.Key.IsZero() {
			return fmt.Errorf("write %s: row %d: zero entity key: %w", view, i, ErrInvalid)
		}
		if len(r.Values) != len(features) {
			return fmt.Errorf("write %s: row %d: %d values for %d features: %w", view, i, len(r.Values), len(features), ErrInvalid)
		}
	}
	return nil
}
