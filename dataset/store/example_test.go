package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/store/mem"
)

// A commit claims the next version number with PutIfAbsent: of two writers
// racing for the same key, one gets ErrExists.
func ExampleStore() {
	ctx := context.Background()
	var s store.Store = mem.New()

	key := "datasets/churn/v/000001.json"
	if err := s.PutIfAbsent(ctx, key, strings.NewReader(`{"version":1}`)); err != nil {
		fmt.Println(err)
	}
	err := s.PutIfAbsent(ctx, key, strings.NewReader(`{"version":1,"other":true}`))
	fmt.Println(errors.Is(err, store.ErrExists), err)

	b, err := s.Open(ctx, key)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	data, _ := io.ReadAll(io.NewSectionReader(b, 0, b.Size()))
	fmt.Println(string(data))

	entries, _ := s.List(ctx, "datasets/ch")
	for _, e := range entries {
		fmt.Println(e.Key, e.Size)
	}
	// Output:
	// true put datasets/churn/v/000001.json: already exists
	// {"version":1}
	// datasets/churn/v/000001.json 13
}

func ExampleValidateKey() {
	for _, key := range []string{"objects/sha256/ab/cdef", "a//b", "../etc/passwd"} {
		fmt.Println(store.ValidateKey(key))
	}
	// Output:
	// <nil>
	// invalid key "a//b": empty path element
	// invalid key "../etc/passwd": has a ".." element
}

func ExampleValidatePrefix() {
	for _, prefix := range []string{"", "datasets/", "datasets/ch", "/abs"} {
		fmt.Println(store.ValidatePrefix(prefix))
	}
	// Output:
	// <nil>
	// <nil>
	// <nil>
	// invalid key "/abs": absolute (starts with "/")
}
