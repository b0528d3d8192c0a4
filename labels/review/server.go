package review

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

//go:embed assets/page.html.tmpl assets/review.css assets/review.js
var assets embed.FS

// The page template and its inline style and script, which are fixed, so
// their hashes go into the page's Content-Security-Policy: the browser
// runs no other script, applies no other style, and connects only to the
// server that sent the page.
var (
	pageTmpl  = template.Must(template.New("page.html.tmpl").ParseFS(assets, "assets/page.html.tmpl"))
	styleCSS  = mustAsset("assets/review.css")
	reviewJS  = mustAsset("assets/review.js")
	cspCommon = "default-src 'none'; style-src " + cspHash(styleCSS) + "; script-src " + cspHash(reviewJS) +
		"; connect-src 'self'; base-uri 'none'; form-action 'none'" +
		"; require-trusted-types-for 'script'; trusted-types 'none'"
	// cspHeader adds what only a header can say: no framing by other
	// pages (clickjacking).
	cspHeader = cspCommon + "; frame-ancestors 'none'"
)

func mustAsset(name string) string {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// tokenHeader carries the per-server token the page embeds. A web page
// from another origin can neither read the token nor, without a CORS
// preflight the server never grants, send the header.
const tokenHeader = "X-Assay-Token"

// maxBody bounds a request body.
const maxBody = 64 << 10

// server serves one review.
type server struct {
	q        *Queue
	items    []Item         // in review order
	index    map[string]int // item ID → position in items
	log      *Log
	reviewer string
	token    string
	page     []byte
	pageErr  error
	mux      *http.ServeMux
}

// NewServer returns the handler of the review of q, recording decisions,
// made by reviewer, in log, which must have been opened for q. Serve it on
// loopback (see Listen and Serve). It serves:
//
//   - GET /: the review page;
//   - GET /api/queue: the queue, in review order, with each item's
//     effective decision and the progress;
//   - POST /api/decide: records the decision in the JSON body
//     {"item", "action", "label", "reason"} and returns the item with its
//     new decision and the progress.
//
// The API needs the token embedded in the page in the X-Assay-Token
// header; every route refuses a Host that is a domain name other than
// localhost, and the API refuses requests from other origins.
func NewServer(q *Queue, log *Log, reviewer string) http.Handler {
	s := &server{
		q:        q,
		items:    ordered(q.Items),
		log:      log,
		reviewer: reviewer,
		token:    rand.Text(),
		mux:      http.NewServeMux(),
	}
	s.index = make(map[string]int, len(s.items))
	for i, it := range s.items {
		s.index[it.ID] = i
	}
	s.page, s.pageErr = s.renderPage()
	s.mux.HandleFunc("GET /{$}", s.servePage)
	s.mux.Handle("GET /api/queue", s.guard(http.HandlerFunc(s.serveQueue)))
	s.mux.Handle("POST /api/decide", s.guard(http.HandlerFunc(s.serveDecide)))
	return s
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if !localHost(r.Host) {
		// A domain name that resolves to loopback is how DNS rebinding
		// gets a foreign page into this origin.
		jsonError(w, http.StatusForbidden, fmt.Sprintf("host %q refused: open the review at 127.0.0.1 or localhost", r.Host))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// localHost reports whether host (with or without port) is an IP address
// or localhost, the names no DNS answer can move.
func localHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.EqualFold(host, "localhost") || net.ParseIP(host) != nil
}

// guard refuses API requests from other origins and requests without the
// page's token.
func (s *server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch site := r.Header.Get("Sec-Fetch-Site"); site {
		case "", "same-origin", "none":
		default:
			jsonError(w, http.StatusForbidden, "cross-origin request refused (Sec-Fetch-Site: "+site+")")
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" {
			u, err := url.Parse(origin)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host != r.Host {
				jsonError(w, http.StatusForbidden, fmt.Sprintf("cross-origin request refused (Origin %q)", origin))
				return
			}
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(tokenHeader)), []byte(s.token)) != 1 {
			jsonError(w, http.StatusForbidden, "missing or wrong "+tokenHeader+" header")
			return
		}
		h.ServeHTTP(w, r)
	})
}

type pageData struct {
	Title, Dataset, Label, Source, Reviewer, Log string
	Total                                        int
	Token, CSP                                   string
	CSS                                          template.CSS
	JS                                           template.JS
}

func (s *server) renderPage() ([]byte, error) {
	title := s.q.Title
	if title == "" {
		title = "Label review of " + s.q.Dataset
	}
	var buf bytes.Buffer
	err := pageTmpl.Execute(&buf, pageData{
		Title:    title,
		Dataset:  s.q.Dataset,
		Label:    s.q.Label,
		Source:   s.q.Source,
		Reviewer: s.reviewer,
		Log:      s.log.Path(),
		Total:    len(s.items),
		Token:    s.token,
		CSP:      cspCommon,
		CSS:      template.CSS(styleCSS),
		JS:       template.JS(reviewJS),
	})
	if err != nil {
		return nil, fmt.Errorf("review: render page: %w", err)
	}
	return buf.Bytes(), nil
}

func (s *server) servePage(w http.ResponseWriter, r *http.Request) {
	if s.pageErr != nil {
		jsonError(w, http.StatusInternalServerError, s.pageErr.Error())
		return
	}
	w.Header().Set("Content-Security-Policy", cspHeader)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(s.page)
}

// itemView is an item as the API shows it: with its effective decision,
// null when it has none.
type itemView struct {
	Item
	Decision *Decision `json:"decision"`
}

// progress counts the items of the queue that have a decision.
type progress struct {
	Total   int `json:"total"`
	Decided int `json:"decided"` // items with any decision, skips included
	Skipped int `json:"skipped"` // items whose decision is a skip
}

type queueView struct {
	Title    string     `json:"title"`
	Dataset  string     `json:"dataset"`
	Version  int        `json:"version"`
	Label    string     `json:"label"`
	Source   string     `json:"source"`
	Reviewer string     `json:"reviewer"`
	Progress progress   `json:"progress"`
	Items    []itemView `json:"items"`
}

type decideRequest struct {
	Item   string `json:"item"`
	Action string `json:"action"`
	Label  string `json:"label"`
	Reason string `json:"reason"`
}

type decideResponse struct {
	Item     itemView `json:"item"`
	Progress progress `json:"progress"`
}

func (s *server) progress(latest map[string]Decision) progress {
	p := progress{Total: len(s.items)}
	for _, it := range s.items {
		if d, ok := latest[it.ID]; ok {
			p.Decided++
			if d.Action == Skip {
				p.Skipped++
			}
		}
	}
	return p
}

func view(it Item, latest map[string]Decision) itemView {
	v := itemView{Item: it}
	if d, ok := latest[it.ID]; ok {
		v.Decision = &d
	}
	return v
}

func (s *server) serveQueue(w http.ResponseWriter, r *http.Request) {
	latest := s.log.latestMap()
	v := queueView{
		Title:    s.q.Title,
		Dataset:  s.q.Dataset,
		Version:  s.q.Version,
		Label:    s.q.Label,
		Source:   s.q.Source,
		Reviewer: s.reviewer,
		Progress: s.progress(latest),
		Items:    make([]itemView, len(s.items)),
	}
	for i, it := range s.items {
		v.Items[i] = view(it, latest)
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *server) serveDecide(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		jsonError(w, http.StatusUnsupportedMediaType, "the body must be JSON (Content-Type: application/json)")
		return
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	var req decideRequest
	err := dec.Decode(&req)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("more than one JSON value")
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", maxBody))
			return
		}
		jsonError(w, http.StatusBadRequest, "bad decision: "+err.Error())
		return
	}
	pos, ok := s.index[req.Item]
	if !ok {
		jsonError(w, http.StatusBadRequest, fmt.Sprintf("no item %q in the queue", req.Item))
		return
	}
	_, err = s.log.append(Decision{
		Item:     req.Item,
		Action:   req.Action,
		Label:    req.Label,
		Reason:   strings.TrimSpace(req.Reason),
		Reviewer: s.reviewer,
	})
	switch {
	case errors.Is(err, ErrInvalid) || errors.Is(err, ErrMismatch):
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	case err != nil:
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	// The item's state now, which is this decision unless another request
	// decided it in the meantime.
	latest := s.log.latestMap()
	writeJSON(w, http.StatusOK, decideResponse{Item: view(s.items[pos], latest), Progress: s.progress(latest)})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		jsonError(w, http.StatusInternalServerError, "encode the answer: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(b)
	w.Write([]byte{'\n'})
}

func jsonError(w http.ResponseWriter, code int, msg string) {
	b, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(b)
	w.Write([]byte{'\n'})
}
