// Package faults is a test server that fails on purpose: a token endpoint
// that answers 500 or 503 (JSON or an HTML page), never answers, answers
// 200 with no JSON or no body at all; an API that answers 429 with or
// without Retry-After, cuts its body off mid-stream, or answers slowly.
// With the network helpers in net.go (a refused port, a host that does
// not resolve, a TLS server nobody trusts) and a ready keyhole config in
// config.go, keyhole's tests can meet every failure the design promises a
// clear message and a hint for.
//
// A fault is selected by the last element of the request path, under any
// prefix: /token/503-html and /api/503-html are the same fault. Requests
// to /token/token get a good token, and to any path ending in ok a small
// JSON document, so a provider's token_url and base_url can each point at
// a fault of their own.
package faults

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"sync"
	"time"
)

// Fault names a behaviour, and is the path element that selects it.
type Fault string

// The faults. Those marked (token) are meant for a token_url, (api) for a
// request under base_url; each works at either.
const (
	// Token answers 200 with a good token (token), valid for an hour.
	Token Fault = "token"
	// OK answers 200 with a small JSON document (api).
	OK Fault = "ok"
	// Status500JSON and Status503JSON answer with an RFC 6749 JSON error.
	Status500JSON Fault = "500-json"
	Status503JSON Fault = "503-json"
	// Status500HTML and Status503HTML answer with a proxy's HTML page.
	Status500HTML Fault = "500-html"
	Status503HTML Fault = "503-html"
	// Hang never answers: it waits until the client gives up or the
	// server is closed.
	Hang Fault = "hang"
	// NotJSON answers 200 with an HTML page (a login form).
	NotJSON Fault = "not-json"
	// Empty answers 200 with Content-Type application/json and no body.
	Empty Fault = "empty"
	// RetryAfterSeconds answers 429 with Retry-After in seconds (the
	// query's after=N, default 1) to the first request for its URL, then
	// 200 with a JSON document.
	RetryAfterSeconds Fault = "429-seconds"
	// RetryAfterDate is RetryAfterSeconds with Retry-After as an HTTP date.
	RetryAfterDate Fault = "429-date"
	// TooManyRequests answers 429 without Retry-After, every time.
	TooManyRequests Fault = "429"
	// CutOff promises a body of CutOffLength bytes, sends CutOffSent of
	// them and closes the connection.
	CutOff Fault = "cut-off"
	// Slow answers 200 after the query's ms=N milliseconds (default
	// SlowDefault), unless the client gives up first.
	Slow Fault = "slow"
)

// TokenFaults fail a token request: the endpoint answers without a token,
// or never does. NetFaults (net.go) fail it before any answer.
var TokenFaults = []Fault{Status500JSON, Status503JSON, Status500HTML, Status503HTML, Hang, NotJSON, Empty, CutOff, Slow, TooManyRequests}

// APIFaults fail or slow an API call made with a good token.
var APIFaults = []Fault{Status500JSON, Status503JSON, Status500HTML, Status503HTML, Hang, NotJSON, Empty,
	RetryAfterSeconds, RetryAfterDate, TooManyRequests, CutOff, Slow}

// What the faults send, for tests to compare with what keyhole shows.
const (
	// AccessToken is the token Token issues.
	AccessToken = "fault-access-token-0001"
	// ErrorCode and ErrorDescription are the JSON errors' fields.
	ErrorCode        = "server_error"
	ErrorDescription = "the fault server failed on purpose"
	// HTMLTitle is in every HTML page's title and heading.
	HTMLTitle = "Service Unavailable"
	// LoginPage is NotJSON's body.
	LoginPage = "<html><body><form>Please sign in</form></body></html>"
	// CutOffBody is what CutOff sends before it hangs up; CutOffLength is
	// the Content-Length it promised.
	CutOffBody   = `{"items":[{"id":"itm_0001","name":"Walnut Mailbox"},{"id":"itm_0002","na`
	CutOffLength = 4096
	// SlowDefault is how long Slow takes without ms=N.
	SlowDefault = 10 * time.Second
)

// Handler serves the faults. The zero value is not usable: use New.
type Handler struct {
	release  chan struct{} // closed by Release: every waiting handler returns
	once     sync.Once
	mu       sync.Mutex
	hits     map[Fault]int
	answered map[string]bool // URLs whose 429 has been sent
	now      func() time.Time
}

// New returns a Handler. Its hanging and slow answers wait until the
// client gives up or Release is called.
func New() *Handler {
	return &Handler{release: make(chan struct{}), hits: map[Fault]int{}, answered: map[string]bool{}, now: time.Now}
}

// Release ends every wait, now and for later requests: call it before
// closing a server, whose Close waits for its handlers.
func (h *Handler) Release() { h.once.Do(func() { close(h.release) }) }

// Hits is how many requests fault f has had.
func (h *Handler) Hits(f Fault) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[f]
}

// ServeHTTP answers with the fault the path names.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Read the body first: only then does the server notice a client
	// that hangs up, and cancel r.Context().
	_, _ = io.Copy(io.Discard, r.Body)
	f := Fault(path.Base(r.URL.Path))
	h.mu.Lock()
	h.hits[f]++
	first429 := !h.answered[r.URL.String()]
	h.answered[r.URL.String()] = true
	h.mu.Unlock()

	switch f {
	case Token:
		writeJSON(w, http.StatusOK, `{"access_token":"`+AccessToken+`","token_type":"Bearer","expires_in":3600}`)
	case OK:
		writeJSON(w, http.StatusOK, `{"ok":true}`)
	case Status500JSON, Status503JSON:
		writeJSON(w, status(f), `{"error":"`+ErrorCode+`","error_description":"`+ErrorDescription+`"}`)
	case Status500HTML, Status503HTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status(f))
		fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n<body><h1>%s</h1><p>nginx</p></body></html>\n", status(f), HTMLTitle, HTMLTitle)
	case Hang:
		h.wait(r, -1)
	case NotJSON:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, LoginPage)
	case Empty:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
	case RetryAfterSeconds, RetryAfterDate, TooManyRequests:
		if f != TooManyRequests && !first429 {
			writeJSON(w, http.StatusOK, `{"ok":true,"after":"429"}`)
			return
		}
		after := queryInt(r, "after", 1)
		switch f {
		case RetryAfterSeconds:
			w.Header().Set("Retry-After", strconv.Itoa(after))
		case RetryAfterDate:
			// An HTTP date has whole seconds: the wait it asks for is
			// between after-1 and after seconds.
			w.Header().Set("Retry-After", h.now().Add(time.Duration(after)*time.Second).UTC().Format(http.TimeFormat))
		}
		writeJSON(w, http.StatusTooManyRequests, `{"error":"rate_limited","error_description":"slow down"}`)
	case CutOff:
		cutOff(w)
	case Slow:
		if h.wait(r, time.Duration(queryInt(r, "ms", int(SlowDefault/time.Millisecond)))*time.Millisecond) {
			writeJSON(w, http.StatusOK, `{"ok":true,"slow":true}`)
		}
	default:
		writeJSON(w, http.StatusNotFound, `{"error":"not_found","error_description":"no such fault"}`)
	}
}

// wait blocks for d (forever when d < 0) and reports whether it ran out,
// rather than the client giving up or the handler being released.
func (h *Handler) wait(r *http.Request, d time.Duration) bool {
	var timer <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return true
	case <-r.Context().Done():
	case <-h.release:
	}
	return false
}

// cutOff promises CutOffLength bytes, sends CutOffBody and hangs up.
func cutOff(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "cut-off needs HTTP/1.1", http.StatusHTTPVersionNotSupported)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	writeCut(buf)
}

func writeCut(buf *bufio.ReadWriter) {
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", CutOffLength, CutOffBody)
	_ = buf.Flush()
}

func status(f Fault) int {
	if f == Status503JSON || f == Status503HTML {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	io.WriteString(w, body)
}

func queryInt(r *http.Request, key string, def int) int {
	if n, err := strconv.Atoi(r.URL.Query().Get(key)); err == nil && n >= 0 {
		return n
	}
	return def
}
