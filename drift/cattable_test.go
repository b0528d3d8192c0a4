package drift

import (
	"strconv"
	"testing"
)

func TestCatTable(t *testing.T) {
	var tab catTable
	const n = 100000
	for i := range n {
		v := "v" + strconv.Itoa(i)
		if c, _ := tab.lookup(v); c != -1 {
			t.Fatalf("%s found before it was inserted (code %d)", v, c)
		}
		_, h := tab.lookup(v)
		tab.insert(h, int32(i))
	}
	for i := range n {
		if c, _ := tab.lookup("v" + strconv.Itoa(i)); c != int32(i) {
			t.Fatalf("v%d: code %d", i, c)
		}
	}
	if c, _ := tab.lookup("absent"); c != -1 {
		t.Errorf("absent value found with code %d", c)
	}
	if tab.n != n || len(tab.slots) < 2*n {
		t.Errorf("%d values in %d slots: the table must stay at most half full", tab.n, len(tab.slots))
	}
}
