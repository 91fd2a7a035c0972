package emulators

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Azure AD China (seed 003): the v2.0 token endpoint
// POST /{tenant}/oauth2/v2.0/token (login.chinacloudapi.cn) with the client
// credentials grant in the form, and a protected API under /api/.

const (
	// Seed 003's tenant (in AUTH_URL) and resource (in scope).
	azureDefaultTenant   = "387c56a8-cf86-45de-b9f5-b4de88cac054"
	azureDefaultResource = "d6b7c858-55fa-4d04-85a6-131af690abd4"
	// An application ID is a GUID and a client secret looks like Azure's
	// generated ones ("~", "." and "_" included).
	azureDefaultID     = "5b0f7a3c-9e2d-4c61-8a47-1f3e6d2b9c80"
	azureDefaultSecret = "Kx8Q~emulator.Secret_0123456789abcdefABCDEF"
	// Seed 003: "expires_in":3599.
	azureDefaultTTL = 3599 * time.Second
)

type azureCN struct {
	*core
	tenant, resource string
}

func newAzureCN(o Options) Emulator {
	a := &azureCN{core: newCore("azurecn", o, defaults{azureDefaultID, azureDefaultSecret, azureDefaultTTL, "AZURECN_CLIENT_ID", "AZURECN_CLIENT_SECRET"}), tenant: o.Tenant, resource: o.Resource}
	if a.tenant == "" {
		a.tenant = azureDefaultTenant
	}
	if a.resource == "" {
		a.resource = azureDefaultResource
	}
	return a
}

func (a *azureCN) Handler() http.Handler { return a.serve(a.route) }

func (a *azureCN) route(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(parts) == 4 && parts[1] == "oauth2" && parts[2] == "v2.0" && parts[3] == "token":
		a.token(w, r, parts[0])
	case len(parts) == 3 && parts[0] == "api" && parts[1] == "devcenter" && parts[2] == "apps":
		a.api(w, r, func() (int, any) { return http.StatusOK, map[string]any{"value": azureApps} })
	case len(parts) == 4 && parts[0] == "api" && parts[1] == "devcenter" && parts[2] == "apps":
		a.api(w, r, func() (int, any) {
			for _, app := range azureApps {
				if app["id"] == parts[3] {
					return http.StatusOK, app
				}
			}
			return http.StatusNotFound, azureAPIError("NotFound", "The app '"+parts[3]+"' was not found.")
		})
	default:
		a.count(kindUnrouted, "")
		writeJSON(w, http.StatusNotFound, azureAPIError("NotFound", "No route matches "+r.URL.Path+"."))
	}
}

// aadError is the body Azure AD's token endpoint writes on failure.
type aadError struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	Codes         []int  `json:"error_codes"`
	Timestamp     string `json:"timestamp"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
	ErrorURI      string `json:"error_uri"`
}

// fail answers an AADSTS error: message is the text after "AADSTSnnn: ";
// AAD appends the trace, correlation and time to every description.
func (a *azureCN) fail(w http.ResponseWriter, status int, errCode string, aadsts int, message, reason string) {
	a.count(kindToken, reason)
	now := a.now().UTC()
	trace, corr := randomGUID(), randomGUID()
	ts := now.Format("2006-01-02 15:04:05Z")
	noStore(w)
	writeJSON(w, status, aadError{
		Error:         errCode,
		Description:   fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", aadsts, message, trace, corr, ts),
		Codes:         []int{aadsts},
		Timestamp:     ts,
		TraceID:       trace,
		CorrelationID: corr,
		ErrorURI:      fmt.Sprintf("https://login.chinacloudapi.cn/error?code=%d", aadsts),
	})
}

func (a *azureCN) token(w http.ResponseWriter, r *http.Request, tenant string) {
	if r.Method != http.MethodPost {
		a.fail(w, http.StatusBadRequest, "invalid_request", 900561,
			fmt.Sprintf("The endpoint only accepts POST, OPTIONS requests. Received a %s request.", r.Method), ReasonBadRequest)
		return
	}
	if !strings.EqualFold(tenant, a.tenant) {
		a.fail(w, http.StatusBadRequest, "invalid_request", 90002,
			fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", tenant), ReasonWrongTenant)
		return
	}
	// Seed 003: Content-Type application/x-www-form-urlencoded, parameters in
	// the body. AAD reads nothing else, so any other body reads as empty
	// and the first missing parameter is reported.
	form := map[string]string{}
	if mediaType(r) == "application/x-www-form-urlencoded" && r.ParseForm() == nil {
		for k := range r.PostForm {
			form[k] = r.PostForm.Get(k)
		}
	}
	missing := func(p string) {
		a.fail(w, http.StatusBadRequest, "invalid_request", 900144,
			fmt.Sprintf("The request body must contain the following parameter: '%s'.", p), ReasonBadRequest)
	}
	// Seed 003 sends grant_type, client_id, client_secret, scope and Type.
	// Assumption (VENDORS.md): Type=oauth2 is accepted when present and not
	// required — the seed's C# sample omits it, curl and Python send it.
	// AAD ignores parameters it does not know, so Type is never checked.
	switch {
	case form["grant_type"] == "":
		missing("grant_type")
		return
	case form["grant_type"] != "client_credentials":
		a.fail(w, http.StatusBadRequest, "unsupported_grant_type", 70003,
			"The app requested an unsupported grant type '"+form["grant_type"]+"'.", ReasonUnsupportedGrant)
		return
	case form["client_id"] == "":
		missing("client_id")
		return
	case form["scope"] == "":
		missing("scope")
		return
	case form["client_id"] != a.id:
		a.fail(w, http.StatusBadRequest, "unauthorized_client", 700016,
			fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", form["client_id"], a.tenant), ReasonInvalidClient)
		return
	case form["client_secret"] == "":
		// Seed 003 puts the secret in the form (client_secret_post); a Basic
		// header is not a method the seed uses, so it does not count.
		reason := ReasonInvalidClient
		if r.Header.Get("Authorization") != "" {
			reason = ReasonClientAuthPlace
		}
		a.fail(w, http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", reason)
		return
	case form["client_secret"] != a.secret:
		a.fail(w, http.StatusUnauthorized, "invalid_client", 7000215,
			fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", a.id), ReasonInvalidClient)
		return
	}
	// Seed 003: scope is "<resource>/.default", one resource.
	scope := form["scope"]
	resource, ok := strings.CutSuffix(scope, "/.default")
	if !ok || strings.ContainsAny(scope, " ") {
		a.fail(w, http.StatusBadRequest, "invalid_scope", 1002012,
			fmt.Sprintf("The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope), ReasonInvalidScope)
		return
	}
	if !strings.EqualFold(resource, a.resource) {
		a.fail(w, http.StatusBadRequest, "invalid_resource", 500011,
			fmt.Sprintf("The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", resource, a.tenant), ReasonInvalidScope)
		return
	}

	now := a.now()
	exp := now.Add(a.ttl)
	iss := "https://sts.chinacloudapi.cn/" + a.tenant + "/"
	oid := randomGUID()
	// Shaped like an AAD v1 app-only token; signed HS256 with the
	// emulator's key, not RS256 with Microsoft's, so it decodes but verifies
	// nowhere else.
	tok := a.mintJWT(map[string]any{
		"aud": a.resource, "iss": iss, "idp": iss, "iat": now.Unix(), "nbf": now.Unix(), "exp": exp.Unix(),
		"appid": a.id, "appidacr": "1", "oid": oid, "sub": oid, "tid": a.tenant, "ver": "1.0",
	})
	a.remember(tok, &issued{client: a.id, scopes: []string{scope}, expires: exp})
	a.count(kindToken, "")
	noStore(w)
	// Seed 003's response, field for field.
	secs := int64(a.ttl / time.Second)
	writeJSON(w, http.StatusOK, struct {
		TokenType    string `json:"token_type"`
		ExpiresIn    int64  `json:"expires_in"`
		ExtExpiresIn int64  `json:"ext_expires_in"`
		AccessToken  string `json:"access_token"`
	}{"Bearer", secs, secs, tok})
}

// api requires "Authorization: Bearer {access token}" (seed 003's last
// line). The 401 follows Azure's resource providers: a challenge naming the
// authority to get a token from, and an ARM-style JSON error body.
func (a *azureCN) api(w http.ResponseWriter, r *http.Request, body func() (int, any)) {
	if r.Method != http.MethodGet {
		a.count(kindUnrouted, "")
		writeJSON(w, http.StatusMethodNotAllowed, azureAPIError("MethodNotAllowed", "The requested resource does not support http method '"+r.Method+"'."))
		return
	}
	tok, reason := bearerToken(r)
	if reason == "" {
		_, reason = a.checkAccess(tok, a.now())
	}
	if reason != "" {
		a.count(kindAPI, reason)
		msg := map[string]string{
			ReasonMissingToken: "The authentication failed because of missing 'Authorization' header.",
			ReasonWrongScheme:  "The 'Authorization' header is invalid. It should be in the format 'Bearer <token>'.",
			ReasonDoublePrefix: "The access token is invalid: it starts with 'Bearer ', so the header carried the scheme twice.",
			ReasonUnknownToken: "The access token is invalid.",
			ReasonExpiredToken: "The access token expiry UTC time is earlier than current UTC time.",
		}[reason]
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer authorization_uri="%s://%s/%s", error="invalid_token", error_description=%q`, scheme, r.Host, a.tenant, msg))
		code := "InvalidAuthenticationToken"
		if reason == ReasonExpiredToken {
			code = "ExpiredAuthenticationToken"
		}
		writeJSON(w, http.StatusUnauthorized, azureAPIError(code, msg))
		return
	}
	status, v := body()
	if status != http.StatusOK {
		a.count(kindAPI, ReasonNotFound)
	} else {
		a.count(kindAPI, "")
	}
	writeJSON(w, status, v)
}

func azureAPIError(code, msg string) map[string]any {
	return map[string]any{"error": map[string]string{"code": code, "message": msg}}
}

// Seed 003 names no API; its C# sample calls the token a "DevCenterApi"
// token, hence these two invented routes.
var azureApps = []map[string]any{
	{"id": "app-001", "name": "keyhole-demo-app", "status": "Published", "region": "chinanorth3"},
	{"id": "app-002", "name": "inventory-sync", "status": "Draft", "region": "chinaeast2"},
}

// Env adds the tenant and the resource, which the config reads from the
// environment too.
func (a *azureCN) Env() map[string]string {
	env := a.core.Env()
	env["AZURECN_TENANT"], env["AZURECN_RESOURCE"] = a.tenant, a.resource
	return env
}

func (a *azureCN) Config(baseURL string) string {
	return a.config(baseURL, a.Env(), providerTable{
		title: "Azure AD China", seed: "seed 003", api: "/api",
		grant: "client_credentials", token: "/${AZURECN_TENANT}/oauth2/v2.0/token", clientAuth: "post",
		keys: `scopes = ["${AZURECN_RESOURCE}/.default"]
token_params = { Type = "oauth2" }
`,
		requests: []sampleRequest{
			{name: "List apps", method: "GET", path: "/devcenter/apps"},
			{name: "One app", method: "GET", path: "/devcenter/apps/app-001"},
		},
	})
}
