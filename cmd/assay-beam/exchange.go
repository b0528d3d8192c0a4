package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/store/s3"
)

// exchange is where the pipeline keeps its states: each shard's, then
// each stream's merged one for the launcher. States live for one run, so
// writes need no fsync; a key written twice (a retried bundle) holds the
// same bytes, since states are deterministic.
type exchange interface {
	put(ctx context.Context, key string, b []byte) error
	get(ctx context.Context, key string) ([]byte, error)
	// removeRun deletes everything under a run's prefix.
	removeRun(ctx context.Context, run string) error
}

// openExchange opens the exchange at a directory (the default, a
// temporary one, suits runners on this machine) or an s3:// URL.
func openExchange(ctx context.Context, location string) (exchange, error) {
	if !dataset.IsURL(location) {
		fi, err := os.Stat(location)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			return nil, errors.New(location + ": not a directory")
		}
		return dirExchange(location), nil
	}
	opts, err := s3.ParseURL(location)
	if err != nil {
		return nil, err
	}
	st, err := s3.New(ctx, opts)
	if err != nil {
		return nil, err
	}
	return storeExchange{st}, nil
}

// newRunKey returns a fresh key prefix for one run's states.
func newRunKey() string {
	var b [8]byte
	rand.Read(b[:])
	return "assay-beam-" + hex.EncodeToString(b[:])
}

// dirExchange is a directory.
type dirExchange string

func (d dirExchange) put(_ context.Context, key string, b []byte) error {
	path := filepath.Join(string(d), filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path) // all at once: a reader never sees part
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

func (d dirExchange) get(_ context.Context, key string) ([]byte, error) {
	return os.ReadFile(filepath.Join(string(d), filepath.FromSlash(key)))
}

func (d dirExchange) removeRun(_ context.Context, run string) error {
	return os.RemoveAll(filepath.Join(string(d), run))
}

// storeExchange is a blob store (an S3 prefix).
type storeExchange struct{ st store.Store }

func (s storeExchange) put(ctx context.Context, key string, b []byte) error {
	err := s.st.PutIfAbsent(ctx, key, bytes.NewReader(b))
	if errors.Is(err, store.ErrExists) {
		return nil
	}
	return err
}

func (s storeExchange) get(ctx context.Context, key string) ([]byte, error) {
	blob, err := s.st.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer blob.Close()
	return io.ReadAll(io.NewSectionReader(blob, 0, blob.Size()))
}

func (s storeExchange) removeRun(ctx context.Context, run string) error {
	entries, err := s.st.List(ctx, run+"/")
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, s.st.Delete(ctx, e.Key))
	}
	return errors.Join(errs...)
}
