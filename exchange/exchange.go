// Package exchange is one HTTP exchange: the request as composed, the
// request as it went out (token included), the response, and the body made
// readable. It knows nothing about the terminal.
package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/internal/durfmt"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/doctor"
	"github.com/keyhole-sh/keyhole/providers/dpop"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// Field is one header line.
type Field struct {
	Name, Value string
}

// Request is a request as the person composed it.
type Request struct {
	Method string
	// Target is a path joined to the provider's base_url, or a full URL.
	Target string
	Header []Field
	Body   string
}

// ParseHeaders reads one "Key: Value" per line; blank lines and lines that
// start with # are skipped.
func ParseHeaders(text string) ([]Field, error) {
	var out []Field
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			// The line is not echoed: it may hold a credential typed
			// without its colon ("Authorization Bearer eyJ...").
			return nil, fmt.Errorf("header line %d: want \"Name: value\"", i+1)
		}
		out = append(out, Field{Name: name, Value: strings.TrimSpace(value)})
	}
	return out, nil
}

// Sent is the request exactly as it went out.
type Sent struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte
	// Injection says where the token went; Token is its value, so the
	// display can mask precisely that text.
	Injection providers.Injection
	Token     secret.String
	// Withheld is set when a token was held but not sent, because the URL
	// is outside the provider's base_url origin.
	Withheld bool
}

// Response is what came back.
type Response struct {
	Status     int
	StatusText string
	Proto      string
	Header     http.Header
	Body       []byte
	// Size is the number of body bytes received; Truncated is set when the
	// body was cut at the size limit.
	Size      int64
	Truncated bool
	// Duration runs from sending the request to the end of the body.
	Duration time.Duration
	// Timing splits the attempt into DNS, connect, TLS and first byte.
	Timing Timing
}

// Exchange is one request and its outcome.
type Exchange struct {
	Sent     Sent
	Response *Response
	Err      error
	// Token is the token the last attempt carried: a renewed one after a
	// 401, else the one given.
	Token *providers.Token
	// Notes say what Send did beyond sending: a retry, a wait, a withheld
	// token.
	Notes []string
}

// Options tune Send.
type Options struct {
	// MaxBody cuts bodies longer than this; 0 means the default.
	MaxBody int64
	// Now is the clock for Duration and Timing.Start and Total; nil means
	// time.Now.
	Now func() time.Time
	// TraceNow is the clock for the phases of Response.Timing (DNS,
	// connect, TLS, first byte). The transport reads it from its own
	// goroutines, so it must be safe for concurrent use, which a clock a
	// test steps by hand is not: that is why Now is not used. Nil means
	// time.Now.
	TraceNow func() time.Time
	// Timeout bounds each attempt; 0 means config.DefaultTimeout.
	Timeout time.Duration
	// ForceToken sends the token to a URL outside the provider's base_url
	// origin; without it such a request goes out with no token.
	ForceToken bool
	// Renew gets a fresh token after a 401 to a request that carried one;
	// the request is then sent once more. Nil: no retry.
	Renew func(context.Context) (*providers.Token, error)
	// Pace waits for the provider's rate limit before each attempt.
	Pace func(context.Context) error
	// Sleep waits out a 429's Retry-After; nil: a 429 is not retried.
	Sleep func(context.Context, time.Duration) error
}

// MaxRetryAfter is the longest Retry-After keyhole waits out by itself;
// a longer one is shown, not slept through.
const MaxRetryAfter = 60 * time.Second

// proofRefused reports whether a 401 blames the DPoP proof rather than
// the token (RFC 9449 §7.1, §9: invalid_dpop_proof, use_dpop_nonce, which
// the transport has already answered once): a new token would be refused
// the same way.
func proofRefused(h http.Header) bool {
	for _, c := range doctor.Challenges(h) {
		switch c.ErrorCode() {
		case doctor.CodeDPoPProof, doctor.CodeDPoPNonce:
			return true
		}
	}
	return false
}

// Send builds the request for provider p, attaches tok, sends it with
// client, and reads the response. A 401 to a request that carried a token
// is retried once with a renewed token, and a 429 once after its
// Retry-After; Notes say so. Errors carry no secret.
func Send(ctx context.Context, client *http.Client, p *config.Provider, tok *providers.Token, r Request, opts Options) *Exchange {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	ex := &Exchange{Token: tok}
	r = r.WithVars(p.Vars)
	renewed, waited := false, false
	for {
		if opts.Pace != nil {
			if err := opts.Pace(ctx); err != nil {
				ex.Err = err
				return ex
			}
		}
		attempt(ctx, client, p, ex.Token, r, opts, now, ex)
		resp := ex.Response
		switch {
		case resp == nil || ex.Err != nil:
			return ex
		case resp.Status == http.StatusUnauthorized && proofRefused(resp.Header):
			ex.Notes = append(ex.Notes, "401 refusing the DPoP proof, not the token: not sent again with a new token (! says why)")
			return ex
		case resp.Status == http.StatusUnauthorized && !ex.Sent.Token.IsZero() && opts.Renew != nil && !renewed:
			renewed = true
			fresh, err := opts.Renew(ctx)
			if err != nil || fresh == nil || fresh.Access.Equal(ex.Token.Access) {
				return ex
			}
			ex.Token = fresh
			ex.Notes = append(ex.Notes, "401 with the token held: got a new token and sent the request again")
		case resp.Status == http.StatusTooManyRequests && opts.Sleep != nil && !waited:
			wait, ok := RetryAfter(resp.Header.Get("Retry-After"), now())
			if !ok {
				ex.Notes = append(ex.Notes, "429 Too Many Requests without Retry-After: not retried")
				return ex
			}
			if wait > MaxRetryAfter {
				ex.Notes = append(ex.Notes, fmt.Sprintf("429 Too Many Requests: the server asks to wait %s, longer than keyhole waits by itself", durfmt.Words(wait)))
				return ex
			}
			waited = true
			ex.Notes = append(ex.Notes, fmt.Sprintf("429 Too Many Requests: waited %s as Retry-After asked, then sent again", durfmt.Words(wait)))
			if err := opts.Sleep(ctx, wait); err != nil {
				ex.Err = err
				return ex
			}
		default:
			return ex
		}
	}
}

// attempt sends r once, filling ex.Sent, ex.Response, ex.Err. Making the
// body readable is document.Build's job, in the caller's command.
func attempt(ctx context.Context, client *http.Client, p *config.Provider, tok *providers.Token, r Request, opts Options, now func() time.Time, ex *Exchange) {
	ex.Sent, ex.Response, ex.Err = Sent{}, nil, nil
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = config.DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tr := newTracer(opts.TraceNow)
	ctx = httptrace.WithClientTrace(ctx, tr.hooks())
	// The DPoP proof is made by the client's transport, after the request
	// below is built: recorded here so that Sent shows the header as it
	// went (masked like any credential unless revealed).
	var proof secret.String
	ctx = dpop.RecordProofs(ctx, func(p secret.String) { proof = p })
	maxBody := opts.MaxBody
	if maxBody <= 0 {
		maxBody = config.DefaultMaxBody
	}
	u, err := ResolveURL(p.BaseURL, r.Target)
	if err != nil {
		ex.Err = err
		return
	}
	method := strings.ToUpper(strings.TrimSpace(r.Method))
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), strings.NewReader(r.Body))
	if err != nil {
		ex.Err = fmt.Errorf("build request: %w", err)
		return
	}
	for _, f := range r.Header {
		req.Header.Add(f.Name, f.Value)
	}
	if r.Body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", SniffContentType(r.Body))
	}
	if tok != nil {
		in, err := providers.Apply(p, req, tok, opts.ForceToken)
		switch {
		case errors.Is(err, providers.ErrForeignOrigin):
			ex.Sent.Withheld = true
		case err != nil:
			ex.Err = err
			return
		default:
			ex.Sent.Injection, ex.Sent.Token = in, providers.Sent(p, tok)
		}
	}
	ex.Sent.Method, ex.Sent.URL, ex.Sent.Header, ex.Sent.Body = method, req.URL, req.Header.Clone(), []byte(r.Body)

	start := now()
	tr.begin()
	resp, err := client.Do(req)
	if !proof.IsZero() {
		// Spelt as RFC 9449 writes it, not canonicalized to "Dpop": the
		// name people look for in the request as sent.
		ex.Sent.Header[dpop.Header] = []string{proof.Reveal()}
	}
	if err != nil {
		ex.Err = sendError(p.Name, err, ex.Sent)
		return
	}
	defer resp.Body.Close()
	body, truncated, err := readCapped(resp.Body, maxBody, resp.ContentLength)
	took := now().Sub(start)
	ex.Response = &Response{
		Status:     resp.StatusCode,
		StatusText: http.StatusText(resp.StatusCode),
		Proto:      resp.Proto,
		Header:     resp.Header,
		Body:       body,
		Size:       int64(len(body)),
		Truncated:  truncated,
		Duration:   took,
		Timing:     tr.timing(start, took),
	}
	if err != nil {
		ex.Err = sendError(p.Name, fmt.Errorf("body cut off after %d bytes: %w", len(body), err), ex.Sent)
	}
}

// RetryAfter reads a Retry-After header (RFC 9110 §10.2.3): seconds, or
// an HTTP date.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// StatusHint says what to do about an answer that is the server's
// trouble, not the request's: a 5xx, or a 429 that was not waited out. It
// is "" for anything else (401 and 403 get their own, naming the
// provider). The command line and the response pane both show it:
// without it, these answers had no hint (found by internal/faults).
func StatusHint(r *Response) string {
	switch {
	case r == nil:
		return ""
	case r.Status == http.StatusTooManyRequests && r.Header.Get("Retry-After") != "":
		return "rate limited: try again after the wait the server asks for (Retry-After: " + r.Header.Get("Retry-After") + ")"
	case r.Status == http.StatusTooManyRequests:
		return "rate limited: wait a little before calling again; rate_limit in the provider's config paces keyhole's calls"
	case r.Status >= 500:
		return "the server failed on its side: try again later; the body may say why"
	}
	return ""
}

// sendError strips the URL (whose query may hold a token) from Go's error
// and returns a *providers.NetworkError, so callers get the hint
// (providers.Hint), errors.Is(context.DeadlineExceeded) and exit code 3
// as for a failed token request. Its text is redacted; the cause it wraps
// no longer holds the URL.
func sendError(provider string, err error, s Sent) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var red secret.Redactor
	red.Add(s.Token)
	// DisplayURL masks the token parameter, credential parameters and a
	// userinfo password, and keeps the rest of the query as it was sent.
	where := s.Method + " " + s.DisplayURL(false)
	return providers.NewNetworkError(provider, "request", fmt.Errorf("%s: %w", where, err), red.Redact)
}

// readCapped reads at most limit bytes of r, and whether there was more.
// A known length sizes the buffer once, with one byte to spare for
// reading the end: growing it by doubling would copy a 50 MB body about
// six times and leave spare capacity in the resident set. (bytes.Buffer
// doubled it anyway when less than 512 bytes were free before the end,
// as the allocator's rounding often left: twice max_body for a body at
// max_body.)
func readCapped(r io.Reader, limit, length int64) ([]byte, bool, error) {
	size := int64(512)
	if length > 0 {
		size = min(length, limit) + 1
	}
	buf := make([]byte, 0, size)
	lr := io.LimitReader(r, limit+1)
	var err error
	for int64(len(buf)) <= limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // no length, or a wrong one: grow as append does
		}
		var n int
		n, err = lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	if int64(len(buf)) > limit {
		return buf[:limit], true, err
	}
	return buf, false, err
}

// SniffContentType is the Content-Type for a body sent without one, as
// curl picks it for -d: JSON for an object or array that parses, else a
// form.
func SniffContentType(body string) string {
	t := strings.TrimSpace(body)
	if (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) && json.Valid([]byte(t)) {
		return "application/json"
	}
	return "application/x-www-form-urlencoded"
}
