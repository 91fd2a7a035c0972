package demo

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Stats counts the requests a Server has seen, so that tests (and people)
// can check how many calls a client really made.
type Stats struct {
	// Endpoints counts requests per route, keyed by the route's path
	// ("/oauth2/token", "/api/items", "/api/status/{code}").
	Endpoints map[string]int `json:"endpoints"`
	// Grants counts token-endpoint requests per grant_type, whether or not
	// they succeeded; every poll of the device grant counts. The device
	// grant's URN counts as "device_code" and token exchange's as
	// "token_exchange", the names keyhole's config uses;
	// an unknown or missing grant_type counts as "other".
	Grants map[string]int `json:"grants"`
}

// grantKey bounds the Grants keys, so a client cannot grow the map.
func grantKey(grantType string) string {
	switch grantType {
	case "authorization_code", "client_credentials", "refresh_token", "password",
		"urn:ietf:params:oauth:grant-type:jwt-bearer":
		return grantType
	case deviceGrantType:
		return "device_code"
	case "urn:ietf:params:oauth:grant-type:token-exchange":
		return "token_exchange"
	}
	return "other"
}

type stats struct {
	mu        sync.Mutex
	endpoints map[string]int
	grants    map[string]int
}

func newStats() *stats {
	return &stats{endpoints: map[string]int{}, grants: map[string]int{}}
}

func (st *stats) endpoint(route string) {
	st.mu.Lock()
	st.endpoints[route]++
	st.mu.Unlock()
}

func (st *stats) grant(grantType string) {
	st.mu.Lock()
	st.grants[grantKey(grantType)]++
	st.mu.Unlock()
}

func (st *stats) snapshot() Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	return Stats{Endpoints: maps.Clone(st.endpoints), Grants: maps.Clone(st.grants)}
}

// observe wraps every request: it writes the log line once the handler is
// done.
func (s *Server) observe(next http.Handler) http.Handler {
	if s.log == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK // the handler wrote nothing
		}
		s.log.printf("%s %s %s %d %s\n", start.Format("15:04:05"), r.Method, logPath(r.URL),
			rec.status, time.Since(start).Round(10*time.Microsecond))
	})
}

// statusRecorder remembers the status code. Unwrap lets
// http.ResponseController reach the real writer's Flush.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (rec *statusRecorder) WriteHeader(code int) {
	if rec.status == 0 && code >= 200 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *statusRecorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.ResponseWriter.Write(p)
}

func (rec *statusRecorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// loggedParam reports whether a query parameter's value may be shown in
// the log. Every other value (access_token, code, client_secret, anything
// unknown) is masked, so the log can be shared.
func loggedParam(name string) bool {
	switch name {
	case "page", "per_page", "mb", "ms",
		"response_type", "response_mode", "client_id", "scope", "redirect_uri",
		"prompt", "code_challenge_method":
		return true
	}
	return false
}

// logPath is the escaped path plus the query with values masked unless
// they are known to be harmless. Escaping keeps a crafted URL from forging
// log lines.
func logPath(u *url.URL) string {
	p := u.EscapedPath()
	q := u.Query()
	if len(q) == 0 {
		return p
	}
	var b strings.Builder
	b.WriteString(p)
	for i, name := range slices.Sorted(maps.Keys(q)) {
		for j, v := range q[name] {
			if i == 0 && j == 0 {
				b.WriteByte('?')
			} else {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(name))
			b.WriteByte('=')
			if loggedParam(name) {
				b.WriteString(url.QueryEscape(v))
			} else {
				b.WriteString("***")
			}
		}
	}
	return b.String()
}

// lineLogger serializes writes: an io.Writer need not be safe for
// concurrent use.
type lineLogger struct {
	mu sync.Mutex
	w  io.Writer
}

func newLineLogger(w io.Writer) *lineLogger {
	if w == nil {
		return nil
	}
	return &lineLogger{w: w}
}

func (l *lineLogger) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}
