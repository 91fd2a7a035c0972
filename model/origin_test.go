package model

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/ui"
)

// TestSendDoesNotFollowARedirectToAnotherOrigin is the API that answers
// 307 with a Location on another origin. Followed, Go would send the
// request again there with the token in a custom inject header (it drops
// only Authorization, Cookie and WWW-Authenticate across origins). The
// TUI shows the 307 instead, as keyhole call does.
func TestSendDoesNotFollowARedirectToAnotherOrigin(t *testing.T) {
	testEnv(t)
	const tok = "origin-bound-token-5150"
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		t.Errorf("the other origin got a request, X-Api-Key %q", r.Header.Get("X-Api-Key"))
	}))
	t.Cleanup(thief.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(api.Close)
	// No client passed: the backend builds its own, as the TUI does.
	b := configBackend(t, "redirect.toml", fmt.Sprintf(`[providers.api]
base_url = %q
grant = "static"
token = %q
inject = { header = "X-Api-Key", prefix = "" }
`, api.URL, tok), nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	m := newTestModel(t, b, nil)
	m = run(t, m, press("enter"))
	m = run(t, m, press("ctrl+s"))

	if n := stolen.Load(); n != 0 {
		t.Fatalf("the token went to the other origin %d times", n)
	}
	if m.ex == nil || m.ex.Err != nil || m.ex.Response == nil || m.ex.Response.Status != http.StatusTemporaryRedirect {
		t.Fatalf("want the 307 shown, got %+v", m.ex)
	}
	screen := plain(m)
	for _, want := range []string{"307 Temporary Redirect", "Location:", thief.URL + "/collect", "redirect not followed"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the response pane lacks %q:\n%s", want, screen)
		}
	}
}

// hostileIdP is a token endpoint, discovery document and API on whatever
// host a request names, served in-process: non-loopback names are reached
// without the network.
type hostileIdP struct {
	mu   sync.Mutex
	auth []string // the Authorization of each API call
	// tokenType is what the token endpoint says; docs are discovery
	// documents by host.
	tokenType, access string
	docs              map[string]string
}

func (h *hostileIdP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		doc, ok := h.docs[r.Host]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, doc)
	case "/token":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":%q,"expires_in":3600}`, h.access, h.tokenType)
	default:
		h.auth = append(h.auth, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	}
}

// idpModel is a model on cfgText, every request served by h in-process.
func idpModel(t *testing.T, h *hostileIdP, cfgText string) Model {
	t.Helper()
	testEnv(t)
	client := &http.Client{Transport: handlerTransport{h}}
	b := configBackend(t, "idp.toml", cfgText, nil, providers.SessionOptions{Client: client, Now: func() time.Time { return fixedNow }})
	return newTestModel(t, b, nil)
}

func ccProvider(name, extra string) string {
	return fmt.Sprintf("[providers.%s]\nbase_url = \"https://api.example.test\"\ngrant = \"client_credentials\"\nclient_id = \"id\"\nclient_secret = \"client-secret-77\"\n%s\n", name, extra)
}

func TestTokenPaneWarnsOfATokenTypeKeyholeCannotProve(t *testing.T) {
	for _, c := range []struct {
		tokenType, access, sent string
		warn                    bool
	}{
		{"mac", "abc123", "mac abc123", true},
		{"DPoP", "abc123", "DPoP abc123", true},
		{"Bearer Bearer", "abc123", "Bearer abc123", false},
		{"bearer", "Bearer abc123", "Bearer abc123", false},
	} {
		t.Run(c.tokenType+" "+c.access, func(t *testing.T) {
			h := &hostileIdP{tokenType: c.tokenType, access: c.access}
			m := idpModel(t, h, ccProvider("idp", `token_url = "https://login.example.test/token"`))
			m = run(t, m, press("enter"))
			m = run(t, m, press("ctrl+s"))
			h.mu.Lock()
			sent := h.auth
			h.mu.Unlock()
			if len(sent) != 1 || sent[0] != c.sent {
				t.Errorf("Authorization %q, want %q", sent, c.sent)
			}
			screen := plain(m)
			has := strings.Contains(strings.Join(strings.Fields(screen), " "), "proof or signature")
			if has != c.warn {
				t.Errorf("warning shown = %v, want %v:\n%s", has, c.warn, screen)
			}
			if strings.Contains(screen, "Bearer Bearer") {
				t.Errorf("the screen doubles the scheme:\n%s", screen)
			}
		})
	}
}

func TestPlainHTTPTokenEndpointIsMarked(t *testing.T) {
	h := &hostileIdP{tokenType: "Bearer", access: "abc123", docs: map[string]string{
		"idp.example.test":      `{"issuer":"https://idp.example.test","token_endpoint":"http://idp.example.test/token"}`,
		"accounts.example.test": `{"issuer":"https://accounts.example.test","token_endpoint":"https://oauth2.example.test/token"}`,
	}}
	m := idpModel(t, h, ccProvider("aaconfig", `token_url = "http://auth.example.test/token"`)+
		ccProvider("bbdiscovered", `issuer = "https://idp.example.test"`)+
		ccProvider("ccforeign", `issuer = "https://accounts.example.test"`)+
		ccProvider("ddlocal", `token_url = "http://127.0.0.1:9/token"`))
	marked := func(m Model, name string) bool {
		for _, line := range strings.Split(plain(m), "\n") {
			line, _, _ = strings.Cut(line, "││") // the Providers pane only
			if i := strings.Index(line, name); i >= 0 {
				return strings.HasPrefix(line[i+len(name):], " "+ui.InsecureMark)
			}
		}
		t.Fatalf("%s is not listed:\n%s", name, plain(m))
		return false
	}
	// From the config: marked before any request.
	if !marked(m, "aaconfig") || marked(m, "bbdiscovered") || marked(m, "ccforeign") || marked(m, "ddlocal") {
		t.Errorf("marks before any request:\n%s", plain(m))
	}
	m = run(t, m, press("enter"))
	screen := strings.Join(strings.Fields(plain(m)), " ")
	for _, want := range []string{"PLAIN HTTP", "token_url is plain http to a host that is not loopback"} {
		if !strings.Contains(screen, want) {
			t.Errorf("aaconfig: the token pane lacks %q:\n%s", want, plain(m))
		}
	}
	// From discovery: marked once discovery said so.
	m.focus = paneProviders
	m = run(t, m, press("down"))
	m = run(t, m, press("enter"))
	screen = strings.Join(strings.Fields(plain(m)), " ")
	if !marked(m, "bbdiscovered") || !strings.Contains(screen, "PLAIN HTTP") || !strings.Contains(screen, "token_endpoint from discovery is plain http") {
		t.Errorf("bbdiscovered: no mark or warning after discovery:\n%s", plain(m))
	}
	// A token endpoint on another origin than the issuer: said in the
	// details, not marked.
	m.focus = paneProviders
	m = run(t, m, press("down"))
	m = run(t, m, press("enter"))
	screen = strings.Join(strings.Fields(plain(m)), " ")
	if marked(m, "ccforeign") || strings.Contains(screen, "PLAIN HTTP") ||
		!strings.Contains(screen, "token endpoint https://oauth2.example.test (from discovery) is not on the issuer's origin") {
		t.Errorf("ccforeign:\n%s", plain(m))
	}
}
