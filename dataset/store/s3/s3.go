// Package s3 is a store.Store over a bucket of an S3-compatible object
// store (AWS S3, MinIO, versitygw, …), using github.com/minio/minio-go/v7.
//
// The key "a/b/c" is the object PREFIX/a/b/c in the bucket, where PREFIX is
// Options.Prefix (empty, or slash-terminated).
//
//   - Open stats the object and returns a Blob whose ReadAt does one ranged
//     GET per call, conditional on the ETag seen by Open (If-Match), so that
//     a blob replaced under a reader's feet is an error, never mixed bytes.
//     ReadAt is safe for concurrent use.
//   - PutIfAbsent is a conditional write (If-None-Match: *): the server
//     refuses it with 412 Precondition Failed (or 409 Conflict for a
//     concurrent conditional write) when the key exists, which the store
//     reports as store.ErrExists. Blobs up to PartSize bytes go up in a
//     single PUT; larger ones as a multipart upload whose
//     CompleteMultipartUpload carries the condition. Either way the object
//     appears all at once or not at all. The server must honour
//     If-None-Match on PUT (AWS S3 since 2024, MinIO, versitygw). Each put
//     tags its object with a random id (x-amz-meta-assay-put-id), which
//     settles outcomes the response does not tell: a retried PUT refused by
//     its own first attempt, or a refusal lost to a connection reset.
//   - List is a recursive ListObjectsV2 under the prefix.
//   - Delete is DeleteObject, which is idempotent.
//
// Keys are those store.ValidateKey accepts; in addition the full object name
// (Prefix+key) must fit in store.MaxKeyLen bytes.
package s3

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/assayhq/assay/dataset/store"
)

var _ store.Store = (*Store)(nil)

// PartSize is the size of the parts of a multipart upload, and the largest
// blob PutIfAbsent sends in a single PUT. PutIfAbsent buffers up to this
// many bytes in memory.
const PartSize = 16 << 20

// Options configure a Store.
type Options struct {
	// Endpoint is the host[:port] of the S3 service, without scheme, e.g.
	// "s3.amazonaws.com" or "127.0.0.1:7070". Empty means
	// "s3.amazonaws.com".
	Endpoint string
	// Region of the bucket; empty lets the client look it up.
	Region string
	// Bucket holds the store's objects. It must exist.
	Bucket string
	// Prefix is prepended to every key; "" or a valid key, with or without
	// a trailing slash (one is added).
	Prefix string
	// AccessKey and SecretKey are static credentials. If AccessKey is empty,
	// credentials come from the AWS environment variables or the shared
	// credentials file (~/.aws/credentials), and requests are anonymous if
	// neither has any.
	AccessKey, SecretKey string
	// SessionToken goes with temporary static credentials.
	SessionToken string
	// Profile names the profile of the shared credentials file to use when
	// AccessKey is empty ("" : $AWS_PROFILE, else "default"); a profile set
	// here also passes over the AWS environment variables' keys.
	Profile string
	// Secure selects HTTPS.
	Secure bool
	// PathStyle forces path-style requests (http://host/bucket/key); by
	// default the client picks virtual-host style where supported.
	PathStyle bool
	// MaxRetries is the number of attempts per request minio-go makes on
	// network errors and retryable responses; 0 means its default (10).
	MaxRetries int
	// Transport, if not nil, carries the requests.
	Transport http.RoundTripper
}

// Store is a blob store in an S3 bucket. It is safe for concurrent use, also
// by several processes.
type Store struct {
	core   minio.Core
	bucket string
	prefix string // "" or ends in "/"
}

// New returns a Store over the bucket opts names, checking that the bucket
// exists (which also checks the endpoint and credentials).
func New(ctx context.Context, opts Options) (*Store, error) {
	if opts.Bucket == "" {
		return nil, errors.New("s3 store: no bucket")
	}
	prefix := strings.TrimSuffix(opts.Prefix, "/")
	if prefix != "" {
		if err := store.ValidateKey(prefix); err != nil {
			return nil, fmt.Errorf("s3 store s3://%s: prefix: %w", opts.Bucket, err)
		}
		prefix += "/"
	}
	endpoint := opts.Endpoint
	if endpoint == "" {
		endpoint = "s3.amazonaws.com"
	}
	var creds *credentials.Credentials
	switch {
	case opts.AccessKey != "":
		creds = credentials.NewStaticV4(opts.AccessKey, opts.SecretKey, opts.SessionToken)
	case opts.Profile != "":
		creds = credentials.New(&credentials.FileAWSCredentials{Profile: opts.Profile})
	default:
		creds = credentials.NewChainCredentials([]credentials.Provider{
			&credentials.EnvAWS{},
			&credentials.FileAWSCredentials{},
		})
	}
	mopts := &minio.Options{
		Creds:      creds,
		Secure:     opts.Secure,
		Region:     opts.Region,
		MaxRetries: opts.MaxRetries,
		Transport:  opts.Transport,
	}
	if opts.PathStyle {
		mopts.BucketLookup = minio.BucketLookupPath
	}
	client, err := minio.New(endpoint, mopts)
	if err != nil {
		return nil, fmt.Errorf("s3 store s3://%s at %s: %w", opts.Bucket, endpoint, err)
	}
	ok, err := client.BucketExists(ctx, opts.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3 store s3://%s at %s: %w", opts.Bucket, endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("s3 store s3://%s at %s: no such bucket", opts.Bucket, endpoint)
	}
	return &Store{core: minio.Core{Client: client}, bucket: opts.Bucket, prefix: prefix}, nil
}

// ParseURL returns the options for a store URL
// "s3://bucket[/prefix][?endpoint=URL&region=R&profile=NAME]". The
// parameters are the repository's own configuration and win over the
// usual AWS environment variables, which give the rest:
//
//   - AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (not
//     with profile=, which reads that profile of ~/.aws/credentials);
//   - AWS_REGION, else AWS_DEFAULT_REGION;
//   - AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL: a URL such as
//     "http://127.0.0.1:7070" whose scheme decides Secure; with a custom
//     endpoint requests are path-style. Without one, the endpoint is
//     AWS S3 over HTTPS.
//
// Credentials never go in the URL: it is printed in messages and stored
// in pipeline definitions.
func ParseURL(rawURL string) (Options, error) {
	return parseURL(rawURL, os.Getenv)
}

// urlParams are the parameters a store URL may carry.
var urlParams = []string{"endpoint", "region", "profile"}

func parseURL(rawURL string, getenv func(string) string) (Options, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Options{}, fmt.Errorf("s3 store URL: %w", err)
	}
	if u.Scheme != "s3" {
		return Options{}, fmt.Errorf("s3 store URL %q: scheme is not s3", rawURL)
	}
	if u.Host == "" {
		return Options{}, fmt.Errorf("s3 store URL %q: no bucket", rawURL)
	}
	if u.User != nil || u.Fragment != "" {
		return Options{}, fmt.Errorf("s3 store URL %q: want s3://bucket/prefix[?endpoint=URL&region=R&profile=NAME], without user or fragment (credentials come from the environment or ~/.aws/credentials)", rawURL)
	}
	query, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Options{}, fmt.Errorf("s3 store URL %q: parameters: %v", rawURL, err)
	}
	for k, v := range query {
		if !slices.Contains(urlParams, k) {
			return Options{}, fmt.Errorf("s3 store URL %q: unknown parameter %q (want %s)", rawURL, k, strings.Join(urlParams, ", "))
		}
		if len(v) != 1 || v[0] == "" {
			return Options{}, fmt.Errorf("s3 store URL %q: parameter %q wants one value", rawURL, k)
		}
	}
	opts := Options{
		Bucket:   u.Host,
		Prefix:   strings.Trim(u.Path, "/"),
		Region:   cmp.Or(query.Get("region"), getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION")),
		Profile:  query.Get("profile"),
		Endpoint: "s3.amazonaws.com",
		Secure:   true,
	}
	if opts.Profile == "" {
		opts.AccessKey = getenv("AWS_ACCESS_KEY_ID")
		opts.SecretKey = getenv("AWS_SECRET_ACCESS_KEY")
		opts.SessionToken = getenv("AWS_SESSION_TOKEN")
	}
	if opts.Prefix != "" {
		if err := store.ValidateKey(opts.Prefix); err != nil {
			return Options{}, fmt.Errorf("s3 store URL %q: prefix: %w", rawURL, err)
		}
	}
	endpoint := cmp.Or(query.Get("endpoint"), getenv("AWS_ENDPOINT_URL_S3"), getenv("AWS_ENDPOINT_URL"))
	if endpoint != "" {
		e, err := url.Parse(endpoint)
		if err != nil {
			return Options{}, fmt.Errorf("s3 store endpoint: %w", err)
		}
		switch e.Scheme {
		case "https":
			opts.Secure = true
		case "http":
			opts.Secure = false
		default:
			return Options{}, fmt.Errorf("s3 store endpoint %q: scheme is not http or https", endpoint)
		}
		if e.Host == "" || (e.Path != "" && e.Path != "/") {
			return Options{}, fmt.Errorf("s3 store endpoint %q: want scheme://host[:port]", endpoint)
		}
		opts.Endpoint = e.Host
		opts.PathStyle = true
	}
	return opts, nil
}

// Bucket returns the name of the store's bucket.
func (s *Store) Bucket() string { return s.bucket }

// Prefix returns the store's key prefix: "" or a string ending in "/".
func (s *Store) Prefix() string { return s.prefix }

// Client returns the underlying minio client.
func (s *Store) Client() *minio.Client { return s.core.Client }

// object returns the object name of key after validating key.
func (s *Store) object(key string) (string, error) {
	if err := store.ValidateKey(key); err != nil {
		return "", err
	}
	name := s.prefix + key
	if len(name) > store.MaxKeyLen {
		return "", fmt.Errorf("%w %.40q…: with the store's prefix %q longer than %d bytes", store.ErrInvalidKey, key, s.prefix, store.MaxKeyLen)
	}
	return name, nil
}

// wrap returns err for op on key, naming the bucket and object, and mapping
// S3 error codes to the store's errors.
func (s *Store) wrap(ctx context.Context, op, key, object string, err error) error {
	var resp minio.ErrorResponse
	if errors.As(err, &resp) {
		switch resp.Code {
		case "NoSuchKey", "NotFound":
			return fmt.Errorf("%s %s: s3://%s/%s: %w", op, key, s.bucket, object, store.ErrNotFound)
		case "NoSuchBucket":
			return fmt.Errorf("%s %s: s3://%s/%s: no such bucket: %w", op, key, s.bucket, object, err)
		}
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%s %s: s3://%s/%s: %w (%v)", op, key, s.bucket, object, cerr, err)
	}
	return fmt.Errorf("%s %s: s3://%s/%s: %w", op, key, s.bucket, object, err)
}

// isCode reports whether err is an S3 error response with one of codes or,
// if status is not 0, that HTTP status.
func isCode(err error, status int, codes ...string) bool {
	var resp minio.ErrorResponse
	if !errors.As(err, &resp) {
		return false
	}
	return (status != 0 && resp.StatusCode == status) || slices.Contains(codes, resp.Code)
}

// isTaken reports whether err is the refusal of a conditional write because
// the object exists (412) or a concurrent conditional write is in progress
// (409 ConditionalRequestConflict, which AWS S3 asks clients to retry; the
// retry would find the object taken or the race lost).
func isTaken(err error) bool {
	return isCode(err, http.StatusPreconditionFailed, "PreconditionFailed") ||
		isCode(err, 0, "ConditionalRequestConflict")
}

// Open returns the blob under key. Its reads are ranged GETs of the object
// version Open saw.
func (s *Store) Open(ctx context.Context, key string) (store.Blob, error) {
	obj, err := s.object(key)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	info, err := s.core.StatObject(ctx, s.bucket, obj, minio.StatObjectOptions{})
	if err != nil {
		return nil, s.wrap(ctx, "open", key, obj, err)
	}
	bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return &Blob{s: s, key: key, object: obj, etag: info.ETag, size: info.Size, modTime: info.LastModified, ctx: bctx, cancel: cancel}, nil
}

// Blob is an open S3 blob. ReadAt is safe for concurrent use; each call is
// one ranged GET (more if minio-go retries).
type Blob struct {
	s       *Store
	key     string
	object  string
	etag    string
	size    int64
	modTime time.Time

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	once   sync.Once
}

// Size returns the length of the blob in bytes.
func (b *Blob) Size() int64 { return b.size }

// ModTime returns the blob's modification time as the server reported it.
func (b *Blob) ModTime() time.Time { return b.modTime }

// ETag returns the ETag of the object version the blob reads.
func (b *Blob) ETag() string { return b.etag }

// Close ends the blob's pending reads; later reads fail.
func (b *Blob) Close() error {
	b.once.Do(b.cancel)
	return nil
}

// ReadAt reads len(p) bytes at off with a ranged GET. Like io.ReaderAt it
// returns io.EOF when fewer bytes are left. If the object has changed since
// Open (deleted or replaced), it fails.
func (b *Blob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("read %s: negative offset %d", b.key, off)
	}
	if err := b.ctx.Err(); err != nil {
		return 0, fmt.Errorf("read %s: blob closed", b.key)
	}
	if off >= b.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	n := int64(len(p))
	var eof error
	if n > b.size-off {
		n, eof = b.size-off, io.EOF
	}
	var opts minio.GetObjectOptions
	if err := opts.SetRange(off, off+n-1); err != nil {
		return 0, fmt.Errorf("read %s: %w", b.key, err)
	}
	if b.etag != "" {
		if err := opts.SetMatchETag(b.etag); err != nil {
			return 0, fmt.Errorf("read %s: %w", b.key, err)
		}
	}
	body, _, _, err := b.s.core.GetObject(b.ctx, b.s.bucket, b.object, opts)
	if err != nil {
		if isCode(err, http.StatusPreconditionFailed, "PreconditionFailed") {
			return 0, fmt.Errorf("read %s: s3://%s/%s: object changed since it was opened", b.key, b.s.bucket, b.object)
		}
		return 0, b.s.wrap(b.ctx, "read", b.key, b.object, err)
	}
	defer body.Close()
	got, err := io.ReadFull(body, p[:n])
	if err != nil {
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return got, b.s.wrap(b.ctx, "read", b.key, b.object, err)
	}
	return got, eof
}

// PutIfAbsent stores the content of r under key unless the key is taken,
// with a conditional write (If-None-Match: *). It reads r in PartSize
// chunks: a blob that fits one chunk is sent in a single PUT, a larger one
// as a multipart upload completed with the condition and aborted on
// failure. If r fails or ctx is cancelled, nothing is stored.
func (s *Store) PutIfAbsent(ctx context.Context, key string, r io.Reader) error {
	obj, err := s.object(key)
	if err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	r = store.ContextReader(ctx, r)
	buf := make([]byte, PartSize)
	n, err := io.ReadFull(r, buf)
	switch err {
	case nil: // more may follow: multipart
		return s.putMultipart(ctx, key, obj, buf, r)
	case io.EOF, io.ErrUnexpectedEOF: // all of it
	default:
		return fmt.Errorf("put %s: %w", key, err)
	}
	id := newPutID()
	opts := minio.PutObjectOptions{UserMetadata: map[string]string{putIDMeta: id}}
	opts.SetMatchETagExcept("*")
	_, err = s.core.PutObject(ctx, s.bucket, obj, bytes.NewReader(buf[:n]), int64(n), "", "", opts)
	if err != nil {
		return s.putFailed(ctx, key, obj, id, err)
	}
	return nil
}

// putIDMeta is the user metadata (x-amz-meta-assay-put-id) holding the
// random id of the PutIfAbsent that wrote an object.
const putIDMeta = "Assay-Put-Id"

func newPutID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// putFailed returns the outcome of a conditional write of obj, tagged with
// id, that failed with err. A refusal (412/409) usually means the key is
// taken, but if minio-go retried a PUT whose first attempt did succeed,
// the object refusing the retry is our own. A network error, on the other
// hand, may hide a refusal: a server may answer 412 before reading the body
// and close the connection, and the client then sees only "connection reset"
// (versitygw does this). Both are settled by reading the put id of the
// object now stored under the key: ours means the put succeeded, another
// means ErrExists.
func (s *Store) putFailed(ctx context.Context, key, obj, id string, err error) error {
	taken := isTaken(err)
	var resp minio.ErrorResponse
	if !taken && (errors.As(err, &resp) || ctx.Err() != nil) {
		return s.wrap(ctx, "put", key, obj, err) // a definite failure
	}
	info, serr := s.core.StatObject(ctx, s.bucket, obj, minio.StatObjectOptions{})
	switch {
	case serr == nil:
		for k, v := range info.UserMetadata {
			if strings.EqualFold(k, putIDMeta) && v == id {
				return nil
			}
		}
		return fmt.Errorf("put %s: s3://%s/%s: %w", key, s.bucket, obj, store.ErrExists)
	case taken:
		// Refused, then deleted before the stat: it was not ours.
		return fmt.Errorf("put %s: s3://%s/%s: %w", key, s.bucket, obj, store.ErrExists)
	default:
		return s.wrap(ctx, "put", key, obj, err)
	}
}

// putMultipart uploads first, then the rest of r, as a multipart upload of
// obj completed on condition that obj does not exist.
func (s *Store) putMultipart(ctx context.Context, key, obj string, first []byte, r io.Reader) (err error) {
	// Cheap early answer for a writer putting a large object again. The
	// conditional complete below still decides races.
	if _, err := s.core.StatObject(ctx, s.bucket, obj, minio.StatObjectOptions{}); err == nil {
		return fmt.Errorf("put %s: s3://%s/%s: %w", key, s.bucket, obj, store.ErrExists)
	}
	putID := newPutID()
	id, err := s.core.NewMultipartUpload(ctx, s.bucket, obj, minio.PutObjectOptions{UserMetadata: map[string]string{putIDMeta: putID}})
	if err != nil {
		return s.wrap(ctx, "put", key, obj, err)
	}
	defer func() {
		if err != nil {
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			_ = s.core.AbortMultipartUpload(actx, s.bucket, obj, id)
		}
	}()
	var parts []minio.CompletePart
	buf := first
	for last := false; !last; {
		n := len(buf)
		if len(parts) > 0 {
			n, err = io.ReadFull(r, buf)
			switch err {
			case nil:
			case io.EOF, io.ErrUnexpectedEOF:
				last = true
			default:
				return fmt.Errorf("put %s: %w", key, err)
			}
			if n == 0 {
				break
			}
		}
		part, err := s.core.PutObjectPart(ctx, s.bucket, obj, id, len(parts)+1, bytes.NewReader(buf[:n]), int64(n), minio.PutObjectPartOptions{})
		if err != nil {
			return s.wrap(ctx, "put", key, obj, err)
		}
		parts = append(parts, minio.CompletePart{PartNumber: part.PartNumber, ETag: part.ETag})
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	var opts minio.PutObjectOptions
	opts.SetMatchETagExcept("*")
	if _, err := s.core.CompleteMultipartUpload(ctx, s.bucket, obj, id, parts, opts); err != nil {
		return s.putFailed(ctx, key, obj, putID, err)
	}
	return nil
}

// List returns the blobs whose keys start with prefix, sorted by key.
// Objects under the store's prefix whose names are not valid keys (such as
// "dir/" markers made by other tools) are left out.
func (s *Store) List(ctx context.Context, prefix string) ([]store.Entry, error) {
	if err := store.ValidatePrefix(prefix); err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing goroutine on early return
	var entries []store.Entry
	for info := range s.core.Client.ListObjects(lctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if info.Err != nil {
			return nil, s.wrap(ctx, "list", prefix, s.prefix+prefix, info.Err)
		}
		key, ok := strings.CutPrefix(info.Key, s.prefix)
		if !ok || !strings.HasPrefix(key, prefix) || store.ValidateKey(key) != nil {
			continue
		}
		entries = append(entries, store.Entry{Key: key, Size: info.Size, ModTime: info.LastModified})
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	// S3 lists in UTF-8 byte order already; sorting guards against servers
	// that do not.
	slices.SortFunc(entries, func(a, b store.Entry) int { return strings.Compare(a.Key, b.Key) })
	return entries, nil
}

// Delete removes the blob under key; a missing key is not an error (S3
// DeleteObject is idempotent).
func (s *Store) Delete(ctx context.Context, key string) error {
	obj, err := s.object(key)
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	if err := s.core.RemoveObject(ctx, s.bucket, obj, minio.RemoveObjectOptions{}); err != nil {
		if isCode(err, 0, "NoSuchKey") {
			return nil
		}
		return s.wrap(ctx, "delete", key, obj, err)
	}
	return nil
}
