package onlinetest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// StartRedis starts a redis-server on a free loopback port, with no
// persistence and its files in a temporary directory, stops it when the
// test ends, and returns its address.
//
// redis-server must be on PATH (Debian's redis-server package; .ci/run
// installs it). Without it the test is skipped, unless ASSAY_REQUIRE_REDIS=1
// (set by .ci/run) makes that a failure.
func StartRedis(t testing.TB) string {
	t.Helper()
	srv, err := StartRedisServer()
	if errors.Is(err, ErrNoRedis) {
		if os.Getenv("ASSAY_REQUIRE_REDIS") == "1" {
			t.Fatal("redis-server is not installed (apt-get install redis-server)")
		}
		t.Skip("redis-server is not installed; .ci/run installs it and runs this test")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv.Addr
}

// ErrNoRedis means redis-server is not on PATH.
var ErrNoRedis = errors.New("redis-server is not installed")

// RedisServer is a running redis-server.
type RedisServer struct {
	Addr string // host:port on loopback
	stop func()
}

// Stop kills the server and removes its directory. Calls after the first
// do nothing.
func (s *RedisServer) Stop() { s.stop() }

// StartRedisServer starts a redis-server as StartRedis does, for callers
// without a test (script commands, benchmarks); the caller stops it.
func StartRedisServer() (*RedisServer, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, ErrNoRedis
	}
	// The free port is found by listening and closing; another process
	// may take it in between, so try a few times.
	var errs []error
	for range 5 {
		srv, err := startRedis(bin)
		if err == nil {
			return srv, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("start redis-server: %w", errors.Join(errs...))
}

func startRedis(bin string) (*RedisServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))

	dir, err := os.MkdirTemp("", "assay-redis-")
	if err != nil {
		return nil, err
	}
	var out strings.Builder
	cmd := exec.Command(bin,
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir,
		"--daemonize", "no", "--loglevel", "warning")
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Kill()
			<-exited
			os.RemoveAll(dir)
		})
	}

	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case err := <-exited:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("redis-server on %s exited: %v: %s", addr, err, out.String())
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return &RedisServer{Addr: addr, stop: stop}, nil
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("redis-server on %s not ready: %v: %s", addr, err, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
