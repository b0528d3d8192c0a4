package serve

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
)

// The defaults of Options.
const (
	DefaultMaxBody     = 1 << 20
	DefaultMaxEntities = 1000
)

// Options configure a Server. The zero Options are the defaults.
type Options struct {
	// MaxBody limits a request body, in bytes; 0 means DefaultMaxBody.
	MaxBody int64
	// MaxEntities limits the entity rows of a request; 0 means
	// DefaultMaxEntities.
	MaxEntities int
	// Now returns the read time, against which TTLs are judged; nil means
	// time.Now. (The Unix epoch itself reads as time.Now: see
	// online.ReadOptions.)
	Now func() time.Time
	// KeyKinds gives the type of join keys, online.KindInt64 or
	// online.KindString, as the caller knows them from the sources'
	// schemas. A join key not in the map takes the JSON type of its
	// values: an integral number is an int64, a string a string.
	KeyKinds map[string]online.Kind
	// Log, if set, receives the errors of failed lookups (status 500).
	Log *slog.Logger
}

// Validate checks the options.
func (o *Options) Validate() error {
	if o.MaxBody < 0 {
		return fmt.Errorf("serve: negative MaxBody %d", o.MaxBody)
	}
	if o.MaxEntities < 0 {
		return fmt.Errorf("serve: negative MaxEntities %d", o.MaxEntities)
	}
	for k, kind := range o.KeyKinds {
		if kind != online.KindInt64 && kind != online.KindString {
			return fmt.Errorf("serve: KeyKinds: join key %s is %s, want int64 or string", k, kind)
		}
	}
	return nil
}

// Server looks up online features for requests, over HTTP (ServeHTTP)
// or directly (Get). It is safe for concurrent use.
type Server struct {
	reg   *defs.Registry
	store online.Store
	opts  Options
	keys  map[string][]string      // view → its join keys, sorted
	ttl   map[string]time.Duration // view → TTL, for views that have one
	plans planCache
	pool  sync.Pool // of *exchange
}

// New returns a server of the features of reg, read from store. Every
// view's entities must be in reg (as defs.Registry.Validate checks).
// reg must not change while the server is in use.
func New(reg *defs.Registry, store online.Store, opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.MaxEntities == 0 {
		opts.MaxEntities = DefaultMaxEntities
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		reg:   reg,
		store: store,
		opts:  opts,
		keys:  make(map[string][]string, len(reg.Views)),
		ttl:   make(map[string]time.Duration),
		plans: planCache{seed: maphash.MakeSeed()},
	}
	for _, v := range reg.Views {
		var keys []string
		for _, name := range v.Entities {
			e := reg.Entity(name)
			if e == nil {
				return nil, fmt.Errorf("serve: view %s: unknown entity %s", v.Name, name)
			}
			keys = append(keys, e.JoinKeys...)
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		if len(keys) == 0 {
			return nil, fmt.Errorf("serve: view %s has no join keys", v.Name)
		}
		s.keys[v.Name] = keys
		if v.TTL > 0 {
			s.ttl[v.Name] = v.TTL
		}
	}
	return s, nil
}

// exchange is the state of one HTTP request, pooled so that its buffers
// are reused.
type exchange struct {
	body []byte // the request body (net/http)
	out  []byte // the response
	req  Request
	resp Response
}

// Exchanges holding more than these are not pooled.
const (
	maxPooledBytes  = 1 << 20
	maxPooledValues = 1 << 14
)

// exchange returns an exchange from the pool.
func (s *Server) exchange() *exchange {
	if ex, ok := s.pool.Get().(*exchange); ok {
		return ex
	}
	return &exchange{body: make([]byte, 0, 4096), out: make([]byte, 0, 8192)}
}

// release puts an exchange back into the pool, unless it grew too large.
func (s *Server) release(ex *exchange) {
	if cap(ex.body) <= maxPooledBytes && cap(ex.out) <= maxPooledBytes && cap(ex.resp.vals) <= maxPooledValues {
		s.pool.Put(ex)
	}
}

// ServeHTTP serves POST /get-online-features and GET /health.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/get-online-features":
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			s.writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed; use POST", r.Method))
			return
		}
		s.getOnlineFeatures(w, r)
	case "/health":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			s.writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed; use GET", r.Method))
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	default:
		s.writeError(w, http.StatusNotFound, fmt.Sprintf("no route %s; want POST /get-online-features or GET /health", r.URL.Path))
	}
}

// getOnlineFeatures serves POST /get-online-features.
func (s *Server) getOnlineFeatures(w http.ResponseWriter, r *http.Request) {
	ex := s.exchange()
	defer s.release(ex)
	body, err := readAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBody), ex.body[:0])
	ex.body = body
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			s.writeError(w, http.StatusRequestEntityTooLarge, s.tooLarge())
			return
		}
		s.writeError(w, http.StatusBadRequest, "read request body: "+err.Error())
		return
	}
	code, out := s.answer(r.Context(), ex, body)
	writeJSON(w, code, out)
}

// tooLarge is the message of a 413.
func (s *Server) tooLarge() string {
	return fmt.Sprintf("request body over the limit of %d bytes", s.opts.MaxBody)
}

// Answer answers the body of a get-online-features request: the HTTP
// status code and the JSON response (or {"error": ...}) appended to dst.
// It is the whole of POST /get-online-features but reading the body, for
// HTTP servers other than net/http's. A body longer than the MaxBody
// option is refused with 413.
func (s *Server) Answer(ctx context.Context, body, dst []byte) (int, []byte) {
	if int64(len(body)) > s.opts.MaxBody {
		return http.StatusRequestEntityTooLarge, append(dst, errorJSON(s.tooLarge())...)
	}
	ex := s.exchange()
	defer s.release(ex)
	code, out := s.answer(ctx, ex, body)
	return code, append(dst, out...)
}

// answer answers a request body with ex's buffers; out is valid until
// ex is released.
func (s *Server) answer(ctx context.Context, ex *exchange, body []byte) (code int, out []byte) {
	if err := parseRequest(body, s.opts.KeyKinds, &ex.req); err != nil {
		return http.StatusBadRequest, errorJSON(err.Error())
	}
	if err := s.get(ctx, &ex.req, &ex.resp); err != nil {
		if errors.Is(err, ErrInvalid) {
			return http.StatusBadRequest, errorJSON(err.Error())
		}
		if s.opts.Log != nil {
			s.opts.Log.Error("get-online-features", "err", err)
		}
		return http.StatusInternalServerError, errorJSON(err.Error())
	}
	ex.out = append(ex.resp.AppendJSON(ex.out[:0]), '\n')
	return http.StatusOK, ex.out
}

// readAll reads r to its end, appending to buf.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 4096)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// writeError writes {"error": msg} with the status code.
func (s *Server) writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, errorJSON(msg))
}

// errorJSON returns {"error": msg} and a newline.
func errorJSON(msg string) []byte {
	return append(appendString(append(make([]byte, 0, 16+len(msg)), `{"error":`...), msg), "}\n"...)
}

// writeJSON writes a JSON body with the status code.
func writeJSON(w http.ResponseWriter, code int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	w.Write(body)
}
