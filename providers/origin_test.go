package providers_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// TestClientsNeverFollowRedirects: whichever way a client is made, with
// TLS settings or without, a token request's 307 and an API's 307 to
// another origin are answers, not followed.
func TestClientsNeverFollowRedirects(t *testing.T) {
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { stolen.Add(1) }))
	t.Cleanup(thief.Close)
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(hostile.Close)
	for _, extra := range []string{"", "insecure = true"} {
		p := tlsProvider(t, hostile.URL, extra+"\ninject = { header = \"X-Api-Key\", prefix = \"\" }")
		client, err := providers.HTTPClient(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(client.CloseIdleConnections)
		// The session: the token request's 307 is a failed answer.
		s, err := providers.NewSession(p, providers.SessionOptions{Client: client})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Token(context.Background()); err == nil {
			t.Errorf("%q: a 307 from the token endpoint gave a token", extra)
		}
		// The API call: the 307 is shown.
		tok := &providers.Token{Access: providersSecret("api-token-1"), Type: "bearer"}
		ex := exchange.Send(context.Background(), client, p, tok, exchange.Request{Method: "POST", Target: "/things", Body: `{"a":1}`}, exchange.Options{})
		if ex.Err != nil || ex.Response == nil || ex.Response.Status != http.StatusTemporaryRedirect {
			t.Errorf("%q: want the 307, got %v %+v", extra, ex.Err, ex.Response)
		}
		// And a client made for no provider at all.
		resp, err := providers.NewClient(nil).Get(hostile.URL + "/x")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if n := stolen.Load(); n != 0 {
		t.Fatalf("the other origin got %d requests", n)
	}
}

// tokenServer is a token endpoint that answers with body, and an API on
// the same server that records the Authorization header it got.
type tokenServer struct {
	*httptest.Server
	mu   sync.Mutex
	auth []string
}

func newTokenServer(t *testing.T, body string) *tokenServer {
	t.Helper()
	ts := &tokenServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, body)
			return
		}
		ts.mu.Lock()
		ts.auth = append(ts.auth, r.Header.Get("Authorization"))
		ts.mu.Unlock()
	}))
	t.Cleanup(ts.Close)
	return ts
}

// TestTokenTypeNeverDoublesAScheme drives the session and the send path
// against token endpoints that write the scheme twice, or into the token.
func TestTokenTypeNeverDoublesAScheme(t *testing.T) {
	for _, c := range []struct {
		name, body, want, warn string
	}{
		{"token_type Bearer Bearer", `{"access_token":"abc123","token_type":"Bearer Bearer"}`, "Bearer abc123", ""},
		{"token carries Bearer", `{"access_token":"Bearer abc123","token_type":"bearer"}`, "Bearer abc123", ""},
		{"token carries bearer, type Bearer Bearer", `{"access_token":"bearer abc123","token_type":"Bearer Bearer"}`, "bearer abc123", ""},
		{"token carries Bearer, type mac", `{"access_token":"Bearer abc123","token_type":"mac"}`, "Bearer abc123", `"mac"`},
		{"mac", `{"access_token":"abc123","token_type":"mac"}`, "mac abc123", `"mac"`},
		{"pop", `{"access_token":"abc123","token_type":"pop"}`, "pop abc123", `"pop"`},
		{"DPoP", `{"access_token":"abc123","token_type":"DPoP"}`, "DPoP abc123", `"DPoP"`},
		{"DPoP DPoP", `{"access_token":"abc123","token_type":"DPoP DPoP"}`, "DPoP abc123", `"DPoP"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := newTokenServer(t, c.body)
			p := tlsProvider(t, ts.URL, "")
			s := newSession(t, p, nil, 0)
			tok, err := s.Token(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			ex := exchange.Send(context.Background(), newClient(t), p, tok, exchange.Request{Method: "GET", Target: "/me"}, exchange.Options{})
			if ex.Err != nil {
				t.Fatal(ex.Err)
			}
			ts.mu.Lock()
			got := ts.auth
			ts.mu.Unlock()
			if len(got) != 1 || got[0] != c.want {
				t.Errorf("Authorization %q, want %q", got, c.want)
			}
			warn := providers.TokenTypeWarning(tok.Type)
			switch {
			case c.warn == "" && warn != "":
				t.Errorf("a bearer token warns: %s", warn)
			case c.warn != "" && (!strings.Contains(warn, c.warn) || !strings.Contains(warn, "proof or signature")):
				t.Errorf("warning %q, want one naming %s and the missing proof", warn, c.warn)
			}
		})
	}
}

// redirectTo is a transport that sends every connection to addr, whatever
// the host asked for: a non-loopback name reached without the network.
func redirectTo(t *testing.T, addr string) *http.Client {
	t.Helper()
	var d net.Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func TestClearEndpointsFromTheConfig(t *testing.T) {
	for _, c := range []struct {
		extra string
		want  []string
	}{
		{`token_url = "http://auth.example.test/token"`, []string{"token_url"}},
		{`token_url = "http://127.0.0.1:9/token"`, nil},
		{`token_url = "http://127.9.9.9:9/token"`, nil},
		{`token_url = "http://[::1]:9/token"`, nil},
		{`token_url = "http://LOCALHOST:9/token"`, nil},
		{`token_url = "https://auth.example.test/token"`, nil},
		{`token_url = "http://10.0.0.1/token"` + "\n" + `revoke_url = "http://auth.example.test/revoke"` + "\n" + `issuer = "http://auth.example.test"`, []string{"issuer", "token_url", "revoke_url"}},
	} {
		p := resolvedProvider(t, "[providers.x]\nbase_url = \"https://api.example.test\"\ngrant = \"client_credentials\"\nclient_id = \"id\"\nclient_secret = \"s\"\n"+c.extra+"\n", "x")
		got := p.ClearEndpoints()
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: ClearEndpoints = %q, want %q", c.extra, got, c.want)
		}
		if len(c.want) > 0 && !strings.Contains(config.ClearWarning(got), "plain http") {
			t.Errorf("%s: warning %q", c.extra, config.ClearWarning(got))
		}
	}
}

// TestDiscoveryNotes runs discovery against an issuer on a non-loopback
// name, reached through a dialer that goes to a server on 127.0.0.1.
func TestDiscoveryNotes(t *testing.T) {
	var tokenRequests atomic.Int32
	var doc map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(doc)
		case "/token":
			tokenRequests.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"t","token_type":"Bearer","expires_in":3600}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	for _, c := range []struct {
		name, issuer, tokenURL string
		inClear                []string
		foreign                string
	}{
		{"plain http, same origin", "http://idp.example.test", "http://idp.example.test/token", []string{"token_endpoint from discovery"}, ""},
		{"https, another origin", "https://accounts.example.test", "https://oauth2.example.test/token", nil, "https://oauth2.example.test"},
		{"plain http, another origin", "https://idp.example.test", "http://tokens.example.test:8080/token", []string{"token_endpoint from discovery"}, "http://tokens.example.test:8080"},
		{"https, same origin, default port", "https://idp.example.test", "https://idp.example.test:443/token", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc = map[string]any{"issuer": c.issuer, "token_endpoint": c.tokenURL}
			p := resolvedProvider(t, fmt.Sprintf("[providers.x]\nbase_url = \"https://api.example.test\"\ngrant = \"client_credentials\"\nclient_id = \"id\"\nclient_secret = \"s\"\nissuer = %q\n", c.issuer), "x")
			if got := p.ClearEndpoints(); len(got) > 0 && !strings.HasPrefix(c.issuer, "http:") {
				t.Fatalf("config endpoints %q", got)
			}
			client := redirectTo(t, srv.Listener.Addr().String())
			if strings.HasPrefix(c.issuer, "https:") || strings.HasPrefix(c.tokenURL, "https:") {
				// TLS to a plain server fails: only discovery's plain
				// answer is needed, so serve it over the plain dialer.
				client.Transport.(*http.Transport).DialTLSContext = client.Transport.(*http.Transport).DialContext
			}
			s, err := providers.NewSession(p, providers.SessionOptions{Client: client})
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Discovered(); got.InClear != nil || got.ForeignToken != "" {
				t.Fatalf("notes before discovery: %+v", got)
			}
			_, _ = s.Token(context.Background())
			n := s.Discovered()
			if strings.Join(n.InClear, ",") != strings.Join(c.inClear, ",") {
				t.Errorf("InClear = %q, want %q", n.InClear, c.inClear)
			}
			if n.ForeignToken != c.foreign {
				t.Errorf("ForeignToken = %q, want %q", n.ForeignToken, c.foreign)
			}
			if c.foreign != "" && !strings.Contains(n.ForeignTokenNote(), c.foreign) {
				t.Errorf("note %q", n.ForeignTokenNote())
			}
		})
	}
}

// TestAuthParamsCannotSubvertTheSignIn: the config refuses them, naming
// the file, the line and the key.
func TestAuthParamsCannotSubvertTheSignIn(t *testing.T) {
	const head = "[providers.x]\nbase_url = \"https://api.example.test\"\ngrant = \"authorization_code\"\nissuer = \"https://idp.example.test\"\nclient_id = \"id\"\n"
	for _, key := range []string{"redirect_uri", "state", "response_type", "code_challenge_method", "code_challenge", "client_id", "Redirect_URI"} {
		for form, text := range map[string]string{
			"inline": head + "auth_params = { prompt = \"consent\", " + key + " = \"evil\" }\n",
			"table":  head + "\n[providers.x.auth_params]\nprompt = \"consent\"\n" + key + " = \"evil\"\n",
		} {
			_, err := config.Parse("auth.toml", []byte(text))
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Errorf("%s %s: %v, want a ConfigError", form, key, err)
				continue
			}
			wantLine := 6
			if form == "table" {
				wantLine = 9
			}
			if ce.Line != wantLine || ce.Key != "providers.x.auth_params."+key || !strings.HasPrefix(err.Error(), fmt.Sprintf("auth.toml:%d: providers.x.auth_params.%s: ", wantLine, key)) {
				t.Errorf("%s %s: %v (line %d, key %s)", form, key, err, ce.Line, ce.Key)
			}
		}
	}
	if _, err := config.Parse("auth.toml", []byte(head+"auth_params = { prompt = \"consent\", scope = \"openid\", nonce = \"n\" }\n")); err != nil {
		t.Errorf("harmless auth_params refused: %v", err)
	}
}

// TestAuthorizeNeedsItsEndpoints: an issuer whose discovery document has
// no endpoint for the grant's first step gets an error that names the key
// to set, before any browser opens.
func TestAuthorizeNeedsItsEndpoints(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": "http://" + r.Host, "token_endpoint": "http://" + r.Host + "/token"})
	}))
	t.Cleanup(srv.Close)
	for _, c := range []struct{ grant, want string }{
		{"authorization_code", "x: authorization_code needs auth_url and token_url (or an issuer to discover them)"},
		{"device_code", "x: device_code needs device_url and token_url (or an issuer to discover them)"},
	} {
		t.Run(c.grant, func(t *testing.T) {
			p := resolvedProvider(t, fmt.Sprintf("[providers.x]\nbase_url = %q\ngrant = %q\nissuer = %q\nclient_id = \"id\"\n", srv.URL, c.grant, srv.URL), "x")
			s := newSession(t, p, nil, 0)
			opened := func(string) error { t.Error("a browser was opened"); return nil }
			if _, err := s.Authorize(t.Context(), providers.AuthorizeOptions{Open: opened}); err == nil || err.Error() != c.want {
				t.Errorf("Authorize = %v, want %q", err, c.want)
			}
		})
	}
}

// hostileAuthServer is an authorization server whose metadata promises
// iss in every redirect (RFC 9207), and whose authorization endpoint
// answers, like a mix-up attacker's, without it.
type hostileAuthServer struct {
	*httptest.Server
	sendIss       bool
	mu            sync.Mutex
	authorizeSeen url.Values
	tokenRequests int
}

func newHostileAuthServer(t *testing.T) *hostileAuthServer {
	t.Helper()
	h := &hostileAuthServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]any{
				"issuer": h.URL, "authorization_endpoint": h.URL + "/authorize", "token_endpoint": h.URL + "/token",
				"authorization_response_iss_parameter_supported": true,
			})
		case "/authorize":
			q := r.URL.Query()
			h.mu.Lock()
			h.authorizeSeen = q
			h.mu.Unlock()
			back := url.Values{"code": {"the-code"}, "state": {q.Get("state")}}
			if h.sendIss {
				back.Set("iss", h.URL)
			}
			http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusFound)
		case "/token":
			h.mu.Lock()
			h.tokenRequests++
			h.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"signed-in","token_type":"Bearer","expires_in":3600}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// provider is an authorization_code provider that signs in at h.
func (h *hostileAuthServer) provider(t *testing.T) *config.Provider {
	t.Helper()
	return resolvedProvider(t, fmt.Sprintf("[providers.x]\nbase_url = %q\ngrant = \"authorization_code\"\nissuer = %q\nclient_id = \"id\"\n", h.URL, h.URL), "x")
}

// signInThrough plays the browser: it follows the authorization URL to
// the server and brings its redirect to keyhole's loopback listener.
func signInThrough(t *testing.T, s *providers.Session) (*providers.Token, error) {
	t.Helper()
	p, back := openSignIn(t, s)
	if back.Hostname() != "127.0.0.1" {
		p.Cancel()
		t.Fatalf("the browser was sent to %s, not to keyhole's loopback listener", back)
	}
	deliver(t, back)
	return p.Wait(context.Background())
}

func TestSignInRefusesARedirectWithoutThePromisedIss(t *testing.T) {
	h := newHostileAuthServer(t)
	s := newSession(t, h.provider(t), nil, 0)
	_, err := signInThrough(t, s)
	if te, ok := errors.AsType[*providers.TokenError](err); !ok || te.Code != "issuer_missing" || !strings.Contains(te.Description, "RFC 9207") {
		t.Fatalf("a redirect without iss gave %v, want an issuer_missing TokenError", err)
	}
	h.mu.Lock()
	n := h.tokenRequests
	h.mu.Unlock()
	if n != 0 {
		t.Fatalf("the code was exchanged %d times", n)
	}
	// The same server sending iss signs in: the check is the promise's.
	h.sendIss = true
	if _, err := signInThrough(t, s); err != nil {
		t.Fatalf("with iss: %v", err)
	}
}

// TestSignInKeepsItsOwnParameters: a provider whose auth_params were set
// without the config's check still cannot replace what keeps the sign-in
// safe.
func TestSignInKeepsItsOwnParameters(t *testing.T) {
	h := newHostileAuthServer(t)
	h.sendIss = true
	p := h.provider(t)
	p.AuthParams = map[string]string{"redirect_uri": "https://evil.example.test/cb", "state": "fixed", "response_type": "token",
		"code_challenge_method": "plain", "code_challenge": "known", "CLIENT_ID": "other", "prompt": "consent"}
	s := newSession(t, p, nil, 0)
	if _, err := signInThrough(t, s); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	q := h.authorizeSeen
	h.mu.Unlock()
	ru, _ := url.Parse(q.Get("redirect_uri"))
	if ru == nil || ru.Hostname() != "127.0.0.1" || q.Get("state") == "fixed" || q.Get("response_type") != "code" ||
		q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "known" || q.Get("client_id") != "id" || q.Has("CLIENT_ID") || q.Get("prompt") != "consent" {
		t.Errorf("the authorization request was %v", q)
	}
}

// TestWarningsQuoteServerText: a token type and a discovered host are the
// server's text, and the warnings go to a terminal.
func TestWarningsQuoteServerText(t *testing.T) {
	w := providers.TokenTypeWarning("mac\x1b]52;c;AAAA\x07\u009b2J")
	if strings.ContainsAny(w, "\x1b\x07\u009b") {
		t.Errorf("TokenTypeWarning wrote control bytes: %q", w)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"issuer":"http://idp.example.test","token_endpoint":"http://t\u009b2J\u202e.example.test/token"}`)
	}))
	t.Cleanup(srv.Close)
	p := resolvedProvider(t, "[providers.x]\nbase_url = \"https://api.example.test\"\ngrant = \"client_credentials\"\nclient_id = \"id\"\nclient_secret = \"s\"\nissuer = \"http://idp.example.test\"\n", "x")
	s, err := providers.NewSession(p, providers.SessionOptions{Client: redirectTo(t, srv.Listener.Addr().String())})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = s.Token(context.Background())
	note := s.Discovered().ForeignTokenNote()
	if note == "" || strings.ContainsAny(note, "\u009b\u202e") {
		t.Errorf("ForeignTokenNote = %q", note)
	}
}
