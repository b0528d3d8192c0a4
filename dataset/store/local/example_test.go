package local_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset/store/local"
)

func ExampleNew() {
	dir, err := os.MkdirTemp("", "assay-store")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	s, err := local.New(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if err := s.PutIfAbsent(ctx, "datasets/churn/tags/prod", strings.NewReader("3")); err != nil {
		fmt.Println(err)
		return
	}
	data, err := os.ReadFile(filepath.Join(s.Dir(), "datasets", "churn", "tags", "prod"))
	fmt.Println(string(data), err)

	entries, _ := s.List(ctx, "datasets/")
	for _, e := range entries {
		fmt.Println(e.Key, e.Size)
	}
	// Output:
	// 3 <nil>
	// datasets/churn/tags/prod 1
}

func ExampleStore_CleanTemp() {
	dir, err := os.MkdirTemp("", "assay-store")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	s, err := local.New(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Remove what writers killed more than a day ago left behind.
	n, err := s.CleanTemp(24 * time.Hour)
	fmt.Println(n, err)
	// Output:
	// 0 <nil>
}
