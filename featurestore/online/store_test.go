package online_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/assayhq/assay/featurestore/online"
	"github.com/assayhq/assay/featurestore/online/onlinetest"
)

func TestMemory(t *testing.T) {
	onlinetest.Run(t, func(testing.TB) online.Store { return online.NewMemory() })
}

func openBolt(t testing.TB) online.Store {
	s, err := online.OpenBolt(filepath.Join(t.TempDir(), "online.db"), online.BoltOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBolt(t *testing.T) {
	onlinetest.Run(t, openBolt)
}

// redisOpener returns an Open that makes stores on one redis-server, each
// under its own prefix, so that the stores of one test do not see each
// other.
func redisOpener(t testing.TB) onlinetest.Open {
	addr := onlinetest.StartRedis(t)
	var n atomic.Int64
	return func(t testing.TB) online.Store {
		c := redis.NewClient(&redis.Options{Addr: addr})
		s, err := online.NewRedis(context.Background(), c, online.RedisOptions{
			Prefix:     fmt.Sprintf("test%d:", n.Add(1)),
			WriteChunk: 128, // small, so that large batches span chunks
		})
		if err != nil {
			c.Close()
			t.Fatal(err)
		}
		return s
	}
}

func TestRedis(t *testing.T) {
	onlinetest.Run(t, redisOpener(t))
}

func TestBoltReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "online.db")
	ctx := context.Background()
	k := onlinetest.Key(t, "id", 1)
	s, err := online.OpenBolt(path, online.BoltOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, "v", []string{"x"}, []online.Row{{Key: k, EventTime: 10, Values: []online.Value{online.String("kept")}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = online.OpenBolt(path, online.BoltOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Latest-wins holds across reopen too.
	if err := s.Write(ctx, "v", []string{"x"}, []online.Row{{Key: k, EventTime: 9, Values: []online.Value{online.String("older")}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Read(ctx, []online.EntityKey{k}, []online.FeatureRef{{View: "v", Name: "x"}}, online.ReadOptions{Now: 11})
	if err != nil {
		t.Fatal(err)
	}
	if r := got[0][0]; r.Status != online.Present || r.Value != online.String("kept") || r.EventTime != 10 {
		t.Errorf("after reopen: got %v %v %d, want \"kept\" present 10", r.Value, r.Status, r.EventTime)
	}
}

func TestBoltReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "online.db")
	ctx := context.Background()
	if _, err := online.OpenBolt(path, online.BoltOptions{ReadOnly: true}); err == nil {
		t.Fatal("read-only open of a missing file: no error")
	}
	k := onlinetest.Key(t, "id", 1)
	w, err := online.OpenBolt(path, online.BoltOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(ctx, "v", []string{"x"}, []online.Row{{Key: k, EventTime: 10, Values: []online.Value{online.Int(7)}}}); err != nil {
		t.Fatal(err)
	}
	// A writer holds the file: a reader waits, then gives up.
	if _, err := online.OpenBolt(path, online.BoltOptions{ReadOnly: true, Timeout: 50 * time.Millisecond}); !errors.Is(err, online.ErrBusy) {
		t.Errorf("read-only open while a writer holds the file: got %v, want ErrBusy", err)
	}
	w.Close()
	// Readers share the file.
	r1, err := online.OpenBolt(path, online.BoltOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := online.OpenBolt(path, online.BoltOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	got, err := r2.Read(ctx, []online.EntityKey{k}, []online.FeatureRef{{View: "v", Name: "x"}}, online.ReadOptions{})
	if err != nil || got[0][0].Value != online.Int(7) {
		t.Errorf("read-only read: got %+v, %v", got, err)
	}
	if err := r1.Write(ctx, "v", []string{"x"}, []online.Row{{Key: k, EventTime: 11, Values: []online.Value{online.Int(8)}}}); err == nil {
		t.Error("write to a read-only store: no error")
	}
	if _, err := online.OpenBolt(path, online.BoltOptions{Timeout: 50 * time.Millisecond}); !errors.Is(err, online.ErrBusy) {
		t.Errorf("writer while readers hold the file: got %v, want ErrBusy", err)
	}
}

func TestRedisScriptFlushed(t *testing.T) {
	addr := onlinetest.StartRedis(t)
	ctx := context.Background()
	s, err := online.NewRedis(ctx, redis.NewClient(&redis.Options{Addr: addr}), online.RedisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admin := redis.NewClient(&redis.Options{Addr: addr})
	defer admin.Close()
	if err := admin.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	k := onlinetest.Key(t, "id", 1)
	if err := s.Write(ctx, "v", []string{"x"}, []online.Row{{Key: k, EventTime: 1, Values: []online.Value{online.Int(1)}}}); err != nil {
		t.Fatalf("Write after SCRIPT FLUSH: %v", err)
	}
	// The layout is one hash per entity, one field per view.
	n, err := admin.HLen(ctx, "assay:online:"+string(k.Bytes())).Result()
	if err != nil || n != 1 {
		t.Errorf("HLEN of the entity's hash: got %d, %v, want 1", n, err)
	}
}

func BenchmarkMemoryRead(b *testing.B) { onlinetest.BenchmarkRead(b, online.NewMemory()) }

func BenchmarkBoltRead(b *testing.B) {
	s := openBolt(b)
	defer s.Close()
	onlinetest.BenchmarkRead(b, s)
}

func BenchmarkRedisRead(b *testing.B) {
	s := redisOpener(b)(b)
	defer s.Close()
	onlinetest.BenchmarkRead(b, s)
}

func BenchmarkBoltWrite(b *testing.B) {
	s := openBolt(b)
	defer s.Close()
	onlinetest.BenchmarkWrite(b, s)
}

func BenchmarkBoltWriteSync(b *testing.B) {
	s, err := online.OpenBolt(filepath.Join(b.TempDir(), "online.db"), online.BoltOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	onlinetest.BenchmarkWrite(b, s)
}

func BenchmarkRedisWrite(b *testing.B) {
	s := redisOpener(b)(b)
	defer s.Close()
	onlinetest.BenchmarkWrite(b, s)
}
