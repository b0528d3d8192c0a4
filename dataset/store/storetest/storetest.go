// Package storetest is the conformance suite for store.Store
// implementations. Every implementation runs it from its own tests:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return mem.New() })
//	}
//
// The suite checks the contract written in package store: round trips with
// random access, put-if-absent under races, failed and cancelled puts that
// leave nothing behind, key validation on every method, sorted prefix
// listings, and idempotent deletes. It uses only keys every store accepts
// (none under "tmp/", and no key that is also the directory of another).
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/assayhq/assay/dataset/store"
)

// Run runs the conformance suite as subtests of t. newStore must return a
// new, empty store each time it is called; it may register cleanups on the
// t it is given.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"ReadAt", testReadAt},
		{"IndependentReaders", testIndependentReaders},
		{"PutCopiesData", testPutCopiesData},
		{"PutIfAbsentExists", testPutIfAbsentExists},
		{"OpenMissing", testOpenMissing},
		{"InvalidKeys", testInvalidKeys},
		{"ValidKeys", testValidKeys},
		{"List", testList},
		{"ListEmpty", testListEmpty},
		{"Delete", testDelete},
		{"ConcurrentPutIfAbsent", testConcurrentPutIfAbsent},
		{"FailingReader", testFailingReader},
		{"CancelledPut", testCancelledPut},
		{"CancelledPutMidway", testCancelledPutMidway},
		{"CancelledContext", testCancelledContext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newStore(t))
		})
	}
}

// content returns n bytes that depend on seed, so that blobs written by
// different writers differ at every position.
func content(seed, n int) []byte {
	b := make([]byte, n)
	x := uint32(seed)*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func put(t *testing.T, s store.Store, key string, data []byte) {
	t.Helper()
	if err := s.PutIfAbsent(context.Background(), key, bytes.NewReader(data)); err != nil {
		t.Fatalf("PutIfAbsent(%q): %v", key, err)
	}
}

// read opens key and returns its whole content, checking Size.
func read(t *testing.T, s store.Store, key string) []byte {
	t.Helper()
	b, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close(%q): %v", key, err)
		}
	}()
	data, err := io.ReadAll(io.NewSectionReader(b, 0, b.Size()))
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return data
}

// assertMissing checks that key is not stored: Open fails with ErrNotFound
// and List does not show it.
func assertMissing(t *testing.T, s store.Store, key string) {
	t.Helper()
	b, err := s.Open(context.Background(), key)
	if err == nil {
		b.Close()
		t.Errorf("Open(%q) after failed put: got a blob of %d bytes, want ErrNotFound", key, b.Size())
	} else if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Open(%q) after failed put: got %v, want ErrNotFound", key, err)
	}
	entries, err := s.List(context.Background(), "")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	for _, e := range entries {
		if e.Key == key {
			t.Errorf("List after failed put: got %q listed, want it absent", key)
		}
	}
}

func testRoundTrip(t *testing.T, s store.Store) {
	blobs := map[string][]byte{
		"empty":                         {},
		"one":                           {42},
		"datasets/churn/v/000001.json":  []byte(`{"version":1}`),
		"objects/sha256/ab/cdef0123456": content(1, 1<<20+17),
		"a/b/c/d/e/f/g/deep":            content(2, 4096),
	}
	for key, data := range blobs {
		put(t, s, key, data)
	}
	for key, want := range blobs {
		b, err := s.Open(context.Background(), key)
		if err != nil {
			t.Fatalf("Open(%q): %v", key, err)
		}
		if got := b.Size(); got != int64(len(want)) {
			t.Errorf("Open(%q).Size() = %d, want %d", key, got, len(want))
		}
		if err := b.Close(); err != nil {
			t.Errorf("Close(%q): %v", key, err)
		}
		if got := read(t, s, key); !bytes.Equal(got, want) {
			t.Errorf("content of %q: got %d bytes, want %d bytes equal to those put", key, len(got), len(want))
		}
	}
}

func testReadAt(t *testing.T, s store.Store) {
	const key = "objects/readat"
	data := content(3, 10000)
	put(t, s, key, data)
	b, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer b.Close()

	tests := []struct {
		name    string
		off     int64
		n       int
		wantN   int
		wantEOF bool // an error is required, and must be io.EOF
	}{
		{"start", 0, 100, 100, false},
		{"middle", 4321, 1000, 1000, false},
		{"last byte", 9999, 1, 1, false},
		{"whole", 0, 10000, 10000, false},
		{"across end", 9990, 100, 10, true},
		{"at end", 10000, 1, 0, true},
		{"past end", 20000, 1, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := make([]byte, tt.n)
			n, err := b.ReadAt(p, tt.off)
			if n != tt.wantN {
				t.Errorf("ReadAt(%d bytes at %d): got n=%d, want %d", tt.n, tt.off, n, tt.wantN)
			}
			if tt.wantEOF && err != io.EOF {
				t.Errorf("ReadAt(%d bytes at %d): got err %v, want io.EOF", tt.n, tt.off, err)
			}
			if !tt.wantEOF && err != nil && err != io.EOF {
				t.Errorf("ReadAt(%d bytes at %d): got err %v, want nil", tt.n, tt.off, err)
			}
			if end := tt.off + int64(n); n > 0 && !bytes.Equal(p[:n], data[tt.off:end]) {
				t.Errorf("ReadAt(%d bytes at %d): got other bytes than those put", tt.n, tt.off)
			}
		})
	}
}

func testIndependentReaders(t *testing.T, s store.Store) {
	const key = "objects/shared"
	data := content(4, 3000)
	put(t, s, key, data)
	b1, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	b2, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := b1.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	got, err := io.ReadAll(io.NewSectionReader(b2, 0, b2.Size()))
	if err != nil {
		t.Fatalf("read second reader after closing the first: %v", err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("second reader: got other bytes than those put")
	}
	if err := b2.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func testPutCopiesData(t *testing.T, s store.Store) {
	const key = "objects/copied"
	buf := content(5, 512)
	want := bytes.Clone(buf)
	put(t, s, key, buf)
	for i := range buf {
		buf[i] = 0
	}
	if got := read(t, s, key); !bytes.Equal(got, want) {
		t.Errorf("blob changed when the caller reused its buffer after PutIfAbsent")
	}
}

func testPutIfAbsentExists(t *testing.T, s store.Store) {
	const key = "datasets/churn/v/000001.json"
	first := []byte("first writer")
	put(t, s, key, first)
	err := s.PutIfAbsent(context.Background(), key, strings.NewReader("second writer, longer content"))
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("second PutIfAbsent(%q): got %v, want ErrExists", key, err)
	}
	if !strings.Contains(err.Error(), key) {
		t.Errorf("second PutIfAbsent(%q): error %q does not name the key", key, err)
	}
	if got := read(t, s, key); !bytes.Equal(got, first) {
		t.Errorf("content after refused put: got %q, want %q", got, first)
	}
	// A put of identical content is refused the same way.
	if err := s.PutIfAbsent(context.Background(), key, bytes.NewReader(first)); !errors.Is(err, store.ErrExists) {
		t.Errorf("PutIfAbsent(%q) with the same content: got %v, want ErrExists", key, err)
	}
}

func testOpenMissing(t *testing.T, s store.Store) {
	put(t, s, "datasets/churn/v/000001.json", []byte("x"))
	for _, key := range []string{"datasets/churn/v/000002.json", "datasets/churn", "datasets", "nothing/here"} {
		b, err := s.Open(context.Background(), key)
		if err == nil {
			b.Close()
			t.Errorf("Open(%q): got a blob, want ErrNotFound", key)
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Open(%q): got %v, want ErrNotFound", key, err)
		}
		if !strings.Contains(err.Error(), key) {
			t.Errorf("Open(%q): error %q does not name the key", key, err)
		}
	}
}

// invalidKeys are keys every store rejects. Those in validPrefixes are
// still good List prefixes.
var invalidKeys = []string{
	"",
	"a/",
	"datasets/churn/",
	"/abs",
	"/",
	"a/../b",
	"..",
	"../a",
	"a/..",
	".",
	"./a",
	"a/./b",
	"a//b",
	"//",
	"a\x00b",
	"a\\b",
	"a\nb",
	"\xff\xfe",
	strings.Repeat("k", store.MaxKeyLen+1),
}

// validPrefixes lists invalidKeys entries that are good List prefixes: a
// prefix may end in "/", and its last element may be "." or ".." as the start
// of a name like "..hidden".
var validPrefixes = map[string]bool{
	"": true, "a/": true, "datasets/churn/": true, ".": true, "..": true, "a/..": true,
}

func testInvalidKeys(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, key := range invalidKeys {
		t.Run(fmt.Sprintf("%.20q", key), func(t *testing.T) {
			if err := store.ValidateKey(key); !errors.Is(err, store.ErrInvalidKey) {
				t.Errorf("ValidateKey(%q): got %v, want ErrInvalidKey", key, err)
			}
			if b, err := s.Open(ctx, key); !errors.Is(err, store.ErrInvalidKey) {
				if err == nil {
					b.Close()
				}
				t.Errorf("Open(%q): got %v, want ErrInvalidKey", key, err)
			}
			if err := s.PutIfAbsent(ctx, key, strings.NewReader("x")); !errors.Is(err, store.ErrInvalidKey) {
				t.Errorf("PutIfAbsent(%q): got %v, want ErrInvalidKey", key, err)
			}
			if err := s.Delete(ctx, key); !errors.Is(err, store.ErrInvalidKey) {
				t.Errorf("Delete(%q): got %v, want ErrInvalidKey", key, err)
			}
			_, err := s.List(ctx, key)
			if validPrefixes[key] {
				if err != nil {
					t.Errorf("List(%q): got %v, want a listing", key, err)
				}
			} else if !errors.Is(err, store.ErrInvalidKey) {
				t.Errorf("List(%q): got %v, want ErrInvalidKey", key, err)
			}
		})
	}
	entries, err := s.List(ctx, "")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(entries) != 0 {
		t.Errorf("after puts of invalid keys: got %d blobs listed, want none", len(entries))
	}
}

func testValidKeys(t *testing.T, s store.Store) {
	keys := []string{
		"plain",
		".hidden",
		"a/.b",
		"a/b..c",
		"...",
		"a.b/c",
		"with space/and-dash_under.score",
		"ünïcode/ключ/キー",
		"a:b/c@d/e+f=g",
		strings.Repeat("k", 200) + "/" + strings.Repeat("j", 200),
	}
	for i, key := range keys {
		data := content(100+i, 10+i)
		if err := s.PutIfAbsent(context.Background(), key, bytes.NewReader(data)); err != nil {
			t.Errorf("PutIfAbsent(%q): %v", key, err)
			continue
		}
		if got := read(t, s, key); !bytes.Equal(got, data) {
			t.Errorf("content of %q: got other bytes than those put", key)
		}
	}
}

func testList(t *testing.T, s store.Store) {
	blobs := map[string]int{
		"datasets/churn/v/000001.json":  11,
		"datasets/churn/v/000002.json":  12,
		"datasets/churn/tags/prod":      6,
		"datasets/churn2/v/000001.json": 13,
		"datasets/chess/v/000001.json":  14,
		"datasets/credit/v/000001.json": 15,
		"objects/sha256/ab/cdef":        1000,
		"objects/sha256/ab/cdff":        0,
		"objects/sha256/cd/0123":        7,
		"a.b":                           1,
		"a/b":                           2,
		"a-b":                           3,
	}
	for key, n := range blobs {
		put(t, s, key, content(n, n))
	}
	all := []string{
		"a-b", "a.b", "a/b",
		"datasets/chess/v/000001.json",
		"datasets/churn/tags/prod",
		"datasets/churn/v/000001.json",
		"datasets/churn/v/000002.json",
		"datasets/churn2/v/000001.json",
		"datasets/credit/v/000001.json",
		"objects/sha256/ab/cdef",
		"objects/sha256/ab/cdff",
		"objects/sha256/cd/0123",
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"", all},
		{"datasets/churn/", all[4:7]},
		{"datasets/churn", all[4:8]},
		{"datasets/ch", all[3:8]},
		{"datasets/c", all[3:9]},
		{"datasets/", all[3:9]},
		{"datasets", all[3:9]},
		{"datasets/churn/v/000001.json", all[5:6]},
		{"datasets/churn/v/000001.js", all[5:6]},
		{"objects/sha256/ab/", all[9:11]},
		{"objects/sha256/ab/cd", all[9:11]},
		{"objects/sha256/ab/cde", all[9:10]},
		{"a", all[0:3]},
		{"a/", all[2:3]},
		{"a.", all[1:2]},
		{"nothing", nil},
		{"nothing/", nil},
		{"datasets/zzz/", nil},
		{"datasets/churn/v/000001.json/", nil},
		{"objects/sha256/ab/cdef/x", nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.prefix), func(t *testing.T) {
			entries, err := s.List(context.Background(), tt.prefix)
			if err != nil {
				t.Fatalf("List(%q): %v", tt.prefix, err)
			}
			got := make([]string, len(entries))
			for i, e := range entries {
				got[i] = e.Key
				if want := int64(blobs[e.Key]); e.Size != want {
					t.Errorf("List(%q): %s: got size %d, want %d", tt.prefix, e.Key, e.Size, want)
				}
				if e.ModTime.IsZero() {
					t.Errorf("List(%q): %s: got zero ModTime", tt.prefix, e.Key)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("List(%q):\ngot  %q\nwant %q", tt.prefix, got, tt.want)
			}
		})
	}
}

func testListEmpty(t *testing.T, s store.Store) {
	for _, prefix := range []string{"", "a", "a/", "datasets/churn/v/"} {
		entries, err := s.List(context.Background(), prefix)
		if err != nil {
			t.Errorf("List(%q) on an empty store: %v", prefix, err)
		}
		if len(entries) != 0 {
			t.Errorf("List(%q) on an empty store: got %d entries, want none", prefix, len(entries))
		}
	}
}

func testDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	const key = "datasets/churn/v/000001.json"
	const sibling = "datasets/churn/v/000002.json"
	put(t, s, key, []byte("one"))
	put(t, s, sibling, []byte("two"))

	for i := range 2 {
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete(%q) #%d: %v", key, i+1, err)
		}
	}
	if b, err := s.Open(ctx, key); !errors.Is(err, store.ErrNotFound) {
		if err == nil {
			b.Close()
		}
		t.Errorf("Open(%q) after Delete: got %v, want ErrNotFound", key, err)
	}
	if got := read(t, s, sibling); string(got) != "two" {
		t.Errorf("sibling after Delete: got %q, want %q", got, "two")
	}
	if err := s.Delete(ctx, "never/was/here"); err != nil {
		t.Errorf("Delete of a key never stored: got %v, want nil", err)
	}
	if err := s.Delete(ctx, "datasets/churn"); err != nil {
		t.Errorf("Delete of a prefix of other keys: got %v, want nil", err)
	}
	if got := read(t, s, sibling); string(got) != "two" {
		t.Errorf("sibling after deleting its prefix as a key: got %q, want %q", got, "two")
	}

	entries, err := s.List(ctx, "datasets/")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(entries) != 1 || entries[0].Key != sibling {
		t.Errorf("List after Delete: got %v, want only %s", entries, sibling)
	}

	// The key is free again, also after its directory emptied out.
	put(t, s, key, []byte("again"))
	if got := read(t, s, key); string(got) != "again" {
		t.Errorf("content after Delete and put again: got %q, want %q", got, "again")
	}
	if err := s.Delete(ctx, sibling); err != nil {
		t.Fatalf("Delete(%q): %v", sibling, err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("Delete(%q): %v", key, err)
	}
	put(t, s, sibling, []byte("three"))
	if got := read(t, s, sibling); string(got) != "three" {
		t.Errorf("content after emptying the prefix and put again: got %q, want %q", got, "three")
	}
}

func testConcurrentPutIfAbsent(t *testing.T, s store.Store) {
	const (
		key     = "datasets/churn/v/000007.json"
		writers = 16
		size    = 256 << 10
	)
	errs := make([]error, writers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			<-start
			errs[i] = s.PutIfAbsent(context.Background(), key, bytes.NewReader(content(1000+i, size)))
		})
	}
	close(start)
	wg.Wait()

	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if winner >= 0 {
				t.Errorf("writers %d and %d both won PutIfAbsent(%q)", winner, i, key)
			}
			winner = i
		case !errors.Is(err, store.ErrExists):
			t.Errorf("writer %d: got %v, want nil or ErrExists", i, err)
		}
	}
	if winner < 0 {
		t.Fatalf("no writer won PutIfAbsent(%q)", key)
	}
	if got := read(t, s, key); !bytes.Equal(got, content(1000+winner, size)) {
		t.Errorf("content of %q: got %d bytes that are not the winner's (writer %d) complete content", key, len(got), winner)
	}
	entries, err := s.List(context.Background(), "")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(entries) != 1 {
		t.Errorf("List after the race: got %d entries, want 1: %v", len(entries), entries)
	}
}

// errReader yields data, then fails with err.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

var errBoom = errors.New("boom: source went away")

func testFailingReader(t *testing.T, s store.Store) {
	const key = "objects/sha256/fa/iling"
	err := s.PutIfAbsent(context.Background(), key, &errReader{data: content(6, 100<<10), err: errBoom})
	if !errors.Is(err, errBoom) {
		t.Fatalf("PutIfAbsent with a failing reader: got %v, want an error wrapping the reader's", err)
	}
	assertMissing(t, s, key)
	want := content(7, 1000)
	put(t, s, key, want)
	if got := read(t, s, key); !bytes.Equal(got, want) {
		t.Errorf("content after a failed then a good put: got other bytes than those put")
	}
}

func testCancelledPut(t *testing.T, s store.Store) {
	const key = "objects/cancelled"
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.PutIfAbsent(ctx, key, bytes.NewReader(content(8, 1000)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("PutIfAbsent with a cancelled context: got %v, want context.Canceled", err)
	}
	assertMissing(t, s, key)
}

// cancelReader cancels its context after yielding some bytes, then goes on
// yielding bytes up to a limit no store should reach.
type cancelReader struct {
	cancel context.CancelFunc
	after  int // bytes before cancelling
	limit  int // bytes before io.EOF
	n      int
}

func (r *cancelReader) Read(p []byte) (int, error) {
	if r.n >= r.limit {
		return 0, io.EOF
	}
	if r.n >= r.after {
		r.cancel()
	}
	p = p[:min(len(p), r.limit-r.n, 32<<10)]
	for i := range p {
		p[i] = byte(r.n + i)
	}
	r.n += len(p)
	return len(p), nil
}

func testCancelledPutMidway(t *testing.T, s store.Store) {
	const key = "objects/cancelled-midway"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &cancelReader{cancel: cancel, after: 64 << 10, limit: 64 << 20}
	err := s.PutIfAbsent(ctx, key, r)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("PutIfAbsent cancelled midway: got %v, want context.Canceled", err)
	}
	if r.n >= r.limit {
		t.Errorf("PutIfAbsent cancelled midway read all %d bytes; want it to stop soon after cancellation", r.n)
	}
	assertMissing(t, s, key)
}

func testCancelledContext(t *testing.T, s store.Store) {
	const key = "objects/present"
	put(t, s, key, []byte("x"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if b, err := s.Open(ctx, key); !errors.Is(err, context.Canceled) {
		if err == nil {
			b.Close()
		}
		t.Errorf("Open with a cancelled context: got %v, want context.Canceled", err)
	}
	if _, err := s.List(ctx, ""); !errors.Is(err, context.Canceled) {
		t.Errorf("List with a cancelled context: got %v, want context.Canceled", err)
	}
	if err := s.Delete(ctx, key); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete with a cancelled context: got %v, want context.Canceled", err)
	}
	if got := read(t, s, key); string(got) != "x" {
		t.Errorf("blob after a cancelled Delete: got %q, want %q", got, "x")
	}
}
