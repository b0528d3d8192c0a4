package pit_test

import (
	"context"
	"fmt"

	"github.com/assayhq/assay/featurestore/pit"
)

func ExampleJoin() {
	// Two training rows for driver 1001 and one for driver 1002.
	ents := pit.Entities{
		Keys: []pit.KeyColumn{{Name: "driver_id", Int: []int64{1001, 1001, 1002}}},
		Time: []int64{100, 200, 100},
	}
	stats := pit.View{
		Name: "driver_stats",
		Keys: []pit.KeyColumn{{Name: "driver_id", Int: []int64{1001, 1001, 1002}}},
		Time: []int64{90, 150, 10},
		TTL:  60, // rows older than 60 time units do not count
		Features: []pit.Feature{
			{Name: "conv_rate", Float: []float64{0.5, 0.7, 0.9}},
		},
	}
	res, err := pit.Join(context.Background(), ents, []pit.View{stats}, pit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	conv, err := pit.Gather(stats.Features[0], res.Views[0].Match)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range ents.Time {
		if conv.Valid[i] {
			fmt.Println(ents.Keys[0].Int[i], ents.Time[i], conv.Float[i])
		} else {
			fmt.Println(ents.Keys[0].Int[i], ents.Time[i], "null")
		}
	}
	// Output:
	// 1001 100 0.5
	// 1001 200 0.7
	// 1002 100 null
}
