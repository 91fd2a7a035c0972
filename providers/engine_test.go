package providers

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

// recorder is a token endpoint that records what it was sent and answers
// with a fixed body: enough to check wire formats, which is all these tests
// look at. The grants' OAuth semantics are tested against the real demo
// server in session_test.go.
type recorder struct {
	mu     sync.Mutex
	reqs   []recorded
	status int
	body   string
}

type recorded struct {
	method, path, rawQuery, body, contentType, auth string
	header                                          http.Header
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{req.Method, req.URL.Path, req.URL.RawQuery, string(b), req.Header.Get("Content-Type"), req.Header.Get("Authorization"), req.Header.Clone()})
	status, body := r.status, r.body
	r.mu.Unlock()
	if status == 0 {
		status = 200
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func (r *recorder) last(t *testing.T) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	return r.reqs[len(r.reqs)-1]
}

var engineNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func newEngineSession(t *testing.T, p *config.Provider) *Session {
	t.Helper()
	if p.Name == "" {
		p.Name = "test"
	}
	s, err := NewSession(p, SessionOptions{Now: func() time.Time { return engineNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestClientAuthStylesOnTheWire(t *testing.T) {
	const id, sec = "my client", "s3c:r/t+"
	cases := []struct {
		auth  string
		check func(t *testing.T, r recorded)
	}{
		{"basic", func(t *testing.T, r recorded) {
			// RFC 6749 §2.3.1: form-encode, then base64.
			want := "Basic " + base64.StdEncoding.EncodeToString([]byte("my+client:s3c%3Ar%2Ft%2B"))
			if r.auth != want || strings.Contains(r.body, "client_secret") {
				t.Errorf("basic: auth %q body %q", r.auth, r.body)
			}
		}},
		{"basic_raw", func(t *testing.T, r recorded) {
			want := "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+sec))
			if r.auth != want {
				t.Errorf("basic_raw: auth %q, want %q", r.auth, want)
			}
		}},
		{"post", func(t *testing.T, r recorded) {
			if r.auth != "" || !strings.Contains(r.body, "client_secret=s3c%3Ar%2Ft%2B") || !strings.Contains(r.body, "client_id=my+client") {
				t.Errorf("post: auth %q body %q", r.auth, r.body)
			}
		}},
		{"query", func(t *testing.T, r recorded) {
			if r.body != "" || r.auth != "" {
				t.Errorf("query: body %q auth %q, want both empty", r.body, r.auth)
			}
			for _, want := range []string{"client_id=my+client", "client_secret=s3c%3Ar%2Ft%2B", "grant_type=client_credentials", "scope=a+b"} {
				if !strings.Contains(r.rawQuery, want) {
					t.Errorf("query: %q lacks %q", r.rawQuery, want)
				}
			}
		}},
		{"none", func(t *testing.T, r recorded) {
			if r.auth != "" || strings.Contains(r.body, "client_secret") || !strings.Contains(r.body, "client_id=") {
				t.Errorf("none: auth %q body %q", r.auth, r.body)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.auth, func(t *testing.T) {
			rec := &recorder{body: `{"access_token":"tok-123","token_type":"bearer","expires_in":60}`}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			p := &config.Provider{Grant: "client_credentials", TokenURL: srv.URL + "/token", ClientID: id, ClientSecret: secret.New(sec), ClientAuth: c.auth, Scopes: []string{"a", "b"},
				// A mapping forces the hand-written request for every style.
				TokenResponse: &config.TokenResponse{}}
			s := newEngineSession(t, p)
			tok, err := s.Fetch(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tok.Access.Reveal() != "tok-123" || !tok.Expiry.Equal(engineNow.Add(time.Minute)) || tok.Source != SourceFetched {
				t.Errorf("token %q expiry %v", tok.Access.Reveal(), tok.Expiry)
			}
			c.check(t, rec.last(t))
		})
	}
}

func TestMapResponse(t *testing.T) {
	redact := func(s string) string { return s }
	cases := []struct {
		name    string
		mapping *config.TokenResponse
		status  int
		body    string
		wantTok string
		wantErr string
		check   func(t *testing.T, tok *Token)
	}{
		{name: "standard", body: `{"access_token":"a","refresh_token":"r","expires_in":"120","token_type":"Bearer","scope":"x y"}`, wantTok: "a", check: func(t *testing.T, tok *Token) {
			if tok.Refresh.Reveal() != "r" || !tok.Expiry.Equal(engineNow.Add(2*time.Minute)) || !tok.ScopesFromServer || len(tok.Scopes) != 2 {
				t.Errorf("standard: %+v", tok)
			}
		}},
		{name: "sys303 absolute expires", mapping: &config.TokenResponse{ExpiresAt: "expires", Error: "error_msg"}, body: `{"access_token":"a","expires":1731514947}`, wantTok: "a", check: func(t *testing.T, tok *Token) {
			if tok.Expiry.Unix() != 1731514947 || tok.ExpirySource != ExpiryAt {
				t.Errorf("expires_at: %v %s", tok.Expiry, tok.ExpirySource)
			}
		}},
		{name: "sys303 error in body", mapping: &config.TokenResponse{ExpiresAt: "expires", Error: "error_msg"}, body: `{"error_code": 6, "error_msg": "No permission to access data", "details": null}`, wantErr: "No permission to access data"},
		{name: "expires_in absolute", body: `{"access_token":"a","expires_in":1752371364}`, wantTok: "a", check: func(t *testing.T, tok *Token) {
			if tok.Expiry.Unix() != 1752371364 || tok.ExpirySource != ExpiryInAbsolute {
				t.Errorf("absolute expires_in: %v %s", tok.Expiry, tok.ExpirySource)
			}
		}},
		{name: "maptable ok", mapping: &config.TokenResponse{AccessToken: "detail.token", RefreshToken: "detail.refreshToken", OK: "code == 0", Error: "message"},
			body: `{"code":0,"detail":{"token":"Bearer eyJ","refreshToken":"Bearer r"},"message":"OK"}`, wantTok: "Bearer eyJ", check: func(t *testing.T, tok *Token) {
				if tok.Refresh.Reveal() != "Bearer r" || !tok.Expiry.IsZero() {
					t.Errorf("maptable: refresh %q expiry %v", tok.Refresh.Reveal(), tok.Expiry)
				}
			}},
		{name: "maptable refused in a 200", mapping: &config.TokenResponse{AccessToken: "detail.token", OK: "code == 0", Error: "message"},
			body: `{"code":10001,"detail":null,"message":"appSecret 错误"}`, wantErr: "appSecret 错误"},
		{name: "ok with != and a quoted string", mapping: &config.TokenResponse{OK: `status != "fail"`}, body: `{"status":"fail","access_token":"a"}`, wantErr: "token_response.ok"},
		{name: "html page", body: `<html>login</html>`, wantErr: "the answer is not JSON"},
		{name: "json without a token", body: `{"hello":"world"}`, wantErr: "no access_token in the answer"},
		{name: "standard error in a 200", body: `{"error":"invalid_client","error_description":"bad"}`, wantErr: "invalid_client: bad"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &config.Provider{Name: "v", TokenResponse: c.mapping}
			tok, err := mapResponse(p, 200, []byte(c.body), engineNow, redact)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, c.wantErr)
				}
				if _, ok := err.(*TokenError); !ok {
					t.Errorf("err is %T, want *TokenError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tok.Access.Reveal() != c.wantTok {
				t.Errorf("access %q, want %q", tok.Access.Reveal(), c.wantTok)
			}
			if c.check != nil {
				c.check(t, tok)
			}
		})
	}
}

func TestCustomLoginAndRefreshAreTemplated(t *testing.T) {
	var mu sync.Mutex
	var seen []map[string]any
	var hdrs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		seen = append(seen, body)
		hdrs = append(hdrs, r.URL.Path+"|"+r.Header.Get("Authorization")+"|"+r.Header.Get("Content-Type"))
		n := len(seen)
		mu.Unlock()
		tok := "Bearer t1"
		if n > 1 {
			tok = "Bearer t2"
		}
		io.WriteString(w, `{"code":0,"detail":{"token":"`+tok+`","refreshToken":"Bearer r`+string(rune('0'+n))+`"},"message":"OK"}`)
	}))
	defer srv.Close()
	p := &config.Provider{
		Name: "maptable", Grant: "custom", BaseURL: srv.URL,
		Login:         &config.CustomRequest{Method: "POST", URL: srv.URL + "/auth/", JSON: map[string]any{"appId": "{{app}}", "appSecret": "sec-{{ app }}", "nested": map[string]any{"x": []any{"{{app}}"}}}},
		Refresh:       &config.CustomRequest{Method: "POST", URL: srv.URL + "/token/refresh/", Headers: map[string]string{"Authorization": "{{refresh_token}}"}, JSON: map[string]any{"refreshtoken": "{{refresh_token}}"}},
		TokenResponse: &config.TokenResponse{AccessToken: "detail.token", RefreshToken: "detail.refreshToken", OK: "code == 0", Error: "message"},
		Vars:          map[string]string{"app": "A1"},
	}
	s := newEngineSession(t, p)
	tok, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Access.Reveal() != "Bearer t1" {
		t.Fatalf("login token %q", tok.Access.Reveal())
	}
	tok, err = s.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Access.Reveal() != "Bearer t2" || tok.Source != SourceRefreshed || tok.Refresh.Reveal() != "Bearer r2" {
		t.Fatalf("refreshed token %q source %s refresh %q", tok.Access.Reveal(), tok.Source, tok.Refresh.Reveal())
	}
	mu.Lock()
	defer mu.Unlock()
	if seen[0]["appId"] != "A1" || seen[0]["appSecret"] != "sec-A1" {
		t.Errorf("login body not templated: %v", seen[0])
	}
	if x := seen[0]["nested"].(map[string]any)["x"].([]any)[0]; x != "A1" {
		t.Errorf("nested value not templated: %v", x)
	}
	if seen[1]["refreshtoken"] != "Bearer r1" || hdrs[1] != "/token/refresh/|Bearer r1|application/json" {
		t.Errorf("refresh request: body %v header %q", seen[1], hdrs[1])
	}
}

func TestDevicePollingPacesItself(t *testing.T) {
	var mu sync.Mutex
	polls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/device":
			io.WriteString(w, `{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"https://v/device","verification_uri_complete":"https://v/device?user_code=ABCD-EFGH","expires_in":600,"interval":2}`)
		case "/token":
			if r.Form.Get("grant_type") != deviceGrantType || r.Form.Get("device_code") != "dc" || r.Form.Get("client_id") != "dev" {
				w.WriteHeader(400)
				io.WriteString(w, `{"error":"invalid_request"}`)
				return
			}
			mu.Lock()
			polls++
			n := polls
			mu.Unlock()
			switch n {
			case 1:
				w.WriteHeader(400)
				io.WriteString(w, `{"error":"authorization_pending"}`)
			case 2:
				w.WriteHeader(400)
				io.WriteString(w, `{"error":"slow_down"}`)
			default:
				io.WriteString(w, `{"access_token":"dev-tok","token_type":"bearer","expires_in":30}`)
			}
		}
	}))
	defer srv.Close()
	var slept []time.Duration
	clock := engineNow
	p := &config.Provider{Name: "dev", Grant: "device_code", DeviceURL: srv.URL + "/device", TokenURL: srv.URL + "/token", ClientID: "dev", ClientAuth: "none", Scopes: []string{"api:read"}}
	s, err := NewSession(p, SessionOptions{
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return clock },
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			slept = append(slept, d)
			clock = clock.Add(d)
			mu.Unlock()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Token(context.Background()); err != ErrNeedsLogin {
		t.Fatalf("Token before login = %v, want ErrNeedsLogin", err)
	}
	pend, err := s.Authorize(context.Background(), AuthorizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pend.UserCode != "ABCD-EFGH" || pend.URL != "https://v/device" || pend.CompleteURL == "" {
		t.Errorf("pending: %+v", pend)
	}
	tok, err := pend.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Access.Reveal() != "dev-tok" {
		t.Errorf("token %q", tok.Access.Reveal())
	}
	mu.Lock()
	defer mu.Unlock()
	want := []time.Duration{2 * time.Second, 2 * time.Second, 7 * time.Second}
	if len(slept) != 3 || slept[0] != want[0] || slept[1] != want[1] || slept[2] != want[2] {
		t.Errorf("slept %v, want %v (slow_down adds 5 s)", slept, want)
	}
	if got := s.Cached(); got == nil || got.Access.Reveal() != "dev-tok" {
		t.Error("the session does not hold the device token")
	}
}

func TestParseRedirect(t *testing.T) {
	for _, in := range []string{"http://127.0.0.1:5555/callback?code=abc&state=s1", "code=abc&state=s1", "  ?code=abc&state=s1#x "} {
		q, err := parseRedirect(in)
		if err != nil || q.Get("code") != "abc" || q.Get("state") != "s1" {
			t.Errorf("parseRedirect(%q) = %v, %v", in, q, err)
		}
	}
	for _, in := range []string{"", "hello", "http://x/?state=s1"} {
		if _, err := parseRedirect(in); err == nil {
			t.Errorf("parseRedirect(%q) accepted", in)
		}
	}
}

func TestRateLimitSlidingWindow(t *testing.T) {
	var mu sync.Mutex
	clock := engineNow
	var waits []time.Duration
	p := &config.Provider{Name: "m", Grant: "static", Token: secret.New("t"), RateLimit: "3/min"}
	s, err := NewSession(p, SessionOptions{
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return clock },
		Sleep: func(_ context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, d)
			clock = clock.Add(d)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	step := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
	for i := 0; i < 3; i++ {
		if w, err := s.Pace(context.Background()); err != nil || w != 0 {
			t.Fatalf("request %d waited %v (%v)", i+1, w, err)
		}
		step(10 * time.Second)
	}
	// The 4th comes 30 s after the 1st: it waits until the 1st is a minute old.
	if w, _ := s.Pace(context.Background()); w != 30*time.Second {
		t.Errorf("4th request waited %v, want 30s", w)
	}
}

// FuzzMapResponse feeds token endpoint answers, with and without a vendor
// mapping, to the response mapper: it must never panic, and a token it
// returns must carry a non-empty access token.
func FuzzMapResponse(f *testing.F) {
	for _, seed := range []string{
		`{"access_token":"a","expires_in":3600,"token_type":"Bearer","scope":"x y"}`,
		`{"access_token":"a","expires":1731514947}`,
		`{"code":0,"detail":{"token":"Bearer eyJ.eyJleHAiOjF9.x","refreshToken":"Bearer r"},"message":"OK"}`,
		`{"code":1,"message":"错误"}`,
		`{"error":"invalid_client"}`,
		`<html></html>`, `null`, `[]`, `{"access_token":{"nested":true}}`, `{"expires_in":"1e400","access_token":"a"}`,
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	vendor := &config.TokenResponse{AccessToken: "detail.token", RefreshToken: "detail.refreshToken", ExpiresAt: "expires", OK: "code == 0", Error: "message"}
	f.Fuzz(func(t *testing.T, body string, mapped bool) {
		p := &config.Provider{Name: "f", Scopes: []string{"s"}}
		if mapped {
			p.TokenResponse = vendor
		}
		tok, err := mapResponse(p, 200, []byte(body), engineNow, func(s string) string { return s })
		if err == nil && (tok == nil || tok.Access.IsZero()) {
			t.Fatalf("no error and no token for %q", body)
		}
	})
}

func TestInjectedLoginValuesAreRedacted(t *testing.T) {
	cfg, err := config.Parse("c.toml", []byte(`
[providers.v]
base_url = "https://api.v"
grant = "custom"
login = { method = "POST", url = "http://127.0.0.1:1/auth?appSecret=${APP_SECRET}", json = { appSecret = "${APP_SECRET}" } }
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := cfg.Providers[0].Resolve(func(k string) (string, bool) { return "very-secret-app-value", k == "APP_SECRET" })
	if err != nil {
		t.Fatal(err)
	}
	s := newEngineSession(t, p)
	_, err = s.Token(context.Background()) // port 1: refused, and Go's error carries the URL
	if err == nil {
		t.Fatal("no error from a refused login")
	}
	if strings.Contains(err.Error(), "very-secret-app-value") {
		t.Errorf("the login's secret is in the error: %v", err)
	}
}

func TestTokenEndpointRedirectIsNotFollowed(t *testing.T) {
	var followed sync.Mutex
	hit := false
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Lock()
		hit = true
		followed.Unlock()
	}))
	defer elsewhere.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	p := &config.Provider{Grant: "client_credentials", TokenURL: srv.URL, ClientID: "c", ClientSecret: secret.New("s3cret"), ClientAuth: "post", TokenResponse: &config.TokenResponse{}}
	_, err := newEngineSession(t, p).Token(context.Background())
	var te *TokenError
	if !errors.As(err, &te) || te.Status != http.StatusTemporaryRedirect {
		t.Fatalf("a redirecting token endpoint gave %v", err)
	}
	followed.Lock()
	defer followed.Unlock()
	if hit {
		t.Error("the token request, client secret in its body, followed the redirect")
	}
}

func TestPublicClientSendsNoBasicAuth(t *testing.T) {
	rec := &recorder{body: `{"access_token":"t"}`}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	p := &config.Provider{Grant: "password", TokenURL: srv.URL, ClientID: "pub", Username: "u", Password: secret.New("pw"), TokenResponse: &config.TokenResponse{}}
	if _, err := newEngineSession(t, p).Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := rec.last(t); r.auth != "" || !strings.Contains(r.body, "client_id=pub") {
		t.Errorf("a client without a secret sent auth %q body %q", r.auth, r.body)
	}
}
