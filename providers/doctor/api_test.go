package doctor_test

// The doctor's tests run real HTTP exchanges: apiServer is an API on
// 127.0.0.1 that enforces one rule per field, the request is built the
// way keyhole builds it (Provider.Apply), and the Evidence is read off the
// real request and response.

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/doctor"
	"github.com/keyhole-sh/keyhole/providers/jwt"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// clockNow is keyhole's clock in these tests, far from the real time so a
// check that reads the wall clock by mistake shows up.
var clockNow = time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)

// apiServer is a resource server. Its zero value (with token set) accepts
// only "Authorization: Bearer <token>" and answers as RFC 6750 §3.1 says:
// a bare challenge when no credentials it understands came, invalid_token
// for a token it refuses, insufficient_scope for a missing scope.
type apiServer struct {
	token   string        // the one token it knows, as it travels after "Bearer "
	skew    time.Duration // the server's clock minus keyhole's
	query   string        // take the token from this query parameter only (sys303)
	expires time.Time     // the token's expiry, judged on the server's clock
	aud     string        // the audience the API accepts, read from the JWT
	needs   string        // the scope the route needs
	scopes  []string      // the scopes the token carries
	plain   bool          // a missing scope is a bare 403 with a JSON body, no challenge
	refuse  int           // when set, refuse every request with this status and nothing else
}

func (a apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := clockNow.Add(a.skew)
	// net/http keeps a Date the handler set: the server's clock is ours.
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	if a.refuse != 0 {
		w.WriteHeader(a.refuse)
		return
	}
	if a.query != "" {
		switch r.URL.Query().Get(a.query) {
		case "":
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error_code": 110, "error_msg": "access_token URL query parameter is required"})
		case a.token:
			writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		default:
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error_code": 111, "error_msg": "Access token invalid"})
		}
		return
	}
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	claims, _ := jwt.Parse(cred)
	switch {
	case !strings.EqualFold(scheme, "Bearer"):
		writeChallenge(w, http.StatusUnauthorized, `Bearer realm="api"`)
	case r.URL.Query().Has("access_token"):
		writeChallenge(w, http.StatusUnauthorized, `Bearer realm="api", error="invalid_request", error_description="the token came by more than one method"`)
	case cred != a.token:
		// Echoes what it got, as careless servers do: the doctor must
		// still never show it.
		writeChallenge(w, http.StatusUnauthorized, fmt.Sprintf(`Bearer realm="api", error="invalid_token", error_description="unknown token %s"`, cred))
	case !a.expires.IsZero() && !now.Before(a.expires),
		claims != nil && !claims.Expiry.IsZero() && !now.Before(claims.Expiry):
		writeChallenge(w, http.StatusUnauthorized, `Bearer realm="api", error="invalid_token", error_description="The access token expired"`)
	case a.aud != "" && (claims == nil || !slices.Contains(claims.Audience, a.aud)):
		writeChallenge(w, http.StatusUnauthorized, `Bearer realm="api", error="invalid_token", error_description="The audience of the token is not this API"`)
	case a.needs != "" && !slices.Contains(a.scopes, a.needs) && a.plain:
		writeJSON(w, http.StatusForbidden, map[string]any{"error": "forbidden"})
	case a.needs != "" && !slices.Contains(a.scopes, a.needs):
		writeChallenge(w, http.StatusForbidden, fmt.Sprintf(`Bearer realm="api", error="insufficient_scope", scope=%q`, a.needs))
	default:
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	}
}

func writeChallenge(w http.ResponseWriter, status int, challenge string) {
	w.Header().Set("WWW-Authenticate", challenge)
	w.WriteHeader(status)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serve starts h on 127.0.0.1 for the test's lifetime.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// evidenceOf sends GET target the way keyhole does: the request's own
// headers first, then Provider.Apply puts tok where the config says (or
// withholds it from another origin). The Evidence comes from the request
// as it went out and the response as it came back.
func evidenceOf(t *testing.T, p *config.Provider, tok *providers.Token, target string, header http.Header) doctor.Evidence {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, values := range header {
		req.Header[name] = values
	}
	withheld := false
	if tok != nil {
		_, err := providers.Apply(p, req, tok, false)
		switch {
		case errors.Is(err, providers.ErrForeignOrigin):
			withheld = true
		case err != nil:
			t.Fatal(err)
		}
	}
	resp, body := exchangetest.Do(t, req)
	return doctor.Evidence{
		Provider: p, Token: tok,
		Method: req.Method, URL: req.URL, Header: req.Header.Clone(), Withheld: withheld,
		Status: resp.StatusCode, ResponseHeader: resp.Header, Body: body,
		Now: clockNow,
	}
}

// newToken is a token as a grant leaves it: valid for 30 more minutes by
// expires_in, scopes as the server listed them.
func newToken(access, tokenType string, scopes ...string) *providers.Token {
	return &providers.Token{
		Access: secret.New(access), Type: tokenType,
		Obtained: clockNow.Add(-time.Minute), Expiry: clockNow.Add(30 * time.Minute), ExpirySource: providers.ExpiryIn,
		Scopes: scopes, ScopesFromServer: len(scopes) > 0, Source: providers.SourceFetched,
	}
}

// makeJWT builds an unsigned JWT (keyhole never verifies one).
func makeJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString([]byte("unsigned"))
}

// checkNoSecret fails when any finding shows one of the secrets.
func checkNoSecret(t *testing.T, fs []doctor.Finding, secrets ...string) {
	t.Helper()
	for _, f := range fs {
		for _, s := range secrets {
			if s == "" {
				continue
			}
			for _, text := range []string{f.Cause, f.Fix, f.String(), fmt.Sprintf("%+v", f)} {
				if strings.Contains(text, s) {
					t.Errorf("finding %s shows a secret: %q", f.Code, text)
				}
			}
		}
	}
}

func codes(fs []doctor.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Code
	}
	return out
}
