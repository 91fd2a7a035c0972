package preset

import "strings"

// all are the presets, in the order the README lists them. Where
// golang.org/x/oauth2/endpoints knows an identity provider, the URLs here
// are the ones it gives (preset_test.go holds them to it).
var all = []*Preset{
	{
		Name: "entra-id", Title: "Microsoft Entra ID",
		Needs: []string{"tenant"}, Reads: []string{"tenant", "cloud"},
		BaseURL: "https://graph.microsoft.com/v1.0", Scopes: []string{"offline_access", "https://graph.microsoft.com/User.Read"},
		Example: map[string]string{"tenant": "contoso.onmicrosoft.com", "cloud": "global"},
		Doc: map[string]string{
			"tenant": "the directory (tenant) ID or a verified domain; common, organizations and consumers work for sign-ins only",
			"cloud":  "global (login.microsoftonline.com, the default) or china (login.chinacloudapi.cn, operated by 21Vianet)",
		},
		Notes: []string{
			`client_credentials takes scopes = ["RESOURCE/.default"], like https://graph.microsoft.com/.default.`,
			"For the authorization code flow, set redirect_port and register http://127.0.0.1:PORT/callback as a redirect URI of the app (Mobile and desktop applications).",
		},
		fill: func(p Params) []Field {
			cloud := p.Cloud
			if cloud == "" {
				cloud = "global"
			}
			root := "https://" + clouds[cloud] + "/" + p.Tenant + "/oauth2/v2.0/"
			return []Field{
				{"grant", "authorization_code"},
				{"auth_url", root + "authorize"},
				{"token_url", root + "token"},
				{"device_url", root + "devicecode"},
			}
		},
	},
	{
		Name: "github", Title: "GitHub",
		Scopes: []string{"repo", "read:org"},
		Notes: []string{
			"An OAuth app or GitHub app with device flow enabled; its client ID is not a secret.",
			`For the web flow set grant = "authorization_code" and client_secret (GitHub still wants it).`,
		},
		fill: func(Params) []Field {
			return []Field{
				{"grant", "device_code"},
				{"base_url", "https://api.github.com"},
				{"auth_url", "https://github.com/login/oauth/authorize"},
				{"token_url", "https://github.com/login/oauth/access_token"},
				{"device_url", "https://github.com/login/device/code"},
				{"client_auth", "post"},
			}
		},
	},
	{
		Name: "google", Title: "Google",
		BaseURL: "https://www.googleapis.com", Scopes: []string{"https://www.googleapis.com/auth/drive.readonly"}, Secret: true,
		Notes: []string{
			"An OAuth client of type Desktop app: authorization code with PKCE, and the client secret Google still requires (it is not confidential there).",
			"base_url is the API's, like https://www.googleapis.com; scopes are the API's, like https://www.googleapis.com/auth/drive.readonly.",
		},
		fill: func(Params) []Field {
			return []Field{
				{"grant", "authorization_code"},
				{"issuer", "https://accounts.google.com"},
				{"auth_url", "https://accounts.google.com/o/oauth2/auth"},
				{"token_url", "https://oauth2.googleapis.com/token"},
				{"device_url", "https://oauth2.googleapis.com/device/code"},
				{"client_auth", "post"},
			}
		},
	},
	{
		Name: "auth0", Title: "Auth0",
		Needs: []string{"domain"}, Reads: []string{"domain"},
		Example: map[string]string{"domain": "dev-123.us.auth0.com"},
		BaseURL: "https://api.example.com", Scopes: []string{"openid", "offline_access"}, Audience: true,
		Doc: map[string]string{"domain": "the tenant's host (or its custom domain), without https://"},
		Notes: []string{
			"Set audience to the API's identifier: without it Auth0 issues an opaque access token, not a JWT your API can check.",
		},
		fill: func(p Params) []Field {
			root := "https://" + p.Domain + "/"
			return []Field{
				{"grant", "authorization_code"},
				{"issuer", root},
				{"auth_url", root + "authorize"},
				{"token_url", root + "oauth/token"},
				{"device_url", root + "oauth/device/code"},
				{"revoke_url", root + "oauth/revoke"},
			}
		},
	},
	{
		Name: "okta", Title: "Okta",
		Needs: []string{"domain"}, Reads: []string{"domain", "authorization_server"},
		Example: map[string]string{"domain": "dev-123.okta.com", "authorization_server": "default"},
		BaseURL: "https://api.example.com", Scopes: []string{"openid", "offline_access"},
		Doc: map[string]string{
			"domain":               "the org's host, without https://",
			"authorization_server": "the custom authorization server's ID (default: default), or org for the org authorization server",
		},
		Notes: []string{
			`authorization_server = "org" is the org authorization server: its URLs have no server ID (/oauth2/v1/...) and its issuer is the domain itself.`,
		},
		fill: func(p Params) []Field {
			host := "https://" + p.Domain
			// The org authorization server is the org's own: its issuer is
			// the bare domain and its endpoints sit right under /oauth2/v1,
			// where a custom server's sit under /oauth2/{id}/v1.
			iss, root := host, host+"/oauth2"
			switch p.AuthorizationServer {
			case "org":
			case "":
				iss = host + "/oauth2/default"
				root = iss
			default:
				iss = host + "/oauth2/" + p.AuthorizationServer
				root = iss
			}
			return []Field{
				{"grant", "authorization_code"},
				{"issuer", iss},
				{"auth_url", root + "/v1/authorize"},
				{"token_url", root + "/v1/token"},
				{"device_url", root + "/v1/device/authorize"},
				{"revoke_url", root + "/v1/revoke"},
				{"introspect_url", root + "/v1/introspect"},
			}
		},
	},
	{
		Name: "keycloak", Title: "Keycloak",
		Needs: []string{"server_url", "realm"}, Reads: []string{"server_url", "realm"},
		Example: map[string]string{"server_url": "https://sso.example.com", "realm": "myrealm"},
		BaseURL: "https://api.example.com", Scopes: []string{"openid"},
		Doc: map[string]string{
			"server_url": "Keycloak's root URL, with /auth for versions before 17",
			"realm":      "the realm's name",
		},
		Notes: []string{
			"base_url stays the API's: server_url is only where tokens come from.",
		},
		fill: func(p Params) []Field {
			root, _ := baseURL(p.ServerURL)
			if deferred(p.ServerURL) {
				root = strings.TrimRight(p.ServerURL, "/")
			}
			iss := root + "/realms/" + p.Realm
			oidc := iss + "/protocol/openid-connect"
			return []Field{
				{"grant", "authorization_code"},
				{"issuer", iss},
				{"auth_url", oidc + "/auth"},
				{"token_url", oidc + "/token"},
				{"device_url", oidc + "/auth/device"},
				{"revoke_url", oidc + "/revoke"},
				{"introspect_url", oidc + "/token/introspect"},
			}
		},
	},
	{
		Name: "cognito", Title: "Amazon Cognito",
		Needs: []string{"domain"}, Reads: []string{"domain"}, DomainURL: true,
		Example: map[string]string{"domain": "https://myapp.auth.us-east-1.amazoncognito.com"},
		BaseURL: "https://api.example.com", Scopes: []string{"openid"},
		Doc: map[string]string{"domain": "the user pool's domain with its scheme (the hosted UI's or a custom one)"},
		Notes: []string{
			"A machine-to-machine app client takes grant = \"client_credentials\" and its resource server's scopes.",
		},
		fill: func(p Params) []Field {
			root, _ := baseURL(p.Domain)
			if deferred(p.Domain) {
				root = strings.TrimRight(p.Domain, "/")
			}
			return []Field{
				{"grant", "authorization_code"},
				{"auth_url", root + "/oauth2/authorize"},
				{"token_url", root + "/oauth2/token"},
				{"revoke_url", root + "/oauth2/revoke"},
			}
		},
	},
}
