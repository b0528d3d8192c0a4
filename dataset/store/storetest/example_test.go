package storetest_test

import (
	"testing"

	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/store/mem"
	"github.com/assayhq/assay/dataset/store/storetest"
)

// An implementation runs the suite from a test of its own, handing it a new,
// empty store for each subtest.
func ExampleRun() {
	testStore := func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store { return mem.New() })
	}
	_ = testStore // in a _test.go file: func TestStore(t *testing.T) { … }
}
