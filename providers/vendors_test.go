package providers_test

// Seed-vendor integration tests: keyhole driven only by each emulator's own
// Config(baseURL) text (see internal/emulators), against the emulator on
// 127.0.0.1, with one injected clock shared by keyhole and the emulator.
// Counts are the emulator's: "one token request" means the server saw one.
// What VENDORS.md calls an assumption (maptable's JWT exp, 429 with
// Retry-After, the 401 for "Bearer Bearer") is the emulator's, and these
// tests inherit it.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/internal/emulators"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// vendor is one seed vendor's emulator served on 127.0.0.1, on a clock it
// shares with the keyhole sessions the test builds.
type vendor struct {
	name   string
	emu    emulators.Emulator
	srv    *httptest.Server
	clock  *clock
	client *http.Client
	slept  atomic.Int64 // total the injected Sleep "waited", in ns

	mu   sync.Mutex
	wire []wireReq // every request, as the server received it
}

// wireReq is what reached the server, read before the emulator answers.
type wireReq struct {
	method, path string
	query        url.Values
	auth         string
}

func startVendor(t *testing.T, name string, wrap func(http.Handler) http.Handler) *vendor {
	t.Helper()
	v := &vendor{name: name, clock: newClock(t0)}
	emu, err := emulators.New(name, emulators.Options{Now: v.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	v.emu = emu
	h := emu.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	record := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v.mu.Lock()
		v.wire = append(v.wire, wireReq{r.Method, r.URL.Path, r.URL.Query(), r.Header.Get("Authorization")})
		v.mu.Unlock()
		h.ServeHTTP(w, r)
	})
	v.srv = httptest.NewServer(record)
	t.Cleanup(v.srv.Close)
	if !strings.HasPrefix(v.srv.URL, "http://127.0.0.1:") {
		t.Fatalf("emulator listens on %s, want 127.0.0.1 only", v.srv.URL)
	}
	v.client = newClient(t)
	return v
}

// config is the emulator's own provider table for this server, with edit
// applied (nil: as written). An edit that changes nothing fails the test,
// so a renamed key in the emulator cannot silently void a negative test.
func (v *vendor) config(t *testing.T, edit func(string) string) string {
	t.Helper()
	text := v.emu.Config(v.srv.URL)
	if edit != nil {
		edited := edit(text)
		if edited == text {
			t.Fatalf("%s: the config edit changed nothing in:\n%s", v.name, text)
		}
		text = edited
	}
	return text
}

// provider parses config text with config.Parse and resolves it with an
// Env made of the emulator's Env() overlaid with override.
func (v *vendor) provider(t *testing.T, text string, override map[string]string) *config.Provider {
	t.Helper()
	cfg, err := config.Parse(v.name+".toml", []byte(text))
	if err != nil {
		t.Fatalf("%s: Parse: %v\n%s", v.name, err, text)
	}
	p, ok := cfg.Provider(v.name)
	if !ok {
		t.Fatalf("%s: the config defines no [providers.%s]", v.name, v.name)
	}
	env := maps.Clone(v.emu.Env())
	maps.Copy(env, override)
	r, err := p.Resolve(func(k string) (string, bool) { s, ok := env[k]; return s, ok })
	if err != nil {
		t.Fatalf("%s: Resolve: %v", v.name, err)
	}
	return r
}

// session is a keyhole session on the shared clock, whose Sleep moves the
// clock instead of waiting.
func (v *vendor) session(t *testing.T, p *config.Provider) *providers.Session {
	t.Helper()
	s, err := providers.NewSession(p, providers.SessionOptions{Client: v.client, Now: v.clock.Now, Sleep: v.sleep})
	if err != nil {
		t.Fatalf("%s: NewSession: %v", v.name, err)
	}
	return s
}

// plainSession is a session for the emulator's own config, unedited.
func (v *vendor) plainSession(t *testing.T) *providers.Session {
	t.Helper()
	return v.session(t, v.provider(t, v.config(t, nil), nil))
}

// mustToken is s's token; an error fails the test.
func mustToken(t *testing.T, s *providers.Session) *providers.Token {
	t.Helper()
	tok, err := s.Token(t.Context())
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	return tok
}

func (v *vendor) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v.clock.Advance(d)
	v.slept.Add(int64(d))
	return nil
}

// send is one API call through exchange.Send with the session's token, its
// rate limit (Session.Pace) and the injected Sleep wired in, as the TUI
// does. Renew is left out, so a refused token shows as the 401 it got.
// paced receives how long Pace waited, when not nil.
func (v *vendor) send(t *testing.T, s *providers.Session, tok *providers.Token, target string, paced *time.Duration) *exchange.Exchange {
	t.Helper()
	return exchange.Send(t.Context(), v.client, s.Provider(), tok, exchange.Request{Method: http.MethodGet, Target: target}, exchange.Options{
		Now: v.clock.Now,
		Pace: func(ctx context.Context) error {
			d, err := s.Pace(ctx)
			if paced != nil {
				*paced += d
			}
			return err
		},
		Sleep: v.sleep,
	})
}

// lastTo is the last request the server received for path.
func (v *vendor) lastTo(t *testing.T, path string) wireReq {
	t.Helper()
	v.mu.Lock()
	defer v.mu.Unlock()
	for i := len(v.wire) - 1; i >= 0; i-- {
		if v.wire[i].path == path {
			return v.wire[i]
		}
	}
	t.Fatalf("%s: no request reached %s", v.name, path)
	return wireReq{}
}

// wantStatus fails the test unless the exchange got an answer with status want.
func wantStatus(t *testing.T, ex *exchange.Exchange, want int) {
	t.Helper()
	if ex.Err != nil {
		t.Fatalf("Send: %v (notes %q)", ex.Err, ex.Notes)
	}
	if ex.Response.Status != want {
		t.Fatalf("Send: %d %s, want %d (notes %q)", ex.Response.Status, ex.Response.Body, want, ex.Notes)
	}
}

// seedVendors is what differs between the four vendors in the happy path.
var seedVendors = []struct {
	name string
	// apiPath is a GET under base_url; wirePath is where it lands.
	apiPath, wirePath string
	// ttl and from: the expiry keyhole must compute, and where from.
	ttl  time.Duration
	from providers.ExpirySource
	// where is how the token rides on the request.
	where providers.Injection
	// carried checks the API request as the server received it.
	carried func(t *testing.T, tok string, r wireReq)
}{
	{
		name: "tapkey", apiPath: "/Owners", wirePath: "/api/v1/Owners",
		// Seed 000: standard expires_in (3600), not the JWT's exp.
		ttl: time.Hour, from: providers.ExpiryIn,
		where:   providers.Injection{Header: "Authorization", Prefix: "Bearer "},
		carried: bearerCarried,
	},
	{
		name: "sys303", apiPath: "/account/balance", wirePath: "/api/v1/account/balance",
		// Seed 002: an absolute "expires", read through token_response.expires_at.
		ttl: 30 * 24 * time.Hour, from: providers.ExpiryAt,
		where: providers.Injection{Query: "access_token"},
		carried: func(t *testing.T, tok string, r wireReq) {
			if got := r.query.Get("access_token"); got != tok {
				t.Errorf("access_token query parameter = %q, want the token", got)
			}
			if r.auth != "" {
				t.Errorf("Authorization = %q, want none: sys303 reads the URL only", r.auth)
			}
		},
	},
	{
		name: "azurecn", apiPath: "/devcenter/apps", wirePath: "/api/devcenter/apps",
		// Seed 003: expires_in 3599.
		ttl: 3599 * time.Second, from: providers.ExpiryIn,
		where:   providers.Injection{Header: "Authorization", Prefix: "Bearer "},
		carried: bearerCarried,
	},
	{
		name: "maptable", apiPath: "/workspaces/", wirePath: "/open/api/v1/workspaces/",
		// Seed 004: no expiry field; only the JWT's exp behind "Bearer ".
		ttl: 8 * time.Hour, from: providers.ExpiryJWT,
		where: providers.Injection{Header: "Authorization", Prefix: ""},
		carried: func(t *testing.T, tok string, r wireReq) {
			if !strings.HasPrefix(tok, "Bearer ey") {
				t.Errorf("maptable token %.12q..., want it as issued, with its \"Bearer \"", tok)
			}
			if r.auth != tok {
				t.Errorf("Authorization = %.20q..., want the token exactly as issued", r.auth)
			}
			if strings.HasPrefix(r.auth, "Bearer Bearer") {
				t.Errorf("Authorization reads \"Bearer Bearer ...\"")
			}
		},
	},
}

func bearerCarried(t *testing.T, tok string, r wireReq) {
	t.Helper()
	if r.auth != "Bearer "+tok {
		t.Errorf("Authorization = %.20q..., want \"Bearer <token>\"", r.auth)
	}
	if r.query.Has("access_token") {
		t.Errorf("token also sent in the query")
	}
}

func TestVendorTokenCallAndCache(t *testing.T) {
	for _, vt := range seedVendors {
		t.Run(vt.name, func(t *testing.T) {
			v := startVendor(t, vt.name, nil)
			s := v.plainSession(t)

			tok := mustToken(t, s)
			if tok.Source != providers.SourceFetched {
				t.Errorf("first Source = %q, want fetched", tok.Source)
			}
			if want := t0.Add(vt.ttl); !tok.Expiry.Equal(want) || tok.ExpirySource != vt.from {
				t.Errorf("expiry %s from %q, want %s from %q", tok.Expiry.UTC(), tok.ExpirySource, want, vt.from)
			}

			ex := v.send(t, s, tok, vt.apiPath, nil)
			wantStatus(t, ex, http.StatusOK)
			if ex.Sent.Injection != vt.where {
				t.Errorf("Injection = %+v, want %+v", ex.Sent.Injection, vt.where)
			}
			vt.carried(t, tok.Access.Reveal(), v.lastTo(t, vt.wirePath))

			again, err := s.Token(t.Context())
			if err != nil {
				t.Fatalf("second Token: %v", err)
			}
			if again.Source != providers.SourceCache || !again.Access.Equal(tok.Access) {
				t.Errorf("second Token: source %q, same token %v; want the cached one", again.Source, again.Access.Equal(tok.Access))
			}
			st := v.emu.Stats()
			if st.TokenRequests() != 1 || st.TokenOK != 1 {
				t.Errorf("emulator saw %d token requests (%d ok), want exactly 1", st.TokenRequests(), st.TokenOK)
			}
			if st.APIOK != 1 || st.APICalls() != 1 {
				t.Errorf("emulator saw %d API calls (%d ok, rejected %v), want 1 ok", st.APICalls(), st.APIOK, st.APIRejected)
			}
		})
	}
}

// TestVendorWrongSecret: each vendor's refusal reaches the person in the
// vendor's own words, as a *TokenError, and the secret sent appears in no
// form anywhere in it.
func TestVendorWrongSecret(t *testing.T) {
	// '+', '/', '=', '&' and ' ' all change under URL-encoding, so the
	// encoded form differs from the plain one.
	const wrong = "wr0ng+Secret/=&x y"
	tests := []struct {
		name, secretVar, idVar string
		wantStatus             int
		wantCode               string
		wantMsg                string
	}{
		// Seed 000 / IdentityServer: RFC 6749 error, no description.
		{"tapkey", "TAPKEY_CLIENT_SECRET", "TAPKEY_CLIENT_ID", 401, "invalid_client", "invalid_client"},
		// Seed 002: {"error_code": 6, "error_msg": "No permission to access data"}, via token_response.error.
		{"sys303", "SYS303_SECRET_KEY", "SYS303_API_KEY", 401, "", "No permission to access data"},
		// Seed 003: the AADSTS description.
		{"azurecn", "AZURECN_CLIENT_SECRET", "AZURECN_CLIENT_ID", 401, "invalid_client", "AADSTS7000215: Invalid client secret provided"},
		// Seed 004: HTTP 200, code != 0, the message.
		{"maptable", "MAPTABLE_APP_SECRET", "MAPTABLE_APP_ID", 200, "401", "invalid appId or appSecret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := startVendor(t, tt.name, nil)
			right := v.emu.Env()[tt.secretVar]
			id := v.emu.Env()[tt.idVar]
			if right == "" || id == "" {
				t.Fatalf("emulator Env has no %s / %s", tt.secretVar, tt.idVar)
			}
			s := v.session(t, v.provider(t, v.config(t, nil), map[string]string{tt.secretVar: wrong}))

			tok, err := s.Token(t.Context())
			var te *providers.TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Token = %v, %v; want a *providers.TokenError", tok, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("Error() = %q, want the vendor's %q", msg, tt.wantMsg)
			}
			if te.Provider != tt.name || te.Status != tt.wantStatus || te.Code != tt.wantCode {
				t.Errorf("TokenError{Provider %q, Status %d, Code %q}, want {%q, %d, %q}", te.Provider, te.Status, te.Code, tt.name, tt.wantStatus, tt.wantCode)
			}
			shown := strings.Join([]string{msg, te.Description, te.Body, te.Hint, fmt.Sprintf("%+v", *te)}, "\n")
			for _, sec := range []string{wrong, right} {
				for _, form := range secretForms(id, sec) {
					if strings.Contains(shown, form) {
						t.Errorf("the error shows the secret as %q:\n%s", form, shown)
					}
				}
			}
			if st := v.emu.Stats(); st.TokenRequests() != 1 || st.TokenFailed[emulators.ReasonInvalidClient] != 1 {
				t.Errorf("emulator: %d token requests, failures %v; want one invalid_client", st.TokenRequests(), st.TokenFailed)
			}
		})
	}
}

// secretForms is every shape a secret can take on the wire: the forms of
// attack.LeakForms (as is, URL-encoded, base64, JSON-escaped), and inside
// HTTP Basic with and without RFC 6749's form-encoding.
func secretForms(id, sec string) []string {
	return append(attack.LeakForms(sec), attack.BasicForms(id, sec)...)
}

// TestTapkeyWrongSchemeIs401 is seed 000's whole article: a token sent as
// "Authorization: access_token X" gets a 401. keyhole sends what the config
// says, so a config with that prefix shows the 401; the emulator's own
// config, the default Bearer, gets 200 with the same kind of token.
func TestTapkeyWrongSchemeIs401(t *testing.T) {
	v := startVendor(t, "tapkey", nil)
	wrongCfg := v.config(t, func(s string) string {
		return strings.Replace(s, "client_auth = \"basic\"\n", "client_auth = \"basic\"\ninject = { header = \"Authorization\", prefix = \"access_token \" }\n", 1)
	})
	wrong := v.session(t, v.provider(t, wrongCfg, nil))
	tok, err := wrong.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ex := v.send(t, wrong, tok, "/Owners", nil)
	wantStatus(t, ex, http.StatusUnauthorized)
	if got := v.lastTo(t, "/api/v1/Owners").auth; got != "access_token "+tok.Access.Reveal() {
		t.Errorf("server got Authorization %.24q..., want \"access_token <token>\"", got)
	}
	if ch := ex.Response.Header.Get("WWW-Authenticate"); ch != "Bearer" {
		t.Errorf("WWW-Authenticate = %q, want the bare Bearer challenge", ch)
	}
	if n := v.emu.Stats().APIRejected[emulators.ReasonWrongScheme]; n != 1 {
		t.Errorf("emulator rejections %v, want one wrong_scheme", v.emu.Stats().APIRejected)
	}

	right := v.plainSession(t)
	tok, err = right.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, v.send(t, right, tok, "/Owners", nil), http.StatusOK)
	if st := v.emu.Stats(); st.APIOK != 1 || st.APICalls() != 2 {
		t.Errorf("emulator: %d API calls, %d ok; want 2 and 1", st.APICalls(), st.APIOK)
	}
}

// TestSys303RefusesCredentialsInTheBody: seed 002 takes client_id,
// client_secret and grant_type in the URL query only. With client_auth =
// "post" keyhole puts them in the body, as the config says, and shows the
// vendor's error for it — without the secret.
func TestSys303RefusesCredentialsInTheBody(t *testing.T) {
	v := startVendor(t, "sys303", nil)
	cfg := v.config(t, func(s string) string {
		return strings.Replace(s, `client_auth = "query"`, `client_auth = "post"`, 1)
	})
	s := v.session(t, v.provider(t, cfg, nil))
	_, err := s.Token(t.Context())
	var te *providers.TokenError
	if !errors.As(err, &te) {
		t.Fatalf("Token = %v, want a *providers.TokenError", err)
	}
	// The emulator answers Baidu's error 100 for this, with its details.
	if !strings.Contains(err.Error(), "Invalid parameter") || te.Status != http.StatusBadRequest {
		t.Errorf("Error() = %q (status %d), want the vendor's \"Invalid parameter\" and 400", err, te.Status)
	}
	if !strings.Contains(te.Body, "must be URL query parameters") {
		t.Errorf("Body = %q, want the vendor's details", te.Body)
	}
	sec := v.emu.Env()["SYS303_SECRET_KEY"]
	for _, form := range secretForms(v.emu.Env()["SYS303_API_KEY"], sec) {
		if strings.Contains(err.Error()+te.Body, form) {
			t.Errorf("the error shows the secret as %q", form)
			break
		}
	}
	if r := v.lastTo(t, "/api/v1/oauth/token"); r.query.Has("client_secret") {
		t.Errorf("client_auth = post still put the secret in the query")
	}
	if n := v.emu.Stats().TokenFailed[emulators.ReasonClientAuthPlace]; n != 1 {
		t.Errorf("emulator failures %v, want one client_auth_placement", v.emu.Stats().TokenFailed)
	}
}

// TestMaptableDoubleBearer: the emulator refuses "Bearer Bearer ..." (sent
// raw here to prove it), and keyhole's Apply never writes it, whatever
// inject says — even prefix = "Bearer " written out.
func TestMaptableDoubleBearer(t *testing.T) {
	v := startVendor(t, "maptable", nil)
	base := v.config(t, nil)
	s := v.session(t, v.provider(t, base, nil))
	tok := mustToken(t, s)
	issued := tok.Access.Reveal()

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, v.srv.URL+"/open/api/v1/workspaces/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+issued)
	resp, err := v.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || v.emu.Stats().APIRejected[emulators.ReasonDoublePrefix] != 1 {
		t.Fatalf("raw \"Bearer Bearer\": %d, rejections %v; want 401 double_prefix", resp.StatusCode, v.emu.Stats().APIRejected)
	}

	const injectLine = `inject = { header = "Authorization", prefix = "" }` + "\n"
	variants := []struct{ name, cfg string }{
		{"config as shipped (prefix empty)", base},
		{"prefix Bearer written out", v.config(t, func(s string) string {
			return strings.Replace(s, injectLine, `inject = { header = "Authorization", prefix = "Bearer " }`+"\n", 1)
		})},
		{"no inject table (prefix from token_type)", v.config(t, func(s string) string { return strings.Replace(s, injectLine, "", 1) })},
	}
	for i, vr := range variants {
		t.Run(vr.name, func(t *testing.T) {
			p := v.provider(t, vr.cfg, nil)
			r, err := http.NewRequest(http.MethodGet, p.BaseURL+"/workspaces/", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := providers.Apply(p, r, tok, false); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if got := r.Header.Get("Authorization"); got != issued {
				t.Errorf("Apply wrote %.20q..., want the token exactly as issued", got)
			}
			// And through exchange.Send, as the emulator sees it.
			ex := exchange.Send(t.Context(), v.client, p, tok, exchange.Request{Method: http.MethodGet, Target: "/workspaces/"}, exchange.Options{Now: v.clock.Now})
			wantStatus(t, ex, http.StatusOK)
			if got := v.lastTo(t, "/open/api/v1/workspaces/").auth; got != issued {
				t.Errorf("server got %.20q...", got)
			}
			if st := v.emu.Stats(); st.APIOK != i+1 || st.APIRejected[emulators.ReasonDoublePrefix] != 1 {
				t.Errorf("emulator: %d ok, rejections %v", st.APIOK, st.APIRejected)
			}
		})
	}
}

// TestMaptableRateLimitWaits: seed 004 allows 60 requests a minute on every
// endpoint, the login included. With rate_limit = "60/min" from the
// config, keyhole paces itself: after the login, 61 API calls all succeed,
// the emulator never answers 429, and the one that would have been the 61st
// request in the minute waits a minute on the injected clock.
func TestMaptableRateLimitWaits(t *testing.T) {
	begin := time.Now()
	v := startVendor(t, "maptable", nil)
	cfg := v.config(t, nil)
	if !strings.Contains(cfg, `rate_limit = "60/min"`) {
		t.Fatalf("the emulator's config has no rate_limit = \"60/min\":\n%s", cfg)
	}
	s := v.session(t, v.provider(t, cfg, nil))
	tok := mustToken(t, s)
	for i := range 61 {
		var paced time.Duration
		ex := v.send(t, s, tok, "/workspaces/", &paced)
		wantStatus(t, ex, http.StatusOK)
		// The login was request 1 of the minute, so API call 60 is request 61.
		want := time.Duration(0)
		if i == 59 {
			want = time.Minute
		}
		if paced != want {
			t.Errorf("API call %d: Pace waited %s, want %s", i+1, paced, want)
		}
		if len(ex.Notes) != 0 {
			t.Errorf("API call %d: notes %q, want none", i+1, ex.Notes)
		}
	}
	st := v.emu.Stats()
	if st.RateLimited != 0 || st.APIOK != 61 || st.Requests != 62 {
		t.Errorf("emulator: %d rate-limited, %d API ok, %d requests; want 0, 61, 62", st.RateLimited, st.APIOK, st.Requests)
	}
	if got := v.clock.Now().Sub(t0); got != time.Minute || time.Duration(v.slept.Load()) != time.Minute {
		t.Errorf("clock moved %s (slept %s), want one minute", got, time.Duration(v.slept.Load()))
	}
	if real := time.Since(begin); real > 30*time.Second {
		t.Errorf("took %s of real time: the wait was not on the injected clock", real)
	}
}

// TestMaptable429RetryAfter: without rate_limit keyhole does not pace, so
// the emulator answers the 61st request in the minute with 429 and
// Retry-After; exchange.Send waits it out on the injected clock, sends
// again, and says so in a note.
func TestMaptable429RetryAfter(t *testing.T) {
	v := startVendor(t, "maptable", nil)
	cfg := v.config(t, func(s string) string { return strings.Replace(s, "rate_limit = \"60/min\"\n", "", 1) })
	s := v.session(t, v.provider(t, cfg, nil))
	tok := mustToken(t, s)
	var noted []int
	for i := range 61 {
		ex := v.send(t, s, tok, "/workspaces/", nil)
		wantStatus(t, ex, http.StatusOK)
		if len(ex.Notes) > 0 {
			noted = append(noted, i+1)
			if len(ex.Notes) != 1 || !strings.Contains(ex.Notes[0], "429") || !strings.Contains(ex.Notes[0], "waited 1m0s as Retry-After asked") {
				t.Errorf("API call %d: notes %q", i+1, ex.Notes)
			}
		}
	}
	if len(noted) != 1 || noted[0] != 60 {
		t.Errorf("calls with a note: %v, want [60] (the 61st request, after the login)", noted)
	}
	st := v.emu.Stats()
	if st.RateLimited != 1 || st.APIOK != 61 || st.APIRejected[emulators.ReasonRateLimited] != 1 {
		t.Errorf("emulator: %d rate-limited, %d API ok, rejections %v; want 1, 61, one rate_limited", st.RateLimited, st.APIOK, st.APIRejected)
	}
	if got := v.clock.Now().Sub(t0); got != time.Minute {
		t.Errorf("clock moved %s, want the one minute Retry-After asked", got)
	}
}

// TestMaptableRefresh: seed 004's own refresh call gives a new token, the
// emulator counts one refresh and no second login, and the rotated refresh
// token is kept — the emulator refuses a spent one, so a second refresh
// only succeeds with the new one.
func TestMaptableRefresh(t *testing.T) {
	v := startVendor(t, "maptable", nil)
	s := v.plainSession(t)
	first := mustToken(t, s)
	if first.Refresh.IsZero() {
		t.Fatal("login gave no refresh token")
	}
	v.clock.Advance(time.Hour)

	second, err := s.Refresh(t.Context())
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if second.Source != providers.SourceRefreshed || second.Access.Equal(first.Access) {
		t.Errorf("Refresh: source %q, new token %v; want a new, refreshed one", second.Source, !second.Access.Equal(first.Access))
	}
	if want := t0.Add(time.Hour + 8*time.Hour); !second.Expiry.Equal(want) || second.ExpirySource != providers.ExpiryJWT {
		t.Errorf("refreshed expiry %s from %q, want %s from the JWT", second.Expiry.UTC(), second.ExpirySource, want)
	}
	if second.Refresh.IsZero() || second.Refresh.Equal(first.Refresh) {
		t.Errorf("the refresh token was not rotated")
	}
	if held := s.Cached(); held == nil || !held.Refresh.Equal(second.Refresh) || !held.Access.Equal(second.Access) {
		t.Errorf("the session does not hold the rotated pair")
	}
	if st := v.emu.Stats(); st.RefreshOK != 1 || st.Refreshes() != 1 || st.TokenRequests() != 1 {
		t.Errorf("emulator: %d refreshes (%d ok), %d logins; want 1, 1, 1", st.Refreshes(), st.RefreshOK, st.TokenRequests())
	}
	wantStatus(t, v.send(t, s, second, "/workspaces/", nil), http.StatusOK)

	third, err := s.Refresh(t.Context())
	if err != nil {
		t.Fatalf("second Refresh (with the rotated token): %v", err)
	}
	if third.Access.Equal(second.Access) {
		t.Error("second Refresh returned the same token")
	}
	if st := v.emu.Stats(); st.RefreshOK != 2 || len(st.RefreshFailed) != 0 || st.TokenRequests() != 1 {
		t.Errorf("emulator: %d refreshes ok, failed %v, %d logins; want 2, none, 1", st.RefreshOK, st.RefreshFailed, st.TokenRequests())
	}
}

// TestTapkeyExpiryOnTheInjectedClock: at the expiry instant the emulator
// refuses the token, and Token() gets a new one instead of handing it out.
func TestTapkeyExpiryOnTheInjectedClock(t *testing.T) {
	v := startVendor(t, "tapkey", nil)
	s := v.plainSession(t)
	old := mustToken(t, s)
	v.clock.Advance(time.Hour - time.Second)
	if tok, err := s.Token(t.Context()); err != nil || tok.Source != providers.SourceCache {
		t.Fatalf("a second before expiry: %v, %v; want the cached token", tok, err)
	}
	v.clock.Advance(time.Second)
	// The emulator judges by the same clock: the old token is dead now.
	wantStatus(t, v.send(t, s, old, "/Owners", nil), http.StatusUnauthorized)
	if n := v.emu.Stats().APIRejected[emulators.ReasonExpiredToken]; n != 1 {
		t.Errorf("emulator rejections %v, want one expired_token", v.emu.Stats().APIRejected)
	}

	fresh := mustToken(t, s)
	if fresh.Source != providers.SourceFetched || fresh.Access.Equal(old.Access) {
		t.Errorf("after expiry: source %q, new token %v; want a fetched, new one", fresh.Source, !fresh.Access.Equal(old.Access))
	}
	if want := t0.Add(2 * time.Hour); !fresh.Expiry.Equal(want) {
		t.Errorf("new expiry %s, want %s", fresh.Expiry.UTC(), want)
	}
	if st := v.emu.Stats(); st.TokenRequests() != 2 || st.TokenOK != 2 {
		t.Errorf("emulator saw %d token requests, want 2", st.TokenRequests())
	}
	wantStatus(t, v.send(t, s, fresh, "/Owners", nil), http.StatusOK)
}

// TestTapkeySingleFlight: 50 callers at once, all waiting on the same
// token request before it is answered; the emulator sees exactly one.
func TestTapkeySingleFlight(t *testing.T) {
	const callers = 50
	g := newGate("/connect/token")
	v := startVendor(t, "tapkey", g.wrap)
	t.Cleanup(g.open) // before the server closes, should the test fail early
	s := v.plainSession(t)

	sameTokenForAll(t, s, callers, func() {
		waitFor(t, func() bool { return providers.SessionWaiters(s) == callers })
		g.open()
	})
	if st := v.emu.Stats(); st.TokenRequests() != 1 || st.TokenOK != 1 {
		t.Errorf("emulator saw %d token requests, want exactly 1", st.TokenRequests())
	}
}

// TestMaptableRefusedRefreshFallsBackToLogin: maptable refuses a dead
// refresh token inside an HTTP 200 body (code 401, "Token is invalid or
// expired"). The login needs no person, so Token() logs in again rather
// than showing the refusal forever.
func TestMaptableRefusedRefreshFallsBackToLogin(t *testing.T) {
	v := startVendor(t, "maptable", nil)
	s := v.plainSession(t)
	first := mustToken(t, s)
	// Past the access token (8 h) and the emulator's refresh token (7 days).
	v.clock.Advance(8 * 24 * time.Hour)
	tok, err := s.Token(t.Context())
	if err != nil {
		t.Fatalf("Token after the refresh token died: %v", err)
	}
	if tok.Source != providers.SourceFetched || tok.Access.Equal(first.Access) {
		t.Errorf("source %q, new token %v; want a new one from the login", tok.Source, !tok.Access.Equal(first.Access))
	}
	st := v.emu.Stats()
	if st.RefreshFailed[emulators.ReasonExpiredToken] != 1 || st.RefreshOK != 0 || st.TokenOK != 2 {
		t.Errorf("emulator: refresh failures %v, %d ok, %d logins; want one expired, 0, 2", st.RefreshFailed, st.RefreshOK, st.TokenOK)
	}
	wantStatus(t, v.send(t, s, tok, "/workspaces/", nil), http.StatusOK)
}
