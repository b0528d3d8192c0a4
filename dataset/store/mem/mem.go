// Package mem is an in-memory store.Store, for tests and for short-lived
// repositories that need no disk.
//
// A Store keeps each blob as its own copy of the bytes put, so later changes
// to the caller's buffers do not reach it, and every Open returns an
// independent reader. A Store is safe for concurrent use. It accepts the same
// keys as every other store (see store.ValidateKey); unlike the local store it
// reserves none and lets a key also be the start of others ("a" and "a/b").
package mem

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/assayhq/assay/dataset/store"
)

var _ store.Store = (*Store)(nil)

// Store is an in-memory blob store. The zero value is not usable; call New.
type Store struct {
	mu    sync.RWMutex
	blobs map[string]blob
}

// blob is one stored blob. data is never changed after the put.
type blob struct {
	data    []byte
	modTime time.Time
}

// New returns an empty Store.
func New() *Store {
	return &Store{blobs: make(map[string]blob)}
}

// Open returns the blob under key, or an error wrapping store.ErrNotFound.
func (s *Store) Open(ctx context.Context, key string) (store.Blob, error) {
	if err := store.ValidateKey(key); err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	s.mu.RLock()
	b, ok := s.blobs[key]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("open %s: %w", key, store.ErrNotFound)
	}
	return &reader{key: key, r: bytes.NewReader(b.data)}, nil
}

// PutIfAbsent reads r to the end and stores a copy of its content under key,
// unless key is taken (an error wrapping store.ErrExists). Nothing is stored
// when reading fails or ctx is cancelled before the blob is complete.
func (s *Store) PutIfAbsent(ctx context.Context, key string, r io.Reader) error {
	if err := store.ValidateKey(key); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if s.exists(key) {
		return fmt.Errorf("put %s: %w", key, store.ErrExists)
	}
	var buf bytes.Buffer
	if l, ok := r.(interface{ Len() int }); ok {
		// bytes.Reader, strings.Reader, bytes.Buffer: allocate once.
		buf.Grow(l.Len() + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(store.ContextReader(ctx, r)); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	// buf's bytes are ours alone: nobody else holds the buffer, and
	// ReadFrom copied out of r, so the caller's memory is not aliased.
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.blobs[key]; ok {
		return fmt.Errorf("put %s: %w", key, store.ErrExists)
	}
	s.blobs[key] = blob{data: buf.Bytes(), modTime: time.Now()}
	return nil
}

func (s *Store) exists(key string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.blobs[key]
	return ok
}

// List returns the entries whose keys start with prefix, sorted by key.
func (s *Store) List(ctx context.Context, prefix string) ([]store.Entry, error) {
	if err := store.ValidatePrefix(prefix); err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	s.mu.RLock()
	var entries []store.Entry
	for k, b := range s.blobs {
		if strings.HasPrefix(k, prefix) {
			entries = append(entries, store.Entry{Key: k, Size: int64(len(b.data)), ModTime: b.modTime})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(entries, func(a, b store.Entry) int { return strings.Compare(a.Key, b.Key) })
	return entries, nil
}

// Delete removes the blob under key; a missing key is not an error. Readers
// already open keep reading the old content.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := store.ValidateKey(key); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	s.mu.Lock()
	delete(s.blobs, key)
	s.mu.Unlock()
	return nil
}

// reader is an open blob. Reads after Close fail with fs.ErrClosed, which
// catches use-after-close in tests that run on this store.
type reader struct {
	key    string
	r      *bytes.Reader
	closed atomic.Bool
}

func (b *reader) ReadAt(p []byte, off int64) (int, error) {
	if b.closed.Load() {
		return 0, fmt.Errorf("read %s: %w", b.key, fs.ErrClosed)
	}
	return b.r.ReadAt(p, off)
}

func (b *reader) Size() int64 { return b.r.Size() }

func (b *reader) Close() error {
	if b.closed.Swap(true) {
		return fmt.Errorf("close %s: %w", b.key, fs.ErrClosed)
	}
	return nil
}
