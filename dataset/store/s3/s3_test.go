package s3_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/store/s3"
	"github.com/assayhq/assay/dataset/store/s3/s3test"
	"github.com/assayhq/assay/dataset/store/storetest"
)

// server is one versitygw with a bucket, for the tests of one top-level test.
type server struct {
	endpoint, access, secret, bucket string
	n                                atomic.Int64
}

func startServer(t *testing.T) *server {
	t.Helper()
	endpoint, access, secret := s3test.StartVersity(t)
	srv := &server{endpoint: endpoint, access: access, secret: secret, bucket: "assay-test"}
	s3test.CreateBucket(t, endpoint, access, secret, srv.bucket)
	return srv
}

func (srv *server) options(prefix string) s3.Options {
	return s3.Options{
		Endpoint:   srv.endpoint,
		Region:     s3test.Region,
		Bucket:     srv.bucket,
		Prefix:     prefix,
		AccessKey:  srv.access,
		SecretKey:  srv.secret,
		PathStyle:  true,
		MaxRetries: 2,
	}
}

// newStore returns a store under a prefix of its own.
func (srv *server) newStore(t *testing.T) *s3.Store {
	t.Helper()
	prefix := fmt.Sprintf("t%03d/store", srv.n.Add(1))
	s, err := s3.New(context.Background(), srv.options(prefix))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func TestStore(t *testing.T) {
	srv := startServer(t)
	storetest.Run(t, func(t *testing.T) store.Store { return srv.newStore(t) })
}

// TestStoreNoPrefix runs the suite on whole buckets, one per subtest.
func TestStoreNoPrefix(t *testing.T) {
	srv := startServer(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		bucket := fmt.Sprintf("assay-whole-%03d", srv.n.Add(1))
		s3test.CreateBucket(t, srv.endpoint, srv.access, srv.secret, bucket)
		opts := srv.options("")
		opts.Bucket = bucket
		s, err := s3.New(context.Background(), opts)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		return s
	})
}

// TestIfNoneMatchHonoured checks that the server refuses a PUT with
// If-None-Match: * on an existing object, the primitive PutIfAbsent needs.
func TestIfNoneMatchHonoured(t *testing.T) {
	srv := startServer(t)
	c, err := s3test.Client(srv.endpoint, srv.access, srv.secret)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.PutObject(ctx, srv.bucket, "inm", strings.NewReader("one"), 3, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	var opts minio.PutObjectOptions
	opts.SetMatchETagExcept("*")
	_, err = c.PutObject(ctx, srv.bucket, "inm", strings.NewReader("two"), 3, opts)
	if minio.ToErrorResponse(err).StatusCode != 412 {
		t.Fatalf("PUT with If-None-Match: * on an existing object: got %v, want 412 Precondition Failed", err)
	}
	if _, err := c.PutObject(ctx, srv.bucket, "inm-new", strings.NewReader("two"), 3, opts); err != nil {
		t.Fatalf("PUT with If-None-Match: * on a new object: %v", err)
	}
}

// TestConcurrentPutIfAbsentPair races two writers on one key many times:
// always exactly one wins.
func TestConcurrentPutIfAbsentPair(t *testing.T) {
	srv := startServer(t)
	s := srv.newStore(t)
	for _, size := range []int{10, 1 << 20, s3.PartSize + 1000} { // the last is multipart
		rounds := 20
		if size > s3.PartSize {
			rounds = 3
		}
		for round := range rounds {
			key := fmt.Sprintf("race/%d/%d", size, round)
			var errs [2]error
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range errs {
				wg.Go(func() {
					<-start
					errs[i] = s.PutIfAbsent(context.Background(), key, bytes.NewReader(fill(byte(i+1), size)))
				})
			}
			close(start)
			wg.Wait()
			wins := 0
			winner := 0
			for i, err := range errs {
				switch {
				case err == nil:
					wins++
					winner = i
				case !errors.Is(err, store.ErrExists):
					t.Errorf("%s writer %d: got %v, want nil or ErrExists", key, i, err)
				}
			}
			if wins != 1 {
				t.Fatalf("%s: %d writers won, want exactly 1 (errors %v)", key, wins, errs)
			}
			if got := readAll(t, s, key); !bytes.Equal(got, fill(byte(winner+1), size)) {
				t.Errorf("%s: content is not the winner's", key)
			}
		}
	}
}

func TestMultipartRoundTrip(t *testing.T) {
	srv := startServer(t)
	s := srv.newStore(t)
	ctx := context.Background()
	for _, size := range []int{s3.PartSize, s3.PartSize + 1, 2*s3.PartSize + 17} {
		key := fmt.Sprintf("big/%d", size)
		data := fill(byte(size), size)
		for i := range data {
			data[i] ^= byte(i >> 8)
		}
		if err := s.PutIfAbsent(ctx, key, bytes.NewReader(data)); err != nil {
			t.Fatalf("PutIfAbsent(%s): %v", key, err)
		}
		if got := readAll(t, s, key); !bytes.Equal(got, data) {
			t.Errorf("%s: got other bytes than those put", key)
		}
		if err := s.PutIfAbsent(ctx, key, bytes.NewReader(data)); !errors.Is(err, store.ErrExists) {
			t.Errorf("second PutIfAbsent(%s): got %v, want ErrExists", key, err)
		}
	}
	// A failed multipart put leaves neither the object nor an upload.
	err := s.PutIfAbsent(ctx, "big/failed", io.MultiReader(bytes.NewReader(make([]byte, s3.PartSize+10)), failingReader{}))
	if !errors.Is(err, errFail) {
		t.Fatalf("PutIfAbsent with failing reader: got %v", err)
	}
	if _, err := s.Open(ctx, "big/failed"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Open after failed multipart put: got %v, want ErrNotFound", err)
	}
	for u := range s.Client().ListIncompleteUploads(ctx, s.Bucket(), s.Prefix()+"big/failed", true) {
		if u.Err != nil {
			t.Fatalf("ListIncompleteUploads: %v", u.Err)
		}
		t.Errorf("upload left behind: %+v", u)
	}
}

var errFail = errors.New("reader failed")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errFail }

func TestConcurrentReadAt(t *testing.T) {
	srv := startServer(t)
	s := srv.newStore(t)
	ctx := context.Background()
	data := fill(7, 1<<20)
	for i := range data {
		data[i] ^= byte(i * 7)
	}
	if err := s.PutIfAbsent(ctx, "blob", bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	b, err := s.Open(ctx, "blob")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 20 {
				off := int64((g*7919 + i*104729) % len(data))
				p := make([]byte, 4096)
				n, err := b.ReadAt(p, off)
				if err != nil && err != io.EOF {
					t.Errorf("ReadAt(%d): %v", off, err)
					return
				}
				if !bytes.Equal(p[:n], data[off:off+int64(n)]) {
					t.Errorf("ReadAt(%d): wrong bytes", off)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestBlobChangedAfterOpen(t *testing.T) {
	srv := startServer(t)
	s := srv.newStore(t)
	ctx := context.Background()
	if err := s.PutIfAbsent(ctx, "k", strings.NewReader("first content")); err != nil {
		t.Fatal(err)
	}
	b, err := s.Open(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if err := s.PutIfAbsent(ctx, "k", strings.NewReader("other content")); err != nil {
		t.Fatal(err)
	}
	p := make([]byte, 5)
	if n, err := b.ReadAt(p, 0); err == nil {
		t.Errorf("ReadAt after the blob was replaced: got %q, want an error", p[:n])
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ReadAt(p, 0); err == nil {
		t.Errorf("ReadAt after Close: want an error")
	}
}

func TestErrorsNameBucketAndKey(t *testing.T) {
	srv := startServer(t)
	s := srv.newStore(t)
	_, err := s.Open(context.Background(), "missing/key")
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Open missing: got %v", err)
	}
	want := "s3://" + srv.bucket + "/" + s.Prefix() + "missing/key"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}

	// A server that is gone: the error still names bucket and key.
	opts := srv.options("p")
	opts.Bucket = "no-such-bucket"
	if _, err := s3.New(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "no-such-bucket") {
		t.Errorf("New with a missing bucket: got %v, want an error naming it", err)
	}
}

func TestInvalidPrefix(t *testing.T) {
	for _, p := range []string{"/abs", "a//b", "a/../b", "a\\b"} {
		_, err := s3.New(context.Background(), s3.Options{Endpoint: "127.0.0.1:1", Bucket: "b", Prefix: p})
		if !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("New with prefix %q: got %v, want ErrInvalidKey", p, err)
		}
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		url  string
		env  map[string]string
		want s3.Options
		err  bool
	}{
		{url: "s3://bucket", want: s3.Options{Endpoint: "s3.amazonaws.com", Bucket: "bucket", Secure: true}},
		{
			url: "s3://bucket/some/prefix/",
			env: map[string]string{
				"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_SESSION_TOKEN": "TOK",
				"AWS_DEFAULT_REGION": "eu-west-1",
			},
			want: s3.Options{Endpoint: "s3.amazonaws.com", Bucket: "bucket", Prefix: "some/prefix", AccessKey: "AK", SecretKey: "SK", SessionToken: "TOK", Region: "eu-west-1", Secure: true},
		},
		{
			url:  "s3://b/p",
			env:  map[string]string{"AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:7070"},
			want: s3.Options{Endpoint: "127.0.0.1:7070", Bucket: "b", Prefix: "p", Region: "us-west-2", PathStyle: true},
		},
		{
			url:  "s3://b",
			env:  map[string]string{"AWS_ENDPOINT_URL": "http://ignored:1", "AWS_ENDPOINT_URL_S3": "https://minio.example:9000/"},
			want: s3.Options{Endpoint: "minio.example:9000", Bucket: "b", Secure: true, PathStyle: true},
		},
		{
			// The URL's parameters are the repository's configuration: they
			// win over the environment; a profile passes over its keys.
			url:  "s3://b/p?endpoint=https://store.example:9000&region=eu-north-1&profile=team",
			env:  map[string]string{"AWS_REGION": "us-west-2", "AWS_ENDPOINT_URL": "http://127.0.0.1:7070", "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"},
			want: s3.Options{Endpoint: "store.example:9000", Bucket: "b", Prefix: "p", Region: "eu-north-1", Profile: "team", Secure: true, PathStyle: true},
		},
		{
			url:  "s3://b?region=ap-south-1",
			env:  map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"},
			want: s3.Options{Endpoint: "s3.amazonaws.com", Bucket: "b", Region: "ap-south-1", AccessKey: "AK", SecretKey: "SK", Secure: true},
		},
		{url: "s3://b/p?secret=x", err: true},
		{url: "s3://b/p?region=a&region=b", err: true},
		{url: "s3://b/p?region=", err: true},
		{url: "s3://b/p?endpoint=ftp://x", err: true},
		{url: "s3://user:pw@b/p", err: true},
		{url: "s3:///prefix", err: true},
		{url: "gs://b/p", err: true},
		{url: "s3://b/a/../c", err: true},
		{url: "s3://b/p?x=1", err: true},
		{url: "s3://b", env: map[string]string{"AWS_ENDPOINT_URL": "ftp://x"}, err: true},
		{url: "s3://b", env: map[string]string{"AWS_ENDPOINT_URL": "http://x/path"}, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"} {
				t.Setenv(k, tt.env[k])
			}
			got, err := s3.ParseURL(tt.url)
			if tt.err {
				if err == nil {
					t.Errorf("ParseURL(%q): got %+v, want an error", tt.url, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tt.url, err)
			}
			if got != tt.want {
				t.Errorf("ParseURL(%q):\ngot  %+v\nwant %+v", tt.url, got, tt.want)
			}
		})
	}
}

func fill(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }

func readAll(t *testing.T, s store.Store, key string) []byte {
	t.Helper()
	b, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer b.Close()
	data, err := io.ReadAll(io.NewSectionReader(b, 0, b.Size()))
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return data
}

// TestURLConfiguration reaches a real server with nothing but the URL's
// parameters and a profile of a shared credentials file: no AWS
// variables for the endpoint, region or keys.
func TestURLConfiguration(t *testing.T) {
	srv := startServer(t)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"} {
		t.Setenv(k, "")
	}
	creds := filepath.Join(t.TempDir(), "credentials")
	text := fmt.Sprintf("[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n[team]\naws_access_key_id = %s\naws_secret_access_key = %s\n", srv.access, srv.secret)
	if err := os.WriteFile(creds, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	ctx := context.Background()
	url := fmt.Sprintf("s3://%s/configured?endpoint=http://%s&region=%s&profile=team", srv.bucket, srv.endpoint, s3test.Region)
	opts, err := s3.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s3.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutIfAbsent(ctx, "k", strings.NewReader("v")); err != nil {
		t.Fatal(err)
	}
	// The default profile's keys are refused.
	opts, _ = s3.ParseURL(strings.Replace(url, "profile=team", "profile=default", 1))
	if _, err := s3.New(ctx, opts); err == nil {
		t.Error("the default profile's wrong keys were accepted")
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"s3://b", "s3://b/p/q?endpoint=http://h:1&region=r&profile=p", "s3://b?x", "s3://%zz", "s3://b/p?endpoint=http://h/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		opts, err := s3.ParseURL(raw)
		if err == nil && opts.Bucket == "" {
			t.Errorf("%q: no bucket and no error", raw)
		}
	})
}
