package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sender sends one request and reads its whole response. Each worker has
// its own; senders are not safe for concurrent use.
type sender interface {
	// do sends a request with the body and returns the status code and, for
	// a status outside 2xx, a message with the start of the body. err is a
	// transport error.
	do(ctx context.Context, body []byte) (status int, msg string, err error)
	close()
}

// rawSender speaks HTTP/1.1 on one keep-alive connection with as little
// work per request as wrk does: the request head is built once, each
// request is one write, and the response is parsed from a reused buffer
// (status line, Content-Length or chunked body). The client's own CPU time
// then stays small next to the server's when both share a machine. It
// redials after an error or a "Connection: close".
type rawSender struct {
	mu      sync.Mutex // guards conn's replacement against abort
	aborted bool
	addr    string
	head    []byte // request line and headers, up to Content-Length's value
	timeout time.Duration
	conn    net.Conn
	r       *bufio.Reader
	out     []byte
}

// newRawSender returns a sender for cfg's plain http:// URL.
func newRawSender(cfg *config) (*rawSender, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, err
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	host := u.Host
	h := cfg.Headers.Clone()
	if h == nil {
		h = http.Header{}
	}
	if v := h.Get("Host"); v != "" {
		host = v
		h.Del("Host")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: assay-loadgen\r\n", cfg.Method, u.RequestURI(), host)
	if err := h.Write(&b); err != nil {
		return nil, err
	}
	b.WriteString("Content-Length: ")
	return &rawSender{addr: addr, head: b.Bytes(), timeout: cfg.Timeout}, nil
}

func (s *rawSender) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}

// abort cuts the request in flight short and refuses further ones.
func (s *rawSender) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aborted = true
	if s.conn != nil {
		s.conn.SetDeadline(time.Unix(1, 0))
	}
}

func (s *rawSender) do(_ context.Context, body []byte) (int, string, error) {
	status, msg, keep, err := s.exchange(body)
	if err != nil || !keep {
		s.close()
	}
	return status, msg, err
}

// exchange sends one request; keep says whether the connection may be
// used again.
func (s *rawSender) exchange(body []byte) (status int, msg string, keep bool, err error) {
	if s.conn == nil {
		c, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
		if err != nil {
			return 0, "", false, err
		}
		s.mu.Lock()
		if s.aborted {
			s.mu.Unlock()
			c.Close()
			return 0, "", false, errors.New("aborted")
		}
		s.conn = c
		s.mu.Unlock()
		if s.r == nil {
			s.r = bufio.NewReaderSize(c, 64<<10)
		} else {
			s.r.Reset(c)
		}
	}
	s.mu.Lock()
	if s.aborted {
		s.mu.Unlock()
		return 0, "", false, errors.New("aborted")
	}
	if s.timeout > 0 {
		s.conn.SetDeadline(time.Now().Add(s.timeout))
	}
	s.mu.Unlock()
	s.out = append(s.out[:0], s.head...)
	s.out = strconv.AppendInt(s.out, int64(len(body)), 10)
	s.out = append(s.out, "\r\n\r\n"...)
	s.out = append(s.out, body...)
	if _, err := s.conn.Write(s.out); err != nil {
		return 0, "", false, err
	}
	line, err := s.line()
	if err != nil {
		return 0, "", false, err
	}
	// HTTP/1.1 200 OK
	proto, rest, _ := strings.Cut(line, " ")
	code, reason, _ := strings.Cut(rest, " ")
	status, err = strconv.Atoi(code)
	if err != nil || !strings.HasPrefix(proto, "HTTP/1.") {
		return 0, "", false, fmt.Errorf("malformed status line %q", line)
	}
	length, chunked := -1, false
	keep = proto == "HTTP/1.1"
	for {
		line, err := s.line()
		if err != nil {
			return 0, "", false, err
		}
		if line == "" {
			break
		}
		k, v, _ := strings.Cut(line, ":")
		v = strings.TrimSpace(v)
		switch {
		case strings.EqualFold(k, "Content-Length"):
			if length, err = strconv.Atoi(v); err != nil || length < 0 {
				return 0, "", false, fmt.Errorf("malformed Content-Length %q", v)
			}
		case strings.EqualFold(k, "Transfer-Encoding"):
			chunked = strings.EqualFold(v, "chunked")
		case strings.EqualFold(k, "Connection"):
			keep = keep && !strings.EqualFold(v, "close")
		}
	}
	var start []byte
	switch {
	case chunked:
		start, err = s.chunked()
	case length >= 0:
		start, err = s.discard(length)
	default:
		start, err = s.discard(-1) // to the end of the connection
		keep = false
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("reading the response body: %w", err)
	}
	if status < 200 || status > 299 {
		msg = "HTTP " + code + " " + reason
		if t := strings.TrimSpace(string(start)); t != "" {
			msg += ": " + t
		}
	}
	return status, msg, keep, nil
}

// line reads one header line without its CRLF.
func (s *rawSender) line() (string, error) {
	b, err := s.r.ReadSlice('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// discard reads n bytes of body (to EOF when n < 0) and returns up to
// the first 200 of them.
func (s *rawSender) discard(n int) ([]byte, error) {
	if n < 0 {
		var start []byte
		buf := make([]byte, 32<<10)
		for {
			k, err := s.r.Read(buf)
			if len(start) < 200 {
				start = append(start, buf[:min(k, 200-len(start))]...)
			}
			if err == io.EOF {
				return start, nil
			}
			if err != nil {
				return start, err
			}
		}
	}
	var start []byte
	if p, _ := s.r.Peek(min(n, 200)); len(p) > 0 {
		start = append(start, p...)
	}
	_, err := s.r.Discard(n)
	return start, err
}

// chunked reads a chunked body.
func (s *rawSender) chunked() ([]byte, error) {
	var start []byte
	for {
		line, err := s.line()
		if err != nil {
			return start, err
		}
		size, _, _ := strings.Cut(line, ";")
		n, err := strconv.ParseInt(strings.TrimSpace(size), 16, 32)
		if err != nil || n < 0 {
			return start, fmt.Errorf("malformed chunk size %q", line)
		}
		if n == 0 {
			for { // trailers, up to the blank line
				line, err := s.line()
				if err != nil || line == "" {
					return start, err
				}
			}
		}
		p, err := s.discard(int(n))
		if len(start) < 200 {
			start = append(start, p[:min(len(p), 200-len(start))]...)
		}
		if err != nil {
			return start, err
		}
		if line, err := s.line(); err != nil || line != "" {
			return start, errors.Join(err, errors.New("malformed chunk end"))
		}
	}
}

// stdSender sends through net/http's client (for https://, or to compare).
type stdSender struct {
	client *http.Client
	cfg    *config
}

func (s *stdSender) do(ctx context.Context, body []byte) (int, string, error) {
	req, err := newRequest(ctx, s.cfg, body)
	if err != nil {
		return 0, "", err
	}
	return do(s.client, req)
}

func (s *stdSender) close() {}
