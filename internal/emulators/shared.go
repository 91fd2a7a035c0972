package emulators

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// core is what every emulator shares: identity, credentials, clock, the
// tokens it issued and its counters. Its mutex guards tokens and stats (and
// whatever an emulator keeps next to them, such as maptable's rate window).
type core struct {
	name             string
	now              func() time.Time
	id, secret       string
	idVar, secretVar string // the ${VAR}s the config reads id and secret from
	ttl              time.Duration
	key              []byte // HMAC key for the JWTs this instance signs

	mu     sync.Mutex
	stats  Stats
	issued map[string]*issued
}

// issued is what the emulator remembers about a token it handed out. A
// token is valid only if it is in the map: the JWT form is for the client's
// benefit (claims view, exp), the map is the server's truth.
type issued struct {
	refresh bool // a refresh token, which no API accepts
	client  string
	scopes  []string
	expires time.Time
	spent   bool // refresh tokens: already exchanged once
}

// defaults are a vendor's credentials and token lifetime where Options
// leave them zero, and the environment variables its config reads the
// credentials from.
type defaults struct {
	id, secret       string
	ttl              time.Duration
	idVar, secretVar string
}

func newCore(name string, o Options, d defaults) *core {
	c := &core{name: name, now: o.Now, id: o.ClientID, secret: o.ClientSecret, ttl: o.TokenTTL,
		idVar: d.idVar, secretVar: d.secretVar, issued: map[string]*issued{}}
	if c.now == nil {
		c.now = time.Now
	}
	if c.id == "" {
		c.id = d.id
	}
	if c.secret == "" {
		c.secret = d.secret
	}
	if c.ttl == 0 {
		c.ttl = d.ttl
	}
	c.key = make([]byte, 32)
	_, _ = rand.Read(c.key) // crypto/rand.Read never fails (Go 1.24+)
	return c
}

func (c *core) Name() string { return c.name }

// Env maps the variables the config reads the credentials from to this
// instance's credentials.
func (c *core) Env() map[string]string {
	return map[string]string{c.idVar: c.id, c.secretVar: c.secret}
}

// Stats returns a deep copy, so callers may keep it while traffic goes on.
func (c *core) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.TokenFailed = maps.Clone(c.stats.TokenFailed)
	s.RefreshFailed = maps.Clone(c.stats.RefreshFailed)
	s.APIRejected = maps.Clone(c.stats.APIRejected)
	return s
}

// serve wraps an emulator's router so every request is counted first.
func (c *core) serve(route http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.stats.Requests++
		c.mu.Unlock()
		route(w, r)
	})
}

// count records one answered request of a kind; reason "" means success.
func (c *core) count(kind, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	bump := func(m *map[string]int) {
		if *m == nil {
			*m = map[string]int{}
		}
		(*m)[reason]++
	}
	if reason == ReasonRateLimited {
		c.stats.RateLimited++
	}
	switch {
	case kind == kindToken && reason == "":
		c.stats.TokenOK++
	case kind == kindToken:
		bump(&c.stats.TokenFailed)
	case kind == kindRefresh && reason == "":
		c.stats.RefreshOK++
	case kind == kindRefresh:
		bump(&c.stats.RefreshFailed)
	case kind == kindAPI && reason == "":
		c.stats.APIOK++
	case kind == kindAPI:
		bump(&c.stats.APIRejected)
	default:
		c.stats.Unrouted++
	}
}

const (
	kindToken    = "token"
	kindRefresh  = "refresh"
	kindAPI      = "api"
	kindUnrouted = "unrouted"
)

// remember stores a freshly issued token.
func (c *core) remember(tok string, it *issued) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.issued[tok] = it
}

// checkAccess judges an access token presented to the API at time now:
// reason is "" when it is valid, else why not. Expiry has no leeway: a
// token is dead from its expiry instant on, which is stricter than servers
// that allow clock skew, so a client that passes here passes there.
func (c *core) checkAccess(tok string, now time.Time) (issued, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.issued[tok]
	switch {
	case !ok || it.refresh:
		return issued{}, ReasonUnknownToken
	case !now.Before(it.expires):
		return *it, ReasonExpiredToken
	}
	return *it, ""
}

// mintJWT signs claims as an HS256 JWT with this instance's random key.
// The tokens are well-formed and really signed, but nobody outside the
// emulator can verify them — as with the vendors, clients must treat them
// as opaque and may only decode the claims for display.
func (c *core) mintJWT(claims map[string]any) string {
	if _, ok := claims["jti"]; !ok {
		claims["jti"] = randomHex(16)
	}
	payload, _ := json.Marshal(claims) // maps of plain values always marshal
	// {"alg":"HS256","typ":"JWT"} encodes to "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
	// the prefix seeds 002 and 004 show.
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	body := head + "." + base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, c.key)
	mac.Write([]byte(body))
	return body + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// randomGUID is a version-4 UUID, the shape of Azure's trace and object IDs.
func randomGUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// writeJSON answers with v as JSON. HTML escaping is off so messages read
// as the vendors write them ("'" and "<" stay literal).
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// noStore marks a token response uncacheable, as RFC 6749 §5.1 requires.
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store, no-cache, max-age=0")
	w.Header().Set("Pragma", "no-cache")
}

// mediaType is the request's Content-Type without parameters, lower-cased.
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// maxBody caps what an emulator reads from a request body.
const maxBody = 1 << 20

// readBody reads the (capped) request body.
func readBody(r *http.Request) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, maxBody))
}

// bearerToken reads "Authorization: Bearer <token>". The scheme is matched
// case-insensitively, as RFC 7235 §2.1 says (and ASP.NET's JwtBearer does).
// reason says why there is no usable token.
func bearerToken(r *http.Request) (tok, reason string) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		return "", ReasonMissingToken
	}
	scheme, rest, _ := strings.Cut(h, " ")
	rest = strings.TrimSpace(rest)
	switch {
	case !strings.EqualFold(scheme, "Bearer"):
		return "", ReasonWrongScheme
	case rest == "":
		return "", ReasonMissingToken
	case len(rest) > 7 && strings.EqualFold(rest[:7], "Bearer "):
		return "", ReasonDoublePrefix
	}
	return rest, ""
}

// LogRequests wraps h to call logf once per request, after it is answered:
// emulator name, method, path, query and the Authorization scheme, status
// and duration. Secrets never reach the log: query values whose names
// suggest a secret (secret, token, key, password, signature) are masked, and
// of the Authorization header only the scheme is shown ("Bearer",
// "access_token", "Basic"), with a second "Bearer" kept when it is doubled,
// since that is a mistake worth seeing.
func LogRequests(name string, logf func(format string, args ...any), h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		target := r.URL.Path
		if q := redactQuery(r.URL.Query()); q != "" {
			target += "?" + q
		}
		auth := authScheme(r.Header.Get("Authorization"))
		if auth != "" {
			auth = " auth=" + auth
		}
		logf("%s %s %s%s -> %d (%s)", name, r.Method, target, auth, sw.status, time.Since(start).Round(time.Microsecond))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

func redactQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	parts := make([]string, 0, len(q))
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range q[k] {
			if secretName(k) {
				v = "***"
			}
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

func secretName(k string) bool {
	k = strings.ToLower(k)
	for _, s := range []string{"secret", "token", "key", "password", "sig"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

func authScheme(h string) string {
	f := strings.Fields(h)
	switch {
	case len(f) == 0:
		return ""
	case len(f) > 2 && strings.EqualFold(f[1], "Bearer"):
		return f[0] + " " + f[1]
	case len(f) == 1:
		return "(no scheme)"
	}
	return f[0]
}
