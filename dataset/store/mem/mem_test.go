package mem_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/store/mem"
	"github.com/assayhq/assay/dataset/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return mem.New() })
}

func TestPrefixKeys(t *testing.T) {
	// Unlike a directory tree, the memory store holds a key that is also
	// the start of other keys, as S3 does.
	ctx := t.Context()
	s := mem.New()
	for _, key := range []string{"a", "a/b", "tmp/x"} {
		if err := s.PutIfAbsent(ctx, key, strings.NewReader(key)); err != nil {
			t.Errorf("PutIfAbsent(%q): %v", key, err)
		}
	}
	entries, err := s.List(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("List(%q): got %d entries, want 2", "a", len(entries))
	}
}

func BenchmarkPutOpen(b *testing.B) {
	const size = 1 << 20
	data := make([]byte, size)
	p := make([]byte, 4096)
	s := mem.New()
	ctx := b.Context()
	b.SetBytes(size)
	for i := 0; b.Loop(); i++ {
		key := fmt.Sprintf("objects/%08d", i)
		if err := s.PutIfAbsent(ctx, key, bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
		blob, err := s.Open(ctx, key)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := blob.ReadAt(p, size-int64(len(p))); err != nil && err != io.EOF {
			b.Fatal(err)
		}
		blob.Close()
	}
}
