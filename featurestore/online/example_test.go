package online_test

import (
	"context"
	"fmt"
	"time"

	"github.com/assayhq/assay/featurestore/online"
)

func Example() {
	ctx := context.Background()
	s := online.NewMemory() // or online.OpenBolt, online.NewRedis
	defer s.Close()

	key, err := online.EncodeKey(online.JoinKey{Name: "customer_id", Value: online.Int(42)})
	if err != nil {
		panic(err)
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	err = s.Write(ctx, "customer_stats", []string{"orders", "avg_basket"}, []online.Row{
		{Key: key, EventTime: t0, CreatedTime: t0, Values: []online.Value{online.Int(7), online.Float(31.5)}},
	})
	if err != nil {
		panic(err)
	}
	refs := []online.FeatureRef{
		{View: "customer_stats", Name: "avg_basket"},
		{View: "customer_stats", Name: "orders"},
		{View: "customer_profile", Name: "country"},
	}
	for _, age := range []time.Duration{time.Hour, 48 * time.Hour} {
		got, err := s.Read(ctx, []online.EntityKey{key}, refs, online.ReadOptions{
			Now: t0 + age.Microseconds(),
			TTL: map[string]time.Duration{"customer_stats": 24 * time.Hour},
		})
		if err != nil {
			panic(err)
		}
		for i, r := range got[0] {
			fmt.Printf("%v after %v: %v %v\n", refs[i], age, r.Value, r.Status)
		}
	}
	// Output:
	// customer_stats:avg_basket after 1h0m0s: 31.5 present
	// customer_stats:orders after 1h0m0s: 7 present
	// customer_profile:country after 1h0m0s: null missing
	// customer_stats:avg_basket after 48h0m0s: 31.5 expired
	// customer_stats:orders after 48h0m0s: 7 expired
	// customer_profile:country after 48h0m0s: null missing
}
