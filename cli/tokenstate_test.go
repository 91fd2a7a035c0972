package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// tokenServer is a token endpoint of the test's own on 127.0.0.1. answer
// gets the n-th request (from 1) and its form, and returns the status and
// the JSON body; the server counts the requests and the refresh tokens it
// was sent.
type tokenServer struct {
	*httptest.Server
	mu       sync.Mutex
	n        int
	refreshs map[string]int
}

func newTokenServer(t *testing.T, answer func(n int, r *http.Request) (int, string)) *tokenServer {
	t.Helper()
	ts := &tokenServer{refreshs: map[string]int{}}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ts.mu.Lock()
		ts.n++
		n := ts.n
		if rt := r.PostForm.Get("refresh_token"); rt != "" {
			ts.refreshs[rt]++
		}
		ts.mu.Unlock()
		status, body := answer(n, r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) requests() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.n
}

func (ts *tokenServer) sent(refresh string) int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.refreshs[refresh]
}

// tokenFiles lists the cached tokens under the harness's state folder:
// every file in the tokens folder but locks and temporary files.
func (h *harness) tokenFiles() []string {
	h.t.Helper()
	dir := filepath.Join(h.vars["XDG_STATE_HOME"], "keyhole", "tokens")
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		h.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); !strings.HasSuffix(n, ".lock") && !strings.HasPrefix(n, ".") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out
}

// onlyTokenFile is the one cached token file.
func (h *harness) onlyTokenFile() string {
	h.t.Helper()
	files := h.tokenFiles()
	if len(files) != 1 {
		h.t.Fatalf("token files: %v, want one", files)
	}
	return files[0]
}

const vaultConfig = `[settings]
token_cache = "file"

[providers.vault]
base_url = %q
grant = "password"
token_url = %q
client_id = "cli"
client_secret = %q
username = "ann"
password = "correct horse battery"
`

// vaultHarness is a harness with vault.toml, vaultConfig on a token
// server that issues tok-1, tok-2, … for an hour each.
func vaultHarness(t *testing.T) (*tokenServer, *harness, string) {
	t.Helper()
	ts := newTokenServer(t, func(n int, r *http.Request) (int, string) {
		return 200, fmt.Sprintf(`{"access_token":"tok-%d","token_type":"bearer","expires_in":3600}`, n)
	})
	h := newHarness(t)
	return ts, h, h.writeConfig("vault.toml", fmt.Sprintf(vaultConfig, ts.URL, ts.URL+"/token", "hunter2"))
}

// Cached tokens are named by the provider and a keyed hash: another
// installation names the same settings differently (a plain hash would be
// the same everywhere, and an offline oracle for the client secret and the
// password in them), a changed secret still changes the name, and the
// files of the older format are removed rather than used.
func TestTokenCacheNamesRevealNothing(t *testing.T) {
	ts, h, cfg := vaultHarness(t)

	// What an older keyhole left: a valid token under an unkeyed name.
	tokens := filepath.Join(h.vars["XDG_STATE_HOME"], "keyhole", "tokens")
	if err := os.MkdirAll(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	planted := fmt.Sprintf(`{"version":1,"access_token":"planted-old-token","expiry":%q}`, time.Now().Add(time.Hour).Format(time.RFC3339))
	for _, name := range []string{"vault@0011223344556677.json", "vault@0011223344556677.lock"} {
		if err := os.WriteFile(filepath.Join(tokens, name), []byte(planted), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	r := h.run("token", "--config", cfg, "vault")
	r.expect(t, ExitOK, "token vault")
	if strings.TrimSpace(r.out) != "tok-1" {
		t.Errorf("stdout %q: want the server's token, not the old file's", r.out)
	}
	if !strings.Contains(r.errOut, "removed 1 cached token") || !strings.Contains(r.errOut, "sign-in") {
		t.Errorf("stderr does not say the old token was removed:\n%s", r.errOut)
	}
	if m, _ := filepath.Glob(filepath.Join(tokens, "vault@0011223344556677.*")); len(m) != 0 {
		t.Errorf("old-format files left: %v", m)
	}
	name := filepath.Base(h.onlyTokenFile())
	if !regexp.MustCompile(`^vault@[0-9a-f]{32}\.token$`).MatchString(name) {
		t.Errorf("token file %q: want vault@ and 32 hex digits of a keyed hash", name)
	}

	// Another installation: the same settings, another name.
	other := newHarness(t)
	other.run("token", "--config", cfg, "vault").expect(t, ExitOK, "token vault elsewhere")
	if got := filepath.Base(other.onlyTokenFile()); got == name {
		t.Errorf("two installations name the same settings %q: the name is an unkeyed hash", got)
	}

	// A changed client secret is a new name, and a new token.
	cfg2 := h.writeConfig("vault2.toml", fmt.Sprintf(vaultConfig, ts.URL, ts.URL+"/token", "hunter3"))
	before := ts.requests()
	h.run("token", "--config", cfg2, "vault").expect(t, ExitOK, "token vault with a new secret")
	if ts.requests() != before+1 || len(h.tokenFiles()) != 2 {
		t.Errorf("a changed secret reused the cached token: %d requests, files %v", ts.requests()-before, h.tokenFiles())
	}
}

// An expiry in epoch milliseconds, as some servers send it, is read as
// such, and a fractional expires_in is a lifetime: the token the server
// issued is printed and cached, not lost after the fact.
func TestTokenExpiryForms(t *testing.T) {
	future := time.Now().Add(2 * time.Hour).Truncate(time.Second)
	ms := future.UnixMilli()
	cases := []struct {
		name, body, extra string
		want              time.Time // zero: unknown
		within            time.Duration
	}{
		{"expires_in in epoch ms", fmt.Sprintf(`"expires_in":%d`, ms), "", future, time.Second},
		{"expires_at in epoch ms", fmt.Sprintf(`"expires_at":%d`, ms), "token_response = { expires_at = \"expires_at\" }\n", future, time.Second},
		{"expires_at in epoch s", fmt.Sprintf(`"expires_at":%d`, future.Unix()), "token_response = { expires_at = \"expires_at\" }\n", future, time.Second},
		{"float expires_in", `"expires_in":3600.0`, "", time.Now().Add(time.Hour), time.Minute},
		{"float expires_in as a string", `"expires_in":"3600.0"`, "", time.Now().Add(time.Hour), time.Minute},
		{"absurd expires_in", `"expires_in":1e300`, "", time.Time{}, 0},
		{"absurd expires_at", `"expires_at":1e300`, "token_response = { expires_at = \"expires_at\" }\n", time.Time{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTokenServer(t, func(n int, r *http.Request) (int, string) {
				return 200, fmt.Sprintf(`{"access_token":"tok-%d","token_type":"bearer","refresh_token":"rt-%d",%s}`, n, n, c.body)
			})
			h := newHarness(t)
			cfg := h.writeConfig("k.toml", fmt.Sprintf(vaultConfig, ts.URL, ts.URL+"/token", "hunter2")+c.extra)
			r := h.run("token", "--config", cfg, "--json", "vault")
			r.expect(t, ExitOK, "token --json")
			tj := decodeTokenJSON(t, r.out)
			if tj.AccessToken != "tok-1" {
				t.Errorf("access_token %q", tj.AccessToken)
			}
			switch {
			case c.want.IsZero() && tj.ExpiresAt != nil:
				t.Errorf("expires_at %s, want null for an absurd value", *tj.ExpiresAt)
			case !c.want.IsZero() && tj.ExpiresAt == nil:
				t.Errorf("expires_at null, want about %s", c.want)
			case !c.want.IsZero():
				at, err := time.Parse(time.RFC3339, *tj.ExpiresAt)
				if d := at.Sub(c.want); err != nil || d > c.within || d < -c.within {
					t.Errorf("expires_at %s, want about %s", *tj.ExpiresAt, c.want.UTC().Format(time.RFC3339))
				}
			}
			if strings.Contains(r.errOut, "warning") {
				t.Errorf("stderr warns:\n%s", r.errOut)
			}
			// It was cached: the next run asks nobody.
			again := h.run("token", "--config", cfg, "--json", "vault")
			again.expect(t, ExitOK, "token --json again")
			if tj := decodeTokenJSON(t, again.out); tj.Source != "cache" || ts.requests() != 1 {
				t.Errorf("second run: source %q after %d token requests, want the cached token", tj.Source, ts.requests())
			}
		})
	}
}

// A token the cache cannot store is still the token the server issued:
// it is printed, and stderr says the cache failed.
func TestTokenKeptWhenTheCacheCannotStoreIt(t *testing.T) {
	_, h, cfg := vaultHarness(t)
	h.run("token", "--config", cfg, "vault").expect(t, ExitOK, "token vault")
	// A non-empty folder where the token file goes: the atomic rename
	// fails, for root too.
	path := h.onlyTokenFile()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(path, "in-the-way"), 0o700); err != nil {
		t.Fatal(err)
	}
	r := h.run("token", "--config", cfg, "--force", "vault")
	r.expect(t, ExitOK, "token --force with a cache that cannot store")
	if strings.TrimSpace(r.out) != "tok-2" {
		t.Errorf("stdout %q, want the new token", r.out)
	}
	if !strings.Contains(r.errOut, "warning") || !strings.Contains(r.errOut, "token cache could not keep") {
		t.Errorf("stderr does not say the cache failed:\n%s", r.errOut)
	}
}

// A cached record with an empty access token is no token: keyhole gets a
// new one instead of printing an empty line.
func TestTokenEmptyCachedAccessTokenIsNoToken(t *testing.T) {
	ts, h, cfg := vaultHarness(t)
	h.run("token", "--config", cfg, "vault").expect(t, ExitOK, "token vault")
	empty := fmt.Sprintf(`{"version":1,"access_token":"","token_type":"bearer","expiry":%q}`, time.Now().Add(time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(h.onlyTokenFile(), []byte(empty), 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.run("token", "--config", cfg, "vault")
	r.expect(t, ExitOK, "token over an empty cached token")
	if strings.TrimSpace(r.out) != "tok-2" || ts.requests() != 2 {
		t.Errorf("stdout %q after %d token requests: want a new token", r.out, ts.requests())
	}
}

// A refresh token the server refused is removed from the file cache and
// never sent again — servers with reuse detection revoke the grant for
// that — and `token` exits 2: the endpoint answered, no token came.
func TestTokenRefusedRefreshTokenIsForgotten(t *testing.T) {
	ts := newTokenServer(t, func(n int, r *http.Request) (int, string) {
		if r.PostForm.Get("refresh_token") == "rt-configured" {
			// Expired already: the next run refreshes with the rotated
			// token.
			return 200, fmt.Sprintf(`{"access_token":"tok-1","token_type":"bearer","expires_at":%d,"refresh_token":"rt-rotated"}`, time.Now().Add(-time.Minute).Unix())
		}
		return 400, `{"error":"invalid_grant","error_description":"refresh token revoked"}`
	})
	h := newHarness(t)
	cfg := h.writeConfig("rt.toml", fmt.Sprintf(`[settings]
token_cache = "file"

[providers.rt]
base_url = %q
grant = "refresh_token"
token_url = %q
client_id = "cli"
refresh_token = "rt-configured"
token_response = { expires_at = "expires_at" }
`, ts.URL, ts.URL+"/token"))
	h.run("token", "--config", cfg, "rt").expect(t, ExitOK, "token rt")

	for i := range 2 {
		r := h.run("token", "--config", cfg, "rt")
		r.expect(t, ExitToken, fmt.Sprintf("run %d after the refusal", i+2))
		if r.out != "" || !strings.Contains(r.errOut, "refresh token") {
			t.Errorf("run %d: stdout %q, stderr:\n%s", i+2, r.out, r.errOut)
		}
		b, err := os.ReadFile(h.onlyTokenFile())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "rt-rotated") {
			t.Errorf("run %d: the refused refresh token is still in the cache: %s", i+2, b)
		}
	}
	if n := ts.sent("rt-rotated"); n != 1 {
		t.Errorf("the refused refresh token was sent %d times, want once", n)
	}
	if n := ts.sent("rt-configured"); n != 1 {
		t.Errorf("the configured refresh token, spent by its rotation, was sent %d times, want once", n)
	}
	var rec map[string]any
	b, _ := os.ReadFile(h.onlyTokenFile())
	if err := json.Unmarshal(b, &rec); err != nil || rec["access_token"] != "tok-1" {
		t.Errorf("the cached record lost its access token: %s", b)
	}
}
