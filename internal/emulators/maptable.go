package emulators

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maptable (seed 004): a custom JSON login at /open/api/v1/auth/, a
// refresh at /open/api/v1/token/refresh/, tokens that carry their own
// "Bearer " prefix, an envelope {"code","detail","extra","message",
// "requestID"} on every answer, and 60 requests per minute per app.

const (
	// Seed 004's request-body example values.
	maptableDefaultID     = "appid-in-profile-page"
	maptableDefaultSecret = "6d3a45095e1127d99338f668ccec1f35ff60148a"
	// Seed 004: "过期时间(8小时)".
	maptableDefaultTTL = 8 * time.Hour
	// Emulator choice: the seed gives no refresh-token lifetime.
	maptableRefreshTTL = 7 * 24 * time.Hour
	// Seed 004: "所有接口限制每个应用最高频率 60 次/分钟".
	maptableLimit  = 60
	maptableWindow = time.Minute
)

// Seed 004 only says a non-zero code is a failure, with message describing
// it. Emulator choice: the code is the HTTP status the failure would have
// (400, 401, 404, 405, 429); login and refresh failures still come with HTTP
// 200, API failures with that status.
const (
	mtBadRequest = 400
	mtAuth       = 401
	mtNotFound   = 404
	mtMethod     = 405
	mtThrottled  = 429
)

type maptable struct {
	*core
	// hits holds, per appId, the times of the requests that counted in the
	// last window; guarded by core.mu.
	hits map[string][]time.Time
}

func newMaptable(o Options) Emulator {
	return &maptable{core: newCore("maptable", o, defaults{maptableDefaultID, maptableDefaultSecret, maptableDefaultTTL, "MAPTABLE_APP_ID", "MAPTABLE_APP_SECRET"}), hits: map[string][]time.Time{}}
}

func (m *maptable) Handler() http.Handler { return m.serve(m.route) }

// The paths keep Django's trailing slash; without it the route is not found.
func (m *maptable) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/open/api/v1/auth/":
		m.login(w, r)
	case p == "/open/api/v1/token/refresh/":
		m.refresh(w, r)
	case p == "/open/api/v1/workspaces/":
		m.api(w, r, func() (int, any) { return 0, maptableWorkspaces })
	case strings.HasPrefix(p, "/open/api/v1/workspaces/") && strings.Count(p, "/") == 6 && strings.HasSuffix(p, "/"):
		id := strings.TrimSuffix(strings.TrimPrefix(p, "/open/api/v1/workspaces/"), "/")
		m.api(w, r, func() (int, any) {
			for _, ws := range maptableWorkspaces {
				if strconv.Itoa(ws["id"].(int)) == id {
					return 0, ws
				}
			}
			return mtNotFound, nil
		})
	default:
		m.count(kindUnrouted, "")
		m.reply(w, http.StatusNotFound, mtNotFound, "Not found.", nil)
	}
}

// reply writes seed 004's envelope.
func (m *maptable) reply(w http.ResponseWriter, status, code int, message string, detail any) {
	writeJSON(w, status, struct {
		Code      int    `json:"code"`
		Detail    any    `json:"detail"`
		Extra     any    `json:"extra"`
		Message   string `json:"message"`
		RequestID any    `json:"requestID"`
	}{code, detail, nil, message, nil})
}

// allow counts one request against app's budget at now. The window slides:
// a request counts for exactly 60 s after it was accepted, so 60 requests
// in any 60 s pass and the next is refused until the oldest ages out —
// stricter than a calendar-minute window, so a client that paces itself
// for this passes either.
// Assumption (VENDORS.md): the limit is answered with 429 and Retry-After;
// the seed only says "60 次/分钟".
// Assumption (VENDORS.md, how it is counted): "所有接口" — every endpoint,
// so logins and refreshes count too, but only requests the emulator can
// attribute to the app: a login naming its appId (right secret or not), a
// refresh or API call presenting a token issued to it (expired or not).
// Requests it cannot attribute are answered without counting, and a 429
// does not use up budget.
func (m *maptable) allow(app string, now time.Time) (ok bool, retryAfter int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	kept := m.hits[app][:0]
	for _, t := range m.hits[app] {
		if now.Sub(t) < maptableWindow {
			kept = append(kept, t)
		}
	}
	m.hits[app] = kept
	if len(kept) < maptableLimit {
		m.hits[app] = append(kept, now)
		return true, 0
	}
	wait := maptableWindow - now.Sub(kept[0])
	return false, max(1, int(math.Ceil(wait.Seconds())))
}

// throttle answers 429 if app is over its budget; it reports whether it did.
func (m *maptable) throttle(w http.ResponseWriter, kind, app string) bool {
	ok, after := m.allow(app, m.now())
	if ok {
		return false
	}
	m.count(kind, ReasonRateLimited)
	w.Header().Set("Retry-After", strconv.Itoa(after))
	m.reply(w, http.StatusTooManyRequests, mtThrottled, fmt.Sprintf("Request was throttled. Expected available in %d seconds.", after), nil)
	return true
}

// jsonBody decodes a JSON object body into v. Seed 004's curl sends
// Content-Type: application/json and Python's json= does too; a body sent
// as anything else is not read as JSON.
func jsonBody(r *http.Request, v any) bool {
	if mediaType(r) != "application/json" {
		return false
	}
	body, err := readBody(r)
	return err == nil && json.Unmarshal(body, v) == nil
}

// readPost reads the JSON body of a login or refresh (kind) into in. A
// request that is not a POST with a JSON body is answered here, and
// readPost reports false.
func (m *maptable) readPost(w http.ResponseWriter, r *http.Request, kind string, in any) bool {
	if r.Method != http.MethodPost {
		m.count(kind, ReasonBadRequest)
		m.reply(w, http.StatusMethodNotAllowed, mtMethod, fmt.Sprintf("Method %q not allowed.", r.Method), nil)
		return false
	}
	if !jsonBody(r, in) {
		m.refuse(w, kind, mtBadRequest, "request body must be JSON (Content-Type: application/json)", ReasonBadRequest)
		return false
	}
	return true
}

// refuse answers a failed login or refresh (kind) with HTTP 200 and a
// non-zero code: seed 004's "非 0 表示失败".
func (m *maptable) refuse(w http.ResponseWriter, kind string, code int, msg, reason string) {
	m.count(kind, reason)
	m.reply(w, http.StatusOK, code, msg, nil)
}

func (m *maptable) login(w http.ResponseWriter, r *http.Request) {
	// Seed 004: POST {"appId": ..., "appSecret": ...} as JSON.
	var in struct {
		AppID     *string `json:"appId"`
		AppSecret *string `json:"appSecret"`
	}
	if !m.readPost(w, r, kindToken, &in) {
		return
	}
	if in.AppID == nil || in.AppSecret == nil || *in.AppID == "" || *in.AppSecret == "" {
		m.refuse(w, kindToken, mtBadRequest, "appId and appSecret are required", ReasonBadRequest)
		return
	}
	if *in.AppID == m.id && m.throttle(w, kindToken, m.id) {
		return
	}
	if *in.AppID != m.id || *in.AppSecret != m.secret {
		m.refuse(w, kindToken, mtAuth, "invalid appId or appSecret", ReasonInvalidClient)
		return
	}
	m.count(kindToken, "")
	m.reply(w, http.StatusOK, 0, "OK", m.issuePair())
}

// issuePair mints an access and a refresh token, each a JWT behind seed
// 004's "Bearer " prefix.
// Assumption (VENDORS.md): the JWT's exp is the only expiry; the response
// carries no lifetime field.
func (m *maptable) issuePair() map[string]string {
	now := m.now()
	mint := func(kind string, ttl time.Duration) string {
		// Claims shaped like djangorestframework-simplejwt's, which the
		// Django-style trailing-slash paths suggest.
		tok := "Bearer " + m.mintJWT(map[string]any{
			"token_type": kind, "app_id": m.id, "iat": now.Unix(), "exp": now.Add(ttl).Unix(),
		})
		m.remember(tok, &issued{refresh: kind == "refresh", client: m.id, expires: now.Add(ttl)})
		return tok
	}
	return map[string]string{"token": mint("access", m.ttl), "refreshToken": mint("refresh", maptableRefreshTTL)}
}

// withPrefix turns either form of a refresh token into the issued one.
// Assumption (VENDORS.md): accept the value with and without "Bearer " —
// tokens are issued with it, seed 004's example body sends one without.
func withPrefix(v string) string {
	return "Bearer " + strings.TrimPrefix(strings.TrimSpace(v), "Bearer ")
}

func (m *maptable) refresh(w http.ResponseWriter, r *http.Request) {
	// Seed 004 sends the refresh token twice: "Authorization: $refresh-token"
	// and {"refreshtoken": ...}. Both are required and must name one token.
	var in struct {
		RefreshToken *string `json:"refreshtoken"`
	}
	if !m.readPost(w, r, kindRefresh, &in) {
		return
	}
	header := r.Header.Get("Authorization")
	if in.RefreshToken == nil || *in.RefreshToken == "" || header == "" {
		m.refuse(w, kindRefresh, mtAuth, "refresh token required in the Authorization header and as refreshtoken in the body", ReasonMissingToken)
		return
	}
	tok := withPrefix(*in.RefreshToken)
	if withPrefix(header) != tok {
		m.refuse(w, kindRefresh, mtAuth, "Authorization header and refreshtoken do not match", ReasonUnknownToken)
		return
	}
	m.mu.Lock()
	it, ok := m.issued[tok]
	m.mu.Unlock()
	if !ok || !it.refresh {
		m.refuse(w, kindRefresh, mtAuth, "Token is invalid or expired", ReasonUnknownToken)
		return
	}
	if m.throttle(w, kindRefresh, it.client) {
		return
	}
	m.mu.Lock()
	reason := ""
	switch {
	case !m.now().Before(it.expires):
		reason = ReasonExpiredToken
	case it.spent:
		reason = ReasonSpentToken
	default:
		// Emulator choice: refresh tokens rotate — a used one is dead
		// (simplejwt's blacklist-after-rotation). A client must keep the
		// refreshToken each answer returns, as seed 001 asks.
		it.spent = true
	}
	m.mu.Unlock()
	if reason != "" {
		m.refuse(w, kindRefresh, mtAuth, "Token is invalid or expired", reason)
		return
	}
	m.count(kindRefresh, "")
	m.reply(w, http.StatusOK, 0, "OK", m.issuePair())
}

// api requires "Authorization: <token as returned>" — seed 004's
// "Authorization: $access-token", whose value already reads "Bearer eyJ...".
func (m *maptable) api(w http.ResponseWriter, r *http.Request, body func() (int, any)) {
	if r.Method != http.MethodGet {
		m.count(kindUnrouted, "")
		m.reply(w, http.StatusMethodNotAllowed, mtMethod, fmt.Sprintf("Method %q not allowed.", r.Method), nil)
		return
	}
	reject := func(status, code int, msg, reason string) {
		m.count(kindAPI, reason)
		if status == http.StatusUnauthorized {
			// Emulator choice: the challenge simplejwt sends with its 401s.
			w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
		}
		m.reply(w, status, code, msg, nil)
	}
	h := r.Header.Get("Authorization")
	m.mu.Lock()
	it, ok := m.issued[h]
	_, bare := m.issued["Bearer "+h]
	m.mu.Unlock()
	switch {
	case h == "":
		reject(http.StatusUnauthorized, mtAuth, "Authentication credentials were not provided.", ReasonMissingToken)
		return
	case strings.HasPrefix(h, "Bearer Bearer "):
		// Assumption (VENDORS.md): the header must carry the token exactly
		// as issued; a client that adds its own "Bearer " gets a 401.
		reject(http.StatusUnauthorized, mtAuth, "Given token not valid for any token type: the header reads \"Bearer Bearer ...\"", ReasonDoublePrefix)
		return
	case bare:
		// The JWT without the prefix it was issued with.
		reject(http.StatusUnauthorized, mtAuth, "Authorization header must contain two space-delimited values: the token as issued reads \"Bearer eyJ...\"", ReasonWrongScheme)
		return
	case !ok || it.refresh:
		reject(http.StatusUnauthorized, mtAuth, "Given token not valid for any token type", ReasonUnknownToken)
		return
	}
	if m.throttle(w, kindAPI, it.client) {
		return
	}
	if !m.now().Before(it.expires) {
		reject(http.StatusUnauthorized, mtAuth, "Given token not valid for any token type: token is expired", ReasonExpiredToken)
		return
	}
	code, v := body()
	if code != 0 {
		reject(http.StatusNotFound, code, "Not found.", ReasonNotFound)
		return
	}
	m.count(kindAPI, "")
	m.reply(w, http.StatusOK, 0, "OK", v)
}

// GET /open/api/v1/workspaces/ is seed 004's example; its body is the seed's.
var maptableWorkspaces = []map[string]any{
	{"id": 164, "name": "580****9080", "type": "user", "avatar": nil, "plan": "base"},
	{"id": 233, "name": "keyhole team", "type": "team", "avatar": nil, "plan": "pro"},
}

func (m *maptable) Config(baseURL string) string {
	return m.config(baseURL, m.Env(), providerTable{
		title: "maptable", seed: "seed 004", api: "/open/api/v1", grant: "custom",
		keys: `rate_limit = "60/min"
login = { method = "POST", url = %s, json = { appId = "${MAPTABLE_APP_ID}", appSecret = "${MAPTABLE_APP_SECRET}" } }
refresh = { method = "POST", url = %s, headers = { Authorization = "{{refresh_token}}" }, json = { refreshtoken = "{{refresh_token}}" } }
token_response = { access_token = "detail.token", refresh_token = "detail.refreshToken", ok = "code == 0", error = "message" }
inject = { header = "Authorization", prefix = "" }
`,
		urls: []string{"/open/api/v1/auth/", "/open/api/v1/token/refresh/"},
		requests: []sampleRequest{
			{name: "List workspaces", method: "GET", path: "/workspaces/"},
			{name: "One workspace", method: "GET", path: "/workspaces/164/"},
		},
	})
}
