package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/assayhq/assay/report"
)

// Serve serves the routes on ln until ctx is done, then shuts down,
// letting requests under way finish for up to two seconds. It returns nil
// after such a shutdown, or the error that stopped the server.
//
// It runs on fasthttp rather than net/http: on the benchmark of one entity
// and 50 features (README, "Performance") net/http's own work per request
// — its allocations and its two writes for a response over 4 KiB — took
// more CPU than the lookup, and the server shares its cores with Redis
// and the clients. ServeHTTP is the same API for a net/http server.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &fasthttp.Server{
		Handler:         s.fastHandler,
		Name:            "assay",
		ReadTimeout:     30 * time.Second,
		WriteTimeout:    30 * time.Second,
		IdleTimeout:     2 * time.Minute,
		ReadBufferSize:  16 << 10,
		WriteBufferSize: 16 << 10,
		// Bodies up to twice the limit are read, and refused by the
		// handler; fasthttp stops reading larger ones (ErrorHandler).
		MaxRequestBodySize:            int(min(2*s.opts.MaxBody+4096, 1<<30)),
		ErrorHandler:                  s.fastError,
		NoDefaultServerHeader:         true,
		NoDefaultDate:                 true,
		DisableHeaderNamesNormalizing: false,
		Logger:                        quietLogger{},
	}
	return report.ServeUntil(ctx, ln, fastServer{srv})
}

// fastServer adapts fasthttp's server to report.Server.
type fastServer struct{ *fasthttp.Server }

// Shutdown implements report.Server.
func (s fastServer) Shutdown(ctx context.Context) error { return s.ShutdownWithContext(ctx) }

// quietLogger drops fasthttp's log lines (connection errors of clients).
type quietLogger struct{}

func (quietLogger) Printf(string, ...any) {}

// fastHandler serves the routes of ServeHTTP on fasthttp.
func (s *Server) fastHandler(c *fasthttp.RequestCtx) {
	switch string(c.Path()) {
	case "/get-online-features":
		if !c.IsPost() {
			c.Response.Header.Set("Allow", http.MethodPost)
			fastJSON(c, http.StatusMethodNotAllowed, errorJSON(fmt.Sprintf("method %s not allowed; use POST", c.Method())))
			return
		}
		ex := s.exchange()
		defer s.release(ex)
		body := c.PostBody()
		if int64(len(body)) > s.opts.MaxBody {
			fastJSON(c, http.StatusRequestEntityTooLarge, errorJSON(s.tooLarge()))
			return
		}
		code, out := s.answer(c, ex, body)
		fastJSON(c, code, out)
	case "/health":
		if !c.IsGet() && !c.IsHead() {
			c.Response.Header.Set("Allow", "GET, HEAD")
			fastJSON(c, http.StatusMethodNotAllowed, errorJSON(fmt.Sprintf("method %s not allowed; use GET", c.Method())))
			return
		}
		c.SetContentType("text/plain; charset=utf-8")
		c.SetBodyString("ok\n")
	default:
		fastJSON(c, http.StatusNotFound, errorJSON(fmt.Sprintf("no route %s; want POST /get-online-features or GET /health", c.Path())))
	}
}

// fastError answers a request fasthttp could not read.
func (s *Server) fastError(c *fasthttp.RequestCtx, err error) {
	if errors.Is(err, fasthttp.ErrBodyTooLarge) {
		fastJSON(c, http.StatusRequestEntityTooLarge, errorJSON(s.tooLarge()))
		return
	}
	fastJSON(c, http.StatusBadRequest, errorJSON("read request: "+err.Error()))
}

// fastJSON sets a JSON response; body is copied.
func fastJSON(c *fasthttp.RequestCtx, code int, body []byte) {
	c.SetStatusCode(code)
	c.SetContentType("application/json")
	c.Response.SetBody(body)
}
