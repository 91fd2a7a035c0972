package emulators

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// sys303 (seed 002), the 晟邦 OCR open platform: the token endpoint
// POST /api/v1/oauth/token takes everything in the URL query on an empty
// body and answers an ABSOLUTE expiry; the API takes the token in the URL.

const (
	// The seed's own example values (its sample URL carries them).
	sys303DefaultID     = "Fq5eR3LT0vuXV"
	sys303DefaultSecret = "0rDSjzQ20XUj5itV6WRtz"
	// Seed 002: "Access token默认有效期为 30 天".
	sys303DefaultTTL = 30 * 24 * time.Hour
)

// Error codes. Seed 002 documents one error body, {"error_code": 6,
// "error_msg": "No permission to access data", "details": null}, and no HTTP
// status. Code 6 with that message is Baidu AI Open Platform's, whose token
// URL sys303 copies; the other codes and messages are Baidu's too. Emulator
// choice: HTTP 400 for malformed requests, 401 for bad credentials or
// tokens, 405 for a wrong method; "details" stays null as in the seed,
// except that it names the rule when the request put something in the
// wrong place, so a person trying the emulator sees why.
const (
	sys303BadMethod    = 3   // "Unsupported openapi method"
	sys303NoPermission = 6   // "No permission to access data" (the seed's)
	sys303BadParam     = 100 // "Invalid parameter"
	sys303BadToken     = 110 // "Access token invalid or no longer valid"
	sys303Expired      = 111 // "Access token expired"
)

var sys303Messages = map[int]string{
	sys303BadMethod:    "Unsupported openapi method",
	sys303NoPermission: "No permission to access data",
	sys303BadParam:     "Invalid parameter",
	sys303BadToken:     "Access token invalid or no longer valid",
	sys303Expired:      "Access token expired",
}

type sys303 struct{ *core }

func newSys303(o Options) Emulator {
	return &sys303{newCore("sys303", o, defaults{sys303DefaultID, sys303DefaultSecret, sys303DefaultTTL, "SYS303_API_KEY", "SYS303_SECRET_KEY"})}
}

func (s *sys303) Handler() http.Handler { return s.serve(s.route) }

func (s *sys303) route(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/v1/oauth/token":
		s.token(w, r)
	case "/api/v1/account/balance":
		s.api(w, r, http.MethodGet, s.balance)
	case "/api/v1/ocr/general_basic":
		s.api(w, r, http.MethodPost, s.ocr)
	default:
		s.count(kindUnrouted, "")
		s.fail(w, http.StatusNotFound, sys303BadMethod, nil)
	}
}

func (s *sys303) fail(w http.ResponseWriter, status, code int, details *string) {
	writeJSON(w, status, struct {
		Code    int     `json:"error_code"`
		Msg     string  `json:"error_msg"`
		Details *string `json:"details"`
	}{code, sys303Messages[code], details})
}

func ptr(s string) *string { return &s }

func (s *sys303) tokenFail(w http.ResponseWriter, status, code int, reason string, details *string) {
	s.count(kindToken, reason)
	s.fail(w, status, code, details)
}

func (s *sys303) token(w http.ResponseWriter, r *http.Request) {
	// Seed 002: "POST 方式请求".
	if r.Method != http.MethodPost {
		s.tokenFail(w, http.StatusMethodNotAllowed, sys303BadMethod, ReasonBadRequest, ptr("the token endpoint takes POST"))
		return
	}
	// Seed 002: every sample posts an empty body (curl -d '', requests
	// data="", C# an empty FormUrlEncodedContent, Java write("")), once as
	// JSON and once as a form, so the Content-Type is never looked at
	// (VENDORS.md: "the content type must not matter"). The body must be
	// empty; credentials in it are the mistake this rule catches.
	body, err := readBody(r)
	if err != nil {
		s.tokenFail(w, http.StatusBadRequest, sys303BadParam, ReasonBadRequest, nil)
		return
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		if credentialsIn(body) {
			s.tokenFail(w, http.StatusBadRequest, sys303BadParam, ReasonClientAuthPlace,
				ptr("client_id, client_secret and grant_type must be URL query parameters; the body must be empty"))
			return
		}
		s.tokenFail(w, http.StatusBadRequest, sys303BadParam, ReasonBadRequest, ptr("the request body must be empty"))
		return
	}
	// Seed 002: all three are "必须参数" in the URL query.
	q := r.URL.Query()
	for _, p := range []string{"grant_type", "client_id", "client_secret"} {
		if q.Get(p) == "" {
			s.tokenFail(w, http.StatusBadRequest, sys303BadParam, ReasonBadRequest, ptr(p+" is required as a URL query parameter"))
			return
		}
	}
	// Seed 002: grant_type "固定为client_credentials".
	if q.Get("grant_type") != "client_credentials" {
		s.tokenFail(w, http.StatusBadRequest, sys303BadParam, ReasonUnsupportedGrant, ptr("grant_type must be client_credentials"))
		return
	}
	if q.Get("client_id") != s.id || q.Get("client_secret") != s.secret {
		s.tokenFail(w, http.StatusUnauthorized, sys303NoPermission, ReasonInvalidClient, nil)
		return
	}

	now := s.now()
	exp := now.Add(s.ttl)
	tok := s.mintJWT(map[string]any{
		"iss": "https://api.ocr.sys303.com", "aud": "https://ocr.sys303.com", "name": s.id,
		"iat": now.Unix(), "exp": exp.Unix(),
	})
	s.remember(tok, &issued{client: s.id, expires: exp})
	s.count(kindToken, "")
	noStore(w)
	// Seed 002's success body: "expires" is an absolute Unix time in seconds.
	writeJSON(w, http.StatusOK, struct {
		AccessToken string `json:"access_token"`
		Expires     int64  `json:"expires"`
	}{tok, exp.Unix()})
}

// credentialsIn reports whether a body carries any token-request parameter,
// read as a form or as JSON, whichever it parses as.
func credentialsIn(body []byte) bool {
	keys := map[string]bool{}
	var obj map[string]any
	if json.Unmarshal(body, &obj) == nil {
		for k := range obj {
			keys[k] = true
		}
	} else if form, err := url.ParseQuery(string(body)); err == nil {
		for k := range form {
			keys[k] = true
		}
	}
	return keys["client_id"] || keys["client_secret"] || keys["grant_type"]
}

// api checks the token, then calls h. Seed 002: "调用API时必须在URL中带上
// Access_token参数"; the parameter name access_token is inferred.
func (s *sys303) api(w http.ResponseWriter, r *http.Request, method string, h func(*http.Request) (int, any, *string)) {
	if r.Method != method {
		s.count(kindUnrouted, "")
		s.fail(w, http.StatusMethodNotAllowed, sys303BadMethod, nil)
		return
	}
	// Assumption (VENDORS.md): the query parameter is named access_token.
	tok := r.URL.Query().Get("access_token")
	if tok == "" {
		if r.Header.Get("Authorization") != "" {
			// The token sent the usual way: the vendor does not read headers.
			s.count(kindAPI, ReasonTokenInHeader)
			s.fail(w, http.StatusUnauthorized, sys303BadToken, ptr("the access token goes in the access_token URL query parameter, not a header"))
			return
		}
		s.count(kindAPI, ReasonMissingToken)
		s.fail(w, http.StatusUnauthorized, sys303BadToken, ptr("access_token URL query parameter is required"))
		return
	}
	if _, reason := s.checkAccess(tok, s.now()); reason != "" {
		s.count(kindAPI, reason)
		code := sys303BadToken
		if reason == ReasonExpiredToken {
			code = sys303Expired
		}
		s.fail(w, http.StatusUnauthorized, code, nil)
		return
	}
	status, v, details := h(r)
	if status != http.StatusOK {
		s.count(kindAPI, ReasonBadRequest)
		s.fail(w, status, sys303BadParam, details)
		return
	}
	s.count(kindAPI, "")
	writeJSON(w, status, v)
}

// The API routes are the emulator's own: seed 002 never shows an API call.
// The balance route echoes the seed's price ("0.4元/次").
func (s *sys303) balance(*http.Request) (int, any, *string) {
	return http.StatusOK, map[string]any{"client_id": s.id, "balance": 100.0, "price_per_call": 0.4, "currency": "CNY"}, nil
}

// ocr takes "image" (base64) or "url", as a form or JSON, Baidu-style, and
// returns canned words.
func (s *sys303) ocr(r *http.Request) (int, any, *string) {
	var image, link string
	if mediaType(r) == "application/json" {
		var in struct{ Image, URL string }
		body, err := readBody(r)
		if err != nil || json.Unmarshal(body, &in) != nil {
			return http.StatusBadRequest, nil, ptr("the body is not valid JSON")
		}
		image, link = in.Image, in.URL
	} else if err := r.ParseForm(); err == nil {
		image, link = r.PostForm.Get("image"), r.PostForm.Get("url")
	}
	if image == "" && link == "" {
		return http.StatusBadRequest, nil, ptr("image (base64) or url is required")
	}
	return http.StatusOK, map[string]any{
		"log_id":           1731514947123,
		"words_result_num": 2,
		"words_result":     []map[string]string{{"words": "晟邦OCR开放平台"}, {"words": "keyhole emulator"}},
	}, nil
}

func (s *sys303) Config(baseURL string) string {
	return s.config(baseURL, s.Env(), providerTable{
		title: "sys303 OCR", seed: "seed 002", api: "/api/v1",
		grant: "client_credentials", token: "/api/v1/oauth/token", clientAuth: "query",
		keys: `token_response = { access_token = "access_token", expires_at = "expires", error = "error_msg" }
inject = { query = "access_token" }
`,
		requests: []sampleRequest{
			{name: "Account balance", method: "GET", path: "/account/balance"},
			{name: "OCR an image by URL", method: "POST", path: "/ocr/general_basic", extra: `headers = { "Content-Type" = "application/json" }
body = '{"url": "https://example.com/receipt.png"}'
`},
		},
	})
}
