package preset

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzFill: whatever the parameters, a preset either refuses them with an
// Error naming one, or makes URLs that are absolute, with no user, query
// or fragment, on the host the parameters name — Entra ID's cloud, Auth0's
// and Okta's domain, Keycloak's server_url, Cognito's domain — and on no
// other: no tenant, realm or authorization server moves a token request.
func FuzzFill(f *testing.F) {
	f.Add("contoso.onmicrosoft.com", "china", "dev-1.okta.com", "default", "https://sso.example.com/auth", "shop")
	f.Add("a/../b", "global", "x@evil.example", "a?b", "http://127.0.0.1:8080", "r#x")
	f.Add("%2e%2e", "", "evil.example:443/x", "..", "https://sso.example.com?x", "a b")
	f.Add("${T}", "${C}", "${D}", "${A}", "${S}", "${R}")
	f.Fuzz(func(t *testing.T, tenant, cloud, domain, as, serverURL, realm string) {
		for _, ps := range all {
			params := Params{}
			for _, k := range ps.Reads {
				params.Set(k, map[string]string{"tenant": tenant, "cloud": cloud, "domain": domain, "authorization_server": as, "server_url": serverURL, "realm": realm}[k])
			}
			fields, err := ps.Fill(params)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("%s: %T %v, want an *Error", ps.Name, err, err)
				}
				continue
			}
			if strings.Contains(tenant+cloud+domain+as+serverURL+realm, "${") {
				continue // left for the caller to expand and check again
			}
			want := ""
			switch ps.Name {
			case "entra-id":
				c := params.Cloud
				if c == "" {
					c = "global"
				}
				want = clouds[c]
			case "github", "google":
				continue // fixed URLs, held to x/oauth2's in preset_test.go
			case "auth0", "okta":
				want = params.Domain
			case "keycloak", "cognito":
				root := params.ServerURL
				if ps.Name == "cognito" {
					root = params.Domain
				}
				u, err := url.Parse(root)
				if err != nil {
					t.Fatalf("%s: Fill took %q: %v", ps.Name, root, err)
				}
				want = u.Host
			}
			for _, fl := range fields {
				if fl.Key == "grant" || fl.Key == "client_auth" {
					continue
				}
				u, err := url.Parse(fl.Value)
				if err != nil || u.Host != want || u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(fl.Value, "?#") {
					t.Fatalf("%s %+v: %s = %q, want a URL on %q (err %v)", ps.Name, params, fl.Key, fl.Value, want, err)
				}
			}
		}
	})
}
