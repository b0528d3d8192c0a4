package online

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Bolt is a Store in one bbolt file. See the package doc for its layout.
type Bolt struct {
	db *bolt.DB
}

var _ Store = (*Bolt)(nil)

// BoltOptions configures OpenBolt. The zero value is the default.
type BoltOptions struct {
	// Timeout bounds the wait for the file lock held by another process;
	// zero waits one second.
	Timeout time.Duration
	// NoSync skips fsync on commit: faster, but a crash may lose the last
	// writes. For rebuildable stores and tests.
	NoSync bool
	// MmapSize is the initial size of the memory map, a bound on virtual
	// memory, not on the file; zero means 1 GiB. bbolt copies every node a
	// write transaction has touched to the heap whenever it must grow the
	// map, which makes large batches slow, so this should exceed the file.
	MmapSize int
	// ReadOnly opens an existing file for reading, under a lock shared
	// with other readers; writes are an error. A writer waits for the
	// readers to close (up to Timeout).
	ReadOnly bool
}

// Validate checks the options.
func (o BoltOptions) Validate() error {
	if o.Timeout < 0 || o.MmapSize < 0 {
		return fmt.Errorf("bolt options: negative timeout or mmap size: %w", ErrInvalid)
	}
	return nil
}

// boltFormat is the layout version stored under meta/format.
const boltFormat = "assay-online-1"

var (
	bucketMeta    = []byte("meta")
	bucketRecords = []byte("records")
	keyFormat     = []byte("format")
)

// OpenBolt opens or creates the store in the file at path.
func OpenBolt(path string, opts BoltOptions) (*Bolt, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Timeout == 0 {
		opts.Timeout = time.Second
	}
	if opts.MmapSize == 0 {
		opts.MmapSize = 1 << 30
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open online store %s: %w", path, err)
		}
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: opts.Timeout, NoSync: opts.NoSync, InitialMmapSize: opts.MmapSize, FreelistType: bolt.FreelistMapType, ReadOnly: opts.ReadOnly})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open online store %s: %w: another process holds the file (a running `assay features serve` or materialization?)", path, ErrBusy)
	}
	if err != nil {
		return nil, fmt.Errorf("open online store %s: %w", path, err)
	}
	if opts.ReadOnly {
		err = db.View(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			if meta == nil || tx.Bucket(bucketRecords) == nil {
				return fmt.Errorf("not an online store: %w", ErrCorrupt)
			}
			if f := meta.Get(keyFormat); string(f) != boltFormat {
				return fmt.Errorf("format %q, want %q: %w", f, boltFormat, ErrCorrupt)
			}
			return nil
		})
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open online store %s: %w", path, err)
		}
		return &Bolt{db: db}, nil
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		switch f := meta.Get(keyFormat); {
		case f == nil:
			if err := meta.Put(keyFormat, []byte(boltFormat)); err != nil {
				return err
			}
		case string(f) != boltFormat:
			return fmt.Errorf("format %q, want %q: %w", f, boltFormat, ErrCorrupt)
		}
		_, err = tx.CreateBucketIfNotExists(bucketRecords)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open online store %s: %w", path, err)
	}
	return &Bolt{db: db}, nil
}

// Write implements Store. All rows are written in one transaction, in key
// order.
func (s *Bolt) Write(ctx context.Context, view string, features []string, rows []Row) error {
	sc, err := newSchema(view, features, rows)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	// Encode outside the transaction, into arena blocks. bbolt needs keys
	// and values to stay unchanged until commit; a slice of a block that
	// later grows keeps pointing at the old, unchanged array.
	type kv struct{ k, v []byte }
	kvs := make([]kv, len(rows))
	var arena []byte
	last := 256
	for i := range rows {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if cap(arena)-len(arena) < 2*last {
			arena = make([]byte, 0, max(1<<20, 4*last))
		}
		start := len(arena)
		arena = append(arena, rows[i].Key.enc...)
		arena = append(arena, view...)
		mid := len(arena)
		arena = sc.appendRecord(arena, &rows[i])
		last = len(arena) - start
		kvs[i] = kv{arena[start:mid:mid], arena[mid:len(arena):len(arena)]}
	}
	// Stable, so that of equal keys the later row is compared last.
	slices.SortStableFunc(kvs, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRecords)
		for i, e := range kvs {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if i+1 < len(kvs) && bytes.Equal(e.k, kvs[i+1].k) {
				// Fold duplicates within the batch: carry the winner on.
				if newer(e.v, kvs[i+1].v) {
					kvs[i+1].v = e.v
				}
				continue
			}
			if old := b.Get(e.k); old != nil && !newer(e.v, old) {
				continue
			}
			if err := b.Put(e.k, e.v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", view, boltErr(err))
	}
	return nil
}

// Read implements Store. It reads all keys in one read transaction, with
// one cursor seek per key.
func (s *Bolt) Read(ctx context.Context, keys []EntityKey, refs []FeatureRef, opts ReadOptions) ([][]Result, error) {
	p, err := newPlan(refs, opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := p.results(len(keys))
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRecords).Cursor()
		var seek []byte
		for i, key := range keys {
			if key.IsZero() {
				return fmt.Errorf("read: key %d: zero entity key: %w", i, ErrInvalid)
			}
			if i%256 == 255 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			ek := key.enc
			seek = append(seek[:0], ek...)
			for k, v := c.Seek(seek); k != nil && len(k) > len(ek) && string(k[:len(ek)]) == ek; k, v = c.Next() {
				vi, ok := p.index[string(k[len(ek):])]
				if !ok {
					continue
				}
				if err := p.fill(out[i], vi, v); err != nil {
					return fmt.Errorf("read %s: %w", key, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, boltErr(err)
	}
	return out, nil
}

// Close implements Store.
func (s *Bolt) Close() error { return s.db.Close() }

// boltErr maps bbolt's closed-database error to ErrClosed.
func boltErr(err error) error {
	if errors.Is(err, bolterrors.ErrDatabaseNotOpen) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}
