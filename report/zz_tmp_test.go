package report

import (
	"fmt"
	"os"
	"testing"
)

func TestTmpWrite(t *testing.T) {
	dir := os.Getenv("TMP_OUT")
	if dir == "" {
		t.Skip()
	}
	p := driftPage()
	WriteFile(dir+"/concept.html", Page{Title: "c", Sections: []Section{p.Sections[2]}})
	WriteFile(dir+"/cols.html", Page{Title: "c", Sections: []Section{p.Sections[1]}})
	var cards []Card
	for _, b := range driftEdgeBlocks() {
		if b.want == "" || b.want[0] < 'A' || b.want == "The current distribution is empty" || b.want[0] == '3' || b.want[0] == '1' || b.want[0] == '5' || b.want[0] == '+' {
			cards = append(cards, Card{Blocks: []Block{b.block}})
		}
	}
	for i := 0; i < len(cards); i += 6 {
		WriteFile(fmt.Sprintf("%s/edges%d.html", dir, i/6), Page{Title: "e", Sections: []Section{{Blocks: []Block{&Grid{Cards: cards[i:min(i+6, len(cards))]}}}}})
	}
}
