package demo_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

// wantChallenge checks an RFC 6750 error response.
func wantChallenge(t *testing.T, resp *http.Response, body []byte, status int, errCode string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status %d, want %d (%s)", resp.StatusCode, status, body)
	}
	h := resp.Header.Get("WWW-Authenticate")
	if !strings.HasPrefix(h, "Bearer ") {
		t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", h)
	}
	if errCode == "" {
		if strings.Contains(h, "error=") {
			t.Errorf("WWW-Authenticate = %q, want no error for a request without a token (RFC 6750 §3.1)", h)
		}
	} else if !strings.Contains(h, `error="`+errCode+`"`) {
		t.Errorf("WWW-Authenticate = %q, want error=%q", h, errCode)
	}
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" || e.Description == "" {
		t.Errorf("body %s, want a JSON error with a description", body)
	}
}

// apiServer starts a demo server and returns its URL with a
// client_credentials token for its API.
func apiServer(t *testing.T) (base, token string) {
	t.Helper()
	_, base = testServer(t, demo.Options{})
	return base, ccToken(t, base)
}

// wantBadRequest checks that GET url+query is refused with 400 for each
// query.
func wantBadRequest(t *testing.T, url, token string, queries ...string) {
	t.Helper()
	for _, q := range queries {
		if resp, _ := call(t, "GET", url+q, token, nil); resp.StatusCode != 400 {
			t.Errorf("GET %s: %d, want 400", url+q, resp.StatusCode)
		}
	}
}

func TestAPIRejectsBadTokens(t *testing.T) {
	t.Parallel()
	base, good := apiServer(t)
	_, pkce := pkceToken(t, base, "api:read", "offline_access")

	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"api:read`, `"api:admin`, 1))) + "." + parts[2]

	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, nil)
	jws, _ := signer.Sign(payload)
	foreign, _ := jws.CompactSerialize()

	for _, tc := range []struct {
		name, header, query string
		status              int
		errCode             string
	}{
		{"no token", "", "", 401, ""},
		{"wrong scheme", "access_token " + good, "", 401, ""},
		{"basic scheme", "Basic ZGVtbzpkZW1v", "", 401, ""},
		{"empty bearer", "Bearer ", "", 401, ""},
		{"random string", "Bearer not-a-token", "", 401, "invalid_token"},
		{"tampered payload", "Bearer " + tampered, "", 401, "invalid_token"},
		{"signed by another key", "Bearer " + foreign, "", 401, "invalid_token"},
		{"refresh token", "Bearer " + pkce.RefreshToken, "", 401, "invalid_token"},
		{"header and query", "Bearer " + good, good, 400, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := base + "/api/me"
			if tc.query != "" {
				u += "?access_token=" + tc.query
			}
			req := get(t, u)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, body := do(t, req)
			wantChallenge(t, resp, body, tc.status, tc.errCode)
			if tc.errCode == "" && resp.Header.Get("WWW-Authenticate") != `Bearer realm="keyhole-demo"` {
				t.Errorf("WWW-Authenticate = %q", resp.Header.Get("WWW-Authenticate"))
			}
		})
	}

	t.Run("query token", func(t *testing.T) {
		resp, body := do(t, get(t, base+"/api/me?access_token="+good))
		if resp.StatusCode != 200 {
			t.Errorf("status %d: %s", resp.StatusCode, body)
		}
	})
}

func TestAPIExpiredToken(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{TokenTTL: time.Second})
	tok := ccToken(t, base)
	if resp, body := call(t, "GET", base+"/api/me", tok, nil); resp.StatusCode != 200 {
		t.Fatalf("fresh token: %d %s", resp.StatusCode, body)
	}
	// exp has whole seconds and is valid through its last second.
	_, claims := jwtParts(t, tok)
	exp, _ := claims["exp"].(float64)
	time.Sleep(time.Until(time.Unix(int64(exp)+1, 0)) + 10*time.Millisecond)

	resp, body := call(t, "GET", base+"/api/me", tok, nil)
	wantChallenge(t, resp, body, 401, "invalid_token")
	if !strings.Contains(resp.Header.Get("WWW-Authenticate"), "expired") {
		t.Errorf("WWW-Authenticate = %q, want it to say the token expired", resp.Header.Get("WWW-Authenticate"))
	}
}

func TestAPIScopes(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	read, write := ccToken(t, base, "api:read"), ccToken(t, base, "api:write")

	resp, body := call(t, "POST", base+"/api/items", read, strings.NewReader(`{"name":"Brass Hinge"}`))
	wantChallenge(t, resp, body, 403, "insufficient_scope")
	if !strings.Contains(resp.Header.Get("WWW-Authenticate"), `scope="api:write"`) {
		t.Errorf("WWW-Authenticate = %q, want scope=\"api:write\"", resp.Header.Get("WWW-Authenticate"))
	}
	resp, body = call(t, "GET", base+"/api/items", write, nil)
	wantChallenge(t, resp, body, 403, "insufficient_scope")

	resp, body = call(t, "POST", base+"/api/items", write, strings.NewReader(`{"name":"Brass Hinge","tags":["new"],"price":12.5}`))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var created map[string]any
	if err := json.Unmarshal(body, &created); err != nil || created["name"] != "Brass Hinge" || created["id"] == "" || created["price"] != 12.5 {
		t.Errorf("created %s", body)
	}

	for _, bad := range []string{`{"name":`, `[1,2]`, `{"name":""}`, `{"tags":["x"]}`, `{"name":"a"} {"name":"b"}`, ``} {
		resp, body := call(t, "POST", base+"/api/items", write, strings.NewReader(bad))
		if resp.StatusCode != 400 || !json.Valid(body) || !strings.Contains(string(body), `"error"`) {
			t.Errorf("body %q: %d %s, want 400 with a JSON error", bad, resp.StatusCode, body)
		}
	}
}

func TestAPIItems(t *testing.T) {
	t.Parallel()
	base, tok := apiServer(t)
	type page struct {
		Items []struct {
			ID        string   `json:"id"`
			Name      string   `json:"name"`
			Tags      []string `json:"tags"`
			CreatedAt string   `json:"created_at"`
		} `json:"items"`
		Page, PerPage, Total int
		Next                 *string `json:"next"`
	}
	fetch := func(q string) (page, string) {
		resp, body := call(t, "GET", base+"/api/items"+q, tok, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("items%s: %d %s %s", q, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		var p page
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		return p, string(body)
	}

	first, raw := fetch("")
	if len(first.Items) != 10 || first.Page != 1 || first.Total != 57 || first.Next == nil || *first.Next != "/api/items?page=2" {
		t.Errorf("page 1 = %s", raw)
	}
	if it := first.Items[0]; it.ID == "" || it.Name == "" || len(it.Tags) == 0 || it.CreatedAt == "" {
		t.Errorf("item = %+v", it)
	}
	if _, again := fetch("?page=1"); again != raw {
		t.Error("page 1 differs between two calls")
	}
	if last, raw := fetch("?page=6"); len(last.Items) != 7 || last.Next != nil {
		t.Errorf("page 6 = %s", raw)
	}
	if past, raw := fetch("?page=99"); len(past.Items) != 0 || !strings.Contains(raw, `"items":[]`) {
		t.Errorf("page 99 = %s", raw)
	}
	wantBadRequest(t, base+"/api/items", tok, "?page=0", "?page=x", "?page=-1")
}

func TestAPIBig(t *testing.T) {
	t.Parallel()
	base, tok := apiServer(t)

	resp, body := call(t, "GET", base+"/api/big?mb=2", tok, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("big: %d", resp.StatusCode)
	}
	if want := 2 << 20; len(body) < want*9/10 || len(body) > want*11/10 {
		t.Errorf("len = %d, want about %d", len(body), want)
	}
	if resp.ContentLength != int64(len(body)) {
		t.Errorf("Content-Length %d, body %d", resp.ContentLength, len(body))
	}
	if !json.Valid(body) {
		t.Fatal("body is not valid JSON")
	}
	var records []map[string]any
	if err := json.Unmarshal(body, &records); err != nil || len(records) < 1000 {
		t.Errorf("want an array of many objects: %d, %v", len(records), err)
	}
	if _, again := call(t, "GET", base+"/api/big?mb=2", tok, nil); string(again) != string(body) {
		t.Error("two calls differ")
	}
	wantBadRequest(t, base+"/api/big", tok, "?mb=201", "?mb=0", "?mb=x")
}

func TestAPISlowHonoursCancel(t *testing.T) {
	t.Parallel()
	base, tok := apiServer(t)

	c := &http.Client{Transport: &http.Transport{}, Timeout: 50 * time.Millisecond}
	defer c.CloseIdleConnections()
	req := get(t, base+"/api/slow?ms=5000")
	req.Header.Set("Authorization", "Bearer "+tok)
	start := time.Now()
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("want a client timeout")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("gave up after %v", d)
	}

	resp, body := call(t, "GET", base+"/api/slow?ms=10", tok, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"waited_ms":10`) {
		t.Errorf("slow: %d %s", resp.StatusCode, body)
	}
	wantBadRequest(t, base+"/api/slow", tok, "?ms=60001")
}

func TestAPIStatusAndRoutes(t *testing.T) {
	t.Parallel()
	base, tok := apiServer(t)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/api/status/200", 200},
		{"GET", "/api/status/418", 418},
		{"GET", "/api/status/503", 503},
		{"GET", "/api/status/204", 204},
		{"GET", "/api/status/150", 400},
		{"GET", "/api/status/600", 400},
		{"GET", "/api/status/abc", 400},
		{"GET", "/api/nope", 404},
		{"GET", "/", 404},
		{"DELETE", "/api/items", 405},
		{"GET", "/oauth2/token", 405},
	} {
		resp, body := call(t, tc.method, base+tc.path, tok, nil)
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
		if tc.want == 204 {
			continue
		}
		if resp.Header.Get("Content-Type") != "application/json" || !json.Valid(body) {
			t.Errorf("%s %s: %s %q, want JSON", tc.method, tc.path, resp.Header.Get("Content-Type"), body)
		}
		if tc.want < 400 && !strings.Contains(string(body), `"status":`+strconv.Itoa(tc.want)) {
			t.Errorf("%s %s: body %s", tc.method, tc.path, body)
		}
	}
}
