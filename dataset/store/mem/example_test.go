package mem_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/assayhq/assay/dataset/store/mem"
)

func ExampleNew() {
	ctx := context.Background()
	s := mem.New()
	_ = s.PutIfAbsent(ctx, "runs/check/0001.json", strings.NewReader(`{"ok":true}`))
	b, err := s.Open(ctx, "runs/check/0001.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	fmt.Println(b.Size())

	_, err = s.Open(ctx, "runs/check/0002.json")
	fmt.Println(err)
	// Output:
	// 11
	// open runs/check/0002.json: not found
}
