// Package s3test starts a real S3-compatible server, versitygw with its
// posix backend, on loopback for tests of code that talks to S3.
//
// The versitygw binary is looked up as $ASSAY_VERSITYGW, then "versitygw" on
// $PATH, then $GOPATH/bin/versitygw. Install it with
//
//	go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
//
// Tests that need it are skipped when it is missing, unless the environment
// has ASSAY_REQUIRE_S3=1, in which case they fail.
package s3test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"go/build"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Region is the region versitygw is started with.
const Region = "us-east-1"

// Binary returns the path of the versitygw binary, or "" if none is found.
func Binary() string {
	if p := os.Getenv("ASSAY_VERSITYGW"); p != "" {
		return p
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = build.Default.GOPATH
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "versitygw")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// StartVersity starts versitygw on a free loopback port with a posix backend
// in a temp directory, waits until it answers, and stops it when the test
// ends. It returns the endpoint as host:port (plain HTTP, path-style) and
// the root credentials. If versitygw is not installed it skips the test, or
// fails it when ASSAY_REQUIRE_S3=1.
func StartVersity(t testing.TB) (endpoint, access, secret string) {
	t.Helper()
	bin := Binary()
	if bin == "" {
		msg := "versitygw not installed (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0, or set ASSAY_VERSITYGW)"
		if os.Getenv("ASSAY_REQUIRE_S3") == "1" {
			t.Fatal(msg + "; ASSAY_REQUIRE_S3=1")
		}
		t.Skip(msg)
	}
	access = "assayroot"
	secret = "assay-" + randHex(12)
	var lastErr error
	for range 3 { // a port picked free may be taken before versitygw binds it
		endpoint, err := start(t, bin, access, secret)
		if err == nil {
			return endpoint, access, secret
		}
		lastErr = err
	}
	t.Fatalf("start versitygw: %v", lastErr)
	return "", "", ""
}

// start runs one versitygw and waits for it to answer.
func start(t testing.TB, bin, access, secret string) (string, error) {
	dir := t.TempDir()
	port, err := freePort()
	if err != nil {
		return "", err
	}
	endpoint := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(bin, "--port", endpoint, "--region", Region, "posix", dir)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+access, "ROOT_SECRET_KEY="+secret)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-exited:
			return "", fmt.Errorf("versitygw exited: %s", out.String())
		default:
		}
		resp, err := client.Get("http://" + endpoint + "/")
		if err == nil {
			resp.Body.Close()
			break // any HTTP answer will do (403 without credentials)
		}
		if time.Now().After(deadline) {
			stop()
			return "", fmt.Errorf("versitygw at %s did not answer within 30s: %v\n%s", endpoint, err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("versitygw output:\n%s", out.String())
		}
	})
	return endpoint, nil
}

// CreateBucket creates bucket on the server at endpoint, failing t on error.
func CreateBucket(t testing.TB, endpoint, access, secret, bucket string) {
	t.Helper()
	c, err := Client(endpoint, access, secret)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: Region}); err != nil {
		t.Fatalf("create bucket %s at %s: %v", bucket, endpoint, err)
	}
}

// Client returns a minio client for the server at endpoint.
func Client(endpoint, access, secret string) (*minio.Client, error) {
	return minio.New(endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(access, secret, ""),
		Region:       Region,
		BucketLookup: minio.BucketLookupPath,
	})
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, errors.New("not a TCP address")
	}
	return addr.Port, nil
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// syncBuffer is a bytes.Buffer safe for concurrent writes and reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Env returns the AWS variables, as KEY=VALUE, that point assay at a
// server StartVersity started; the variables that would override them
// are set empty.
func Env(endpoint, access, secret string) []string {
	return []string{
		"AWS_ENDPOINT_URL=http://" + endpoint,
		"AWS_ENDPOINT_URL_S3=",
		"AWS_ACCESS_KEY_ID=" + access,
		"AWS_SECRET_ACCESS_KEY=" + secret,
		"AWS_SESSION_TOKEN=",
		"AWS_REGION=" + Region,
	}
}

// Setenv sets Env's variables for the rest of the test.
func Setenv(t testing.TB, endpoint, access, secret string) {
	t.Helper()
	for _, kv := range Env(endpoint, access, secret) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}
